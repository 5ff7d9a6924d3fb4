package domain

import (
	"strconv"
	"strings"
)

// The student table's semester selector: a row carries the student's
// semester averages (RosterRow.Terms), so the table shows and sorts by one
// semester's without reading the students again.

// Shown chooses the average a roster shows and sorts by: the row's own
// (Semester "": the latest semester's, else the mean of the free grades)
// or that of one semester of a year.
type Shown struct {
	Year     string
	Semester string // S1…S10; "" = the row's own average
}

// Average is the average of r that s shows; nil when r has none there.
func (s Shown) Average(r *RosterRow) *float64 {
	if s.Semester == "" {
		return r.Average
	}
	return r.TermAverage(s.Year, s.Semester)
}

// TermAverage is the row's average in a semester of a year, nil if none.
func (r *RosterRow) TermAverage(year, semester string) *float64 {
	for i := range r.Terms {
		if r.Terms[i].Year == year && r.Terms[i].Semester == semester {
			return r.Terms[i].Average
		}
	}
	return nil
}

// RosterSemesters lists the semesters of a year that the rows hold an
// average of (S1 before S2 before S10), for the selector to step through.
// Only the canonical names S1…S10 count: the list is shown as it is.
func RosterSemesters(rows []RosterRow, year string) []string {
	var seen [maxSemester + 1]bool
	for i := range rows {
		for _, t := range rows[i].Terms {
			if t.Year != year || t.Average == nil {
				continue
			}
			if n := semesterNumber(t.Semester); n > 0 {
				seen[n] = true
			}
		}
	}
	var out []string
	for n, ok := range seen {
		if ok {
			out = append(out, "S"+strconv.Itoa(n))
		}
	}
	return out
}

// maxSemester is the last semester of the LMD (S10, the doctorate aside).
const maxSemester = 10

// semesterNumber is n for "Sn" (1 ≤ n ≤ 10), else 0.
func semesterNumber(s string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "S"))
	if err != nil || n < 1 || n > maxSemester || s != "S"+strconv.Itoa(n) {
		return 0
	}
	return n
}

// SortOrderShown is SortOrder with the averages that shown picks: sorting
// by average sorts by the semester the table shows.
func SortOrderShown(rows []RosterRow, key SortKey, asc bool, shown Shown) []int {
	return sortOrder(rows, key, asc, shown)
}
