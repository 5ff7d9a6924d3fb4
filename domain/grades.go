package domain

import (
	"context"
	"strings"
	"unicode/utf8"
)

// AddGrade appends a grade to a student. version is the record version the
// person saw (0: append to whatever is current; safe to retry).
func (s *StudentService) AddGrade(ctx context.Context, a Actor, ref string, version int64, in GradeInput) (*Student, *Grade, error) {
	g, err := s.parseGrade(a, in)
	if err != nil {
		return nil, nil, err
	}
	st, err := s.mutate(ctx, a, ref, version, OpAddGrade, func(st *Student) (*Event, error) {
		st.Grades = append(st.Grades, g)
		return &Event{Type: EventGradeAdded, Grade: &g}, nil
	})
	if err != nil {
		return nil, nil, err
	}
	return st, &g, nil
}

// SetGrade changes the value of one grade.
func (s *StudentService) SetGrade(ctx context.Context, a Actor, ref string, version int64, gradeID, value string) (*Student, error) {
	v, err := ParseGradeValue(value)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, ref, version, OpChangeGrade, func(st *Student) (*Event, error) {
		i := st.GradeByID(gradeID)
		if i < 0 {
			return nil, Errorf(ENOTFOUND, "grade %s not found for student %s", gradeID, st.Number)
		}
		prev := st.Grades[i]
		st.Grades[i].Value, st.Grades[i].Absent = v, ""
		st.Grades[i].Teacher = a.Name
		g := st.Grades[i]
		hidden, err := s.reterm(ctx, a, st, g.EvaluationID)
		if err != nil {
			return nil, err
		}
		return &Event{Type: EventGradeChanged, Grade: &g, PreviousGrade: &prev, Hidden: hidden}, nil
	})
}

// RemoveGrade deletes one grade.
func (s *StudentService) RemoveGrade(ctx context.Context, a Actor, ref string, version int64, gradeID string) (*Student, error) {
	return s.mutate(ctx, a, ref, version, OpRemoveGrade, func(st *Student) (*Event, error) {
		i := st.GradeByID(gradeID)
		if i < 0 {
			return nil, Errorf(ENOTFOUND, "grade %s not found for student %s", gradeID, st.Number)
		}
		g := st.Grades[i]
		st.Grades = append(st.Grades[:i:i], st.Grades[i+1:]...)
		hidden, err := s.reterm(ctx, a, st, g.EvaluationID)
		if err != nil {
			return nil, err
		}
		return &Event{Type: EventGradeRemoved, Grade: &g, Hidden: hidden}, nil
	})
}

func (s *StudentService) parseGrade(a Actor, in GradeInput) (Grade, error) {
	var p problems
	if err := CheckSubject(in.Subject); err != nil {
		p = append(p, err.(*Error).Problems...)
	}
	subject := cleanName(in.Subject)
	value, err := ParseGradeValue(in.Value)
	if err != nil {
		p = append(p, err.(*Error).Problems...)
	}
	coef, err := ParseCoefficient(in.Coefficient)
	if err != nil {
		p = append(p, err.(*Error).Problems...)
	}
	if err := p.err(); err != nil {
		return Grade{}, err
	}
	return Grade{ID: newGradeID(), Subject: capitalize(subject), Value: value, Coefficient: coef,
		Date: s.now().UTC(), Teacher: a.Name}, nil
}

// capitalize upper-cases the first letter so "maths" and "Maths" are one
// subject in reports and imports.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[size:]
}
