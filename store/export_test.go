package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// pairs turns key, value, key, value… into conditions.
func pairs(kv []string) []fieldEq {
	conds := make([]fieldEq, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		conds = append(conds, fieldEq{kv[i], kv[i+1]})
	}
	return conds
}

// ReadWhereFromFile reads the documents of coll whose fields equal the
// strings of kv (key, value, …) straight from the embedded store's SQLite
// file, as Evaluations and Curricula do, with no fallback.
func (s *Store) ReadWhereFromFile(ctx context.Context, coll string, kv ...string) ([]bson.Raw, error) {
	if s.curricula.file == nil {
		return nil, errors.New("not the embedded store")
	}
	return s.curricula.file.docsWhere(ctx, coll, pairs(kv))
}

// EvaluationsFromFile is Evaluations read from the file only, with no
// fallback to the server.
func (s *Store) EvaluationsFromFile(ctx context.Context, class, semester, year string) ([]domain.Evaluation, error) {
	if s.curricula.file == nil {
		return nil, errors.New("not the embedded store")
	}
	docs, err := fromFileWhere[evaluationDoc](ctx, s.curricula.file, evaluationsColl, evaluationsWhere(class, semester, year))
	if err != nil {
		return nil, err
	}
	return evaluationsOf(docs), nil
}

// CurriculaThroughServer is the curriculum repository reading through the
// server only, as on a real MongoDB.
func (s *Store) CurriculaThroughServer() *CurriculumRepo {
	r := *s.curricula
	r.file = nil
	return &r
}

// FilePlan is SQLite's plan of the query ReadWhereFromFile runs.
func (s *Store) FilePlan(ctx context.Context, coll string, kv ...string) (string, error) {
	if s.curricula.file == nil {
		return "", errors.New("not the embedded store")
	}
	table, err := s.curricula.file.table(ctx, coll)
	if err != nil {
		return "", err
	}
	where, args, err := whereOf(pairs(kv))
	if err != nil {
		return "", err
	}
	rows, err := s.curricula.file.db.QueryContext(ctx, fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE %s`, table, where), args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return "", err
		}
		plan = append(plan, detail)
	}
	return strings.Join(plan, "; "), rows.Err()
}
