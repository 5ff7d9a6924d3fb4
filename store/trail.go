package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

// A write and its trail are one, without transactions (FerretDB has none):
// the claim that a write of a student takes before it writes (claims.go)
// also carries the write's audit entries and events, with their final ids,
// and a token unique to the write, which the write stores in the student
// document (`write`). Once the write is done the trail is delivered,
// inserted by id into `audit` and `events`, so that a second delivery of
// an entry is a no-op, and the claim is deleted. A writer that dies leaves
// its claim; whoever settles it (the next writer of that student, the
// takeover of a dead writer's claim, the sweep at every start and in the
// background) delivers the trail if the student document carries the
// claim's token, and drops it otherwise. That answer is certain because
// every writer settles the claim of the version it read before writing
// the next: while a claim exists, no later write has replaced the
// document its write made. A delete first turns the document into a
// tombstone carrying the token (`deleted`, hidden from every read), and
// removes it once the trail is delivered.

// Trails writes the trails of the writes of every repository: their claims,
// their delivery to the audit log and the outbox, and the settling of
// claims left behind.
type Trails struct {
	db                    *mongo.Database
	claims, audit, events *mongo.Collection
	self                  writerProcess // names this process in its claims
	log                   *slog.Logger
}

// trailOf converts a domain trail into the documents it will be delivered
// as, assigning their ids (written back to the domain's events) and giving
// events with no student the written one.
func trailOf(t domain.Trail, student string) ([]auditDoc, []eventDoc, error) {
	audits := make([]auditDoc, 0, len(t.Audit))
	for _, e := range t.Audit {
		d, err := toAuditDoc(e)
		if err != nil {
			return nil, nil, err
		}
		audits = append(audits, d)
	}
	events := make([]eventDoc, 0, len(t.Events))
	for _, e := range t.Events {
		if e.StudentID == "" {
			e.StudentID = student
		}
		e.ID = ""
		d, err := toEventDoc(e)
		if err != nil {
			return nil, nil, err
		}
		e.ID = d.ID.Hex()
		events = append(events, d)
	}
	return audits, events, nil
}

// deliver inserts the trails of claims into the audit log and the outbox,
// skipping entries already there (a delivery cut short, or another process
// settling the same claim), removes the tombstones of their deletes, then
// deletes the claims.
func (tr *Trails) deliver(ctx context.Context, claims ...*claimDoc) error {
	var audits, events []any
	var tombstones []*claimDoc
	ids := make(bson.A, 0, len(claims))
	for _, c := range claims {
		for _, a := range c.Audit {
			audits = append(audits, a)
		}
		for _, e := range c.Events {
			events = append(events, e)
		}
		if c.Delete {
			tombstones = append(tombstones, c)
		}
		ids = append(ids, c.ID)
	}
	if err := insertOnce(ctx, tr.audit, audits); err != nil {
		return fmt.Errorf("deliver audit entries: %w", err)
	}
	already, err := insertCounting(ctx, tr.events, events)
	if err != nil {
		return fmt.Errorf("deliver outbox events: %w", err)
	}
	if err := tr.enqueueDelivered(ctx, events, already == 0); err != nil {
		return fmt.Errorf("deliver outbox events: %w", err)
	}
	if err := tr.deliverRows(ctx, claims); err != nil {
		return err
	}
	for _, c := range tombstones {
		if err := tr.removeTombstone(ctx, c); err != nil {
			return err
		}
	}
	return tr.dropClaims(ctx, ids)
}

// removeTombstone deletes the tombstone a delete's claim left, checked by
// its token first and then deleted by _id alone: the one filter FerretDB
// hands to SQLite (a filter with the token too would decode every
// student). The claim, still held, keeps every other writer away.
func (tr *Trails) removeTombstone(ctx context.Context, c *claimDoc) error {
	var cur struct {
		Write string `bson:"write"`
	}
	coll := tr.collection(c)
	err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: c.Target}}, options.FindOne().SetProjection(bson.D{{Key: "write", Value: 1}})).Decode(&cur)
	if isNoDocuments(err) || err == nil && cur.Write != c.Write {
		return nil
	}
	if err == nil {
		_, err = coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: c.Target}})
	}
	if err != nil {
		return outOfSpace(fmt.Errorf("remove a deleted student: %w", err))
	}
	return nil
}

// dropClaims deletes claims by id, their trails undelivered.
func (tr *Trails) dropClaims(ctx context.Context, ids bson.A) error {
	if len(ids) == 0 {
		return nil
	}
	filter := bson.D{{Key: "_id", Value: ids[0]}}
	if len(ids) > 1 {
		filter = bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}
	}
	if _, err := tr.claims.DeleteMany(ctx, filter); err != nil {
		return outOfSpace(fmt.Errorf("release %d claim(s): %w", len(ids), err))
	}
	return nil
}

