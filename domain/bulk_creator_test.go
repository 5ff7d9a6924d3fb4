package domain_test

import (
	"errors"
	"strings"
	"testing"

	"scolarite/domain"
)

func TestBulkCreator(t *testing.T) {
	e := newEnv(t, true)
	held := e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO"))
	if _, err := e.svc.NewBulkCreator(ctx, teacherL3, "import"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("teacher's bulk creator: %v, want forbidden", err)
	}
	bc, err := e.svc.NewBulkCreator(ctx, admin, "import")
	if err != nil {
		t.Fatal(err)
	}
	first, err := bc.Create(ctx, newStudents(3))
	if err != nil || len(first) != 3 {
		t.Fatalf("first batch: %d, %v", len(first), err)
	}
	// The second batch repeats a phone of the first (written differently)
	// and the phone held before: both refused, naming their holders, and
	// nothing of the batch written.
	second := newStudents(5)[3:]
	second[0].Input.Phone = "+221 " + first[1].Phone[4:]
	second[1].Input.Phone = held.Phone
	_, err = bc.Create(ctx, second)
	var be *domain.BatchError
	if !errors.As(err, &be) || len(be.Problems) != 2 || domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("second batch: %v, want two problems", err)
	}
	for i, want := range []string{first[1].Number, held.Number} {
		if p := be.Problems[i]; p.Index != i || p.Field != "phone" || !strings.Contains(p.Reason, want) {
			t.Errorf("problem %d = %+v, want phone held by %s", i, p, want)
		}
	}
	if n, _ := e.repo.Count(ctx); n != 4 {
		t.Errorf("count = %d, want 4", n)
	}
}

func TestCreateManyTrail(t *testing.T) {
	e := newEnv(t, false)
	out, err := e.svc.CreateMany(ctx, admin, newStudents(60), "seed")
	if err != nil {
		t.Fatal(err)
	}
	if e.events.Len() != 60 || e.audit.Len() != 1 {
		t.Fatalf("%d events, %d audit entries; want 60 and 1", e.events.Len(), e.audit.Len())
	}
	ev := e.events.All()[59]
	if ev.Type != domain.EventStudentCreated || ev.StudentID != out[59].ID || ev.Student.Number != out[59].Number || ev.Actor != admin.Name {
		t.Errorf("event = %+v", ev)
	}
	if got, want := e.audit.Entries()[0].EntityID, out[0].Number+".."+out[59].Number; got != want {
		t.Errorf("audit entry names %s, want %s", got, want)
	}
}
