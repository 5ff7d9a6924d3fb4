package domain

import (
	"context"
	"slices"
	"strings"
)

// Sheet is the class grade sheet of one subject of a semester: one line
// per student of the class (by name), one column per evaluation, and the
// subject's average of each student, for a teacher of that subject or an
// admin to mark the whole class in one pass.
type Sheet struct {
	Curriculum  *Curriculum
	Subject     string
	Evaluations []Evaluation
	Lines       []SheetLine
	// ReadOnly says why nothing can be marked ("" when it can): a closed
	// or published semester.
	ReadOnly string
}

// SheetLine is one student's line.
type SheetLine struct {
	StudentID string
	Number    string
	Name      string
	Version   int64            // the student's version, for the next mark's check
	Marks     []EvaluationMark // one per evaluation, in Sheet.Evaluations' order
	Average   *float64
}

// Sheet builds the grade sheet of a subject of a class's semester.
func (s *StudentService) Sheet(ctx context.Context, a Actor, class, semester, year, subject string) (*Sheet, error) {
	if s.curricula == nil {
		return nil, Errorf(EUNAVAILABLE, "evaluations are not available here")
	}
	sem, err := ParseSemester(semester)
	if err != nil {
		return nil, err
	}
	c, err := s.curricula.Curriculum(ctx, strings.ToUpper(cleanName(class)), sem, year)
	if err != nil {
		return nil, err
	}
	_, sub, ok := c.Subject(subject)
	if !ok {
		return nil, Invalid("subject", "is not a subject of "+c.Key()+" (got "+Quote(cleanName(subject), 60)+")")
	}
	if a.Role != RoleAdmin && !c.Teaches(a, sub.Name) {
		return nil, Errorf(EFORBIDDEN, "you do not teach %s in %s", sub.Name, c.Class)
	}
	sh := &Sheet{Curriculum: c, Subject: sub.Name}
	if err := c.MayGrade(a, sub.Name); err != nil {
		sh.ReadOnly = ErrorMessage(err)
	}
	evals, err := s.curricula.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	sh.Evaluations = slices.DeleteFunc(evals, func(e Evaluation) bool { return FoldLabel(e.Subject) != FoldLabel(sub.Name) })
	students, err := s.Students(ctx, SystemActor(a.Name), RosterQuery{Class: c.Class, Sort: SortLastName})
	if err != nil {
		return nil, err
	}
	one := &Curriculum{Class: c.Class, Semester: c.Semester, Year: c.Year, Status: c.Status,
		UEs: []UE{{Code: "-", Credits: 1, Subjects: []CourseSubject{{Name: sub.Name, Coefficient: 1}}}}}
	plan := NewAveragePlan(one, sh.Evaluations, nil)
	for _, st := range students {
		r := plan.Compute(st.Grades).UEs[0].Subjects[0]
		sh.Lines = append(sh.Lines, SheetLine{StudentID: st.ID, Number: st.Number, Name: st.FullName(), Version: st.Version,
			Marks: r.Marks, Average: r.Average})
	}
	return sh, nil
}
