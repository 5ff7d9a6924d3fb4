package store

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
	"scolarite/notify"
)

// Claiming, finishing and releasing notification records; see
// NotificationRepo for why a claim is an insert into its own collection.

type notificationLease struct {
	ID    bson.ObjectID `bson:"_id"` // the record's id
	Owner string        `bson:"owner"`
	Until time.Time     `bson:"until"`
}

// Claim leases due pending records to c.Owner.
func (r *NotificationRepo) Claim(ctx context.Context, c notify.Claim) ([]*notify.Notification, error) {
	if c.Limit <= 0 || len(c.Channels) == 0 {
		return nil, nil
	}
	channels := make(bson.A, 0, len(c.Channels))
	for _, ch := range c.Channels {
		channels = append(channels, string(ch))
	}
	now := c.Now.UTC()
	// Records leased by others are left out of the query, so that workers
	// running at once take different records instead of all racing for
	// the oldest ones. The leases collection is small: a lease is dropped
	// when its record is done.
	held, err := r.activeLeases(ctx, now)
	if err != nil {
		return nil, err
	}
	found, err := r.dueIDs(ctx, channels, held, now, c.Limit)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	entries := make(map[bson.ObjectID]dueEntry, len(found))
	ids := make([]struct {
		ID bson.ObjectID `bson:"_id"`
	}, 0, len(found))
	for _, f := range found {
		entries[f.ID] = f
		ids = append(ids, struct {
			ID bson.ObjectID `bson:"_id"`
		}{f.ID})
	}
	until := now.Add(c.TTL)
	won, err := r.lease(ctx, ids, c.Owner, now, until)
	if err != nil || len(won) == 0 {
		return nil, err
	}
	// Between our query and our lease another worker may have finished a
	// record and released it, and an entry may be stale: only what is
	// still pending and due is ours, read by _id one by one (an `$in`
	// would decode every record).
	docs, stale, err := r.readLeased(ctx, won, entries, now)
	if err != nil {
		return nil, r.giveUp(ctx, c.Owner, won, err)
	}
	if err := r.dropLeases(ctx, c.Owner, stale); err != nil {
		mine := make(bson.A, 0, len(docs))
		for i := range docs {
			mine = append(mine, docs[i].ID)
		}
		return nil, r.giveUp(ctx, c.Owner, mine, err)
	}
	slices.SortFunc(docs, func(a, b notificationDoc) int {
		return cmp.Or(a.NextAt.Compare(b.NextAt), bytes.Compare(a.ID[:], b.ID[:]))
	})
	out := make([]*notify.Notification, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].notification())
	}
	return out, nil
}

