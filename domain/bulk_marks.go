package domain

import (
	"context"
	"slices"
	"strings"
	"time"
)

// NewMark is a mark a student created in bulk already has: in an
// evaluation (its id) of the student's class, checked as Mark checks it
// (the actor may mark it, its semester is open, the mark parses).
type NewMark struct {
	Evaluation string
	Mark       MarkInput
}

// markBook reads each evaluation a batch's marks are in once, and each
// semester once (its curriculum, its evaluations, their averages), for
// the many students marked in them (a class).
type markBook struct {
	s     *StudentService
	a     Actor
	evals map[string]*bookEntry
	terms map[string]*bookTerm // by curriculum key
}

type bookEntry struct {
	e    *Evaluation
	err  error // the evaluation is not there, or the actor may not mark it
	term *bookTerm
}

// bookTerm is a semester of a batch's marks.
type bookTerm struct {
	c    *Curriculum
	plan *AveragePlan
}

func newMarkBook(s *StudentService, a Actor) *markBook {
	return &markBook{s: s, a: a, evals: map[string]*bookEntry{}, terms: map[string]*bookTerm{}}
}

// entry returns the evaluation id, read once; a refusal is in entry.err,
// a failure of the store is returned.
func (b *markBook) entry(ctx context.Context, id string) (*bookEntry, error) {
	if en, ok := b.evals[id]; ok {
		return en, nil
	}
	if b.s.curricula == nil {
		return nil, Errorf(EUNAVAILABLE, "evaluations are not available here")
	}
	en := &bookEntry{}
	b.evals[id] = en
	e, err := b.s.curricula.Evaluation(ctx, strings.TrimSpace(id))
	switch {
	case ErrorCode(err) == ENOTFOUND || ErrorCode(err) == EINVALID:
		en.err = Invalid("evaluation", "no evaluation "+Quote(id, 40))
		return en, nil
	case err != nil:
		return nil, err
	}
	key := e.Class + " " + e.Semester + " " + e.Year
	term := b.terms[key]
	if term == nil {
		c, evals, err := b.s.termOf(ctx, e)
		if err != nil {
			return nil, err
		}
		term = &bookTerm{c: c, plan: NewAveragePlan(c, evals, nil)}
		b.terms[key] = term
	}
	en.e, en.term, en.err = e, term, term.c.MayMark(b.a, e)
	return en, nil
}

// addMarks gives st (new, of class st.Class) its marks, and its average of
// each semester they are in; the problems are the item's.
func (b *markBook) addMarks(ctx context.Context, st *Student, marks []NewMark, now time.Time) ([]Problem, error) {
	var bad []Problem
	var terms []*bookTerm
	for _, m := range marks {
		en, err := b.entry(ctx, m.Evaluation)
		if err != nil {
			return nil, err
		}
		if en.err != nil {
			bad = append(bad, Problem{"mark", ErrorMessage(en.err)})
			continue
		}
		e := en.e
		field := "mark " + e.Subject + " " + e.Title
		if e.Class != st.Class {
			bad = append(bad, Problem{field, "is an evaluation of " + e.Class + ", not of " + st.Class})
			continue
		}
		if slices.ContainsFunc(st.Grades, func(g Grade) bool { return g.EvaluationID == e.ID }) {
			bad = append(bad, Problem{field, "is given twice"})
			continue
		}
		value, absent, comment, err := m.Mark.parse()
		if err != nil {
			for _, p := range err.(*Error).Problems {
				bad = append(bad, Problem{field + " " + p.Field, p.Reason})
			}
			continue
		}
		st.Grades = append(st.Grades, Grade{ID: newGradeID(), Subject: e.Subject, Coefficient: 1, EvaluationID: e.ID,
			Value: value, Absent: absent, Comment: comment, Teacher: b.a.Name, Date: now.UTC()})
		if !slices.Contains(terms, en.term) {
			terms = append(terms, en.term)
		}
	}
	for _, term := range terms {
		st.setTerm(term.c.Year, term.c.Semester, term.plan.Compute(st.Grades).Average)
	}
	return bad, nil
}
