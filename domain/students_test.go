package domain_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"scolarite/domain"
)

func TestCreate(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn(" Diop ", "Ndèye", "77 123 45 67", "l3-info"))
	if st.Number != "2026-00001" {
		t.Errorf("matricule = %q, want 2026-00001", st.Number)
	}
	if st.ID == "" || st.Version != 1 || st.Average != nil || st.Phone != "+221771234567" ||
		st.Class != "L3-INFO" || st.LastName != "Diop" || !st.CreatedAt.Equal(testNow) {
		t.Errorf("created = %+v", st)
	}
	if got := e.stored(t, st.ID); got.Number != st.Number || got.Phone != st.Phone {
		t.Errorf("stored = %+v", got)
	}
	if n := e.audit.Len(); n != 1 {
		t.Fatalf("audit entries = %d, want 1", n)
	}
	a := e.audit.Entries()[0]
	if a.Action != "student.create" || a.Actor != "admin" || a.EntityID != st.Number || a.Old != nil || a.New == nil {
		t.Errorf("audit entry = %+v", a)
	}
	evs := e.events.All()
	if len(evs) != 1 || evs[0].Type != domain.EventStudentCreated {
		t.Fatalf("events = %v, want one student.created", eventTypes(evs))
	}
	if ev := evs[0]; ev.StudentID != st.ID || ev.Student.Number != st.Number || ev.Student.Phone != st.Phone || ev.Actor != "admin" {
		t.Errorf("event = %+v", ev)
	}
	if st2 := e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO")); st2.Number != "2026-00002" {
		t.Errorf("second matricule = %q, want 2026-00002", st2.Number)
	}
}

func TestCreateInvalidWritesNothing(t *testing.T) {
	e := newEnv(t, false)
	_, err := e.svc.Create(ctx, admin, studentIn("", "Ndèye", "12", "L3-INFO"))
	wantInvalid(t, err, "last_name", "phone")
	if n, _ := e.repo.Count(ctx); n != 0 || e.audit.Len() != 0 || e.events.Len() != 0 {
		t.Error("an invalid Create wrote something")
	}
}

func TestCreateDuplicatePhone(t *testing.T) {
	e := newEnv(t, false)
	first := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	for _, phone := range []string{"00221 77 123 45 67", "+221771234567", "77-123-45-67"} {
		_, err := e.svc.Create(ctx, admin, studentIn("Ba", "Oumar", phone, "M1-MATH"))
		de := wantCode(t, err, domain.ECONFLICT)
		if de.Existing != first.Number {
			t.Errorf("%s: Existing = %q, want %q", phone, de.Existing, first.Number)
		}
		if de.Field() != "phone" || !strings.Contains(err.Error(), first.Number) {
			t.Errorf("%s: error %q should name the phone and %s", phone, err, first.Number)
		}
	}
	if n, _ := e.repo.Count(ctx); n != 1 || e.audit.Len() != 1 || e.events.Len() != 1 {
		t.Errorf("after refused duplicates: count %d, audit %d, events %d; want 1, 1, 1", n, e.audit.Len(), e.events.Len())
	}
	// No matricule was spent on the refused students.
	if st := e.create(t, studentIn("Ba", "Oumar", "78 234 56 78", "M1-MATH")); st.Number != "2026-00002" {
		t.Errorf("next matricule = %q, want 2026-00002", st.Number)
	}
}

func TestUpdate(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	other := e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO"))

	in := st.Input()
	in.FirstName, in.Class = "Ndèye Fatou", "M1-INFO"
	up, err := e.svc.Update(ctx, admin, st.Number, st.Version, in)
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	if up.Version != st.Version+1 || up.FirstName != "Ndèye Fatou" || up.Class != "M1-INFO" || up.Number != st.Number {
		t.Errorf("updated = %+v", up)
	}
	if got := eventTypes(e.events.Since(2)); !slices.Equal(got, []string{domain.EventStudentUpdated}) {
		t.Errorf("events = %v", got)
	}

	// The same phone written another way is still the student's own.
	in.Phone = "00221 77 123 45 67"
	if _, err := e.svc.Update(ctx, admin, st.Number, 0, in); err != nil {
		t.Errorf("Update keeping own phone: %v", err)
	}

	// Stale version: refused, nothing changed.
	before := e.stored(t, st.ID)
	in.LastName = "Ndiaye"
	_, err = e.svc.Update(ctx, admin, st.Number, st.Version, in)
	wantCode(t, err, domain.ECONFLICT)
	if got := e.stored(t, st.ID); got.LastName != before.LastName || got.Version != before.Version {
		t.Errorf("stale Update changed the record: %+v", got)
	}

	// Another student's phone: refused naming them.
	in.Phone = "78-234-56-78"
	_, err = e.svc.Update(ctx, admin, st.Number, 0, in)
	if de := wantCode(t, err, domain.ECONFLICT); de.Existing != other.Number || de.Field() != "phone" {
		t.Errorf("duplicate phone on Update: %+v", de)
	}
	_, err = e.svc.Update(ctx, admin, "2026-00099", 0, in)
	wantCode(t, err, domain.ENOTFOUND)
}