// activeLeases returns the ids of the records leased until after now.
func (r *NotificationRepo) activeLeases(ctx context.Context, now time.Time) (bson.A, error) {
	cur, err := r.leases.Find(ctx, bson.D{{Key: "until", Value: bson.D{{Key: "$gt", Value: now}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("read notification leases: %w", err)
	}
	var held []struct {
		ID bson.ObjectID `bson:"_id"`
	}
	if err := cur.All(ctx, &held); err != nil {
		return nil, fmt.Errorf("read notification leases: %w", err)
	}
	out := make(bson.A, 0, len(held))
	for _, h := range held {
		out = append(out, h.ID)
	}
	return out, nil
}

// lease inserts one lease per record and returns the ids it won. A lease
// held by another owner is respected until it expires; an expired one is
// deleted by its exact (owner, until) and raced for again, so two takers
// of one expired lease cannot both win.
func (r *NotificationRepo) lease(ctx context.Context, found []struct {
	ID bson.ObjectID `bson:"_id"`
}, owner string, now, until time.Time) (bson.A, error) {
	docs := make([]any, 0, len(found))
	for _, f := range found {
		docs = append(docs, notificationLease{ID: f.ID, Owner: owner, Until: until})
	}
	var won bson.A
	for attempt := 0; attempt < 2 && len(docs) > 0; attempt++ {
		refused, err := r.insertUnordered(ctx, r.leases, docs)
		if err != nil {
			return nil, r.giveUp(ctx, owner, idsOf(docs), fmt.Errorf("lease notifications: %w", err))
		}
		var lost bson.A
		for i, d := range docs {
			if refused[i] {
				lost = append(lost, d.(notificationLease).ID)
			} else {
				won = append(won, d.(notificationLease).ID)
			}
		}
		if len(lost) == 0 {
			break
		}
		expired, err := r.clearExpired(ctx, lost, now)
		if err != nil {
			return nil, r.giveUp(ctx, owner, won, err)
		}
		docs = docs[:0]
		for _, id := range expired {
			docs = append(docs, notificationLease{ID: id, Owner: owner, Until: until})
		}
	}
	return won, nil
}

// clearExpired deletes the expired leases among ids and returns their ids.
func (r *NotificationRepo) clearExpired(ctx context.Context, ids bson.A, now time.Time) ([]bson.ObjectID, error) {
	cur, err := r.leases.Find(ctx, bson.D{{Key: "_id", Value: in(ids)}, {Key: "until", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return nil, fmt.Errorf("read notification leases: %w", err)
	}
	var held []notificationLease
	if err := cur.All(ctx, &held); err != nil {
		return nil, fmt.Errorf("read notification leases: %w", err)
	}
	out := make([]bson.ObjectID, 0, len(held))
	for _, h := range held {
		res, err := r.leases.DeleteOne(ctx, bson.D{{Key: "_id", Value: h.ID}, {Key: "owner", Value: h.Owner}, {Key: "until", Value: h.Until}})
		if err != nil {
			return nil, fmt.Errorf("clear expired notification lease: %w", err)
		}
		if res.DeletedCount == 1 {
			out = append(out, h.ID)
		}
	}
	return out, nil
}

func idsOf(docs []any) bson.A {
	out := make(bson.A, 0, len(docs))
	for _, d := range docs {
		out = append(out, d.(notificationLease).ID)
	}
	return out
}

// giveUp drops the leases taken so far and returns err.
func (r *NotificationRepo) giveUp(ctx context.Context, owner string, ids bson.A, err error) error {
	if len(ids) == 0 {
		return err
	}
	if derr := r.dropLeases(context.WithoutCancel(ctx), owner, ids); derr != nil {
		return fmt.Errorf("%w (and: %w)", err, derr)
	}
	return err
}

func (r *NotificationRepo) dropLeases(ctx context.Context, owner string, ids bson.A) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := r.leases.DeleteMany(ctx, bson.D{{Key: "_id", Value: in(ids)}, {Key: "owner", Value: owner}}); err != nil {
		return fmt.Errorf("release notification leases: %w", err)
	}
	return nil
}

// Finish writes outcomes, one update by _id per record (an `$in` decoded
// every record; one command of many updates hangs FerretDB, see
// updateByIDs), then the records' queue entries (corrected for a retry,
// deleted otherwise), then releases the leases. Killed before the entries
// are written, it leaves entries that Claim corrects or drops.
func (r *NotificationRepo) Finish(ctx context.Context, owner string, done []*notify.Notification) error {
	finished := make(bson.A, 0, len(done))
	all := make(bson.A, 0, len(done))
	var retry []dueEntry
	for _, n := range done {
		oid, ok := parseID(n.ID)
		if !ok {
			return domain.Invalid("id", "is not a valid notification identifier ("+n.ID+")")
		}
		all = append(all, oid)
		set := bson.D{{Key: "status", Value: string(n.Status)}, {Key: "attempts", Value: n.Attempts},
			{Key: "updated_at", Value: n.UpdatedAt.UTC()}}
		if n.Status == notify.Sent {
			set = append(set, bson.E{Key: "last_error", Value: ""}, bson.E{Key: "sent_at", Value: n.SentAt.UTC()})
		} else {
			set = append(set, bson.E{Key: "last_error", Value: n.LastError}, bson.E{Key: "next_at", Value: n.NextAt.UTC()})
		}
		if _, err := r.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			return fmt.Errorf("record the outcome of notification %s: %w", n.ID, err)
		}
		if n.Status == notify.Pending {
			retry = append(retry, dueEntry{ID: oid, NextAt: n.NextAt.UTC(), Channel: string(n.Channel), At: n.UpdatedAt.UTC()})
		} else {
			finished = append(finished, oid)
		}
	}
	for _, e := range retry {
		if err := r.putDue(ctx, e); err != nil {
			return err
		}
	}
	if err := deleteByIDs(ctx, r.due, finished); err != nil {
		return fmt.Errorf("drop %d finished notifications from the queue: %w", len(finished), err)
	}
	return r.dropLeases(ctx, owner, all)
}

// Release drops the leases: the records, untouched and still due, can be
// claimed again at once.
func (r *NotificationRepo) Release(ctx context.Context, owner string, ids []string) error {
	oids, err := objectIDs(ids)
	if err != nil {
		return err
	}
	return r.dropLeases(ctx, owner, oids)
}
