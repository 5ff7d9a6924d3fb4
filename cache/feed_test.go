package cache_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"scolarite/cache"
	"scolarite/cache/cachetest"
	"scolarite/domain"
)

const feedWait = 5 * time.Second

func receive(t *testing.T, ch <-chan domain.Change, within time.Duration) (domain.Change, bool) {
	t.Helper()
	select {
	case c, ok := <-ch:
		return c, ok
	case <-time.After(within):
		return domain.Change{}, false
	}
}

func TestFeedDeliversToOtherClients(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ch, err := e.c.Feed().Subscribe(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		want := domain.Change{Type: domain.EventGradeAdded, StudentID: "s42", Actor: "prof.fall"}
		if err := e.other(t).Feed().Publish(t.Context(), want); err != nil {
			t.Fatal(err)
		}
		got, ok := receive(t, ch, feedWait)
		if !ok || got != want {
			t.Errorf("received %+v (ok %v), want %+v", got, ok, want)
		}
	})
}

func TestFeedClosesWhenContextEnds(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, cancel := context.WithCancel(t.Context())
		ch, err := e.c.Feed().Subscribe(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		deadline := time.After(feedWait)
		for {
			select {
			case _, ok := <-ch:
				if !ok {
					return
				}
			case <-deadline:
				t.Fatal("channel still open after the context ended")
			}
		}
	})
}

// TestFeedNeverBlocksPublisher: a screen that stops reading neither slows
// the publisher nor stalls its own subscription, and what it reads next
// ends with the latest change.
func TestFeedNeverBlocksPublisher(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ch, err := e.c.Feed().Subscribe(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		pub := e.other(t).Feed()
		const n = cache.FeedBuffer + 150
		start := time.Now()
		for i := range n {
			if err := pub.Publish(t.Context(), domain.Change{Type: "student.updated", StudentID: strconv.Itoa(i)}); err != nil {
				t.Fatal(err)
			}
		}
		if took := time.Since(start); took > feedWait {
			t.Errorf("publishing %d changes to a reader that does not read took %v", n, took)
		}
		// Let the subscription take in everything, then read it all.
		for deadline := time.Now().Add(feedWait); len(ch) < cap(ch) && time.Now().Before(deadline); {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond)
		var got []domain.Change
		for {
			c, ok := receive(t, ch, 300*time.Millisecond)
			if !ok {
				break
			}
			got = append(got, c)
		}
		if len(got) == 0 || len(got) >= n || got[len(got)-1].StudentID != strconv.Itoa(n-1) {
			last := "none"
			if len(got) > 0 {
				last = got[len(got)-1].StudentID
			}
			t.Fatalf("read %d of %d changes, last %s; want the oldest dropped and the last (%d) kept", len(got), n, last, n-1)
		}
		// Still alive after overflowing.
		if err := pub.Publish(t.Context(), domain.Change{Type: "user.changed"}); err != nil {
			t.Fatal(err)
		}
		if c, ok := receive(t, ch, feedWait); !ok || c.Type != "user.changed" {
			t.Errorf("after the overflow received %+v (ok %v)", c, ok)
		}
	})
}

// TestFeedSurvivesRedisRestart: the same subscription keeps delivering
// after Redis goes away and comes back.
func TestFeedSurvivesRedisRestart(t *testing.T) {
	t.Parallel()
	srv := cachetest.StartRedisServer(t)
	sub := cache.New(srv.Client(t)).Feed()
	pub := cache.New(srv.Client(t)).Feed()
	ch, err := sub.Subscribe(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	before := domain.Change{Type: domain.EventStudentCreated, StudentID: "before"}
	if err := pub.Publish(t.Context(), before); err != nil {
		t.Fatal(err)
	}
	if got, ok := receive(t, ch, feedWait); !ok || got != before {
		t.Fatalf("before the restart received %+v (ok %v)", got, ok)
	}

	srv.Stop()
	if err := pub.Publish(t.Context(), before); err == nil {
		t.Error("Publish succeeded while Redis was stopped")
	}
	srv.Restart()

	// Changes published before the subscription is back are lost (pub/sub
	// keeps nothing), so publish until one arrives.
	after := domain.Change{Type: domain.EventStudentDeleted, StudentID: "after"}
	deadline := time.Now().Add(15 * time.Second)
	for {
		_ = pub.Publish(t.Context(), after) // may fail while the pool reconnects
		select {
		case got, ok := <-ch:
			if !ok {
				t.Fatal("the subscription closed during the restart")
			}
			if got == after {
				return
			}
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no change received within 15 s of the restart")
		}
	}
}

func TestFeedSubscribeFailsWhenRedisIsDown(t *testing.T) {
	t.Parallel()
	srv := cachetest.StartRedisServer(t)
	feed := cache.New(srv.Client(t)).Feed()
	srv.Stop()
	start := time.Now()
	if _, err := feed.Subscribe(t.Context()); err == nil {
		t.Error("Subscribe succeeded while Redis was stopped")
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("Subscribe took %v to notice Redis is down", took)
	}
}
