package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

var _ domain.Outbox = (*EventLog)(nil)

// markField is the event field where a consumer records its progress.
func markField(c domain.Consumer) (string, error) {
	switch c {
	case domain.ConsumerRelay:
		return "published_at", nil
	case domain.ConsumerNotifier:
		return "notified_at", nil
	}
	return "", fmt.Errorf("unknown outbox consumer %q", c)
}

// Pending returns the oldest events the consumer has not marked.
func (l *EventLog) Pending(ctx context.Context, c domain.Consumer, limit int) ([]*domain.Event, error) {
	field, err := markField(c)
	if err != nil {
		return nil, err
	}
	cur, err := l.coll.Find(ctx, bson.D{{Key: field, Value: nil}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("read pending events for %s: %w", c, err)
	}
	var docs []eventDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read pending events for %s: %w", c, err)
	}
	out := make([]*domain.Event, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].event())
	}
	return out, nil
}

// MarkDone records that the consumer handled the events.
func (l *EventLog) MarkDone(ctx context.Context, c domain.Consumer, ids []string, at time.Time) error {
	field, err := markField(c)
	if err != nil {
		return err
	}
	oids := make(bson.A, 0, len(ids))
	for _, id := range ids {
		oid, ok := parseID(id)
		if !ok {
			return domain.Invalid("id", "is not a valid event identifier ("+id+")")
		}
		oids = append(oids, oid)
	}
	if len(oids) == 0 {
		return nil
	}
	_, err = l.coll.UpdateMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: at.UTC()}}}})
	if err != nil {
		return fmt.Errorf("mark %d events %s: %w", len(ids), field, err)
	}
	return nil
}

func (d *eventDoc) event() *domain.Event {
	e := &domain.Event{
		ID: d.ID.Hex(), Type: d.Type, At: d.At, Actor: d.Actor, StudentID: d.StudentID.Hex(),
		Average: d.Average, PreviousAverage: d.PreviousAverage, Hidden: d.Hidden,
		Student: domain.Snapshot{Number: d.Student.Number, LastName: d.Student.LastName, FirstName: d.Student.FirstName,
			Phone: d.Student.Phone, Email: d.Student.Email, Class: d.Student.Class, Major: d.Student.Major,
			GuardianName: d.Student.GuardianName, GuardianPhone: d.Student.GuardianPhone, GuardianEmail: d.Student.GuardianEmail},
	}
	if b, err := domain.ParseDate(d.Student.BirthDate); err == nil {
		e.Student.BirthDate = b
	}
	if d.Grade != nil {
		g := d.Grade.grade()
		e.Grade = &g
	}
	return e
}
