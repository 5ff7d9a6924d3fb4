package domain_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"scolarite/domain"
)

// batchEventLog is an eventLog that also appends in batches.
type batchEventLog struct {
	eventLog
	batches int
}

func (l *batchEventLog) AppendMany(ctx context.Context, es []*domain.Event) error {
	l.batches++
	for _, e := range es {
		if err := l.Append(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

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

func TestCreateManyBatchedEvents(t *testing.T) {
	e := newEnv(t, false)
	log := &batchEventLog{}
	svc := domain.NewStudentService(domain.StudentDeps{Repo: e.repo, Audit: e.audit, Events: log, Now: e.clock.Now})
	out, err := svc.CreateMany(ctx, admin, newStudents(60), "seed")
	if err != nil {
		t.Fatal(err)
	}
	if log.batches != 1 || log.Len() != 60 {
		t.Fatalf("%d batches, %d events; want 1 batch of 60", log.batches, log.Len())
	}
	ev := log.All()[59]
	if ev.Type != domain.EventStudentCreated || ev.StudentID != out[59].ID || ev.Student.Number != out[59].Number || ev.Actor != admin.Name {
		t.Errorf("event = %+v", ev)
	}
}
