package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
	"scolarite/notify"
)

// queuesMarker is the document of `counters` that says the queues were
// filled from a store made before them (backfillQueues ran).
const queuesMarker = "queues_backfilled"

// backfillBatch bounds one insert of queue entries.
const backfillBatch = 1000

// backfillQueues fills the queues of a store written by a build that had
// none: its events with a null mark and its pending records have no
// entries, and no consumer would ever see them. It scans the events and the
// records once (a full decode each: seconds at 100,000), then writes the
// marker; every later open reads the marker by _id and returns. Entries
// are hints, so running it twice (two processes opening at once, a kill
// before the marker) only re-inserts entries that are ignored or dropped.
//
// The marker is written only when there was something to fill: restore
// accepts an empty store only, and the store it restores into has been
// opened. A store restored from an old backup has no marker and is filled
// at its next open. A process of the old build still writing to the store
// after the marker would leave events no queue holds: stop it first.
func (s *Store) backfillQueues(ctx context.Context) error {
	counters := s.db.Collection(countersColl)
	err := counters.FindOne(ctx, bson.D{{Key: "_id", Value: queuesMarker}}).Err()
	if err == nil {
		return nil
	}
	if !isNoDocuments(err) {
		return fmt.Errorf("read the queues' marker: %w", err)
	}
	events, err := s.backfillEvents(ctx)
	if err != nil {
		return err
	}
	records, err := s.backfillDue(ctx)
	if err != nil {
		return err
	}
	if events == 0 && records == 0 {
		return nil
	}
	marker := bson.D{{Key: "_id", Value: queuesMarker}, {Key: "at", Value: time.Now().UTC()},
		{Key: "events", Value: events}, {Key: "records", Value: records}}
	if err := insertOnce(ctx, counters, []any{marker}); err != nil {
		return fmt.Errorf("write the queues' marker: %w", err)
	}
	return nil
}

// backfillEvents enqueues every event a consumer has not marked, and
// returns how many events the outbox holds.
func (s *Store) backfillEvents(ctx context.Context) (int, error) {
	cur, err := s.db.Collection(eventsColl).Find(ctx, bson.D{}, options.Find().SetProjection(
		bson.D{{Key: "at", Value: 1}, {Key: "notified_at", Value: 1}, {Key: "published_at", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("fill the outbox queues: %w", err)
	}
	defer cur.Close(ctx)
	n := 0
	batch := make([]eventDoc, 0, backfillBatch)
	for cur.Next(ctx) {
		var d eventDoc
		if err := cur.Decode(&d); err != nil {
			return 0, fmt.Errorf("fill the outbox queues: %w", err)
		}
		n++
		if d.marked(domain.ConsumerNotifier) && d.marked(domain.ConsumerRelay) {
			continue
		}
		if batch = append(batch, d); len(batch) == backfillBatch {
			if err := enqueue(ctx, s.db, batch); err != nil {
				return 0, fmt.Errorf("fill the outbox queues: %w", err)
			}
			batch = batch[:0]
		}
	}
	if err := cur.Err(); err != nil {
		return 0, fmt.Errorf("fill the outbox queues: %w", err)
	}
	if err := enqueue(ctx, s.db, batch); err != nil {
		return 0, fmt.Errorf("fill the outbox queues: %w", err)
	}
	return n, nil
}

// backfillDue queues every pending record, and returns how many records
// there are.
func (s *Store) backfillDue(ctx context.Context) (int, error) {
	cur, err := s.db.Collection(notificationsColl).Find(ctx, bson.D{}, options.Find().SetProjection(
		bson.D{{Key: "status", Value: 1}, {Key: "next_at", Value: 1}, {Key: "channel", Value: 1}}))
	if err != nil {
		return 0, fmt.Errorf("fill the notification queue: %w", err)
	}
	defer cur.Close(ctx)
	due := s.db.Collection(dueColl)
	now, n := time.Now(), 0
	var batch []any
	flush := func() error {
		err := insertOnce(ctx, due, batch)
		batch = batch[:0]
		return err
	}
	for cur.Next(ctx) {
		var d notificationDoc
		if err := cur.Decode(&d); err != nil {
			return 0, fmt.Errorf("fill the notification queue: %w", err)
		}
		n++
		if d.Status != string(notify.Pending) {
			continue
		}
		if batch = append(batch, dueOf(&d, now)); len(batch) == backfillBatch {
			if err := flush(); err != nil {
				return 0, fmt.Errorf("fill the notification queue: %w", err)
			}
		}
	}
	if err := cur.Err(); err != nil {
		return 0, fmt.Errorf("fill the notification queue: %w", err)
	}
	if err := flush(); err != nil {
		return 0, fmt.Errorf("fill the notification queue: %w", err)
	}
	return n, nil
}
