package domain_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

func newStudents(n int) []domain.NewStudent {
	out := make([]domain.NewStudent, n)
	for i := range out {
		out[i].Input = studentIn("Diop", fmt.Sprint("Élève ", i), fmt.Sprintf("77 %07d", 1000000+i), "L3-INFO")
	}
	return out
}

func TestCreateMany(t *testing.T) {
	e := newEnv(t, true)
	e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO")) // 2026-00001
	items := newStudents(3)
	items[1].Grades = []domain.GradeInput{{Subject: "maths", Value: "12,5"}, {Subject: "SVT", Value: "16", Coefficient: "2"}}
	gen := e.views.gen
	out, err := e.svc.CreateMany(ctx, admin, items, "import")
	if err != nil {
		t.Fatal(err)
	}
	nums := numbers(out, func(s *domain.Student) string { return s.Number })
	if !slices.Equal(nums, []string{"2026-00002", "2026-00003", "2026-00004"}) {
		t.Errorf("matricules = %v", nums)
	}
	if n, _ := e.repo.Count(ctx); n != 4 {
		t.Errorf("count = %d, want 4", n)
	}
	wantAvg(t, "imported", e.stored(t, out[1].ID).Average, 44.5/3)
	if out[0].Average != nil || out[1].Grades[0].Subject != "Maths" {
		t.Errorf("imported = %+v", out[1])
	}
	if a := e.audit.Entries(); len(a) != 2 || a[1].Action != "import" || a[1].EntityID != "2026-00002..2026-00004" {
		t.Errorf("audit = %+v", a)
	}
	if evs := e.events.Since(1); len(evs) != 3 || evs[1].Type != domain.EventStudentCreated || evs[1].StudentID != out[1].ID {
		t.Errorf("events = %+v", evs)
	}
	if e.views.gen == gen {
		t.Error("the cache generation was not bumped")
	}
	wantCode(t, func() error { _, err := e.svc.CreateMany(ctx, teacherL3, newStudents(1), "import"); return err }(), domain.EFORBIDDEN)
}

func TestCreateManyAllOrNothing(t *testing.T) {
	e := newEnv(t, false)
	e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO"))
	items := newStudents(5)
	items[1].Input.LastName = ""                                           // bad field
	items[2].Input.Phone = "00221 77 100 00 00"                            // same phone as item 1
	items[3].Input.Phone = "+221 78 234 56 78"                             // held by Fall
	items[4].Grades = []domain.GradeInput{{Subject: "Maths", Value: "21"}} // bad grade
	_, err := e.svc.CreateMany(ctx, admin, items, "import")
	var be *domain.BatchError
	if !errors.As(err, &be) {
		t.Fatalf("err = %v, want a *BatchError", err)
	}
	var got []string
	for _, p := range be.Problems {
		got = append(got, fmt.Sprint(p.Index, ":", p.Field))
	}
	if want := []string{"1:last_name", "2:phone", "3:phone", "4:grade Maths value"}; !slices.Equal(got, want) {
		t.Errorf("problems = %v, want %v", got, want)
	}
	if n, _ := e.repo.Count(ctx); n != 1 || e.audit.Len() != 1 || e.events.Len() != 1 {
		t.Error("a refused batch wrote something")
	}
	if st := e.create(t, studentIn("Ba", "Oumar", "70 111 22 33", "L3-INFO")); st.Number != "2026-00002" {
		t.Errorf("a refused batch spent matricules: next is %s", st.Number)
	}
}

func TestStudentsWholeRecords(t *testing.T) {
	for _, n := range []int{3, 60} { // both sides of the one-by-one / load-all threshold
		e := newEnv(t, false)
		items := newStudents(n)
		for i := range items {
			items[i].Grades = []domain.GradeInput{{Subject: "Maths", Value: fmt.Sprint(i % 21)}}
			if i%2 == 1 {
				items[i].Input.Class = "M1-MATH"
			}
		}
		if _, err := e.svc.CreateMany(ctx, admin, items, "import"); err != nil {
			t.Fatal(err)
		}
		all, err := e.svc.Students(ctx, teacherL3, domain.RosterQuery{Sort: domain.SortNumber})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != (n+1)/2 {
			t.Fatalf("n=%d: teacher got %d students, want %d", n, len(all), (n+1)/2)
		}
		for i, st := range all {
			if st.Class != "L3-INFO" || len(st.Grades) != 1 || (i > 0 && st.Number <= all[i-1].Number) {
				t.Errorf("n=%d: student %d = %s %s with %d grades", n, i, st.Number, st.Class, len(st.Grades))
			}
		}
		_, err = e.svc.Students(ctx, studentActor(all[0].ID), domain.RosterQuery{})
		wantCode(t, err, domain.EFORBIDDEN)
	}
}

// failingInserts refuses every insert, as a full disk would.
type failingInserts struct{ *domaintest.StudentRepo }

func (failingInserts) InsertMany(context.Context, []*domain.Student, []domain.Trail) error {
	return errors.New("write students: no space left on device")
}

// A failed add gives its matricule back: the next add takes it, and no
// hole is left in the sequence.
func TestFailedCreateGivesItsNumberBack(t *testing.T) {
	e := newEnv(t, false)
	e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO")) // 2026-00001
	failing := domain.NewStudentService(domain.StudentDeps{Repo: failingInserts{e.repo}, Now: e.clock.Now})
	if _, err := failing.Create(ctx, admin, studentIn("Sow", "Awa", "77 100 00 01", "L3-INFO")); err == nil {
		t.Fatal("the failing insert was not reported")
	}
	if _, err := failing.CreateMany(ctx, admin, newStudents(3), "import"); err == nil {
		t.Fatal("the failing import was not reported")
	}
	if got := e.create(t, studentIn("Sow", "Awa", "77 100 00 01", "L3-INFO")).Number; got != "2026-00002" {
		t.Errorf("after two failed adds the next matricule is %s, want 2026-00002", got)
	}
}
