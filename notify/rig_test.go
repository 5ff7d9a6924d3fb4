package notify_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store"
	"scolarite/store/storetest"
)

// TestMain stops the shared embedded FerretDB after the tests.
func TestMain(m *testing.M) { storetest.Main(m) }

func ctx(t testing.TB) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

func ptr(f float64) *float64 { return &f }

// student returns the snapshot of student i.
func student(i int) domain.Snapshot {
	return domain.Snapshot{Number: domain.FormatNumber(2026, int64(i)), LastName: "DIOP", FirstName: "Ndèye",
		Phone: fmt.Sprintf("+22177%07d", i), Email: fmt.Sprintf("eleve%d@esp221.sn", i), Class: "L3-INFO", Major: "Informatique"}
}

// appendGrades writes n grade.added events, one per student, with the
// given number of concurrent writers.
func appendGrades(t testing.TB, s *store.Store, n, writers int, edit func(i int, e *domain.Event)) {
	t.Helper()
	var wg sync.WaitGroup
	next := make(chan int)
	for range writers {
		wg.Go(func() {
			for i := range next {
				e := &domain.Event{Type: domain.EventGradeAdded, At: time.Now(), Actor: "prof", StudentID: bson.NewObjectID().Hex(),
					Student: student(i + 1), Grade: &domain.Grade{ID: "g1", Subject: "Mathématiques", Value: 12.5, Coefficient: 2},
					Average: ptr(12.5)}
				if edit != nil {
					edit(i, e)
				}
				if err := s.Events().Append(context.Background(), e); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// worker builds a worker on s with fast retries.
func worker(t testing.TB, s *store.Store, senders map[notify.Channel]notify.Sender, cfg notify.Config, opt notify.Options) *notify.Worker {
	t.Helper()
	if cfg.Channels == nil {
		for ch := range senders {
			cfg.Channels = append(cfg.Channels, ch)
		}
	}
	if opt.BackoffBase == 0 {
		opt.BackoffBase, opt.BackoffMax = 20*time.Millisecond, 200*time.Millisecond
	}
	if opt.Poll == 0 {
		opt.Poll = 20 * time.Millisecond
	}
	w, err := notify.NewWorker(notify.Deps{Repo: s.Notifications(), Outbox: s.Events(), Senders: senders, Config: cfg,
		Options: opt, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// all returns every record, newest first.
func all(t testing.TB, s *store.Store) []*notify.Notification {
	t.Helper()
	ns, err := s.Notifications().List(ctx(t), notify.Filter{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// byStatus counts records by status.
func byStatus(ns []*notify.Notification) map[notify.Status]int {
	out := map[notify.Status]int{}
	for _, n := range ns {
		out[n.Status]++
	}
	return out
}

// eventually retries cond until it holds or the time is up.
func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", within, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// onceEach fails unless the server got exactly one message per recipient.
func onceEach(t testing.TB, got []received, want int) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range got {
		for _, to := range r.To {
			seen[to]++
		}
	}
	for to, n := range seen {
		if n != 1 {
			t.Errorf("%s received %d copies", to, n)
		}
	}
	if len(got) != want || len(seen) != want {
		t.Errorf("server received %d messages for %d recipients, want %d", len(got), len(seen), want)
	}
}

// cancelOnSend cancels the worker's context when it starts sending: a
// worker stopped between claiming a batch and sending it.
type cancelOnSend struct {
	inner  notify.Sender
	cancel context.CancelFunc
}

func (c cancelOnSend) Send(ctx context.Context, ns []*notify.Notification) []error {
	c.cancel()
	return c.inner.Send(ctx, ns)
}
