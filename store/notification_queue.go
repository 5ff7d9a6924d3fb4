package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/notify"
)

// The queue of due notification records. The claim's query (`status`,
// `next_at`, `channel`) decoded every record at every pass on FerretDB
// 1.24, which hands SQLite no filter but one `_id`. `notifications_due`
// holds one small document per pending record, `{_id: record id, next_at,
// channel, at}`: written before the record is created pending and when it
// is put back (a retry after a failure, `Retry` of a failed one), deleted
// once it is sent, failed for good or skipped. Claim scans that queue, the
// backlog, then reads each record it leased by `_id`.
//
// As for the outbox's queues, the record stays the truth and an entry is
// a hint: Claim drops the entry of a record that is no longer pending,
// and corrects the `next_at` of one that is not due yet. What must not
// happen is a pending record without an entry, so the entry is written
// first wherever a crash could otherwise leave one: Create inserts the
// entries, then the records (a worker killed in between plans its events
// again; the unique index refuses the records it had stored, whose ids it
// cannot know without a scan). An entry whose record never came (killed
// between the two inserts) is dropped by Claim once it is older than
// orphanGrace, long after any insert in flight has ended.
const dueColl = "notifications_due"

// orphanGrace is how long an entry may wait for its record to be stored.
const orphanGrace = 10 * time.Minute

type dueEntry struct {
	ID      bson.ObjectID `bson:"_id"` // the record's
	NextAt  time.Time     `bson:"next_at"`
	Channel string        `bson:"channel"`
	At      time.Time     `bson:"at"` // when the entry was written, for orphanGrace
}

func dueOf(d *notificationDoc, at time.Time) dueEntry {
	return dueEntry{ID: d.ID, NextAt: d.NextAt, Channel: d.Channel, At: at.UTC()}
}

// putDue writes or corrects the entry of a pending record.
func (r *NotificationRepo) putDue(ctx context.Context, e dueEntry) error {
	_, err := r.due.UpdateOne(ctx, bson.D{{Key: "_id", Value: e.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "next_at", Value: e.NextAt}, {Key: "channel", Value: e.Channel}, {Key: "at", Value: e.At}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) { // two upserts at once: the other inserted
		return fmt.Errorf("queue notification %s: %w", e.ID.Hex(), outOfSpace(err))
	}
	return nil
}

// dueIDs returns the ids of up to limit entries due at now on channels,
// soonest first, leaving out those in held. The filter decodes the queue
// (not the records): its size is the backlog.
func (r *NotificationRepo) dueIDs(ctx context.Context, channels, held bson.A, now time.Time, limit int) ([]dueEntry, error) {
	query := bson.D{{Key: "next_at", Value: bson.D{{Key: "$lte", Value: now}}}, {Key: "channel", Value: in(channels)}}
	if len(held) > 0 {
		query = append(query, bson.E{Key: "_id", Value: bson.D{{Key: "$nin", Value: held}}})
	}
	cur, err := r.due.Find(ctx, query,
		options.Find().SetSort(bson.D{{Key: "next_at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("find due notifications: %w", err)
	}
	var found []dueEntry
	if err := cur.All(ctx, &found); err != nil {
		return nil, fmt.Errorf("find due notifications: %w", err)
	}
	return found, nil
}

// readLeased reads each leased record by `_id` and keeps those still
// pending and due. The others' entries are dropped (finished, or an orphan
// past its grace) or corrected (not due yet); their ids are returned, for
// their leases to be dropped.
func (r *NotificationRepo) readLeased(ctx context.Context, won bson.A, entries map[bson.ObjectID]dueEntry, now time.Time) (mine []notificationDoc, stale bson.A, err error) {
	ids := make([]bson.ObjectID, 0, len(won))
	for _, v := range won {
		ids = append(ids, v.(bson.ObjectID))
	}
	docs, found, err := findByIDs[notificationDoc](ctx, r.file, r.coll, ids)
	if err != nil {
		return nil, nil, fmt.Errorf("read claimed notifications: %w", err)
	}
	var gone bson.A
	for i, id := range ids {
		d := docs[i]
		switch {
		case !found[i]:
			stale = append(stale, id)
			if now.Sub(entries[id].At) > orphanGrace {
				gone = append(gone, id)
			}
		case d.Status != string(notify.Pending):
			stale = append(stale, id)
			gone = append(gone, id)
		case d.NextAt.After(now):
			stale = append(stale, id)
			if err := r.putDue(ctx, dueOf(&d, now)); err != nil {
				return nil, nil, err
			}
		default:
			mine = append(mine, d)
		}
	}
	if err := deleteByIDs(ctx, r.due, gone); err != nil {
		return nil, nil, fmt.Errorf("drop finished notifications from the queue: %w", err)
	}
	return mine, stale, nil
}
