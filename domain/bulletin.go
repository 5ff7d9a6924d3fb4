package domain

import (
	"context"
	"math/big"
	"slices"
)

// Bulletin is a student's report card of a semester: per subject their
// average with the class's average, lowest and highest, and the teacher's
// remark; the semester's outcome (average, credits, decision, rank); the
// overall remark; the absences counted from ABJ and ABI marks.
type Bulletin struct {
	Student     *Student
	Curriculum  *Curriculum
	Outcome     SemesterOutcome
	Subjects    []BulletinSubject
	ClassSize   int
	Justified   int // ABJ marks of the semester
	Unjustified int // ABI marks
	Remark      string
}

// BulletinSubject is one subject's line of a bulletin.
type BulletinSubject struct {
	UE           string
	Subject      string
	Coefficient  float64
	Average      *big.Rat // the student's; nil without a mark
	ClassAverage *big.Rat // of the students who have one
	Min, Max     *big.Rat
	Remark       string
}

// Bulletin builds a student's report card of a semester ("" year: the
// current one), of its current session, for whoever may read the student;
// a student reads theirs once the semester's results are published.
func (s *ResultsService) Bulletin(ctx context.Context, a Actor, ref, semester, year string) (*Bulletin, error) {
	st, err := s.d.Students.Get(ctx, a, ref)
	if err != nil {
		return nil, err
	}
	c, err := s.curriculum(ctx, st.Class, semester, year)
	if err != nil {
		return nil, err
	}
	session := c.CurrentSession()
	if a.Role == RoleStudent {
		// A student reads the latest session published (session 1's
		// while the resit session runs).
		if session = c.PublishedSession(); session == 0 {
			return nil, Errorf(EFORBIDDEN, "the results of %s are not published yet", c.Key())
		}
	}
	res, err := s.Results(ctx, SystemActor(a.Name), c.Class, c.Semester, c.Year, session)
	if err != nil {
		return nil, err
	}
	evals, err := s.d.Curricula.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	return bulletinOf(st, res, evals), nil
}

// ClassBulletins are the bulletins of every student of a class (admins
// and the class's teachers), by name, from one reading of the results.
func (s *ResultsService) ClassBulletins(ctx context.Context, a Actor, class, semester, year string) ([]*Bulletin, error) {
	c, err := s.curriculum(ctx, class, semester, year)
	if err != nil {
		return nil, err
	}
	res, err := s.Results(ctx, a, c.Class, c.Semester, c.Year, c.CurrentSession())
	if err != nil {
		return nil, err
	}
	evals, err := s.d.Curricula.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	students, err := s.d.Students.ClassStudents(ctx, a, c.Class)
	if err != nil {
		return nil, err
	}
	out := make([]*Bulletin, 0, len(students))
	for _, st := range students {
		out = append(out, bulletinOf(st, res, evals))
	}
	return out, nil
}

// bulletinOf is a student's bulletin from the class's results and the
// semester's evaluations.
func bulletinOf(st *Student, res *ClassResults, evals []Evaluation) *Bulletin {
	c := res.Curriculum
	b := &Bulletin{Student: st, Curriculum: c, ClassSize: len(res.Outcomes), Remark: st.RemarkOf(c.Year, c.Semester, "")}
	for _, o := range res.Outcomes {
		if o.StudentID == st.ID {
			b.Outcome = o
		}
	}
	for i, ue := range c.UEs {
		for j, sub := range ue.Subjects {
			line := BulletinSubject{UE: ue.Code, Subject: sub.Name, Coefficient: sub.Coefficient, Remark: st.RemarkOf(c.Year, c.Semester, sub.Name)}
			if len(b.Outcome.UEs) > i && len(b.Outcome.UEs[i].Subjects) > j {
				line.Average = b.Outcome.UEs[i].Subjects[j].Average
			}
			var class mean
			for _, o := range res.Outcomes {
				if len(o.UEs) <= i || len(o.UEs[i].Subjects) <= j {
					continue
				}
				v := o.UEs[i].Subjects[j].Average
				if v == nil {
					continue
				}
				class.add(v, big.NewRat(1, 1))
				if line.Min == nil || v.Cmp(line.Min) < 0 {
					line.Min = v
				}
				if line.Max == nil || v.Cmp(line.Max) > 0 {
					line.Max = v
				}
			}
			line.ClassAverage = class.value()
			b.Subjects = append(b.Subjects, line)
		}
	}
	of := map[string]bool{}
	for _, e := range evals {
		of[e.ID] = true
	}
	for _, g := range st.Grades {
		switch {
		case !of[g.EvaluationID]:
		case g.Absent == AbsentJustified:
			b.Justified++
		case g.Absent == AbsentUnjustified:
			b.Unjustified++
		}
	}
	return b
}

// TermsLatestFirst are the student's semesters that have an average, the
// latest first: those a report card may print.
func (st *Student) TermsLatestFirst() []TermAverage {
	var out []TermAverage
	for _, t := range st.Terms {
		if t.Average != nil {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b TermAverage) int {
		switch {
		case a.after(&b):
			return -1
		case b.after(&a):
			return 1
		}
		return 0
	})
	return out
}
