package store_test

import (
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store"
	"scolarite/store/storetest"
)

// idsIn returns the hex ids of the documents of coll matching filter.
func idsIn(t *testing.T, s *store.Store, coll string, filter bson.D) []string {
	t.Helper()
	cur, err := s.Database().Collection(coll).Find(ctx(t), filter)
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID bson.ObjectID `bson:"_id"`
	}
	if err := cur.All(ctx(t), &docs); err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.ID.Hex())
	}
	slices.Sort(out)
	return out
}

// checkOutbox fails unless, for each consumer, the queue holds exactly the
// events whose mark is null (unless left is set: a crash left entries of
// marked events), Pending returns exactly them, oldest first, and the queue
// then holds exactly them (Pending drops the entries of marked events).
func checkOutbox(t *testing.T, s *store.Store, step string, left bool) {
	t.Helper()
	for _, c := range []struct {
		consumer domain.Consumer
		field    string
		queue    string
	}{{domain.ConsumerNotifier, "notified_at", store.NotifiedQueue}, {domain.ConsumerRelay, "published_at", store.PublishedQueue}} {
		unmarked := idsIn(t, s, "events", bson.D{{Key: c.field, Value: nil}})
		if queued := idsIn(t, s, c.queue, bson.D{}); !left && !slices.Equal(queued, unmarked) {
			t.Errorf("%s: before Pending, queue of %s %v, want %v", step, c.consumer, queued, unmarked)
		}
		got, err := s.Events().Pending(ctx(t), c.consumer, 1000)
		if err != nil {
			t.Fatalf("%s: pending for %s: %v", step, c.consumer, err)
		}
		pending := make([]string, 0, len(got))
		for i, e := range got {
			pending = append(pending, e.ID)
			if i > 0 && e.At.Before(got[i-1].At) {
				t.Errorf("%s: pending for %s out of order at %d", step, c.consumer, i)
			}
		}
		slices.Sort(pending)
		if !slices.Equal(pending, unmarked) {
			t.Errorf("%s: pending for %s %v, want the unmarked events %v", step, c.consumer, pending, unmarked)
		}
		if queued := idsIn(t, s, c.queue, bson.D{}); !slices.Equal(queued, unmarked) {
			t.Errorf("%s: queue of %s %v, want %v", step, c.consumer, queued, unmarked)
		}
	}
}

func gradeEvent(i int) *domain.Event {
	return &domain.Event{Type: domain.EventGradeAdded, At: at(10, 0).Add(time.Duration(i) * time.Minute), Actor: "prof",
		StudentID: bson.NewObjectID().Hex(), Student: domain.SnapshotOf(newStudent(i + 1)),
		Grade: &domain.Grade{ID: "g1", Subject: "Maths", Value: 12, Coefficient: 1}}
}

