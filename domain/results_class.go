package domain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// A class's document is the procès-verbal of one session of one of its
// semesters. When none is named it is the class's current semester, the
// one the rest of the application shows: a student's average is their
// latest semester's, and the students table steps through the semesters
// its rows hold averages of (RosterSemesters).

// ClassSemester is the class's current semester of year ("": the current
// one): the latest of its curricula of the year that a student of the
// class holds an average in, else (nothing marked yet) the first. For
// admins and the teachers who read the class. ENOTFOUND when the class
// has no student, or no curriculum that year (free grades only: a
// procès-verbal is of a semester's results, which only a curriculum has).
// The causes of ClassSemester's two ENOTFOUND, for a screen to tell them
// apart (errors.Is).
var (
	ErrNoStudents   = errors.New("no student in the class")
	ErrNoCurriculum = errors.New("no curriculum for the class that year")
)

func (s *ResultsService) ClassSemester(ctx context.Context, a Actor, class, year string) (*Curriculum, error) {
	class = strings.ToUpper(cleanName(class))
	if class == "" {
		return nil, Invalid("class", "is required")
	}
	if year == "" {
		year = s.d.Year
	}
	year, err := ParseYear(year)
	if err != nil {
		return nil, err
	}
	if err := Authorize(a, OpListStudents, class, ""); err != nil {
		return nil, err
	}
	page, err := s.d.Students.Roster(ctx, a, RosterQuery{Class: class})
	if err != nil {
		return nil, err
	}
	if len(page.Rows) == 0 {
		e := Errorf(ENOTFOUND, "class %s has no student (or is not one of yours)", class)
		e.Err = ErrNoStudents
		return nil, e
	}
	all, err := s.d.Curricula.Curricula(ctx, year, class)
	if err != nil {
		return nil, fmt.Errorf("read the curricula of %s: %w", class, err)
	}
	all = slices.DeleteFunc(all, func(c *Curriculum) bool { return c.Class != class || semesterNumber(c.Semester) == 0 })
	if len(all) == 0 {
		e := Errorf(ENOTFOUND, "class %s has no curriculum in %s: a procès-verbal is of a semester's results "+
			"(a class with free grades only is in the school summary and the export of its students)", class, year)
		e.Err = ErrNoCurriculum
		return nil, e
	}
	slices.SortFunc(all, func(x, y *Curriculum) int { return semesterNumber(x.Semester) - semesterNumber(y.Semester) })
	held := RosterSemesters(page.Rows, year)
	for i := len(all) - 1; i >= 0; i-- {
		if slices.Contains(held, all[i].Semester) {
			return all[i], nil
		}
	}
	return all[0], nil
}

// MinutesResults are the results a class's procès-verbal shows: of
// semester ("": the class's current one, ClassSemester) of year ("": the
// current one), session 0 being the semester's current session.
func (s *ResultsService) MinutesResults(ctx context.Context, a Actor, class, semester, year string, session int) (*ClassResults, error) {
	var c *Curriculum
	var err error
	if semester == "" {
		c, err = s.ClassSemester(ctx, a, class, year)
	} else {
		c, err = s.curriculum(ctx, class, semester, year)
	}
	if err != nil {
		return nil, err
	}
	if session == 0 {
		session = c.CurrentSession()
	}
	return s.Results(ctx, a, c.Class, c.Semester, c.Year, session)
}

// ResultFigures are a session's key figures: how many students, how many
// with an average, the class's average (the mean of theirs), the lowest
// and highest, how many below 10, and how many per band of two points
// (0–2 … 18–20), all on the exact averages.
type ResultFigures struct {
	Students, Graded int
	Average          *big.Rat
	Min, Max         *big.Rat
	Below            int
	Distribution     [10]int
}

// Figures computes the key figures of the outcomes.
func (res *ClassResults) Figures() ResultFigures {
	f := ResultFigures{Students: len(res.Outcomes)}
	sum := new(big.Rat)
	two := big.NewRat(2, 1)
	for _, o := range res.Outcomes {
		v := o.Average
		if v == nil {
			continue
		}
		f.Graded++
		sum.Add(sum, v)
		if f.Min == nil || v.Cmp(f.Min) < 0 {
			f.Min = v
		}
		if f.Max == nil || v.Cmp(f.Max) > 0 {
			f.Max = v
		}
		if v.Cmp(passMark) < 0 {
			f.Below++
		}
		band := new(big.Rat).Quo(v, two)
		f.Distribution[min(max(int(new(big.Int).Quo(band.Num(), band.Denom()).Int64()), 0), 9)]++
	}
	if f.Graded > 0 {
		f.Average = sum.Quo(sum, big.NewRat(int64(f.Graded), 1))
	}
	return f
}
