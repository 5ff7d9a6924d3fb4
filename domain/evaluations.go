package domain

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// AddEvaluation adds an evaluation to a subject of a class's semester:
// admins, or a teacher of that subject while the semester is open.
func (s *CurriculumService) AddEvaluation(ctx context.Context, a Actor, in EvaluationInput) (*Evaluation, error) {
	c, err := s.Get(ctx, a, in.Class, in.Semester, in.Year)
	if err != nil {
		return nil, err
	}
	e, t, err := s.newEvaluation(a, c, in, DateOf(s.now()))
	if err != nil {
		return nil, err
	}
	if err := s.repo.SaveEvaluation(ctx, e, 0, t); err != nil {
		return nil, err
	}
	return e, nil
}

// newEvaluation checks that a may add in to c and returns the evaluation
// to write (version 1) with its trail.
func (s *CurriculumService) newEvaluation(a Actor, c *Curriculum, in EvaluationInput, today Date) (*Evaluation, Trail, error) {
	if err := c.MayGrade(a, in.Subject); err != nil {
		return nil, Trail{}, err
	}
	e, err := in.validate(c, today)
	if err != nil {
		return nil, Trail{}, err
	}
	e.Version = 1
	return &e, curriculumTrail(s, a, "evaluation.add", c.Key()+" "+e.Subject, nil, &e), nil
}

// AddEvaluations adds many evaluations at once (a curriculum's CC and
// exam in every subject), each checked and audited as AddEvaluation does
// it, all or none: every input is checked first, the problems reported by
// item (a BatchError), and nothing is written unless all are valid.
func (s *CurriculumService) AddEvaluations(ctx context.Context, a Actor, ins []EvaluationInput) ([]*Evaluation, error) {
	var bad []RowProblem
	curricula := map[string]*Curriculum{}
	out := make([]*Evaluation, 0, len(ins))
	trails := make([]Trail, 0, len(ins))
	today := DateOf(s.now())
	for i, in := range ins {
		key := in.Class + "\x00" + in.Semester + "\x00" + in.Year
		c, ok := curricula[key]
		if !ok {
			var err error
			c, err = s.Get(ctx, a, in.Class, in.Semester, in.Year)
			switch ErrorCode(err) {
			case "":
			case EINVALID, ENOTFOUND, EFORBIDDEN:
				bad = append(bad, RowProblem{i, Problem{"curriculum", ErrorMessage(err)}})
				continue
			default:
				return nil, err
			}
			curricula[key] = c
		}
		e, t, err := s.newEvaluation(a, c, in, today)
		var de *Error
		switch {
		case errors.As(err, &de) && len(de.Problems) > 0:
			for _, p := range de.Problems {
				bad = append(bad, RowProblem{i, p})
			}
			continue
		case err != nil: // not theirs to grade
			bad = append(bad, RowProblem{i, Problem{"subject", ErrorMessage(err)}})
			continue
		}
		out = append(out, e)
		trails = append(trails, t)
	}
	if len(bad) > 0 {
		return nil, &BatchError{Problems: bad}
	}
	if len(out) == 0 {
		return out, nil
	}
	if err := s.repo.InsertEvaluations(ctx, out, trails); err != nil {
		return nil, err
	}
	return out, nil
}

// Evaluations lists the evaluations of a class's semester the actor may
// see: students only the published ones.
func (s *CurriculumService) Evaluations(ctx context.Context, a Actor, class, semester, year string) ([]Evaluation, error) {
	c, err := s.Get(ctx, a, class, semester, year)
	if err != nil {
		return nil, err
	}
	evals, err := s.repo.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	if a.Role == RoleStudent {
		evals = slices.DeleteFunc(evals, func(e Evaluation) bool { return !e.Published })
	}
	return evals, nil
}

