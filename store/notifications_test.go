package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store"
	"scolarite/store/storetest"
)

// records returns n pending e-mail records of distinct events, due at at.
func records(n int, at time.Time) []*notify.Notification {
	student := bson.NewObjectID().Hex()
	out := make([]*notify.Notification, n)
	for i := range out {
		out[i] = &notify.Notification{
			EventID: bson.NewObjectID().Hex(), Kind: notify.KindGrade, Channel: notify.Email,
			Recipient: fmt.Sprintf("eleve%d@esp221.sn", i), Audience: notify.ToStudent, StudentID: student,
			Student: "2026-00001 DIOP Ndèye", Lang: "fr", Subject: "Nouvelle note", Body: "Maths : 12,5/20",
			Status: notify.Pending, NextAt: at, CreatedAt: at.Add(time.Duration(i) * time.Millisecond), UpdatedAt: at,
		}
	}
	return out
}

// copies returns fresh records with the same (event, channel, recipient).
func copies(ns []*notify.Notification) []*notify.Notification {
	out := make([]*notify.Notification, len(ns))
	for i, n := range ns {
		c := *n
		c.ID = ""
		out[i] = &c
	}
	return out
}

func TestNotificationsCreateOncePerEventChannelRecipient(t *testing.T) {
	r := storetest.Open(t).Notifications()
	ns := records(20, at(1, 8))
	n, err := r.Create(ctx(t), ns)
	if err != nil || n != 20 {
		t.Fatalf("first create: %d new, %v", n, err)
	}
	// The same messages again, mixed with new ones, from many writers at
	// once (several workers reading the same outbox events).
	more := records(5, at(1, 8))
	var wg sync.WaitGroup
	total := make([]int, 6)
	for w := range total {
		wg.Go(func() {
			got, err := r.Create(ctx(t), append(copies(ns), copies(more)...))
			if err != nil {
				t.Errorf("writer %d: %v", w, err)
			}
			total[w] = got
		})
	}
	wg.Wait()
	sum := 0
	for _, v := range total {
		sum += v
	}
	if sum != 5 {
		t.Errorf("concurrent writers created %d records in all, want the 5 new ones once", sum)
	}
	all, err := r.List(ctx(t), notify.Filter{Limit: 100})
	if err != nil || len(all) != 25 {
		t.Fatalf("list: %d records, %v; want 25", len(all), err)
	}
	// Same event, other channel or recipient: a different message.
	other := copies(ns[:1])
	other[0].Channel = notify.SMS
	if n, err := r.Create(ctx(t), other); err != nil || n != 1 {
		t.Errorf("same event on another channel: %d new, %v", n, err)
	}
}

func TestNotificationsClaimIsExclusive(t *testing.T) {
	s := storetest.Open(t)
	const total = 60
	if _, err := s.Notifications().Create(ctx(t), records(total, at(1, 8))); err != nil {
		t.Fatal(err)
	}
	// Each worker has its own connection, like separate processes.
	var mu sync.Mutex
	seen := map[string]string{}
	var wg sync.WaitGroup
	for w := range 4 {
		other, err := store.Open(ctx(t), storetest.URI(t), s.Database().Name(), storetest.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = other.Close(context.Background()) })
		r := other.Notifications()
		wg.Go(func() {
			owner := fmt.Sprint("worker", w)
			for {
				got, err := r.Claim(ctx(t), notify.Claim{Owner: owner, Channels: []notify.Channel{notify.Email},
					Now: time.Now(), TTL: time.Minute, Limit: 7})
				if err != nil {
					t.Errorf("%s: %v", owner, err)
					return
				}
				if len(got) == 0 {
					return
				}
				mu.Lock()
				for _, n := range got {
					if prev, ok := seen[n.ID]; ok {
						t.Errorf("%s claimed %s, already claimed by %s", owner, n.ID, prev)
					}
					seen[n.ID] = owner
					n.Status, n.Attempts, n.SentAt, n.UpdatedAt = notify.Sent, 1, time.Now(), time.Now()
				}
				mu.Unlock()
				if err := r.Finish(ctx(t), owner, got); err != nil {
					t.Errorf("%s finish: %v", owner, err)
				}
			}
		})
	}
	wg.Wait()
	if len(seen) != total {
		t.Errorf("%d records claimed, want %d", len(seen), total)
	}
	counts, err := s.Notifications().Counts(ctx(t))
	if err != nil || counts[notify.Sent] != total {
		t.Errorf("counts %v, %v; want %d sent", counts, err, total)
	}
}

