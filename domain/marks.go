package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// MarkInput is a mark as typed: a value, or an absence, and a comment.
type MarkInput struct {
	Value   string
	Absent  string // justified / unjustified (ABJ / ABI), or ""
	Comment string
}

const maxComment = 500

func (in MarkInput) parse() (value float64, absent Absence, comment string, err error) {
	var p problems
	absent, aerr := ParseAbsence(in.Absent)
	if aerr != nil {
		p = append(p, aerr.(*Error).Problems...)
	}
	switch {
	case absent != "" && strings.TrimSpace(in.Value) != "":
		p.add("value", "give a mark or an absence, not both")
	case absent == "" && aerr == nil:
		v, verr := ParseGradeValue(in.Value)
		if verr != nil {
			p = append(p, verr.(*Error).Problems...)
		}
		value = v
	}
	comment = cleanName(in.Comment)
	if err := CheckText("comment", comment, SingleLine); err != nil {
		p = append(p, err.(*Error).Problems...)
	} else if utf8.RuneCountInString(comment) > maxComment {
		p.add("comment", "is longer than 500 characters")
	}
	return value, absent, comment, p.err()
}

// Mark records a student's mark in an evaluation (a new one, or a change
// of the one given): admins and the teachers of the evaluation's subject,
// while its semester is open. version as in Update. The student's
// semester average is recomputed with it.
func (s *StudentService) Mark(ctx context.Context, a Actor, ref string, version int64, evalID string, in MarkInput) (*Student, *Grade, error) {
	if s.curricula == nil {
		return nil, nil, Errorf(EUNAVAILABLE, "evaluations are not available here")
	}
	value, absent, comment, err := in.parse()
	if err != nil {
		return nil, nil, err
	}
	e, c, evals, err := s.semesterOf(ctx, strings.TrimSpace(evalID))
	if err != nil {
		return nil, nil, err
	}
	may := func(st *Student) error {
		if st.Class != e.Class {
			return Invalid("evaluation", "is an evaluation of "+e.Class+"; student "+st.Number+" is in "+st.Class)
		}
		return c.MayMark(a, e)
	}
	var saved Grade
	st, err := s.mutateWith(ctx, a, ref, version, OpChangeGrade, may, func(st *Student) (*Event, error) {
		ev := s.putMark(a, st, e, value, absent, comment)
		st.setTerm(e.Year, e.Semester, SemesterAverages(c, evals, st.Grades, nil).Average)
		saved = *ev.Grade
		return ev, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return st, &saved, nil
}

// putMark sets the student's mark in evaluation e (adding it when there
// is none) and returns the event that says so.
func (s *StudentService) putMark(a Actor, st *Student, e *Evaluation, value float64, absent Absence, comment string) *Event {
	ev := &Event{Type: EventGradeChanged, Hidden: !e.Published}
	i := slices.IndexFunc(st.Grades, func(g Grade) bool { return g.EvaluationID == e.ID })
	if i < 0 {
		st.Grades = append(st.Grades, Grade{ID: newGradeID(), Subject: e.Subject, Coefficient: 1, EvaluationID: e.ID})
		i = len(st.Grades) - 1
		ev.Type = EventGradeAdded
	}
	g := &st.Grades[i]
	if ev.Type == EventGradeChanged {
		prev := *g
		ev.PreviousGrade = &prev
	}
	g.Value, g.Absent, g.Comment, g.Teacher, g.Date = value, absent, comment, a.Name, s.now().UTC()
	saved := *g
	ev.Grade = &saved
	return ev
}

// MarkCell writes one cell of the grade sheet: the student's mark in an
// evaluation (an empty input removes it), only if the cell still holds
// what the sheet showed (shown): the check is the cell's, not the whole
// record's, so the other cells of the student may change meanwhile. When
// the cell changed, it returns ECONFLICT and the student as stored, for
// the sheet to show the other person's mark.
func (s *StudentService) MarkCell(ctx context.Context, a Actor, studentID, evalID string, shown EvaluationMark, in MarkInput) (*Student, error) {
	clear := strings.TrimSpace(in.Value) == "" && strings.TrimSpace(in.Absent) == ""
	var value float64
	var absent Absence
	var comment string
	if !clear {
		var err error
		if value, absent, comment, err = in.parse(); err != nil {
			return nil, err
		}
	}
	e, c, evals, err := s.semesterOf(ctx, evalID)
	if err != nil {
		return nil, err
	}
	may := func(st *Student) error {
		if st.Class != e.Class {
			return Invalid("evaluation", "is an evaluation of "+e.Class+"; student "+st.Number+" is in "+st.Class)
		}
		return c.MayMark(a, e)
	}
	var seen *Student
	st, err := s.mutateWith(ctx, a, studentID, 0, OpChangeGrade, may, func(st *Student) (*Event, error) {
		seen = st.clone()
		i := slices.IndexFunc(st.Grades, func(g Grade) bool { return g.EvaluationID == e.ID })
		var cur *Grade
		if i >= 0 {
			cur = &st.Grades[i]
		}
		if !sameMark(cur, shown) {
			return nil, Errorf(ECONFLICT, "the mark of %s in %s was changed by someone else meanwhile", st.Number, e.Title)
		}
		var ev *Event
		switch {
		case clear && cur == nil:
			return nil, errNothingToDo
		case clear:
			g := *cur
			st.Grades = append(st.Grades[:i:i], st.Grades[i+1:]...)
			ev = &Event{Type: EventGradeRemoved, Grade: &g, Hidden: !e.Published}
		default:
			ev = s.putMark(a, st, e, value, absent, comment)
		}
		st.setTerm(e.Year, e.Semester, SemesterAverages(c, evals, st.Grades, nil).Average)
		return ev, nil
	})
	switch {
	case errors.Is(err, errNothingToDo):
		return seen, nil
	case ErrorCode(err) == ECONFLICT && seen != nil:
		return seen, err
	}
	return st, err
}

// errNothingToDo ends a change that would not change anything.
var errNothingToDo = errors.New("nothing to do")

// sameMark reports whether a stored grade is the mark a sheet showed.
func sameMark(g *Grade, shown EvaluationMark) bool {
	if g == nil || shown.GradeID == "" {
		return g == nil && shown.GradeID == ""
	}
	if g.ID != shown.GradeID || g.Absent != shown.Absent {
		return false
	}
	return g.Absent != "" || shown.Value != nil && *shown.Value == g.Value
}

// semesterOf returns an evaluation, its curriculum and the evaluations
// of its semester.
func (s *StudentService) semesterOf(ctx context.Context, evalID string) (*Evaluation, *Curriculum, []Evaluation, error) {
	if s.curricula == nil {
		return nil, nil, nil, Errorf(EUNAVAILABLE, "evaluations are not available here")
	}
	e, err := s.curricula.Evaluation(ctx, evalID)
	if err != nil {
		return nil, nil, nil, err
	}
	c, evals, err := s.termOf(ctx, e)
	if err != nil {
		return nil, nil, nil, err
	}
	return e, c, evals, nil
}

// termOf reads the curriculum and the evaluations of e's semester.
func (s *StudentService) termOf(ctx context.Context, e *Evaluation) (*Curriculum, []Evaluation, error) {
	c, err := s.curricula.Curriculum(ctx, e.Class, e.Semester, e.Year)
	if err != nil {
		return nil, nil, err
	}
	evals, err := s.curricula.Evaluations(ctx, e.Class, e.Semester, e.Year)
	if err != nil {
		return nil, nil, err
	}
	return c, evals, nil
}

// reterm is what changing or removing a mark of an evaluation (evalID;
// nothing for a free grade) needs besides: the evaluation's rules (its
// teachers, an open semester) and the student's semester average again.
// hidden says the evaluation is not published: its marks are not told.
func (s *StudentService) reterm(ctx context.Context, a Actor, st *Student, evalID string) (hidden bool, err error) {
	if evalID == "" {
		return false, nil
	}
	e, c, evals, err := s.semesterOf(ctx, evalID)
	if err != nil {
		return false, err
	}
	if err := c.MayMark(a, e); err != nil {
		return false, err
	}
	st.setTerm(e.Year, e.Semester, SemesterAverages(c, evals, st.Grades, nil).Average)
	return !e.Published, nil
}

// MarkRow is one student's mark in a batch (a file's row).
type MarkRow struct {
	Student string // matricule or phone
	Mark    MarkInput
}

// MarkMany records the marks of many students in one evaluation, all or
// none: every row is checked first (the student exists, is in the
// evaluation's class, appears once; the mark parses), and problems are
// reported by row; then the marks are written one student at a time, and
// if one fails the ones written are put back as they were.
func (s *StudentService) MarkMany(ctx context.Context, a Actor, evalID string, rows []MarkRow) (int, error) {
	e, c, _, err := s.semesterOf(ctx, strings.TrimSpace(evalID))
	if err != nil {
		return 0, err
	}
	if err := c.MayMark(a, e); err != nil {
		return 0, err
	}
	var bad []RowProblem
	seen := map[string]int{}
	students := make([]*Student, len(rows))
	for i, r := range rows {
		if _, _, _, err := r.Mark.parse(); err != nil {
			for _, p := range err.(*Error).Problems {
				bad = append(bad, RowProblem{i, p})
			}
		}
		st, err := s.find(ctx, r.Student)
		switch {
		case ErrorCode(err) == ENOTFOUND || ErrorCode(err) == EINVALID:
			bad = append(bad, RowProblem{i, Problem{"student", "no student " + Quote(cleanName(r.Student), 40)}})
			continue
		case err != nil:
			return 0, err
		case st.Class != e.Class:
			bad = append(bad, RowProblem{i, Problem{"student", st.Number + " is in " + st.Class + ", not " + e.Class}})
			continue
		}
		if j, dup := seen[st.ID]; dup {
			bad = append(bad, RowProblem{i, Problem{"student", st.Number + " is also on item " + itoa(j+1)}})
			continue
		}
		seen[st.ID], students[i] = i, st
	}
	if len(bad) > 0 {
		return 0, &BatchError{Problems: bad}
	}
	var written []markDone
	for i, r := range rows {
		st := students[i]
		var before *Grade
		if k := slices.IndexFunc(st.Grades, func(g Grade) bool { return g.EvaluationID == e.ID }); k >= 0 {
			g := st.Grades[k]
			before = &g
		}
		_, g, err := s.Mark(ctx, a, st.ID, 0, e.ID, r.Mark)
		if err != nil {
			s.unmark(ctx, a, e.ID, written)
			return 0, fmt.Errorf("item %d (%s): %w; nothing was kept", i+1, st.Number, err)
		}
		written = append(written, markDone{st.ID, before, g.ID})
	}
	return len(written), nil
}

// markDone is a mark MarkMany wrote, and what it replaced.
type markDone struct {
	student string
	before  *Grade // nil: there was no mark
	gradeID string
}

// unmark puts back the marks a failed MarkMany wrote, newest first.
func (s *StudentService) unmark(ctx context.Context, a Actor, evalID string, written []markDone) {
	ctx = context.WithoutCancel(ctx)
	for i := len(written) - 1; i >= 0; i-- {
		w := written[i]
		var err error
		if w.before == nil {
			_, err = s.RemoveGrade(ctx, a, w.student, 0, w.gradeID)
		} else {
			in := MarkInput{Absent: string(w.before.Absent), Comment: w.before.Comment}
			if w.before.Absent == "" {
				in.Value = FormatDecimal(w.before.Value, -1, false)
			}
			_, _, err = s.Mark(ctx, a, w.student, 0, evalID, in)
		}
		if err != nil {
			s.log.Error("a mark of a failed batch not put back", "student", w.student, "evaluation", evalID, "err", err)
		}
	}
}
