package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
)

// Students created in bulk with marks in evaluations: the marks are
// stored as Mark stores them, with the semester's average; the batch is
// one audit entry and one student.created event each (no grade event, so
// nobody is notified, as for the free grades of a batch); a bad mark
// refuses the whole batch, naming the item.
func TestCreateManyWithMarks(t *testing.T) {
	s := newSchool(t)
	cc, exam := s.eval(t, "Maths", "cc", "40"), s.eval(t, "Maths", "exam", "60")
	physics := s.eval(t, "Physique", "exam", "100")
	if _, err := s.curricula.PublishEvaluation(ctx, admin, cc.ID); err != nil {
		t.Fatal(err)
	}
	items := newStudents(3)
	for i := range items {
		items[i].Input.Class = "L1-INFO"
	}
	items[0].Marks = []domain.NewMark{{cc.ID, domain.MarkInput{Value: "10"}}, {exam.ID, domain.MarkInput{Value: "15"}}}
	items[1].Marks = []domain.NewMark{{cc.ID, domain.MarkInput{Absent: "ABJ", Comment: "certificat médical"}}, {physics.ID, domain.MarkInput{Value: "8"}}}
	items[1].Grades = []domain.GradeInput{{Subject: "Dessin", Value: "18"}}

	refused := slices.Clone(items)
	refused[2].Marks = []domain.NewMark{
		{"000000000000000000000099", domain.MarkInput{Value: "12"}},
		{cc.ID, domain.MarkInput{Value: "21"}},
		{exam.ID, domain.MarkInput{Value: "12"}},
		{exam.ID, domain.MarkInput{Value: "13"}},
	}
	refused[0].Input.Class = "L2-INFO"
	before := s.events.Len()
	_, err := s.svc.CreateMany(ctx, admin, refused, "seed")
	var be *domain.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a batch error", err)
	}
	var got []string
	for _, p := range be.Problems {
		got = append(got, p.Field+": "+p.Reason)
	}
	for _, want := range []string{"mark Maths Contrôle continu: is an evaluation of L1-INFO, not of L2-INFO", "no evaluation",
		"mark Maths Contrôle continu value: must be between 0 and 20", "mark Maths Examen: is given twice"} {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.Contains(g, want) }) {
			t.Errorf("problems %q lack %q", got, want)
		}
	}
	if n, _ := s.env.repo.Count(ctx); n != 0 || s.events.Len() != before {
		t.Fatalf("a refused batch wrote %d students, %d events", n, s.events.Len()-before)
	}

	out, err := s.svc.CreateMany(ctx, admin, items, "seed")
	if err != nil {
		t.Fatal(err)
	}
	awa, ibou := s.stored(t, out[0].ID), s.stored(t, out[1].ID)
	if len(awa.Grades) != 2 || awa.Grades[0].EvaluationID != cc.ID || awa.Grades[0].Subject != "Maths" || awa.Grades[0].Teacher != admin.Name {
		t.Errorf("marks = %+v", awa.Grades)
	}
	wantAvg(t, "CC 10, exam 15", awa.Average, 13)
	if len(awa.Terms) != 1 || awa.Terms[0].Semester != "S1" || awa.Terms[0].Average == nil {
		t.Errorf("terms = %+v", awa.Terms)
	}
	// Maths: the CC justified-absent is left out, nothing else: no
	// average; Physique 8: the semester's average is 8, not the free 18.
	wantAvg(t, "the semester's, not the free grades'", ibou.Average, 8)
	if g := ibou.Grades[1]; g.Absent != domain.AbsentJustified || g.Comment != "certificat médical" {
		t.Errorf("the absence = %+v", g)
	}
	if out[2].Average != nil || len(out[2].Terms) != 0 {
		t.Errorf("a student without marks = %+v", out[2])
	}
	if types := eventTypes(s.events.Since(before)); !slices.Equal(types, []string{domain.EventStudentCreated, domain.EventStudentCreated, domain.EventStudentCreated}) {
		t.Errorf("events = %v", types)
	}

	// The rules of Mark hold: a teacher of another subject, a closed semester.
	if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	late := newStudents(1)
	late[0].Input.Class, late[0].Input.Phone = "L1-INFO", "76 555 00 00"
	late[0].Marks = []domain.NewMark{{exam.ID, domain.MarkInput{Value: "12"}}}
	_, err = s.svc.CreateMany(ctx, admin, late, "seed")
	if !errors.As(err, &be) || !strings.Contains(be.Problems[0].Reason, "closed") {
		t.Errorf("a mark in a closed semester: %v", err)
	}
}
