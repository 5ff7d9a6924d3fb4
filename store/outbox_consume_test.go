package store_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/store/storetest"
)

func TestOutboxPendingAndMarkDone(t *testing.T) {
	s := storetest.Open(t)
	st := newStudent(1)
	if err := s.Students().Insert(ctx(t), st, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 5 {
		e := &domain.Event{Type: domain.EventGradeAdded, At: at(10, i), Actor: "prof", StudentID: st.ID, Student: domain.SnapshotOf(st),
			Grade: &domain.Grade{ID: fmt.Sprint(i), Subject: "Maths", Value: float64(10 + i), Coefficient: 1}}
		if err := s.Events().Append(ctx(t), e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
	}
	got, err := s.Events().Pending(ctx(t), domain.ConsumerRelay, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != ids[0] || got[2].ID != ids[2] {
		t.Fatalf("pending: %d events, want the 3 oldest in order", len(got))
	}
	if got[1].Grade == nil || got[1].Grade.Value != 11 || got[1].Student.Number != st.Number || !got[1].Student.BirthDate.Equal(st.BirthDate) {
		t.Fatalf("event read back wrong: %+v", got[1])
	}
	if err := s.Events().MarkDone(ctx(t), domain.ConsumerRelay, ids[:3], time.Now()); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Events().Pending(ctx(t), domain.ConsumerRelay, 10)
	if len(got) != 2 || got[0].ID != ids[3] {
		t.Fatalf("after marking 3 published: %d pending", len(got))
	}
	// The notifier's progress is its own.
	if got, _ := s.Events().Pending(ctx(t), domain.ConsumerNotifier, 10); len(got) != 5 {
		t.Fatalf("notifier pending %d, want 5", len(got))
	}
}

func TestLeasesExclusiveAcrossConnections(t *testing.T) {
	s := storetest.Open(t)
	const takers = 8
	won := make([]bool, takers)
	var wg sync.WaitGroup
	for i := range takers {
		wg.Go(func() {
			ok, err := s.Leases().Acquire(ctx(t), "relay", fmt.Sprint("owner", i), time.Minute)
			if err != nil {
				t.Errorf("taker %d: %v", i, err)
			}
			won[i] = ok
		})
	}
	wg.Wait()
	winner := -1
	for i, ok := range won {
		if ok {
			if winner >= 0 {
				t.Fatalf("owners %d and %d both hold the lease", winner, i)
			}
			winner = i
		}
	}
	if winner < 0 {
		t.Fatal("nobody got the lease")
	}
	owner := fmt.Sprint("owner", winner)
	if ok, _ := s.Leases().Acquire(ctx(t), "relay", owner, time.Minute); !ok {
		t.Fatal("the holder could not renew its lease")
	}
	if ok, _ := s.Leases().Acquire(ctx(t), "relay", "intruder", time.Minute); ok {
		t.Fatal("a second owner took a held lease")
	}
	if err := s.Leases().Release(ctx(t), "relay", owner); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Leases().Acquire(ctx(t), "relay", "next", 10*time.Millisecond); !ok {
		t.Fatal("a released lease could not be taken")
	}
	time.Sleep(30 * time.Millisecond)
	if ok, _ := s.Leases().Acquire(ctx(t), "relay", "after-expiry", time.Minute); !ok {
		t.Fatal("an expired lease could not be taken over")
	}
}

// A results.published event keeps what the student is told (decision,
// credits, average, mention) through the store: the notifier reads it
// back from the outbox, and without it the message is never written.
func TestOutboxKeepsThePublishedResult(t *testing.T) {
	s := storetest.Open(t)
	st := newStudent(1)
	if err := s.Students().Insert(ctx(t), st, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	avg := 10.28
	want := domain.ResultNotice{Semester: "S1", Year: "2026-2027", Session: 2, Decision: domain.DecisionADC, Jury: true,
		Credits: 30, TotalCredits: 30, Average: &avg, Mention: domain.MentionPassable}
	n := want
	e := &domain.Event{Type: domain.EventResultsPublished, At: at(10, 1), Actor: "admin", StudentID: st.ID, Student: domain.SnapshotOf(st), Result: &n}
	if err := s.Events().Append(ctx(t), e); err != nil {
		t.Fatal(err)
	}
	got, err := s.Events().Pending(ctx(t), domain.ConsumerNotifier, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Result == nil {
		t.Fatalf("pending: %+v, want the event with its result", got)
	}
	r := *got[0].Result
	if r.Average == nil || *r.Average != avg {
		t.Fatalf("average read back: %v, want %v", r.Average, avg)
	}
	r.Average = want.Average
	if r != want {
		t.Errorf("result read back: %+v, want %+v", r, want)
	}
}
