package store

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

// Hooks for the external tests of the queues (queues_test.go).

// DeliverAgain delivers events as the trail of a write would, keeping
// their ids: a first delivery, or a repeated one (a claim settled twice,
// or after a delivery killed before it enqueued).
func (tr *Trails) DeliverAgain(ctx context.Context, events []*domain.Event) error {
	c := &claimDoc{ID: "test-delivery"}
	for _, e := range events {
		d, err := toEventDoc(e)
		if err != nil {
			return err
		}
		e.ID = d.ID.Hex()
		c.Events = append(c.Events, d)
	}
	return tr.deliver(ctx, c)
}

// BackfillQueues runs the backfill every Open runs.
func (s *Store) BackfillQueues(ctx context.Context) error { return s.backfillQueues(ctx) }

// Names of the queues' collections and of the backfill's marker.
const (
	NotifiedQueue  = notifiedQueueColl
	PublishedQueue = publishedQueueColl
	DueQueue       = dueColl
	QueuesMarker   = queuesMarker
	OrphanGrace    = orphanGrace
)

// ReadFromFile reads documents by _id straight from the embedded store's
// SQLite file, as the queues do.
func (s *Store) ReadFromFile(ctx context.Context, coll string, ids []bson.ObjectID) (map[bson.ObjectID]bson.Raw, error) {
	if s.students.file == nil {
		return nil, errors.New("not the embedded store")
	}
	return s.students.file.docsByID(ctx, coll, ids)
}
