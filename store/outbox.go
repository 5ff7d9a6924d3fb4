package store

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

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

// Pending returns the oldest events the consumer has not marked, from its
// queue (see outbox_queue.go): the cost is the backlog's, not the log's.
func (l *EventLog) Pending(ctx context.Context, c domain.Consumer, limit int) ([]*domain.Event, error) {
	if _, err := markField(c); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, nil
	}
	return l.pendingFromQueue(ctx, c, limit)
}

// MarkDone records that the consumer handled the events: the mark on each
// event, by _id (the one filter FerretDB hands to SQLite; an `$in` decoded
// every event), then their queue entries. Killed in between, it leaves
// entries of marked events, which Pending drops.
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
	set := bson.D{{Key: "$set", Value: bson.D{{Key: field, Value: at.UTC()}}}}
	if err := updateByIDs(ctx, l.coll, oids, set); err != nil {
		return fmt.Errorf("mark %d events %s: %w", len(oids), field, err)
	}
	if err := deleteByIDs(ctx, queueOf(l.coll.Database(), c), oids); err != nil {
		return fmt.Errorf("dequeue %d events marked %s: %w", len(oids), field, err)
	}
	return nil
}

func (d *eventDoc) event() *domain.Event {
	e := &domain.Event{
		ID: d.ID.Hex(), Type: d.Type, At: d.At, Actor: d.Actor, StudentID: d.StudentID.Hex(),
		Average: d.Average, PreviousAverage: d.PreviousAverage, Hidden: d.Hidden, Result: d.Result.notice(),
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
	if d.PreviousGrade != nil {
		g := d.PreviousGrade.grade()
		e.PreviousGrade = &g
	}
	return e
}
