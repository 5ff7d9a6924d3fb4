package domain

import (
	"context"
	"fmt"
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
	plan     *AveragePlan // the subject alone, for each line's average
}

// SheetLine is one student's line.
type SheetLine struct {
	StudentID string
	Number    string
	Name      string
	Version   int64            // the student's version, for the next mark's check
	Marks     []EvaluationMark // one per evaluation, in Sheet.Evaluations' order
	Average   *float64
	Remark    string // the teacher's remark on the student in the subject
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
	evals, err := s.curricula.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	students, err := s.ClassStudents(ctx, a, c.Class)
	if err != nil {
		return nil, err
	}
	sh := NewSheet(c, sub.Name, evals, students)
	if err := c.MayGrade(a, sub.Name); err != nil {
		sh.ReadOnly = ErrorMessage(err)
	}
	return sh, nil
}

// SheetStudent reads one student of a grade sheet again (someone wrote
// them), for the sheet's Line: nil when they are no longer in its class.
// The actor must still grade the sheet's subject (or be an admin).
func (s *StudentService) SheetStudent(ctx context.Context, a Actor, sh *Sheet, studentID string) (*Student, error) {
	if a.Role != RoleAdmin && !sh.Curriculum.Teaches(a, sh.Subject) {
		return nil, Errorf(EFORBIDDEN, "you do not teach %s in %s", sh.Subject, sh.Curriculum.Class)
	}
	st, err := s.repo.ByID(ctx, studentID)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case st.Class != sh.Curriculum.Class:
		return nil, nil
	}
	return st, nil
}

// ClassStudents is the records of a class's students, by name: the
// class's rows of the roster, then their records in one read by ID (a
// class of 1,000 in a school of 10,000 was a minute's wait when the
// whole school's records were read for it). A student who changed class
// between the two reads is left out. The caller checked that the actor
// may see what it shows of them (the grade sheet: a subject they grade;
// the results: the class).
func (s *StudentService) ClassStudents(ctx context.Context, a Actor, class string) ([]*Student, error) {
	page, err := s.Roster(ctx, SystemActor(a.Name), RosterQuery{Class: class, Sort: SortLastName})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(page.Rows))
	for i, r := range page.Rows {
		ids[i] = r.ID
	}
	students, err := s.repo.ByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("read the students of %s: %w", class, err)
	}
	return slices.DeleteFunc(students, func(st *Student) bool { return st.Class != class }), nil
}

// NewSheet is the grade sheet of subject (a subject of c, as it is named
// there) from the evaluations of c's semester (the subject's are kept)
// and the class's students, one line each in the order given.
func NewSheet(c *Curriculum, subject string, evals []Evaluation, students []*Student) *Sheet {
	sh := &Sheet{Curriculum: c, Subject: subject}
	sh.Evaluations = slices.DeleteFunc(slices.Clone(evals), func(e Evaluation) bool { return FoldLabel(e.Subject) != FoldLabel(subject) })
	one := &Curriculum{Class: c.Class, Semester: c.Semester, Year: c.Year, Status: c.Status,
		UEs: []UE{{Code: "-", Credits: 1, Subjects: []CourseSubject{{Name: subject, Coefficient: 1}}}}}
	sh.plan = NewAveragePlan(one, sh.Evaluations, nil)
	sh.Lines = make([]SheetLine, 0, len(students))
	for _, st := range students {
		sh.Lines = append(sh.Lines, sh.Line(st))
	}
	return sh
}

// Line is a student's line of the sheet, as the student is now (after a
// mark was saved, or read again after someone else's).
func (sh *Sheet) Line(st *Student) SheetLine {
	r := sh.plan.Compute(st.Grades).UEs[0].Subjects[0]
	return SheetLine{StudentID: st.ID, Number: st.Number, Name: st.FullName(), Version: st.Version, Marks: r.Marks, Average: r.Average,
		Remark: st.RemarkOf(sh.Curriculum.Year, sh.Curriculum.Semester, sh.Subject)}
}

// WithEvaluation is the sheet with one more evaluation (just added): a
// column with no marks.
func (sh *Sheet) WithEvaluation(e Evaluation) {
	sh.Evaluations = append(sh.Evaluations, e)
	one := sh.plan.c
	sh.plan = NewAveragePlan(one, sh.Evaluations, nil)
	for i := range sh.Lines {
		sh.Lines[i].Marks = append(sh.Lines[i].Marks, EvaluationMark{Evaluation: e})
	}
}

// AverageWith is the line's subject average were its mark in evaluation
// col the value v (a mark being typed, not saved yet): the same
// weight-weighted mean of the first session's evaluations as Line's.
func (l SheetLine) AverageWith(col int, v float64) *float64 {
	var subj weighted
	for i, mk := range l.Marks {
		if mk.Evaluation.Session != 1 {
			continue
		}
		switch {
		case i == col:
			subj.add(&v, mk.Evaluation.Weight)
		case mk.Value != nil:
			subj.add(mk.Value, mk.Evaluation.Weight)
		case mk.Absent != "":
			subj.addMark(Grade{Absent: mk.Absent}, mk.Evaluation.Weight)
		}
	}
	return subj.mean()
}
