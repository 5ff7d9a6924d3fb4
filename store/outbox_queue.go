package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

// The outbox's queues. FerretDB 1.24 hands SQLite a filter only when it is
// one `_id`; `notified_at: null` decoded every event at every pass of the
// notifier (1.6 messages/s with 100,000 records stored). So each consumer
// has a queue sized to its backlog: one small document per event it has
// not handled, `{_id: event id, at: event time}`, written after the event
// and deleted when the consumer marks the event done. Pending reads the
// queue (a scan of the backlog, not of the log), then each event by `_id`.
//
// The mark on the event stays the truth; a queue entry is a hint that the
// event may be pending. Pending checks the mark of every event it reads
// and deletes the entries of events already marked (or gone), so an entry
// left by a crash between two writes, or resurrected by a late delivery,
// costs one lookup, never a second handling. The reverse, a pending event
// with no entry, would lose the event for the consumer: every path that
// stores an event enqueues it afterwards, and a delivery that died in
// between is delivered again (its claim is still there), which enqueues
// what the first one stored (see enqueueDelivered).
//
// The names sort after `events` so that a backup pass, which reads
// collections in name order, reads the events before their entries.
const (
	outboxQueuePrefix  = "outbox_" // + the consumer: outbox_notified, outbox_published
	notifiedQueueColl  = outboxQueuePrefix + string(domain.ConsumerNotifier)
	publishedQueueColl = outboxQueuePrefix + string(domain.ConsumerRelay)
)

// consumers are those that have a queue, with their mark on the event.
var consumers = []domain.Consumer{domain.ConsumerNotifier, domain.ConsumerRelay}

// queueEntry is one event a consumer has not handled.
type queueEntry struct {
	ID bson.ObjectID `bson:"_id"` // the event's
	At time.Time     `bson:"at"`  // the event's, for reading in order
}

func queueOf(db *mongo.Database, c domain.Consumer) *mongo.Collection {
	return db.Collection(outboxQueuePrefix + string(c))
}

// marked says whether the consumer has handled the stored event.
func (d *eventDoc) marked(c domain.Consumer) bool {
	if c == domain.ConsumerRelay {
		return d.PublishedAt != nil
	}
	return d.NotifiedAt != nil
}

// enqueue adds entries for events to the queue of each consumer that has
// not marked them in docs. An entry already there is left as it is.
func enqueue(ctx context.Context, db *mongo.Database, docs []eventDoc) error {
	for _, c := range consumers {
		var entries []any
		for i := range docs {
			if !docs[i].marked(c) {
				entries = append(entries, queueEntry{ID: docs[i].ID, At: docs[i].At})
			}
		}
		if err := insertOnce(ctx, queueOf(db, c), entries); err != nil {
			return fmt.Errorf("enqueue %d events for %s: %w", len(entries), c, err)
		}
	}
	return nil
}

// enqueueDelivered enqueues the events of a trail that was just delivered
// (inserted once: those already stored were left as they were). It reads
// each stored event by `_id` (one indexed lookup) and enqueues it for the
// consumers that have not marked it. Enqueueing only what the insert
// inserted would not do: a delivery killed between the insert and this
// call is delivered again by whoever settles its claim, and then every
// event is a duplicate, yet none was enqueued. Enqueueing the claim's
// copies blindly would not do either: their marks are always null, so a
// trail delivered again after a consumer handled its events (two
// processes settling one claim) would put them back in its queue. The
// stored marks answer both. A consumer that marks an event between our
// read and our insert leaves an entry behind, which its next Pending
// drops (the mark is the truth).
//
// fresh says the insert stored every event just now (none was there): the
// copies in hand are then what is stored, marks null, and are enqueued
// without reading them back (an import delivers a thousand at a time). A
// consumer that handled one in between leaves an entry its Pending drops.
func (tr *Trails) enqueueDelivered(ctx context.Context, events []any, fresh bool) error {
	if len(events) == 0 {
		return nil
	}
	stored := make([]eventDoc, 0, len(events))
	for _, e := range events {
		d, ok := e.(eventDoc)
		if !ok {
			return fmt.Errorf("enqueue delivered events: unexpected %T", e)
		}
		if fresh {
			stored = append(stored, d)
			continue
		}
		var cur eventDoc
		err := tr.events.FindOne(ctx, bson.D{{Key: "_id", Value: d.ID}},
			options.FindOne().SetProjection(bson.D{{Key: "at", Value: 1}, {Key: "notified_at", Value: 1}, {Key: "published_at", Value: 1}})).Decode(&cur)
		if isNoDocuments(err) {
			continue // not stored: nothing to handle
		}
		if err != nil {
			return fmt.Errorf("enqueue delivered event %s: %w", d.ID.Hex(), err)
		}
		stored = append(stored, cur)
	}
	return outOfSpace(enqueue(ctx, tr.db, stored))
}

