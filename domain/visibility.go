package domain

import (
	"context"
	"slices"
)

// studentView is a student's record as the student may see it: the marks
// of evaluations not published are left out (but for those of a session
// whose results are published: official, see MarkShown), and so are the
// averages of the semesters none of whose sessions' results are published; the average is then the
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
		pub, err := publishedSession(ctx, curricula, st.Class, t.Semester, t.Year)
		if err != nil {
			return nil, err
		}
		for _, e := range evals {
			published[e.ID] = published[e.ID] || MarkShown(e, pub)
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
		pub, err := publishedSession(ctx, curricula, st.Class, t.Semester, t.Year)
		if err != nil {
			return nil, err
		}
		if pub == 0 {
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

// publishedSession is the latest session of a class's semester whose
// results are published (0: none, or no curriculum).
func publishedSession(ctx context.Context, curricula CurriculumRepo, class, semester, year string) (int, error) {
	c, err := curricula.Curriculum(ctx, class, semester, year)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return 0, nil
	case err != nil:
		return 0, err
	}
	return c.PublishedSession(), nil
}

// MarkShown says whether a student sees their marks of e when the results
// of the semester's sessions up to publishedSession are published: e is
// published, or its session's results are (official: all of its
// evaluations count). A resit's marks (session 2) stay hidden while only
// session 1's results are published.
func MarkShown(e Evaluation, publishedSession int) bool {
	return e.Published || max(e.Session, 1) <= publishedSession
}
