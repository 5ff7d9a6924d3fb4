package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

// Leases implements domain.Leases in the `leases` collection. Taking a
// lease is a primary-key insert, atomic on MongoDB and FerretDB alike (see
// claims.go for why conditional updates are not enough here); an expired
// lease is deleted by its exact (owner, until) and then inserted anew, so
// two takers of one expired lease cannot both win.
type Leases struct {
	coll *mongo.Collection
	now  func() time.Time
}

var _ domain.Leases = (*Leases)(nil)

type leaseDoc struct {
	Key   string    `bson:"_id"`
	Owner string    `bson:"owner"`
	Until time.Time `bson:"until"`
}

// Acquire takes or renews key for owner.
func (l *Leases) Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error) {
	for attempt := 0; attempt < 2; attempt++ {
		until := l.now().Add(ttl).UTC()
		_, err := l.coll.InsertOne(ctx, leaseDoc{Key: key, Owner: owner, Until: until})
		if err == nil {
			return true, nil
		}
		if !mongo.IsDuplicateKeyError(err) && !isServerError(err) {
			return false, fmt.Errorf("take lease %s: %w", key, err)
		}
		var held leaseDoc
		if err := l.coll.FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&held); err != nil {
			if isNoDocuments(err) {
				continue // released meanwhile: try again
			}
			return false, fmt.Errorf("read lease %s: %w", key, err)
		}
		switch {
		case held.Owner == owner:
			_, err := l.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "owner", Value: owner}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "until", Value: until}}}})
			if err != nil {
				return false, fmt.Errorf("renew lease %s: %w", key, err)
			}
			return true, nil
		case l.now().Before(held.Until):
			return false, nil
		}
		// Expired: remove exactly that lease, then race for a fresh insert.
		if _, err := l.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "owner", Value: held.Owner}, {Key: "until", Value: held.Until}}); err != nil {
			return false, fmt.Errorf("clear expired lease %s: %w", key, err)
		}
	}
	return false, nil
}

// Release gives up key if owner holds it.
func (l *Leases) Release(ctx context.Context, key, owner string) error {
	if _, err := l.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: key}, {Key: "owner", Value: owner}}); err != nil {
		return fmt.Errorf("release lease %s: %w", key, err)
	}
	return nil
}