// insertOnce inserts docs, each keeping its _id; those already stored are
// left as they are.
func insertOnce(ctx context.Context, coll *mongo.Collection, docs []any) error {
	_, err := insertCounting(ctx, coll, docs)
	return err
}

// insertCounting is insertOnce, saying how many documents were there
// already.
func insertCounting(ctx context.Context, coll *mongo.Collection, docs []any) (already int, err error) {
	if len(docs) == 0 {
		return 0, nil
	}
	_, err = coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
		for _, we := range bwe.WriteErrors {
			if we.Code != 11000 {
				return 0, outOfSpace(err)
			}
		}
		return len(bwe.WriteErrors), nil
	}
	return 0, outOfSpace(err)
}

// settle decides a claim left by another writer (dead, or too old to be
// alive), by a write that returned an error, or by the write of the
// version the caller read: it delivers the trail if the write happened,
// else drops it, and says which.
func (tr *Trails) settle(ctx context.Context, c *claimDoc) (happened bool, err error) {
	var cur struct {
		Write string `bson:"write"`
	}
	err = tr.collection(c).FindOne(ctx, bson.D{{Key: "_id", Value: c.Target}},
		options.FindOne().SetProjection(bson.D{{Key: "write", Value: 1}})).Decode(&cur)
	if err != nil && !isNoDocuments(err) {
		return false, fmt.Errorf("settle claim %s: %w", c.ID, err)
	}
	if err == nil && c.Write != "" && cur.Write == c.Write {
		return true, tr.deliver(ctx, c)
	}
	return false, tr.dropClaims(ctx, bson.A{c.ID})
}

// settlePrevious settles the claim of version v of a document, if its
// writer left one: the caller read version v, so that write happened.
func (tr *Trails) settlePrevious(ctx context.Context, coll string, target any, v int64) error {
	var c claimDoc
	err := tr.claims.FindOne(ctx, bson.D{{Key: "_id", Value: claimID(coll, target, v)}}).Decode(&c)
	if isNoDocuments(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("look for the claim of version %d: %w", v, err)
	}
	_, err = tr.settle(ctx, &c)
	return err
}

// SettleAbandoned settles every claim whose writer died, or that is older
// than any live write (a write whose delivery failed: a full disk), and
// returns how many trails it delivered and dropped. Every start runs it,
// and the background work of the application and of serve every minute.
func (tr *Trails) SettleAbandoned(ctx context.Context) (delivered, dropped int, err error) {
	cur, err := tr.claims.Find(ctx, bson.D{})
	if err != nil {
		return 0, 0, fmt.Errorf("read claims: %w", err)
	}
	var claims []claimDoc
	if err := cur.All(ctx, &claims); err != nil {
		return 0, 0, fmt.Errorf("read claims: %w", err)
	}
	var errs []error
	for i := range claims {
		c := &claims[i]
		if !c.By.dead(tr.self) && time.Since(c.At) < staleClaim {
			continue
		}
		happened, err := tr.settle(ctx, c)
		switch {
		case err != nil:
			errs = append(errs, err)
		case happened:
			delivered++
		default:
			dropped++
		}
	}
	return delivered, dropped, errors.Join(errs...)
}

// write runs one conditional write of version prev+1 of a document: claim
// it with its trail (and, for a student, its new table row), settle the claim left by the write of prev, write
// (do), then deliver; when the write fails, settle our own claim. missed
// explains a write that matched nothing. name names the document in
// errors ("student 2026-00001").
func (tr *Trails) write(ctx context.Context, coll string, target any, prev int64, del bool, t domain.Trail, name string,
	row *rosterDoc, do func(*claimDoc) (matched bool, err error), missed func() error) error {
	c, err := tr.newClaim(coll, target, prev+1, del, t)
	if err != nil {
		return err
	}
	c.Row = row
	if err := tr.claim(ctx, c, name); err != nil {
		return err
	}
	if err := tr.settlePrevious(ctx, coll, target, prev); err != nil {
		tr.abandon(ctx, c)
		return outOfSpace(fmt.Errorf("write %s: %w", name, err))
	}
	matched, err := do(c)
	if err != nil {
		tr.abandon(ctx, c)
		if domain.ErrorCode(err) != domain.EINTERNAL {
			return err
		}
		return outOfSpace(fmt.Errorf("write %s: %w", name, err))
	}
	if !matched {
		tr.abandon(ctx, c)
		return missed()
	}
	tr.finish(ctx, c)
	return nil
}