// pendingFromQueue returns up to limit events the consumer has not marked,
// oldest first, from its queue. It drops the entries of events marked or
// gone, and reads on until limit events or the end of the queue.
func (l *EventLog) pendingFromQueue(ctx context.Context, c domain.Consumer, limit int) ([]*domain.Event, error) {
	queue := queueOf(l.coll.Database(), c)
	out := make([]*domain.Event, 0, limit)
	seen := map[bson.ObjectID]bool{}
	for len(out) < limit {
		// The entries of events returned stay in the queue (until marked
		// done) and come first: skip them.
		want, took := limit-len(out), len(out)
		cur, err := queue.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).
			SetSkip(int64(took)).SetLimit(int64(want)))
		if err != nil {
			return nil, fmt.Errorf("read the queue of %s: %w", c, err)
		}
		var entries []queueEntry
		if err := cur.All(ctx, &entries); err != nil {
			return nil, fmt.Errorf("read the queue of %s: %w", c, err)
		}
		ids := make([]bson.ObjectID, 0, len(entries))
		for _, q := range entries {
			if !seen[q.ID] { // else the queue moved under us (another reader)
				seen[q.ID] = true
				ids = append(ids, q.ID)
			}
		}
		docs, found, err := findByIDs[eventDoc](ctx, l.file, l.coll, ids)
		if err != nil {
			return nil, fmt.Errorf("read pending events for %s: %w", c, err)
		}
		var stale bson.A
		for i, id := range ids {
			switch {
			case !found[i] || docs[i].marked(c):
				stale = append(stale, id)
			default:
				out = append(out, docs[i].event())
			}
		}
		if err := deleteByIDs(ctx, queue, stale); err != nil {
			return nil, fmt.Errorf("drop handled events from the queue of %s: %w", c, err)
		}
		if len(entries) < want || len(stale) == 0 {
			break // the end of the queue, or all read (or a reader moved it: next pass)
		}
	}
	return out, nil
}

// inDeleteMax is the most ids deleteByIDs removes with one `$in`.
const inDeleteMax = 500

// deleteByIDs deletes the documents of ids from a queue. Up to
// inDeleteMax, one `$in`: FerretDB decodes the queue (its size is the
// backlog) and deletes the matches in one SQLite transaction, where one
// `_id` statement each is a transaction each, every commit an fsync (WAL,
// synchronous FULL). The two measured alike on the notifier's benchmark,
// within the noise of a shared machine; fewer commits is what the disk
// of a school's server will feel. Beyond inDeleteMax, one command of one
// `_id` statement each: `$in` compares every entry with every id
// (filling a store, 50,000 at once).
func deleteByIDs(ctx context.Context, coll *mongo.Collection, ids bson.A) error {
	switch {
	case len(ids) == 0:
		return nil
	case len(ids) == 1:
		_, err := coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: ids[0]}})
		return outOfSpace(err)
	case len(ids) <= inDeleteMax:
		_, err := coll.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids)}})
		return outOfSpace(err)
	}
	models := make([]mongo.WriteModel, 0, len(ids))
	for _, id := range ids {
		models = append(models, mongo.NewDeleteOneModel().SetFilter(bson.D{{Key: "_id", Value: id}}))
	}
	if _, err := coll.BulkWrite(ctx, models, options.BulkWrite().SetOrdered(false)); err != nil {
		return outOfSpace(err)
	}
	return nil
}

// updateByIDs applies update to the documents of ids, one command of one
// `_id` filter each. Not one command of many statements, as deleteByIDs:
// FerretDB 1.24 keeps each update statement's cursor, and the SQLite
// connection under it, open until the command ends, and its pool holds 100
// connections; a command of 200 updates waited for ever (measured:
// MarkDone of the notifier's batch).
func updateByIDs(ctx context.Context, coll *mongo.Collection, ids bson.A, update bson.D) error {
	for _, id := range ids {
		if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update); err != nil {
			return outOfSpace(err)
		}
	}
	return nil
}
