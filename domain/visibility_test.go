package domain_test

import (
	"testing"

	"scolarite/domain"
)

// A student's own record hides what is not published yet: the marks of
// unpublished evaluations and the average of an unpublished semester
// (the stored record counts them); the message of a published mark says
// the average the student sees.
func TestStudentSeesOnlyWhatIsPublished(t *testing.T) {
	s := newSchool(t)
	st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	if _, _, err := s.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "Dessin", Value: "14"}); err != nil {
		t.Fatal(err)
	}
	cc, exam := s.eval(t, "Maths", "cc", "40"), s.eval(t, "Maths", "exam", "60")
	for _, e := range []*domain.Evaluation{cc, exam} {
		if _, _, err := s.svc.Mark(ctx, admin, st.Number, 0, e.ID, domain.MarkInput{Value: "6"}); err != nil {
			t.Fatal(err)
		}
	}
	me := studentActor(st.ID)
	seen := func() *domain.Student {
		t.Helper()
		got, err := s.svc.Get(ctx, me, st.Number)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	stored, _ := s.svc.Get(ctx, admin, st.Number)
	wantAvg(t, "the stored average (staff)", stored.Average, 6)
	got := seen()
	if len(got.Grades) != 1 || got.Grades[0].Subject != "Dessin" || len(got.Terms) != 1 || got.Terms[0].Average != nil {
		t.Errorf("before publishing the student sees grades %+v, terms %+v; want the free grade only, S1 without its average", got.Grades, got.Terms)
	}
	if got.Average != nil {
		t.Errorf("the student's average before publishing = %v, want none (the S1 average is not published)", *got.Average)
	}

	if _, err := s.curricula.PublishEvaluation(ctx, admin, cc.ID); err != nil {
		t.Fatal(err)
	}
	if got = seen(); len(got.Grades) != 2 {
		t.Errorf("after the CC is published the student sees %d grades, want 2", len(got.Grades))
	}
	if got.Average != nil {
		t.Errorf("the semester is not published: the average %v is shown", *got.Average)
	}
	var published *domain.Event
	for _, e := range s.events.All() {
		if e.Type == domain.EventGradePublished {
			published = &e
		}
	}
	if published == nil {
		t.Fatal("no grade.published event")
	}
	if published.Average != nil {
		t.Errorf("the published mark's message says the average %v of an unpublished semester", *published.Average)
	}

	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
	got = seen()
	wantAvg(t, "the semester published: its average", got.Average, 6)
	if len(got.Grades) != 3 || len(got.Terms) != 1 {
		t.Errorf("after the semester is published: grades %+v terms %+v (its results are official: the exam shows)", got.Grades, got.Terms)
	}
}
