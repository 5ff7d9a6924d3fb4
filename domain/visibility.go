package domain

import (
	"context"
	"slices"
)

// studentView is a student's record as the student may see it: the marks
// of evaluations not published are left out (a published semester shows
// all of its own: its results are official), and so are the averages of
// the semesters whose results are not published; the average is then the
// latest semester's once published (none while it is not), else the mean
// of the free grades.
// publishing names an evaluation being published (counted as published).
// Everything shown to a student, or sent to them, goes through it: the
// stored record counts every mark, published or not.
func studentView(ctx context.Context, curricula CurriculumRepo, st *Student, publishing string) (*Student, error) {
	if curricula == nil {
		return st, nil
	}
	out := st.clone()
	published := map[string]bool{publishing: true}
	seen := map[string]bool{}
	for _, t := range st.Terms {
		key := t.Year + " " + t.Semester
		if seen[key] {
			continue
		}
		seen[key] = true
		evals, err := curricula.Evaluations(ctx, st.Class, t.Semester, t.Year)
		if err != nil {
			return nil, err
		}
		whole, err := semesterPublished(ctx, curricula, st.Class, t.Semester, t.Year)
		if err != nil {
			return nil, err
		}
		for _, e := range evals {
			published[e.ID] = published[e.ID] || e.Published || whole
		}
	}
	var err error
	out.Grades = slices.DeleteFunc(out.Grades, func(g Grade) bool {
		if g.EvaluationID == "" || published[g.EvaluationID] || err != nil {
			return false
		}
		// A mark of an evaluation of another class or year (the student
		// moved): read it on its own.
		e, lookup := curricula.Evaluation(ctx, g.EvaluationID)
		if ErrorCode(lookup) == ENOTFOUND {
			return true
		}
		if lookup != nil {
			err = lookup
			return false
		}
		published[e.ID] = e.Published
		return !e.Published
	})
	if err != nil {
		return nil, err
	}
	// Unpublished semesters stay among the terms, without their average,
	// so that a reader can tell "not published" from "nothing yet".
	out.Terms = out.Terms[:0]
	for _, t := range st.Terms {
		whole, err := semesterPublished(ctx, curricula, st.Class, t.Semester, t.Year)
		if err != nil {
			return nil, err
		}
		if !whole {
			t.Average = nil
		}
		out.Terms = append(out.Terms, t)
	}
	out.Average = out.currentAverage()
	if latest := st.latestTerm(); latest != nil && !slices.ContainsFunc(out.Terms, func(t TermAverage) bool {
		return t.Year == latest.Year && t.Semester == latest.Semester && t.Average != nil
	}) {
		out.Average = nil // the record's average is an unpublished semester's
	}
	return out, nil
}

// semesterPublished reports whether a class's semester has its results
// published (false when it has no curriculum).
func semesterPublished(ctx context.Context, curricula CurriculumRepo, class, semester, year string) (bool, error) {
	c, err := curricula.Curriculum(ctx, class, semester, year)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return false, nil
	case err != nil:
		return false, err
	}
	return c.PublishedSession() > 0, nil
}
