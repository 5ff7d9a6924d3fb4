package domain_test

import (
	"errors"
	"slices"
	"testing"

	"scolarite/domain"
)

// A student's semesters as each reader sees them: staff see every
// evaluation and every average; the student only the published
// evaluations, and the UE and semester averages only once the semester's
// results are published.
func TestSemestersHideWhatAStudentMayNotSee(t *testing.T) {
	s := newSchool(t)
	awa := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	cc, exam := s.eval(t, "Maths", "cc", "40"), s.eval(t, "Maths", "exam", "60")
	for _, m := range []struct {
		eval  *domain.Evaluation
		value string
	}{{cc, "10"}, {exam, "16"}} {
		if _, _, err := s.svc.Mark(ctx, admin, awa.Number, 0, m.eval.ID, domain.MarkInput{Value: m.value}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.curricula.PublishEvaluation(ctx, admin, cc.ID); err != nil {
		t.Fatal(err)
	}
	student := studentActor(awa.ID)

	// maths reads the reader's Maths: its marks and the three averages.
	maths := func(a domain.Actor) (domain.SemesterResult, domain.SubjectResult) {
		t.Helper()
		list, err := s.curricula.Semesters(ctx, a, s.stored(t, awa.ID))
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || len(list[0].UEs) != 2 || list[0].UEs[0].Subjects[0].Subject != "Maths" {
			t.Fatalf("%s's semesters = %+v", a.Name, list)
		}
		return list[0], list[0].UEs[0].Subjects[0]
	}
	markIDs := func(sub domain.SubjectResult) []string {
		var out []string
		for _, m := range sub.Marks {
			out = append(out, m.Evaluation.ID)
		}
		return out
	}

	// Staff: both marks, 10×40 % + 16×60 % = 13.6 at every level.
	sem, sub := maths(admin)
	if ids := markIDs(sub); len(ids) != 2 {
		t.Errorf("admin sees the evaluations %v, want the CC and the exam", ids)
	}
	wantAvg(t, "admin: Maths", sub.Average, 13.6)
	wantAvg(t, "admin: UE1", sem.UEs[0].Average, 13.6)
	wantAvg(t, "admin: semester", sem.Average, 13.6)

	// The student, semester open: the CC only; its subject average, but
	// neither the UE's nor the semester's.
	sem, sub = maths(student)
	if ids := markIDs(sub); len(ids) != 1 || ids[0] != cc.ID {
		t.Errorf("the student sees the evaluations %v, want the published CC only", ids)
	}
	wantAvg(t, "student: Maths", sub.Average, 10)
	if sem.UEs[0].Average != nil || sem.Average != nil {
		t.Errorf("the student sees the averages of an unpublished semester: UE1 %v, semester %v", sem.UEs[0].Average, sem.Average)
	}

	// Results published: they are official, every evaluation of the
	// semester counts and shows (the exam too), as in the stored average.
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
	sem, sub = maths(student)
	if sem.Status != domain.SemesterPublished || len(sub.Marks) != 2 {
		t.Errorf("published semester: status %q, marks %v", sem.Status, markIDs(sub))
	}
	wantAvg(t, "student, published: UE1", sem.UEs[0].Average, 13.6)
	wantAvg(t, "student, published: semester", sem.Average, 13.6)
}

// AddEvaluations checks every evaluation as AddEvaluation does and
// writes all of them, an audit entry each, or none.
func TestAddEvaluations(t *testing.T) {
	s := newSchool(t)
	in := func(class, subject, kind, weight string) domain.EvaluationInput {
		return domain.EvaluationInput{Class: class, Semester: "S1", Subject: subject, Kind: kind, Weight: weight}
	}
	good := []domain.EvaluationInput{in("L1-INFO", "Maths", "cc", "40"), in("L1-INFO", "Maths", "exam", "60"), in("L1-INFO", "Anglais", "exam", "100")}
	audits := len(s.audit.Entries())
	bad := append(slices.Clone(good), in("L1-INFO", "Chimie", "cc", "40"), in("L1-INFO", "Maths", "cc", "0"), in("L9-XX", "Maths", "cc", "40"))
	_, err := s.curricula.AddEvaluations(ctx, admin, bad)
	var be *domain.BatchError
	if !errors.As(err, &be) || len(be.Problems) != 3 || be.Problems[0].Index != 3 || be.Problems[1].Index != 4 || be.Problems[2].Index != 5 {
		t.Fatalf("err = %v, want the items 4, 5 and 6", err)
	}
	diop := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}}
	_, err = s.curricula.AddEvaluations(ctx, diop, good) // prof.diop teaches Maths, not Anglais
	if !errors.As(err, &be) || len(be.Problems) != 1 || be.Problems[0].Index != 2 {
		t.Fatalf("a teacher's batch with another's subject: %v", err)
	}
	if evals, _ := s.curricula.Evaluations(ctx, admin, "L1-INFO", "S1", ""); len(evals) != 0 || len(s.audit.Entries()) != audits {
		t.Fatalf("a refused batch wrote %d evaluations", len(evals))
	}

	out, err := s.curricula.AddEvaluations(ctx, admin, good)
	if err != nil || len(out) != 3 || out[0].ID == "" || out[2].Subject != "Anglais" || out[1].Title != "Examen" {
		t.Fatalf("AddEvaluations = %+v, %v", out, err)
	}
	if evals, _ := s.curricula.Evaluations(ctx, admin, "L1-INFO", "S1", ""); len(evals) != 3 {
		t.Errorf("%d evaluations stored, want 3", len(evals))
	}
	entries := s.audit.Entries()[audits:]
	if len(entries) != 3 || entries[0].Action != "evaluation.add" || entries[2].EntityID != "L1-INFO S1 2026-2027 Anglais" {
		t.Errorf("audit = %+v", entries)
	}
}
