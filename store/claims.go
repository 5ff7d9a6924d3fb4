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
	ID string        `bson:"_id"` // claimID(Coll, Target, Version)
	At time.Time     `bson:"at"`
	By writerProcess `bson:"by"`
	// Coll and Target say which document the write is of (Coll "" is
	// students, Target its _id) and Version which write: the version the
	// write stores (for a delete, the version after the removed one).
	Coll    string `bson:"coll,omitempty"`
	Target  any    `bson:"student"`
	Version int64  `bson:"version"`
	Delete  bool   `bson:"delete,omitempty"`
	// Write is unique to this claim and stored in the student document it
	// writes (studentDoc.Write): the write happened if and only if the
	// document carries it (see settle).
	Write  string     `bson:"write"`
	Audit  []auditDoc `bson:"audit,omitempty"`
	Events []eventDoc `bson:"events,omitempty"`
	// Row is a student's table row after the write (roster.go).
	Row *rosterDoc `bson:"row,omitempty"`
}

// claimID names the write of a version of a document: a student's
// "<id>:<version>", another collection's "<coll>/<id>:<version>".
func claimID(coll string, target any, version int64) string {
	id := fmt.Sprint(target)
	if oid, ok := target.(bson.ObjectID); ok {
		id = oid.Hex()
	}
	if coll != "" {
		id = coll + "/" + id
	}
	return id + ":" + strconv.FormatInt(version, 10)
}

// collection is where the document a claim writes lives.
func (tr *Trails) collection(c *claimDoc) *mongo.Collection {
	if c.Coll == "" {
		return tr.db.Collection(studentsColl)
	}
	return tr.db.Collection(c.Coll)
}

// newClaim prepares the claim of writing version of a document of coll
// ("" students) whose _id is target.
func (tr *Trails) newClaim(coll string, target any, version int64, del bool, t domain.Trail) (*claimDoc, error) {
	student := ""
	if oid, ok := target.(bson.ObjectID); ok && coll == "" {
		student = oid.Hex()
	}
	audits, events, err := trailOf(t, student)
	if err != nil {
		return nil, err
	}
	return &claimDoc{ID: claimID(coll, target, version), At: time.Now().UTC(), By: tr.self, Coll: coll,
		Target: target, Version: version, Delete: del, Write: bson.NewObjectID().Hex(), Audit: audits, Events: events}, nil
}

// claim takes c. A claim already held by a live writer is a real
// concurrent edit (ECONFLICT); one left by a writer that died, or too old
// to be a live one, is settled (its trail delivered if its write happened)
// and taken over at once, so a person retrying after a killed command is
// not blocked. An insert failing while nobody holds the claim failed for
// another reason (the disk, the server), which is not someone else's edit.
func (tr *Trails) claim(ctx context.Context, c *claimDoc, number string) error {
	for attempt := 0; attempt < 2; attempt++ {
		_, err := tr.claims.InsertOne(ctx, c)
		if err == nil {
			return nil
		}
		if !mongo.IsDuplicateKeyError(err) && !isServerError(err) {
			return outOfSpace(fmt.Errorf("claim version %d of %s: %w", c.Version, number, err))
		}
		var held claimDoc
		switch ferr := tr.claims.FindOne(ctx, bson.D{{Key: "_id", Value: c.ID}}).Decode(&held); {
		case errors.Is(ferr, mongo.ErrNoDocuments) && !mongo.IsDuplicateKeyError(err):
			return outOfSpace(fmt.Errorf("claim version %d of %s: %w", c.Version, number, err))
		case ferr != nil:
			return stale("student", number)
		case time.Since(held.At) < staleClaim && !held.By.dead(tr.self):
			return stale("student", number)
		}
		if _, err := tr.settle(ctx, &held); err != nil {
			return fmt.Errorf("claim version %d of %s: take over a dead writer's claim: %w", c.Version, number, err)
		}
	}
	return stale("student", number)
}

// finish delivers the trails of claims whose writes are done. The writes
// stand whatever happens here: a trail not delivered now (a full disk,
// the server gone) stays in its claim and is delivered by whoever settles
// it, so the failure is only logged.
func (tr *Trails) finish(ctx context.Context, claims ...*claimDoc) {
	if err := tr.deliver(context.WithoutCancel(ctx), claims...); err != nil {
		tr.log.Warn("trail of a write not delivered yet; it is delivered when its claim is settled", "claims", len(claims), "err", err)
	}
}

// abandon settles the claim of a write that returned an error: a write
// refused leaves nothing to deliver, but one whose answer was lost (the
// connection cut) may have happened, and settle tells.
func (tr *Trails) abandon(ctx context.Context, c *claimDoc) {
	if _, err := tr.settle(context.WithoutCancel(ctx), c); err != nil {
		tr.log.Warn("claim of a failed write not settled; it is settled later", "claim", c.ID, "err", err)
	}
}