func eventIDs(es []*domain.Event) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// The outbox's queues hold exactly the events each consumer has not
// marked, whatever path stored the events and however often a trail is
// delivered, and a store made before the queues is filled at open.
func TestOutboxQueuesFollowTheMarks(t *testing.T) {
	s := storetest.Open(t)
	events := s.Events()
	var appended, trail []*domain.Event
	for i := range 7 {
		appended = append(appended, gradeEvent(i))
	}
	for i := range 3 {
		trail = append(trail, gradeEvent(10+i))
	}
	notified := func(es []*domain.Event) error {
		return events.MarkDone(ctx(t), domain.ConsumerNotifier, eventIDs(es), time.Now())
	}
	steps := []struct {
		name string
		do   func() error
		left bool // entries of marked events left behind, for Pending to drop
	}{
		{"append one by one", func() error {
			for _, e := range appended[:3] {
				if err := events.Append(ctx(t), e); err != nil {
					return err
				}
			}
			return nil
		}, false},
		{"append many", func() error { return events.AppendMany(ctx(t), appended[3:]) }, false},
		{"deliver a trail", func() error { return s.Trails().DeliverAgain(ctx(t), trail) }, false},
		{"deliver it again", func() error { return s.Trails().DeliverAgain(ctx(t), trail) }, false},
		{"the notifier handles some", func() error { return notified(append(slices.Clone(appended[:4]), trail[0])) }, false},
		// A claim settled after the notifier handled its events must not
		// put them back in its queue.
		{"deliver the trail after the notifier handled it", func() error {
			if err := notified(trail); err != nil {
				return err
			}
			return s.Trails().DeliverAgain(ctx(t), trail)
		}, false},
		// A delivery killed between the insert and the enqueue: the
		// events are stored, their entries are not; settling the claim
		// delivers again, every event a duplicate.
		{"deliver after a delivery killed before enqueueing", func() error {
			more := []*domain.Event{gradeEvent(20), gradeEvent(21)}
			if err := s.Trails().DeliverAgain(ctx(t), more); err != nil {
				return err
			}
			for _, q := range []string{store.NotifiedQueue, store.PublishedQueue} {
				if _, err := s.Database().Collection(q).DeleteMany(ctx(t), bson.D{}); err != nil {
					return err
				}
			}
			// Every entry is gone: enqueue the others again the same way.
			return s.Trails().DeliverAgain(ctx(t), append(append(slices.Clone(appended), trail...), more...))
		}, false},
		// MarkDone killed between the marks and the dequeue.
		{"entries left for marked events", func() error {
			var left []any
			for _, e := range appended[:4] {
				oid, _ := bson.ObjectIDFromHex(e.ID)
				left = append(left, bson.D{{Key: "_id", Value: oid}, {Key: "at", Value: e.At}})
			}
			_, err := s.Database().Collection(store.NotifiedQueue).InsertMany(ctx(t), left)
			return err
		}, true},
		{"the relay publishes all but one", func() error {
			all := idsIn(t, s, "events", bson.D{})
			return events.MarkDone(ctx(t), domain.ConsumerRelay, all[1:], time.Now())
		}, false},
		// A store written by the build before the queues: unmarked events,
		// no entries, no marker.
		{"backfill an older store", func() error {
			db := s.Database()
			for _, q := range []string{store.NotifiedQueue, store.PublishedQueue} {
				if _, err := db.Collection(q).DeleteMany(ctx(t), bson.D{}); err != nil {
					return err
				}
			}
			if _, err := db.Collection("counters").DeleteOne(ctx(t), bson.D{{Key: "_id", Value: store.QueuesMarker}}); err != nil {
				return err
			}
			return s.BackfillQueues(ctx(t))
		}, false},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkOutbox(t, s, st.name, st.left)
	}
	if n, err := s.Database().Collection("counters").CountDocuments(ctx(t), bson.D{{Key: "_id", Value: store.QueuesMarker}}); err != nil || n != 1 {
		t.Errorf("backfill marker: %d, %v", n, err)
	}
	// Once marked, a store is not scanned again: an event stored without
	// its entry (as only the older build wrote them) stays out.
	raw := bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "at", Value: at(11, 0)}, {Key: "notified_at", Value: nil}, {Key: "published_at", Value: nil}}
	if _, err := s.Database().Collection("events").InsertOne(ctx(t), raw); err != nil {
		t.Fatal(err)
	}
	if err := s.BackfillQueues(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := idsIn(t, s, store.NotifiedQueue, bson.D{{Key: "_id", Value: raw[0].Value}}); len(got) != 0 {
		t.Error("the backfill ran again despite its marker")
	}
}