func TestNotificationsLeaseOfADeadWorkerExpires(t *testing.T) {
	r := storetest.Open(t).Notifications()
	if _, err := r.Create(ctx(t), records(3, at(1, 8))); err != nil {
		t.Fatal(err)
	}
	claim := func(owner string, now time.Time) []*notify.Notification {
		t.Helper()
		got, err := r.Claim(ctx(t), notify.Claim{Owner: owner, Channels: []notify.Channel{notify.Email, notify.SMS},
			Now: now, TTL: 2 * time.Second, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	now := time.Now()
	if got := claim("dead", now); len(got) != 3 {
		t.Fatalf("dead worker claimed %d, want 3", len(got))
	}
	// The dead worker never finishes. Before its lease ends nobody else
	// gets the records, even asking as if the records were due.
	if got := claim("alive", now.Add(time.Second)); len(got) != 0 {
		t.Fatalf("claimed %d records under a live lease", len(got))
	}
	time.Sleep(2100 * time.Millisecond)
	got := claim("alive", time.Now())
	if len(got) != 3 {
		t.Fatalf("after the lease expired: claimed %d, want 3", len(got))
	}
	// Releasing makes them due at once for anyone.
	ids := []string{got[0].ID, got[1].ID, got[2].ID}
	if err := r.Release(ctx(t), "alive", ids); err != nil {
		t.Fatal(err)
	}
	if again := claim("third", time.Now()); len(again) != 3 {
		t.Fatalf("after release: claimed %d, want 3", len(again))
	}
}

func TestNotificationsFinishRetryAndList(t *testing.T) {
	r := storetest.Open(t).Notifications()
	ns := records(3, at(1, 8))
	if _, err := r.Create(ctx(t), ns); err != nil {
		t.Fatal(err)
	}
	got, err := r.Claim(ctx(t), notify.Claim{Owner: "w", Channels: []notify.Channel{notify.Email}, Now: time.Now(), TTL: time.Minute, Limit: 10})
	if err != nil || len(got) != 3 {
		t.Fatalf("claim: %d, %v", len(got), err)
	}
	now := time.Now().Truncate(time.Millisecond)
	later := now.Add(time.Hour)
	got[0].Status, got[0].Attempts, got[0].SentAt, got[0].UpdatedAt = notify.Sent, 1, now, now
	got[1].Status, got[1].Attempts, got[1].LastError, got[1].UpdatedAt = notify.Failed, 1, "550 5.1.1 no such user", now
	got[2].Status, got[2].Attempts, got[2].LastError, got[2].NextAt, got[2].UpdatedAt = notify.Pending, 1, "connection refused", later, now
	if err := r.Finish(ctx(t), "w", got); err != nil {
		t.Fatal(err)
	}
	list, err := r.List(ctx(t), notify.Filter{Status: notify.Failed})
	if err != nil || len(list) != 1 || list[0].LastError != "550 5.1.1 no such user" || list[0].Body != "Maths : 12,5/20" {
		t.Fatalf("failed list: %+v, %v", list, err)
	}
	sent, _ := r.List(ctx(t), notify.Filter{Status: notify.Sent, StudentID: ns[0].StudentID, Audience: notify.ToStudent})
	if len(sent) != 1 || !sent[0].SentAt.Equal(now) || sent[0].Attempts != 1 {
		t.Fatalf("sent list: %+v", sent)
	}
	// The retried one waits for its next attempt.
	if again, _ := r.Claim(ctx(t), notify.Claim{Owner: "w", Channels: []notify.Channel{notify.Email}, Now: time.Now(), TTL: time.Minute, Limit: 10}); len(again) != 0 {
		t.Fatalf("claimed %d before their next attempt", len(again))
	}
	if err := r.Retry(ctx(t), list[0].ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	wantCode(t, r.Retry(ctx(t), list[0].ID, time.Now()), domain.ECONFLICT)
	wantCode(t, r.Retry(ctx(t), bson.NewObjectID().Hex(), time.Now()), domain.ENOTFOUND)
	again, err := r.Claim(ctx(t), notify.Claim{Owner: "w", Channels: []notify.Channel{notify.Email}, Now: time.Now(), TTL: time.Minute, Limit: 10})
	if err != nil || len(again) != 1 || again[0].ID != list[0].ID || again[0].Attempts != 0 {
		t.Fatalf("after retry: %+v, %v", again, err)
	}
	counts, _ := r.Counts(ctx(t))
	if counts[notify.Sent] != 1 || counts[notify.Pending] != 2 {
		t.Errorf("counts %v", counts)
	}
	// Purge keeps what is not finished, and what is recent.
	if n, err := r.Purge(ctx(t), at(1, 8)); err != nil || n != 0 {
		t.Errorf("purge of nothing old: %d, %v", n, err)
	}
	if n, err := r.Purge(ctx(t), time.Now()); err != nil || n != 1 {
		t.Errorf("purge: %d, %v; want the sent one", n, err)
	}
	if counts, _ := r.Counts(ctx(t)); counts[notify.Sent] != 0 || counts[notify.Pending] != 2 {
		t.Errorf("after purge: %v", counts)
	}
}