func TestGet(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO"))
	for _, ref := range []string{st.Number, " " + st.Number + " ", "77 123 45 67", "+221 77-123-45-67",
		"00221771234567", "771234567", st.ID} {
		got, err := e.svc.Get(ctx, admin, ref)
		if err != nil || got.ID != st.ID {
			t.Errorf("Get(%q) = %v, %v", ref, got, err)
		}
	}
	for _, ref := range []string{"2026-00042", "76 000 00 00", "ffffffffffffffffffffffff"} {
		_, err := e.svc.Get(ctx, admin, ref)
		wantCode(t, err, domain.ENOTFOUND)
	}
	for _, ref := range []string{"", "  ", "Diop", "12"} {
		_, err := e.svc.Get(ctx, admin, ref)
		wantInvalid(t, err, "student")
	}
}

func TestDelete(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	wantCode(t, e.svc.Delete(ctx, admin, st.Number, st.Version+1), domain.ECONFLICT)
	if err := e.svc.Delete(ctx, admin, st.Number, st.Version); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := e.repo.ByID(ctx, st.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("student still stored: %v", err)
	}
	evs := e.events.Since(1)
	if len(evs) != 1 || evs[0].Type != domain.EventStudentDeleted || evs[0].StudentID != st.ID || evs[0].Student.Number != st.Number {
		t.Errorf("delete events = %+v", evs)
	}
	if a := e.audit.Entries()[1]; a.Action != "student.delete" || a.Old == nil || a.New != nil {
		t.Errorf("delete audit = %+v", a)
	}
	wantCode(t, e.svc.Delete(ctx, admin, st.Number, 0), domain.ENOTFOUND)
}

func TestGradesKeepAverageAndEvents(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	n := 1 // events so far

	// step checks the stored record and the events written by one change.
	step := func(name string, got *domain.Student, wantTypes []string, avg, prev *float64) {
		t.Helper()
		stored := e.stored(t, st.ID)
		if stored.Version != got.Version || !sameAvg(stored.Average, avg) || !sameAvg(got.Average, avg) {
			t.Fatalf("%s: stored v%d avg %v, returned v%d avg %v; want avg %v", name,
				stored.Version, fmtAvg(stored.Average), got.Version, fmtAvg(got.Average), fmtAvg(avg))
		}
		evs := e.events.Since(n)
		n += len(evs)
		if !slices.Equal(eventTypes(evs), wantTypes) {
			t.Fatalf("%s: events %v, want %v", name, eventTypes(evs), wantTypes)
		}
		for _, ev := range evs {
			if !sameAvg(ev.Average, avg) || !sameAvg(ev.PreviousAverage, prev) || ev.StudentID != st.ID {
				t.Errorf("%s: event %s avg %v prev %v, want %v and %v", name, ev.Type,
					fmtAvg(ev.Average), fmtAvg(ev.PreviousAverage), fmtAvg(avg), fmtAvg(prev))
			}
		}
	}
	f := func(v float64) *float64 { return &v }
	added, below := []string{domain.EventGradeAdded}, domain.EventAverageBelow

	got, g12, err := e.svc.AddGrade(ctx, admin, st.Number, st.Version, domain.GradeInput{Subject: " maths ", Value: "12"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != 2 || g12.Subject != "Maths" || g12.Value != 12 || g12.Coefficient != 1 || g12.Teacher != "admin" || g12.ID == "" {
		t.Errorf("first grade: v%d %+v", got.Version, g12)
	}
	step("add 12", got, added, f(12), nil)
	got, g16, err := e.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "Physique", Value: "16", Coefficient: "2"})
	if err != nil {
		t.Fatal(err)
	}
	step("add 16×2", got, added, f(44.0/3), f(12))
	got, err = e.svc.SetGrade(ctx, admin, st.Number, got.Version, g12.ID, "8,5")
	if err != nil {
		t.Fatal(err)
	}
	step("set 12→8.5", got, []string{domain.EventGradeChanged}, f(13.5), f(44.0/3))
	got, err = e.svc.RemoveGrade(ctx, admin, st.Number, 0, g16.ID)
	if err != nil {
		t.Fatal(err)
	}
	step("remove 16: crosses below", got, []string{domain.EventGradeRemoved, below}, f(8.5), f(13.5))
	if len(got.Grades) != 1 || got.Grades[0].ID != g12.ID {
		t.Errorf("grades after remove = %+v", got.Grades)
	}
	step("add 6 while below", e.grade(t, st.Number, "Maths", "6", ""), added, f(7.25), f(8.5))
	step("add 20×6: back above", e.grade(t, st.Number, "SVT", "20", "6"), added, f(16.8125), f(7.25))
	step("add 0×10: below again", e.grade(t, st.Number, "Anglais", "0", "10"), []string{domain.EventGradeAdded, below}, f(134.5/18), f(16.8125))

	// Errors change nothing.
	before := e.stored(t, st.ID)
	_, _, err = e.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "Maths", Value: "21"})
	wantInvalid(t, err, "value")
	_, _, err = e.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "", Value: "x", Coefficient: "0"})
	wantInvalid(t, err, "subject", "value", "coefficient")
	_, err = e.svc.SetGrade(ctx, admin, st.Number, 0, g12.ID, "-1")
	wantInvalid(t, err, "value")
	_, err = e.svc.SetGrade(ctx, admin, st.Number, 0, "nosuchgrade", "10")
	wantCode(t, err, domain.ENOTFOUND)
	_, err = e.svc.RemoveGrade(ctx, admin, st.Number, 0, g16.ID) // already removed
	wantCode(t, err, domain.ENOTFOUND)
	_, _, err = e.svc.AddGrade(ctx, admin, st.Number, 2, domain.GradeInput{Subject: "Maths", Value: "10"})
	wantCode(t, err, domain.ECONFLICT)
	after := e.stored(t, st.ID)
	if after.Version != before.Version || len(after.Grades) != len(before.Grades) || !sameAvg(after.Average, before.Average) {
		t.Errorf("refused changes altered the student: %+v", after)
	}
	if got := e.events.Len(); got != n {
		t.Errorf("refused changes wrote %d events", got-n)
	}

	// Removing the last grades leaves no average (and no alert).
	for _, g := range after.Grades {
		if _, err := e.svc.RemoveGrade(ctx, admin, st.Number, 0, g.ID); err != nil {
			t.Fatalf("RemoveGrade: %v", err)
		}
	}
	if last := e.stored(t, st.ID); last.Average != nil || len(last.Grades) != 0 {
		t.Errorf("after removing every grade: avg %v, %d grades", fmtAvg(last.Average), len(last.Grades))
	}
	for _, ev := range e.events.Since(n) {
		if ev.Type != domain.EventGradeRemoved {
			t.Errorf("unexpected %s event while removing grades", ev.Type)
		}
	}
}