// PublishEvaluation shows an evaluation's marks to the students: admins,
// or a teacher of its subject.
func (s *CurriculumService) PublishEvaluation(ctx context.Context, a Actor, id string) (*Evaluation, error) {
	e, c, err := s.evaluation(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if a.Role != RoleAdmin && !c.Teaches(a, e.Subject) {
		return nil, Errorf(EFORBIDDEN, "you do not teach %s in %s", e.Subject, c.Class)
	}
	if e.Published {
		return nil, Errorf(ECONFLICT, "evaluation %s (%s, %s) is already published", e.ID, e.Subject, e.Title)
	}
	old := *e
	e.Published, e.PublishedAt, e.Version = true, s.now().UTC(), old.Version+1
	t := curriculumTrail(s, a, "evaluation.publish", c.Key()+" "+e.Subject, &old, e)
	if t.Events, err = s.publishedMarks(ctx, a, e); err != nil {
		return nil, err
	}
	if err := s.repo.SaveEvaluation(ctx, e, old.Version, t); err != nil {
		return nil, err
	}
	return e, nil
}

// publishedMarks is one grade.published event per student of the class
// with a mark in the evaluation: what the notifier tells them, once, now
// that they can see it.
func (s *CurriculumService) publishedMarks(ctx context.Context, a Actor, e *Evaluation) ([]*Event, error) {
	if s.students == nil {
		return nil, nil
	}
	rows, err := s.students.Roster(ctx)
	if err != nil {
		return nil, err
	}
	at := s.now()
	var out []*Event
	for _, r := range rows {
		if r.Class != e.Class {
			continue
		}
		st, err := s.students.ByID(ctx, r.ID)
		if ErrorCode(err) == ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		for _, g := range st.Grades {
			if g.EvaluationID == e.ID {
				// The message says the average the student sees once this
				// evaluation is published, not the stored one (which
				// counts marks still hidden).
				seen, err := studentView(ctx, s.repo, st, e.ID)
				if err != nil {
					return nil, err
				}
				ev := &Event{Type: EventGradePublished, Grade: &g, Average: seen.Average}
				var t Trail
				t.add(at, a.Name, st, ev)
				out = append(out, ev)
				break
			}
		}
	}
	return out, nil
}

// evaluation returns an evaluation and its curriculum, if the actor may
// read them.
func (s *CurriculumService) evaluation(ctx context.Context, a Actor, id string) (*Evaluation, *Curriculum, error) {
	id = strings.TrimSpace(id)
	if id == "" {
		return nil, nil, Invalid("evaluation", "is required (the id that evaluations add printed)")
	}
	e, err := s.repo.Evaluation(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.Get(ctx, a, e.Class, e.Semester, e.Year)
	if err != nil {
		return nil, nil, err
	}
	return e, c, nil
}

// Semesters computes a student's semesters of the current year, for
// whoever may read the student (the caller checked): every UE, subject
// and evaluation with the averages of each level. A student sees only
// the published evaluations, and the UE and semester averages of a
// semester only once its results are published.
func (s *CurriculumService) Semesters(ctx context.Context, a Actor, st *Student) ([]SemesterResult, error) {
	list, err := s.repo.Curricula(ctx, s.year, st.Class)
	if err != nil {
		return nil, err
	}
	out := make([]SemesterResult, 0, len(list))
	for _, c := range list {
		evals, err := s.repo.Evaluations(ctx, c.Class, c.Semester, c.Year)
		if err != nil {
			return nil, err
		}
		var shown func(Evaluation) bool
		pub := c.PublishedSession()
		if a.Role == RoleStudent && c.Status != SemesterPublished {
			shown = func(e Evaluation) bool { return MarkShown(e, pub) }
		}
		r := SemesterAverages(c, evals, st.Grades, shown)
		for i := range r.UEs {
			for j := range r.UEs[i].Subjects {
				sub := &r.UEs[i].Subjects[j]
				sub.Remark = st.RemarkOf(c.Year, c.Semester, sub.Subject)
			}
		}
		r.PublishedSession = pub
		if a.Role == RoleStudent && pub == 0 {
			r.Average = nil
			for i := range r.UEs {
				r.UEs[i].Average = nil
			}
		}
		if pub > 0 && s.results != nil {
			if r.Outcome, err = s.results.Outcome(ctx, c, pub, st.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}
