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
	due := bson.D{{Key: "status", Value: string(notify.Pending)}, {Key: "next_at", Value: bson.D{{Key: "$lte", Value: now}}}}
	query := append(due, bson.E{Key: "channel", Value: in(channels)})
	if len(held) > 0 {
		query = append(query, bson.E{Key: "_id", Value: bson.D{{Key: "$nin", Value: held}}})
	}
	cur, err := r.coll.Find(ctx, query,
		options.Find().SetSort(bson.D{{Key: "next_at", Value: 1}, {Key: "_id", Value: 1}}).
			SetLimit(int64(c.Limit)).SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("find due notifications: %w", err)
	}
	var found []struct {
		ID bson.ObjectID `bson:"_id"`
	}
	if err := cur.All(ctx, &found); err != nil {
		return nil, fmt.Errorf("find due notifications: %w", err)
	}
	if len(found) == 0 {
		return nil, nil
	}
	until := now.Add(c.TTL)
	won, err := r.lease(ctx, found, c.Owner, now, until)
	if err != nil || len(won) == 0 {
		return nil, err
	}
	// Between our query and our lease another worker may have finished a
	// record and released it: only what is still pending and due is ours.
	cur, err = r.coll.Find(ctx, append(due, bson.E{Key: "_id", Value: in(won)}),
		options.Find().SetSort(bson.D{{Key: "next_at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, r.giveUp(ctx, c.Owner, won, fmt.Errorf("read claimed notifications: %w", err))
	}
	var docs []notificationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, r.giveUp(ctx, c.Owner, won, fmt.Errorf("read claimed notifications: %w", err))
	}
	mine := make(bson.A, 0, len(docs))
	out := make([]*notify.Notification, 0, len(docs))
	for i := range docs {
		mine = append(mine, docs[i].ID)
		out = append(out, docs[i].notification())
	}
	if len(mine) < len(won) {
		keep := map[bson.ObjectID]bool{}
		for _, id := range mine {
			keep[id.(bson.ObjectID)] = true
		}
		var stale bson.A
		for _, id := range won {
			if !keep[id.(bson.ObjectID)] {
				stale = append(stale, id)
			}
		}
		if err := r.dropLeases(ctx, c.Owner, stale); err != nil {
			return nil, r.giveUp(ctx, c.Owner, mine, err)
		}
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

// Finish writes outcomes, then releases the leases. Records sent in one
// batch share one update.
func (r *NotificationRepo) Finish(ctx context.Context, owner string, done []*notify.Notification) error {
	all := make([]string, 0, len(done))
	sent := map[int][]string{} // attempts → ids
	var sentAt, updated time.Time
	for _, n := range done {
		all = append(all, n.ID)
		if n.Status == notify.Sent {
			sent[n.Attempts] = append(sent[n.Attempts], n.ID)
			sentAt, updated = n.SentAt.UTC(), n.UpdatedAt.UTC()
			continue
		}
		oid, ok := parseID(n.ID)
		if !ok {
			return domain.Invalid("id", "is not a valid notification identifier ("+n.ID+")")
		}
		set := bson.D{{Key: "status", Value: string(n.Status)}, {Key: "attempts", Value: n.Attempts},
			{Key: "last_error", Value: n.LastError}, {Key: "next_at", Value: n.NextAt.UTC()}, {Key: "updated_at", Value: n.UpdatedAt.UTC()}}
		if _, err := r.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			return fmt.Errorf("record the outcome of notification %s: %w", n.ID, err)
		}
	}
	for attempts, ids := range sent {
		oids, err := objectIDs(ids)
		if err != nil {
			return err
		}
		set := bson.D{{Key: "status", Value: string(notify.Sent)}, {Key: "attempts", Value: attempts},
			{Key: "last_error", Value: ""}, {Key: "sent_at", Value: sentAt}, {Key: "updated_at", Value: updated}}
		if _, err := r.coll.UpdateMany(ctx, bson.D{{Key: "_id", Value: in(oids)}}, bson.D{{Key: "$set", Value: set}}); err != nil {
			return fmt.Errorf("mark %d notifications sent: %w", len(ids), err)
		}
	}
	oids, err := objectIDs(all)
	if err != nil {
		return err
	}
	return r.dropLeases(ctx, owner, oids)
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
