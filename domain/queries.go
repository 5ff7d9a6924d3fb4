package domain

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Roster lists the students the actor may see, filtered, sorted and
// limited. It reads the cached roster view and falls back to the store.
func (s *StudentService) Roster(ctx context.Context, a Actor, q RosterQuery) (RosterPage, error) {
	class := strings.ToUpper(cleanName(q.Class))
	if err := Authorize(a, OpListStudents, class, ""); err != nil {
		return RosterPage{}, err
	}
	all, online, err := s.roster(ctx)
	if err != nil {
		return RosterPage{}, err
	}
	visible := a.scope(all)
	m := NewMatcher(q.Search, s.phones)
	rows := make([]RosterRow, 0, len(visible))
	for i := range visible {
		if (class == "" || visible[i].Class == class) && m.Match(&visible[i]) {
			rows = append(rows, visible[i])
		}
	}
	SortRows(rows, q.Sort, q.Order.Ascending(q.Sort))
	page := RosterPage{Matched: len(rows), Total: len(visible), CacheOnline: online}
	if q.Limit > 0 && len(rows) > q.Limit {
		rows = rows[:q.Limit]
	}
	page.Rows = rows
	return page, nil
}

// rosterView names the cached roster; it changes with the rows' shape,
// so that a view cached by an older version (rows without their terms)
// is never read for a newer one.
const rosterView = "roster-2"

// roster returns every row, from the cache when it can. The slice is the
// caller's to keep.
func (s *StudentService) roster(ctx context.Context) ([]RosterRow, bool, error) {
	var rows []RosterRow
	online, err := s.views.read(ctx, rosterView, &rows, func(ctx context.Context) error {
		var err error
		rows, err = s.repo.Roster(ctx)
		if err != nil {
			return fmt.Errorf("load roster: %w", err)
		}
		return nil
	})
	return rows, online, err
}

// Stats are the figures of the statistics dashboard for one scope.
type Stats struct {
	Class        string       `json:"class,omitempty"` // "" = every class the actor sees
	Students     int          `json:"students"`
	Graded       int          `json:"graded"`
	Average      *float64     `json:"average"` // mean of the students' averages
	Classes      []ClassStats `json:"classes"`
	Top          []Ranked     `json:"top"`
	Below        []RosterRow  `json:"below"` // averages under the pass mark, worst first
	Distribution [10]int      `json:"distribution"`
}

// ClassStats summarises one class.
type ClassStats struct {
	Class    string   `json:"class"`
	Students int      `json:"students"`
	Graded   int      `json:"graded"`
	Average  *float64 `json:"average"`
	Min      *float64 `json:"min"`
	Max      *float64 `json:"max"`
}

// Ranked is a row with its rank (equal averages share a rank).
type Ranked struct {
	Rank int `json:"rank"`
	RosterRow
}

// TopN is how many students the top list holds.
const TopN = 10

// Stats computes the dashboard for the actor's scope, optionally one class.
func (s *StudentService) Stats(ctx context.Context, a Actor, class string) (*Stats, error) {
	class = strings.ToUpper(cleanName(class))
	if err := Authorize(a, OpViewStats, class, ""); err != nil {
		return nil, err
	}
	all, _, err := s.roster(ctx)
	if err != nil {
		return nil, err
	}
	rows := a.scope(all)
	if class != "" {
		rows = slices.DeleteFunc(rows, func(r RosterRow) bool { return r.Class != class })
	}
	st := ComputeStats(rows)
	st.Class = class
	return st, nil
}

