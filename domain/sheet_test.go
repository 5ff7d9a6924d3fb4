package domain_test

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	"scolarite/domain"
)

func TestSheet(t *testing.T) {
	s := newSchool(t)
	b := s.create(t, studentIn("Ba", "Awa", "771234567", "L1-INFO"))
	a := s.create(t, studentIn("Sow", "Ibou", "771234568", "L1-INFO"))
	other := s.create(t, studentIn("Diop", "Aby", "771234569", "L2-INFO"))
	cc, exam := s.eval(t, "Maths", "cc", "40"), s.eval(t, "Maths", "exam", "60")
	s.eval(t, "Anglais", "exam", "100")
	s.svc.Mark(ctx, admin, a.Number, 0, cc.ID, domain.MarkInput{Value: "10"})
	s.svc.Mark(ctx, admin, a.Number, 0, exam.ID, domain.MarkInput{Absent: "ABJ"})
	diop := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher}

	sh, err := s.svc.Sheet(ctx, diop, "l1-info", "S1", "2026-2027", "maths")
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Evaluations) != 2 || len(sh.Lines) != 2 || sh.ReadOnly != "" {
		t.Fatalf("sheet: %d evaluations, %d lines, read-only %q", len(sh.Evaluations), len(sh.Lines), sh.ReadOnly)
	}
	if sh.Lines[0].Number != b.Number || sh.Lines[0].Average != nil || sh.Lines[1].Marks[1].Absent != domain.AbsentJustified {
		t.Errorf("lines = %+v", sh.Lines)
	}
	wantAvg(t, "Sow's Maths", sh.Lines[1].Average, 10)
	if st, err := s.svc.SheetStudent(ctx, diop, sh, a.ID); err != nil || st == nil || sh.Line(st).Average == nil {
		t.Errorf("Sow read again: %+v, %v", st, err)
	}
	if st, err := s.svc.SheetStudent(ctx, diop, sh, other.ID); err != nil || st != nil {
		t.Errorf("a student of another class read again: %+v, %v", st, err)
	}
	_, err = s.svc.SheetStudent(ctx, domain.Actor{Name: "prof.fall", Role: domain.RoleTeacher}, sh, a.ID)
	wantCode(t, err, domain.EFORBIDDEN)

	_, err = s.svc.Sheet(ctx, diop, "L1-INFO", "S1", "2026-2027", "Anglais")
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = s.svc.Sheet(ctx, diop, "L1-INFO", "S1", "2026-2027", "Chimie")
	wantInvalid(t, err, "subject")
	if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	if sh, err = s.svc.Sheet(ctx, diop, "L1-INFO", "S1", "2026-2027", "Maths"); err != nil || sh.ReadOnly == "" {
		t.Errorf("a closed semester's sheet: read-only %q, %v", sh.ReadOnly, err)
	}
}

// A mark being typed counts in its line's average as if saved: the same
// weights, absences and sessions as the saved average.
func TestSheetLineAverageWith(t *testing.T) {
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", UEs: []domain.UE{
		{Code: "UE1", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2}}}}}
	evals := []domain.Evaluation{
		{ID: "cc", Subject: "Maths", Weight: 40, Session: 1},
		{ID: "anglais", Subject: "Anglais", Weight: 100, Session: 1},
		{ID: "exam", Subject: "maths", Weight: 60, Session: 1},
		{ID: "resit", Subject: "Maths", Weight: 100, Session: 2},
	}
	mark := func(eval string, v float64) domain.Grade {
		return domain.Grade{ID: eval + "-g", EvaluationID: eval, Value: v}
	}
	absent := func(eval string, a domain.Absence) domain.Grade {
		return domain.Grade{ID: eval + "-g", EvaluationID: eval, Absent: a}
	}
	for _, tc := range []struct {
		name   string
		grades []domain.Grade
		col    int // 0 cc, 1 exam, 2 resit
		typed  float64
		want   *float64
	}{
		{"alone", nil, 0, 12, ptr(12)},
		{"beside a saved exam", []domain.Grade{mark("exam", 15)}, 0, 10, ptr(13)},
		{"over a saved mark", []domain.Grade{mark("cc", 18), mark("exam", 15)}, 0, 10, ptr(13)},
		{"over an absence", []domain.Grade{absent("cc", domain.AbsentUnjustified), mark("exam", 15)}, 0, 10, ptr(13)},
		{"beside a justified absence", []domain.Grade{absent("exam", domain.AbsentJustified)}, 0, 10, ptr(10)},
		{"beside an unjustified absence", []domain.Grade{absent("exam", domain.AbsentUnjustified)}, 0, 10, ptr(4)},
		{"in a resit, not counted", []domain.Grade{mark("cc", 10), mark("exam", 15)}, 2, 20, ptr(13)},
		{"a resit beside, not counted", []domain.Grade{mark("resit", 20), mark("exam", 15)}, 0, 10, ptr(13)},
		{"only a resit", nil, 2, 20, nil},
		{"other subjects left out", []domain.Grade{mark("anglais", 2)}, 1, 11, ptr(11)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := &domain.Student{ID: "s1", Number: "2026-00001", LastName: "Ba", FirstName: "Awa", Grades: tc.grades}
			sh := domain.NewSheet(c, "Maths", evals, []*domain.Student{st})
			if len(sh.Evaluations) != 3 || len(sh.Lines) != 1 {
				t.Fatalf("sheet: %d evaluations, %d lines", len(sh.Evaluations), len(sh.Lines))
			}
			got := sh.Lines[0].AverageWith(tc.col, tc.typed)
			if tc.want == nil {
				if got != nil {
					t.Fatalf("average = %v, want none", *got)
				}
				return
			}
			wantAvg(t, tc.name, got, *tc.want)
			// Saved, the same mark gives the same average.
			id := sh.Evaluations[tc.col].ID
			st.Grades = append(slices.DeleteFunc(st.Grades, func(g domain.Grade) bool { return g.EvaluationID == id }), mark(id, tc.typed))
			wantAvg(t, tc.name+" (saved)", sh.Line(st).Average, *tc.want)
		})
	}
}

// The averages of a 1,000-student class with 12 subjects and 3
// evaluations each, every level (the grade sheet's and the table's
// semester averages). Goal: under 100 ms.
func BenchmarkSemesterAverages1000(b *testing.B) {
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027"}
	var evals []domain.Evaluation
	for u := range 4 {
		ue := domain.UE{Code: "UE" + strconv.Itoa(u), Title: "UE", Credits: 7}
		for k := range 3 {
			name := fmt.Sprintf("Matière %d-%d", u, k)
			ue.Subjects = append(ue.Subjects, domain.CourseSubject{Name: name, Coefficient: float64(1 + k)})
			for e, w := range []float64{20, 20, 60} {
				evals = append(evals, domain.Evaluation{ID: fmt.Sprintf("%s/%d", name, e), Subject: name, Weight: w, Session: 1})
			}
		}
		c.UEs = append(c.UEs, ue)
	}
	students := make([][]domain.Grade, 1000)
	for i := range students {
		for j, e := range evals {
			students[i] = append(students[i], domain.Grade{ID: strconv.Itoa(j), EvaluationID: e.ID, Value: float64((i + j) % 21)})
		}
	}
	for b.Loop() {
		plan := domain.NewAveragePlan(c, evals, nil)
		for _, g := range students {
			if plan.Compute(g).Average == nil {
				b.Fatal("no average")
			}
		}
	}
}
