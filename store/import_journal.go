package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

const importsColl = "imports"

// ImportJournal is the journal of running imports: one small document per
// import, written by that import only, deleted when it ends. Its writer is
// named like a claim's, so that another process can tell for certain that
// the import died.
type ImportJournal struct {
	coll *mongo.Collection
	self writerProcess
}

var _ domain.ImportJournal = (*ImportJournal)(nil)

type importDoc struct {
	ID      bson.ObjectID `bson:"_id"`
	Actor   string        `bson:"actor"`
	Started time.Time     `bson:"started"`
	By      writerProcess `bson:"by"`
	Phones  []string      `bson:"phones"`
	Before  []studentDoc  `bson:"before"`
}

func (j *ImportJournal) Begin(ctx context.Context, actor string) (string, error) {
	doc := importDoc{ID: bson.NewObjectID(), Actor: actor, Started: time.Now().UTC(), By: j.self, Phones: []string{}, Before: []studentDoc{}}
	if _, err := j.coll.InsertOne(ctx, doc); err != nil {
		return "", outOfSpace(fmt.Errorf("open the import journal: %w", err))
	}
	return doc.ID.Hex(), nil
}

func (j *ImportJournal) push(ctx context.Context, id, field string, values any) error {
	oid, ok := parseID(id)
	if !ok {
		return notFound("import journal", id)
	}
	_, err := j.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}},
		bson.D{{Key: "$push", Value: bson.D{{Key: field, Value: bson.D{{Key: "$each", Value: values}}}}}})
	if err != nil {
		return outOfSpace(fmt.Errorf("write the import journal: %w", err))
	}
	return nil
}

func (j *ImportJournal) Creating(ctx context.Context, id string, phones []string) error {
	return j.push(ctx, id, "phones", phones)
}

func (j *ImportJournal) Updating(ctx context.Context, id string, before *domain.Student) error {
	oid, ok := parseID(before.ID)
	if !ok {
		return notFound("student", before.Number)
	}
	return j.push(ctx, id, "before", []studentDoc{toStudentDoc(before, oid)})
}

func (j *ImportJournal) Finish(ctx context.Context, id string) error {
	oid, ok := parseID(id)
	if !ok {
		return nil
	}
	if _, err := j.coll.DeleteOne(ctx, bson.D{{Key: "_id", Value: oid}}); err != nil {
		return fmt.Errorf("close the import journal: %w", err)
	}
	return nil
}

func (j *ImportJournal) Abandoned(ctx context.Context) ([]domain.ImportRecord, error) {
	cur, err := j.coll.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("read the import journal: %w", err)
	}
	var docs []importDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read the import journal: %w", err)
	}
	var out []domain.ImportRecord
	for _, d := range docs {
		if !d.By.dead(j.self) {
			continue // running, or on another host: not ours to judge
		}
		rec := domain.ImportRecord{ID: d.ID.Hex(), Actor: d.Actor, Started: d.Started, PID: d.By.PID, Phones: d.Phones}
		for i := range d.Before {
			st, err := d.Before[i].student()
			if err != nil {
				return nil, fmt.Errorf("read the import journal %s: %w", rec.ID, err)
			}
			rec.Before = append(rec.Before, st)
		}
		out = append(out, rec)
	}
	return out, nil
}