// ComputeStats derives every figure from roster rows, in Go (FerretDB has
// no $avg).
func ComputeStats(rows []RosterRow) *Stats {
	st := &Stats{Students: len(rows), Classes: []ClassStats{}, Top: []Ranked{}, Below: []RosterRow{}}
	byClass := map[string]*classAcc{}
	var total float64
	graded := make([]RosterRow, 0, len(rows))
	for _, r := range rows {
		acc := byClass[r.Class]
		if acc == nil {
			acc = &classAcc{}
			byClass[r.Class] = acc
		}
		acc.students++
		if r.Average == nil {
			continue
		}
		v := *r.Average
		acc.add(v)
		total += v
		graded = append(graded, r)
		bucket := min(int(v/2), 9)
		st.Distribution[bucket]++
		if v < PassMark {
			st.Below = append(st.Below, r)
		}
	}
	st.Graded = len(graded)
	if st.Graded > 0 {
		st.Average = ptr(total / float64(st.Graded))
	}
	for _, c := range sortedKeys(byClass) {
		st.Classes = append(st.Classes, byClass[c].stats(c))
	}
	SortRows(graded, SortAverage, false)
	st.Top = Rank(graded, TopN)
	SortRows(st.Below, SortAverage, true)
	return st
}

// Rank numbers rows already sorted best first; equal averages share a rank
// (1, 2, 2, 4). n > 0 keeps the first n rows.
func Rank(sorted []RosterRow, n int) []Ranked {
	out := make([]Ranked, 0, min(n, len(sorted)))
	for i, r := range sorted {
		if n > 0 && i >= n {
			break
		}
		rank := i + 1
		if i > 0 && *sorted[i-1].Average == *r.Average {
			rank = out[i-1].Rank
		}
		out = append(out, Ranked{Rank: rank, RosterRow: r})
	}
	return out
}

type classAcc struct {
	students, graded int
	sum, min, max    float64
}

func (c *classAcc) add(v float64) {
	if c.graded == 0 || v < c.min {
		c.min = v
	}
	if c.graded == 0 || v > c.max {
		c.max = v
	}
	c.graded++
	c.sum += v
}

func (c *classAcc) stats(class string) ClassStats {
	cs := ClassStats{Class: class, Students: c.students, Graded: c.graded}
	if c.graded > 0 {
		cs.Average, cs.Min, cs.Max = ptr(c.sum/float64(c.graded)), ptr(c.min), ptr(c.max)
	}
	return cs
}

// Standing is a student's place in their class.
type Standing struct {
	Rank         int      `json:"rank"` // 0 when the student has no average
	ClassSize    int      `json:"class_size"`
	ClassAverage *float64 `json:"class_average"`
}

// Standing returns the student's rank in class. A student may see their
// own standing without seeing their classmates.
func (s *StudentService) Standing(ctx context.Context, a Actor, st *Student) (Standing, error) {
	if err := Authorize(a, OpReadStudent, st.Class, st.ID); err != nil {
		return Standing{}, err
	}
	all, _, err := s.roster(ctx)
	if err != nil {
		return Standing{}, err
	}
	var out Standing
	acc := classAcc{}
	for _, r := range all {
		if r.Class != st.Class {
			continue
		}
		out.ClassSize++
		if r.Average != nil {
			acc.add(*r.Average)
			if st.Average != nil && *r.Average > *st.Average {
				out.Rank++
			}
		}
	}
	if st.Average != nil {
		out.Rank++
	}
	out.ClassAverage = acc.stats(st.Class).Average
	return out, nil
}

func ptr[T any](v T) *T { return &v }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// fullLoadThreshold is where reading every student at once beats reading
// the listed ones one by one.
const fullLoadThreshold = 50

// Students is Roster with whole records (grades included), in the roster's
// order: for JSON output and exports.
func (s *StudentService) Students(ctx context.Context, a Actor, q RosterQuery) ([]*Student, error) {
	page, err := s.Roster(ctx, a, q)
	if err != nil {
		return nil, err
	}
	out := make([]*Student, 0, len(page.Rows))
	if len(page.Rows) <= fullLoadThreshold {
		for _, r := range page.Rows {
			st, err := s.repo.ByID(ctx, r.ID)
			if ErrorCode(err) == ENOTFOUND {
				continue // deleted meanwhile
			}
			if err != nil {
				return nil, err
			}
			out = append(out, st)
		}
		return out, nil
	}
	all, err := s.repo.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load students: %w", err)
	}
	byID := make(map[string]*Student, len(all))
	for _, st := range all {
		byID[st.ID] = st
	}
	for _, r := range page.Rows {
		if st, ok := byID[r.ID]; ok {
			out = append(out, st)
		}
	}
	return out, nil
}
