package domain_test

import (
	"testing"

	"scolarite/domain"
)

// A semester of two UEs: UE1 (6 credits) = Maths coef 2 + Physique coef 1;
// UE2 (4 credits) = Anglais coef 1.
func testCurriculum() *domain.Curriculum {
	return &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Status: domain.SemesterOpen,
		UEs: []domain.UE{
			{Code: "UE1", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{
				{Name: "Maths", Coefficient: 2, Teachers: []string{"prof.diop"}}, {Name: "Physique", Coefficient: 1}}},
			{Code: "UE2", Title: "Langues", Credits: 4, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}},
		}}
}

func evals() []domain.Evaluation {
	return []domain.Evaluation{
		{ID: "m-cc", Subject: "Maths", Kind: domain.KindCC, Weight: 40, Session: 1, Published: true},
		{ID: "m-ex", Subject: "Maths", Kind: domain.KindExam, Weight: 60, Session: 1},
		{ID: "m-rs", Subject: "Maths", Kind: domain.KindResit, Weight: 60, Session: 2},
		{ID: "p-ex", Subject: "Physique", Kind: domain.KindExam, Weight: 100, Session: 1, Published: true},
		{ID: "a-tp", Subject: "Anglais", Kind: domain.KindTP, Weight: 1, Session: 1, Published: true},
		{ID: "a-ex", Subject: "Anglais", Kind: domain.KindExam, Weight: 3, Session: 1, Published: true},
	}
}

func mark(eval string, v float64) domain.Grade {
	return domain.Grade{ID: "g-" + eval, EvaluationID: eval, Value: v}
}

func absent(eval string, a domain.Absence) domain.Grade {
	return domain.Grade{ID: "g-" + eval, EvaluationID: eval, Absent: a}
}

func TestSemesterAverages(t *testing.T) {
	tests := []struct {
		name                    string
		grades                  []domain.Grade
		shown                   func(domain.Evaluation) bool
		maths, ue1, ue2, semest *float64
	}{
		{"nothing graded", nil, nil, nil, nil, nil, nil},
		{"weights inside a subject",
			[]domain.Grade{mark("m-cc", 10), mark("m-ex", 15)}, nil,
			ptr(13), ptr(13), nil, ptr(13)}, // (10×40+15×60)/100; Physique ungraded: left out
		{"coefficients inside a UE, credits across UEs",
			[]domain.Grade{mark("m-cc", 10), mark("m-ex", 15), mark("p-ex", 7), mark("a-tp", 20), mark("a-ex", 12)}, nil,
			ptr(13), ptr(11), ptr(14), ptr(12.2)}, // UE1 (13×2+7)/3 = 11; UE2 (20+36)/4 = 14; (11×6+14×4)/10
		{"ABJ left out, ABI counts 0",
			[]domain.Grade{absent("m-cc", domain.AbsentJustified), mark("m-ex", 15), absent("a-tp", domain.AbsentUnjustified), mark("a-ex", 12)}, nil,
			ptr(15), ptr(15), ptr(9), ptr(12.6)},
		{"a justified absence at the only evaluation: no average",
			[]domain.Grade{absent("p-ex", domain.AbsentJustified)}, nil,
			nil, nil, nil, nil},
		{"resit not counted in session 1",
			[]domain.Grade{mark("m-cc", 4), mark("m-ex", 6), mark("m-rs", 18)}, nil,
			ptr(5.2), ptr(5.2), nil, ptr(5.2)},
		{"a student sees published evaluations only",
			[]domain.Grade{mark("m-cc", 10), mark("m-ex", 15)}, func(e domain.Evaluation) bool { return e.Published },
			ptr(10), ptr(10), nil, ptr(10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := domain.SemesterAverages(testCurriculum(), evals(), tt.grades, tt.shown)
			check := func(what string, got, want *float64) {
				t.Helper()
				switch {
				case want == nil && got != nil:
					t.Errorf("%s = %v, want none", what, *got)
				case want != nil && got == nil:
					t.Errorf("%s = none, want %v", what, *want)
				case want != nil && !approx(*got, *want):
					t.Errorf("%s = %v, want %v", what, *got, *want)
				}
			}
			check("Maths", r.UEs[0].Subjects[0].Average, tt.maths)
			check("UE1", r.UEs[0].Average, tt.ue1)
			check("UE2", r.UEs[1].Average, tt.ue2)
			check("semester", r.Average, tt.semest)
		})
	}
}

func TestSemesterAveragesShowsEveryEvaluation(t *testing.T) {
	r := domain.SemesterAverages(testCurriculum(), evals(), []domain.Grade{absent("m-ex", domain.AbsentUnjustified)}, nil)
	marks := r.UEs[0].Subjects[0].Marks
	if len(marks) != 3 {
		t.Fatalf("%d Maths evaluations shown, want 3 (the resit too)", len(marks))
	}
	if marks[1].Value != nil || marks[1].Absent != domain.AbsentUnjustified || marks[0].Value != nil || marks[0].Absent != "" {
		t.Errorf("marks = %+v", marks)
	}
}

func ptr(f float64) *float64 { return &f }
