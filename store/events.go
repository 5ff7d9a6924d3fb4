package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

// EventLog implements domain.EventLog: the outbox in the `events`
// collection, read later by the notifier and the Kafka relay.
type EventLog struct {
	coll *mongo.Collection
	file *ferretFile // nil but on the embedded store
}

var _ domain.EventLog = (*EventLog)(nil)

// eventDoc is one outbox entry. Its fields mirror the json tags of
// domain.Event, plus the progress marks of the two consumers.
type eventDoc struct {
	ID    bson.ObjectID `bson:"_id"`
	Type  string        `bson:"type"`
	At    time.Time     `bson:"at"`
	Actor string        `bson:"actor"`
	// StudentID references students._id; a student.deleted event keeps
	// pointing at the removed record, which is why Student is a snapshot.
	StudentID       bson.ObjectID `bson:"student_id"`
	Student         snapshotDoc   `bson:"student"`
	Grade           *gradeDoc     `bson:"grade,omitempty"`
	PreviousGrade   *gradeDoc     `bson:"previous_grade,omitempty"`
	Average         *float64      `bson:"average,omitempty"`
	PreviousAverage *float64      `bson:"previous_average,omitempty"`
	Hidden          bool          `bson:"hidden,omitempty"`
	// Result is a results.published event's: what the student is told.
	Result *resultNoticeDoc `bson:"result,omitempty"`
	// PublishedAt (Kafka relay) and NotifiedAt (notifier) are stored as
	// null, not left out, so that each consumer can find its pending work
	// with an equality on null and mark it done with one $set.
	PublishedAt *time.Time `bson:"published_at"`
	NotifiedAt  *time.Time `bson:"notified_at"`
}

// resultNoticeDoc is domain.ResultNotice as stored inside an event.
type resultNoticeDoc struct {
	Semester     string   `bson:"semester"`
	Year         string   `bson:"year"`
	Session      int      `bson:"session"`
	Decision     string   `bson:"decision"`
	Jury         bool     `bson:"jury,omitempty"`
	Credits      int      `bson:"credits"`
	TotalCredits int      `bson:"total_credits"`
	Average      *float64 `bson:"average"`
	Mention      string   `bson:"mention,omitempty"`
}

func toResultNoticeDoc(n *domain.ResultNotice) *resultNoticeDoc {
	if n == nil {
		return nil
	}
	return &resultNoticeDoc{Semester: n.Semester, Year: n.Year, Session: n.Session, Decision: string(n.Decision), Jury: n.Jury,
		Credits: n.Credits, TotalCredits: n.TotalCredits, Average: n.Average, Mention: string(n.Mention)}
}

func (d *resultNoticeDoc) notice() *domain.ResultNotice {
	if d == nil {
		return nil
	}
	return &domain.ResultNotice{Semester: d.Semester, Year: d.Year, Session: d.Session, Decision: domain.Decision(d.Decision), Jury: d.Jury,
		Credits: d.Credits, TotalCredits: d.TotalCredits, Average: d.Average, Mention: domain.Mention(d.Mention)}
}

// snapshotDoc is domain.Snapshot as stored inside an event.
type snapshotDoc struct {
	Number    string `bson:"number"`
	LastName  string `bson:"last_name"`
	FirstName string `bson:"first_name"`
	Phone     string `bson:"phone"`
	Email     string `bson:"email,omitempty"`
	Class     string `bson:"class"`
	Major     string `bson:"major"`
	BirthDate string `bson:"birth_date"` // YYYY-MM-DD, as in students
	// The guardian contact, so a replayed event reaches the guardian it
	// was written for, not whoever is recorded later.
	GuardianName  string `bson:"guardian_name,omitempty"`
	GuardianPhone string `bson:"guardian_phone,omitempty"`
	GuardianEmail string `bson:"guardian_email,omitempty"`
}

func toSnapshotDoc(s domain.Snapshot) snapshotDoc {
	d := snapshotDoc{
		Number: s.Number, LastName: s.LastName, FirstName: s.FirstName, Phone: s.Phone,
		Email: s.Email, Class: s.Class, Major: s.Major,
		GuardianName: s.GuardianName, GuardianPhone: s.GuardianPhone, GuardianEmail: s.GuardianEmail,
	}
	if !s.BirthDate.IsZero() {
		d.BirthDate = s.BirthDate.String()
	}
	return d
}

// Append writes e to the outbox, assigning e.ID when it is empty.
func (l *EventLog) Append(ctx context.Context, e *domain.Event) error {
	d, err := toEventDoc(e)
	if err != nil {
		return err
	}
	if _, err := l.coll.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("append event %s for student %s: %w", e.Type, e.Student.Number, err)
	}
	e.ID = d.ID.Hex()
	// Enqueued after the insert (see outbox_queue.go): a crash in between
	// leaves an event no consumer will read. Only tests and tools append
	// directly; a write's events travel in its trail, whose delivery is
	// retried until they are enqueued.
	if err := enqueue(ctx, l.coll.Database(), []eventDoc{d}); err != nil {
		return fmt.Errorf("append event %s for student %s: %w", e.Type, e.Student.Number, err)
	}
	return nil
}

// AppendMany writes events in one insert (filling a store for the
// notifier's benchmarks; a write's own events travel in its trail). IDs
// are assigned to the events written.
func (l *EventLog) AppendMany(ctx context.Context, events []*domain.Event) error {
	if len(events) == 0 {
		return nil
	}
	docs := make([]any, len(events))
	stored := make([]eventDoc, len(events))
	for i, e := range events {
		d, err := toEventDoc(e)
		if err != nil {
			return err
		}
		docs[i], stored[i] = d, d
	}
	if _, err := l.coll.InsertMany(ctx, docs); err != nil {
		// An ordered insert stops at its first failure; those before it
		// are stored and must reach the queues.
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && len(bwe.WriteErrors) > 0 {
			err = errors.Join(err, enqueue(ctx, l.coll.Database(), stored[:bwe.WriteErrors[0].Index]))
		}
		return fmt.Errorf("append %d events: %w", len(events), err)
	}
	for i, e := range events {
		e.ID = stored[i].ID.Hex()
	}
	if err := enqueue(ctx, l.coll.Database(), stored); err != nil {
		return fmt.Errorf("append %d events: %w", len(events), err)
	}
	return nil
}

func toEventDoc(e *domain.Event) (eventDoc, error) {
	oid, err := newOrParseID("id", e.ID)
	if err != nil {
		return eventDoc{}, err
	}
	sid, ok := parseID(e.StudentID)
	if !ok {
		return eventDoc{}, domain.Invalid("student_id", "is not a valid student identifier ("+e.StudentID+")")
	}
	d := eventDoc{
		ID: oid, Type: e.Type, At: e.At, Actor: e.Actor, StudentID: sid,
		Student: toSnapshotDoc(e.Student), Average: e.Average, PreviousAverage: e.PreviousAverage, Hidden: e.Hidden,
		Result: toResultNoticeDoc(e.Result),
	}
	if e.PreviousGrade != nil {
		g := toGradeDoc(*e.PreviousGrade)
		d.PreviousGrade = &g
	}
	if e.Grade != nil {
		g := toGradeDoc(*e.Grade)
		d.Grade = &g
	}
	return d, nil
}
