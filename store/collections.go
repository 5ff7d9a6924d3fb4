package store

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// allCollections are every collection the repositories write. They are
// created at open, so that no write ever creates one: on FerretDB a
// collection is an SQLite table plus a row of its metadata, and a disk that
// fills up between the two leaves a table FerretDB does not know and will
// never create again ("table claims_… already exists"), failing every
// later write to it, even once space is freed. Creating them up front moves
// that step to a start, where it fails whole and is retried at the next.
var allCollections = []string{
	studentsColl, countersColl, claimsColl, leasesColl, usersColl, auditColl, eventsColl,
	notificationsColl, notificationLeaseColl, importsColl, curriculaColl, evaluationsColl, studentKeysColl, rosterColl,
	notifiedQueueColl, publishedQueueColl, dueColl, regulationsColl, juryColl,
	relevesColl,
}

func (s *Store) ensureCollections(ctx context.Context) error {
	have, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return fmt.Errorf("list collections: %w", err)
	}
	for _, name := range allCollections {
		if slices.Contains(have, name) {
			continue
		}
		if err := s.db.CreateCollection(ctx, name); err != nil && !isNamespaceExists(err) {
			return fmt.Errorf("create collection %s: %w", name, err)
		}
	}
	// Here, at every open, once the queues exist and before anything
	// reads them: a store made before them gets its entries.
	return s.backfillQueues(ctx)
}
