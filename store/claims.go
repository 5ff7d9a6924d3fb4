package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

// staleClaim is how old a claim must be before another writer may take it
// over: its writer died between claiming and writing.
const staleClaim = 30 * time.Second

// claimDoc is a write of one version of a student about to happen, in the
// `claims` collection, with the trail the write leaves (trail.go).
//
// It makes "write version V of this student" happen at most once across
// every process sharing the database. Store.writes only orders the writes
// of one process, and FerretDB's conditional update is a query then a
// write, so two processes (the app and a CLI command on one data dir)
// could both replace version N. Inserting a document whose _id names the
// pair is atomic on MongoDB and on FerretDB alike (a primary-key insert):
// exactly one writer gets it; a writer that read the old version then
// finds the record moved on.
type claimDoc struct {
	ID string        `bson:"_id"` // claimID(Student, Version)
	At time.Time     `bson:"at"`
	By writerProcess `bson:"by"`
	// Student and Version say which write this is: Version is the version
	// the write stores (for a delete, the version after the removed one).
	Student bson.ObjectID `bson:"student"`
	Version int64         `bson:"version"`
	Delete  bool          `bson:"delete,omitempty"`
	// Write is unique to this claim and stored in the student document it
	// writes (studentDoc.Write): the write happened if and only if the
	// document carries it (see settle).
	Write  string     `bson:"write"`
	Audit  []auditDoc `bson:"audit,omitempty"`
	Events []eventDoc `bson:"events,omitempty"`
}

func claimID(oid bson.ObjectID, version int64) string {
	return oid.Hex() + ":" + strconv.FormatInt(version, 10)
}

// newClaim prepares the claim of writing version of the student.
func (r *StudentRepo) newClaim(oid bson.ObjectID, version int64, del bool, t domain.Trail) (*claimDoc, error) {
	audits, events, err := trailOf(t, oid)
	if err != nil {
		return nil, err
	}
	return &claimDoc{ID: claimID(oid, version), At: time.Now().UTC(), By: r.self,
		Student: oid, Version: version, Delete: del, Write: bson.NewObjectID().Hex(), Audit: audits, Events: events}, nil
}

// claim takes c. A claim already held by a live writer is a real
// concurrent edit (ECONFLICT); one left by a writer that died, or too old
// to be a live one, is settled (its trail delivered if its write happened)
// and taken over at once, so a person retrying after a killed command is
// not blocked. An insert failing while nobody holds the claim failed for
// another reason (the disk, the server), which is not someone else's edit.
func (r *StudentRepo) claim(ctx context.Context, c *claimDoc, number string) error {
	for attempt := 0; attempt < 2; attempt++ {
		_, err := r.claims.InsertOne(ctx, c)
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) && !isServerError(err) {
			return outOfSpace(fmt.Errorf("claim version %d of student %s: %w", c.Version, number, err))
		}
		var held claimDoc
		switch ferr := r.claims.FindOne(ctx, bson.D{{Key: "_id", Value: c.ID}}).Decode(&held); {
		case errors.Is(ferr, mongo.ErrNoDocuments) && !mongo.IsDuplicateKeyError(err):
			return outOfSpace(fmt.Errorf("claim version %d of student %s: %w", c.Version, number, err))
		case ferr != nil:
			return stale("student", number)
		case time.Since(held.At) < staleClaim && !held.By.dead(r.self):
			return stale("student", number)
		}
		if _, err := r.settle(ctx, &held); err != nil {
			return fmt.Errorf("claim version %d of student %s: take over a dead writer's claim: %w", c.Version, number, err)
		}
	}
	return stale("student", number)
}

// finish delivers the trails of claims whose writes are done. The writes
// stand whatever happens here: a trail not delivered now (a full disk,
// the server gone) stays in its claim and is delivered by whoever settles
// it, so the failure is only logged.
func (r *StudentRepo) finish(ctx context.Context, claims ...*claimDoc) {
	if err := r.deliver(context.WithoutCancel(ctx), claims...); err != nil {
		r.log.Warn("trail of a write not delivered yet; it is delivered when its claim is settled", "claims", len(claims), "err", err)
	}
}

// abandon settles the claim of a write that returned an error: a write
// refused leaves nothing to deliver, but one whose answer was lost (the
// connection cut) may have happened, and settle tells.
func (r *StudentRepo) abandon(ctx context.Context, c *claimDoc) {
	if _, err := r.settle(context.WithoutCancel(ctx), c); err != nil {
		r.log.Warn("claim of a failed write not settled; it is settled later", "claim", c.ID, "err", err)
	}
}
