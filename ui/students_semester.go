package ui

import (
	"slices"

	"scolarite/domain"
)

// The students table's semester selector: `]` and `[` step round the
// overall average and the semesters of the current year that the rows
// hold averages of (domain.RosterSemesters, computed with each load).

// shown is the average the table shows and sorts by.
func (s *students) shown() domain.Shown {
	return domain.Shown{Year: s.year, Semester: s.semester}
}

// stepSemester moves the selector one step (back: `[`) through the
// overall average and the year's semesters, round, and sorts again when
// the table is sorted by average.
func (s *students) stepSemester(back bool) {
	steps := append([]string{""}, s.semesters...)
	i := slices.Index(steps, s.semester)
	if back {
		i += len(steps) - 1
	} else {
		i++
	}
	s.semester = steps[i%len(steps)]
	s.showAverageTitle()
	if rosterColumns[s.sortCol].key == domain.SortAverage {
		s.resort()
	}
}

// showAverageTitle names the average column after the semester shown.
func (s *students) showAverageTitle() {
	title := s.c.T.T("col.average")
	if s.semester != "" {
		title = s.c.T.T("students.avgsem", s.semester)
	}
	s.table.cols[averageCol].title = title
}