func sameAvg(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return approx(*a, *b)
}

func fmtAvg(a *float64) string {
	if a == nil {
		return "nil"
	}
	return fmt.Sprint(*a)
}

func TestConcurrentAddGradeUnpinned(t *testing.T) {
	e := newEnv(t, true)
	st := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	e.repo.Latency = time.Millisecond // a database round trip: writers really collide
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sum := 0.0
	for i := range n {
		v := float64(i%21) - float64(i%2)*0.5 // values in [0, 20]
		if v < 0 {
			v = 0
		}
		sum += v
		wg.Go(func() {
			_, _, err := e.svc.AddGrade(ctx, teacherL3, st.Number, 0,
				domain.GradeInput{Subject: "Maths", Value: fmt.Sprint(v)})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("AddGrade: %v", err)
		}
	}
	got := e.stored(t, st.ID)
	if len(got.Grades) != n || got.Version != 1+n {
		t.Fatalf("%d grades at version %d, want %d at %d", len(got.Grades), got.Version, n, 1+n)
	}
	wantAvg(t, "stored", got.Average, math.Round(sum/n*1e4)/1e4)
	if added := len(e.events.Since(1)); added < n {
		t.Errorf("%d events for %d grades", added, n)
	}
}

func TestConcurrentAddGradePinned(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	e.repo.Latency = time.Millisecond
	const n = 20
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		won []string
	)
	conflicts := 0
	for i := range n {
		wg.Go(func() {
			_, g, err := e.svc.AddGrade(ctx, admin, st.Number, st.Version,
				domain.GradeInput{Subject: "Maths", Value: fmt.Sprint(i % 21)})
			mu.Lock()
			defer mu.Unlock()
			switch domain.ErrorCode(err) {
			case "":
				won = append(won, g.ID)
			case domain.ECONFLICT:
				conflicts++
			default:
				t.Errorf("AddGrade: %v", err)
			}
		})
	}
	wg.Wait()
	if len(won) != 1 || conflicts != n-1 {
		t.Fatalf("%d succeeded and %d conflicted, want 1 and %d", len(won), conflicts, n-1)
	}
	got := e.stored(t, st.ID)
	if len(got.Grades) != 1 || got.Grades[0].ID != won[0] || got.Version != st.Version+1 {
		t.Errorf("stored grades %+v at v%d, want only %s at v%d", got.Grades, got.Version, won[0], st.Version+1)
	}
}