// An empty store gets no marker: restore accepts only an empty store.
func TestBackfillLeavesAnEmptyStoreEmpty(t *testing.T) {
	s := storetest.Open(t)
	if err := s.BackfillQueues(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Database().Collection("counters").CountDocuments(ctx(t), bson.D{}); err != nil || n != 0 {
		t.Errorf("counters hold %d documents (%v), want none", n, err)
	}
}

// checkDue fails unless the due queue holds exactly the pending records
// and extra.
func checkDue(t *testing.T, s *store.Store, step string, extra ...string) {
	t.Helper()
	want := append(idsIn(t, s, "notifications", bson.D{{Key: "status", Value: string(notify.Pending)}}), extra...)
	slices.Sort(want)
	if got := idsIn(t, s, store.DueQueue, bson.D{}); !slices.Equal(got, want) {
		t.Errorf("%s: due queue %v, want %v", step, got, want)
	}
}

// The due queue holds exactly the pending records through creation,
// outcomes, retries and a backfill; Claim drops the entries a crash left
// and keeps those of records still being created.
func TestNotificationQueueFollowsTheRecords(t *testing.T) {
	s := storetest.Open(t)
	r := s.Notifications()
	created := at(1, 8)
	now := at(1, 9)
	recs := records(9, created)
	recs[6].Status, recs[6].SentAt = notify.Sent, created
	recs[7].Status, recs[7].SentAt = notify.Sent, created
	recs[8].Status = notify.Skipped
	claim := func(limit int) []*notify.Notification {
		got, err := r.Claim(ctx(t), notify.Claim{Owner: "w", Channels: []notify.Channel{notify.Email}, Now: now, TTL: time.Minute, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	var failed string
	sentID, youngOrphan := "", bson.NewObjectID()
	steps := []struct {
		name  string
		do    func() error
		extra []string
	}{
		{"create pending and finished records", func() error { _, err := r.Create(ctx(t), recs); return err }, nil},
		{"create some again", func() error { _, err := r.Create(ctx(t), copies(recs[:3])); return err }, nil},
		{"outcomes: sent, failed, retry, skipped", func() error {
			got := claim(4)
			if len(got) != 4 {
				t.Fatalf("claimed %d, want 4", len(got))
			}
			got[0].Status, got[0].Attempts, got[0].SentAt, got[0].UpdatedAt = notify.Sent, 1, now, now
			got[1].Status, got[1].Attempts, got[1].LastError, got[1].UpdatedAt = notify.Failed, 1, "refused", now
			got[2].Status, got[2].Attempts, got[2].NextAt, got[2].UpdatedAt = notify.Pending, 1, now.Add(time.Hour), now
			got[3].Status, got[3].UpdatedAt = notify.Skipped, now
			sentID, failed = got[0].ID, got[1].ID
			return r.Finish(ctx(t), "w", got)
		}, nil},
		{"retry the failed one", func() error { return r.Retry(ctx(t), failed, now) }, nil},
		// Entries a crash left: of a sent record (Finish killed before its
		// dequeue), of a record never stored long ago, and of one being
		// stored now (Create between its two inserts).
		{"claim past stale entries", func() error {
			sent, _ := bson.ObjectIDFromHex(sentID)
			_, err := s.Database().Collection(store.DueQueue).InsertMany(ctx(t), []any{
				bson.D{{Key: "_id", Value: sent}, {Key: "next_at", Value: created}, {Key: "channel", Value: "email"}, {Key: "at", Value: created}},
				bson.D{{Key: "_id", Value: bson.NewObjectID()}, {Key: "next_at", Value: created}, {Key: "channel", Value: "email"}, {Key: "at", Value: now.Add(-2 * store.OrphanGrace)}},
				bson.D{{Key: "_id", Value: youngOrphan}, {Key: "next_at", Value: created}, {Key: "channel", Value: "email"}, {Key: "at", Value: now}},
			})
			if err != nil {
				return err
			}
			got := claim(100)
			// Pending and due: the 2 never claimed and the retried one
			// (the other retry waits an hour).
			if len(got) != 3 {
				t.Errorf("claimed %d, want 3", len(got))
			}
			for _, n := range got {
				if n.Status != notify.Pending || n.NextAt.After(now) {
					t.Errorf("claimed %s, %s at %v", n.ID, n.Status, n.NextAt)
				}
			}
			return r.Release(ctx(t), "w", recordIDs(got))
		}, []string{youngOrphan.Hex()}},
		{"backfill an older store", func() error {
			db := s.Database()
			if _, err := db.Collection(store.DueQueue).DeleteMany(ctx(t), bson.D{}); err != nil {
				return err
			}
			if _, err := db.Collection("counters").DeleteOne(ctx(t), bson.D{{Key: "_id", Value: store.QueuesMarker}}); err != nil {
				return err
			}
			return s.BackfillQueues(ctx(t))
		}, nil},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		checkDue(t, s, st.name, st.extra...)
	}
}

func recordIDs(ns []*notify.Notification) []string {
	out := make([]string, 0, len(ns))
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

// A batch larger than FerretDB's pool of 100 SQLite connections is marked
// and dequeued (one command of 200 updates waited for ever).
func TestMarkDoneOfALargeBatch(t *testing.T) {
	s := storetest.Open(t)
	var es []*domain.Event
	for i := range 250 {
		es = append(es, gradeEvent(i))
	}
	if err := s.Events().AppendMany(ctx(t), es); err != nil {
		t.Fatal(err)
	}
	if err := s.Events().MarkDone(ctx(t), domain.ConsumerNotifier, eventIDs(es), time.Now()); err != nil {
		t.Fatal(err)
	}
	checkOutbox(t, s, "after marking 250", false)
}
