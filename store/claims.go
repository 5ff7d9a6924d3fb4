package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// staleClaim is how old a claim must be before another writer may take it
// over: its writer died between claiming and writing.
const staleClaim = 30 * time.Second

// claim makes "write version next of this student" happen at most once
// across every process sharing the database. Store.writes only orders the
// writes of one process, and FerretDB's conditional update is a query then
// a write, so two processes (the app and a CLI command on one data dir)
// could both replace version N. Inserting a document whose _id names the
// pair is atomic on MongoDB and on FerretDB alike (a primary-key insert):
// exactly one writer gets it. The winner releases the claim after writing;
// a writer that read the old version then finds the record moved on.
func (r *StudentRepo) claim(ctx context.Context, oid bson.ObjectID, next int64, number string) (release func(), err error) {
	id := oid.Hex() + ":" + strconv.FormatInt(next, 10)
	for attempt := 0; attempt < 2; attempt++ {
		_, err = r.claims.InsertOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "at", Value: time.Now().UTC()}, {Key: "by", Value: r.self}})
		if err == nil {
			return func() {
				_, _ = r.claims.DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: id}})
			}, nil
		}
		if !mongo.IsDuplicateKeyError(err) && !isServerError(err) {
			return nil, outOfSpace(fmt.Errorf("claim version %d of student %s: %w", next, number, err))
		}
		var held struct {
			At time.Time     `bson:"at"`
			By writerProcess `bson:"by"`
		}
		switch ferr := r.claims.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&held); {
		case errors.Is(ferr, mongo.ErrNoDocuments) && !mongo.IsDuplicateKeyError(err):
			// Nobody holds it: the insert failed for another reason (the
			// disk, the server), which is not someone else's edit.
			return nil, outOfSpace(fmt.Errorf("claim version %d of student %s: %w", next, number, err))
		case ferr != nil:
			return nil, stale("student", number)
		case time.Since(held.At) < staleClaim && !held.By.dead(r.self):
			return nil, stale("student", number) // a live writer: a real concurrent edit
		}
		// Its writer died (or the claim is too old to be a live one).
		_, _ = r.claims.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "at", Value: held.At}})
	}
	return nil, stale("student", number)
}
