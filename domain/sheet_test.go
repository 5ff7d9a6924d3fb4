package domain_test

import (
	"fmt"
	"strconv"
	"testing"

	"scolarite/domain"
)

func TestSheet(t *testing.T) {
	s := newSchool(t)
	b := s.create(t, studentIn("Ba", "Awa", "771234567", "L1-INFO"))
	a := s.create(t, studentIn("Sow", "Ibou", "771234568", "L1-INFO"))
	s.create(t, studentIn("Diop", "Aby", "771234569", "L2-INFO"))
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
