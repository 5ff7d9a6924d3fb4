package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
	"scolarite/notify"
)

// Collections of the notifier.
const (
	notificationsColl     = "notifications"
	notificationLeaseColl = "notification_leases"
)

// defaultListLimit bounds a log listing when the caller gives no limit.
const defaultListLimit = 500

// NotificationRepo implements notify.Repo in the `notifications`
// collection.
//
// Exactly-once creation: a unique index on (event_id, channel, recipient)
// refuses a second record for the same message, so two workers that read
// the same outbox events both insert and one of each pair is refused.
//
// Claiming: FerretDB 1.24 runs update and findAndModify as a query then a
// write, so "set owner where owner is null" can succeed for two workers.
// A claim is therefore a primary-key insert into `notification_leases`
// (one document per record, _id = the record's id), atomic on MongoDB and
// FerretDB alike, as for Leases and claims; the record is then read again,
// since another worker may have finished it between our query and our
// lease. A lease is dropped when its record is done; a dead worker's
// leases expire and are taken over like those of Leases.
//
// Cost on FerretDB 1.24: only a filter of one `_id` reaches SQLite (and
// its index, see idIndexes); any other decodes every record. So the claim
// reads the queue of due records (notification_queue.go), not the records,
// and every read and write of a record is by `_id`. List, Counts and Purge
// still decode every record. MongoDB has none of these costs.
type NotificationRepo struct {
	coll   *mongo.Collection
	leases *mongo.Collection
	due    *mongo.Collection // the pending records' ids (notification_queue.go)
	file   *ferretFile       // nil but on the embedded store
}

var _ notify.Repo = (*NotificationRepo)(nil)

// Notifications returns the notification records.
func (s *Store) Notifications() *NotificationRepo {
	return &NotificationRepo{coll: s.db.Collection(notificationsColl), leases: s.db.Collection(notificationLeaseColl),
		due: s.db.Collection(dueColl), file: s.students.file}
}

// notificationIndexes are created by ensureIndexes.
func notificationIndexes() []mongo.IndexModel {
	return []mongo.IndexModel{
		{Keys: bson.D{{Key: "event_id", Value: 1}, {Key: "channel", Value: 1}, {Key: "recipient", Value: 1}},
			Options: options.Index().SetName("event_id_1_channel_1_recipient_1").SetUnique(true)},
		{Keys: bson.D{{Key: "status", Value: 1}, {Key: "next_at", Value: 1}}, Options: options.Index().SetName("status_1_next_at_1")},
		{Keys: bson.D{{Key: "student_id", Value: 1}}, Options: options.Index().SetName("student_id_1")},
	}
}

type notificationDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	EventID   bson.ObjectID `bson:"event_id"`
	Kind      string        `bson:"kind"`
	Channel   string        `bson:"channel"`
	Recipient string        `bson:"recipient"`
	Audience  string        `bson:"audience"`
	StudentID bson.ObjectID `bson:"student_id"`
	Student   string        `bson:"student"`
	Lang      string        `bson:"lang"`
	Subject   string        `bson:"subject"`
	Body      string        `bson:"body"`
	Status    string        `bson:"status"`
	Attempts  int           `bson:"attempts"`
	LastError string        `bson:"last_error"`
	NextAt    time.Time     `bson:"next_at"`
	CreatedAt time.Time     `bson:"created_at"`
	UpdatedAt time.Time     `bson:"updated_at"`
	SentAt    *time.Time    `bson:"sent_at"`
}

func (d *notificationDoc) notification() *notify.Notification {
	n := &notify.Notification{
		ID: d.ID.Hex(), EventID: d.EventID.Hex(), Kind: notify.Kind(d.Kind), Channel: notify.Channel(d.Channel),
		Recipient: d.Recipient, Audience: notify.Audience(d.Audience), StudentID: d.StudentID.Hex(), Student: d.Student,
		Lang: d.Lang, Subject: d.Subject, Body: d.Body, Status: notify.Status(d.Status), Attempts: d.Attempts,
		LastError: d.LastError, NextAt: d.NextAt, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
	if d.SentAt != nil {
		n.SentAt = *d.SentAt
	}
	return n
}

func toNotificationDoc(n *notify.Notification) (notificationDoc, error) {
	eid, ok := parseID(n.EventID)
	if !ok {
		return notificationDoc{}, domain.Invalid("event_id", "is not a valid event identifier ("+n.EventID+")")
	}
	sid, ok := parseID(n.StudentID)
	if !ok {
		return notificationDoc{}, domain.Invalid("student_id", "is not a valid student identifier ("+n.StudentID+")")
	}
	d := notificationDoc{
		ID: bson.NewObjectID(), EventID: eid, Kind: string(n.Kind), Channel: string(n.Channel), Recipient: n.Recipient,
		Audience: string(n.Audience), StudentID: sid, Student: n.Student, Lang: n.Lang, Subject: n.Subject, Body: n.Body,
		Status: string(n.Status), Attempts: n.Attempts, LastError: n.LastError,
		NextAt: n.NextAt.UTC(), CreatedAt: n.CreatedAt.UTC(), UpdatedAt: n.UpdatedAt.UTC(),
	}
	if !n.SentAt.IsZero() {
		at := n.SentAt.UTC()
		d.SentAt = &at
	}
	return d, nil
}

// Create inserts the records unordered; those refused by the unique index
// already exist and are not an error.
func (r *NotificationRepo) Create(ctx context.Context, ns []*notify.Notification) (int, error) {
	if len(ns) == 0 {
		return 0, nil
	}
	docs := make([]any, 0, len(ns))
	ids := make([]bson.ObjectID, 0, len(ns))
	for _, n := range ns {
		d, err := toNotificationDoc(n)
		if err != nil {
			return 0, err
		}
		docs = append(docs, d)
		ids = append(ids, d.ID)
	}
	// The pending records' queue entries first (see notification_queue.go).
	var entries []any
	for _, d := range docs {
		if d := d.(notificationDoc); d.Status == string(notify.Pending) {
			entries = append(entries, dueOf(&d, d.CreatedAt))
		}
	}
	if err := insertOnce(ctx, r.due, entries); err != nil {
		return 0, fmt.Errorf("queue %d notifications: %w", len(entries), err)
	}
	refused, err := r.insertUnordered(ctx, r.coll, docs)
	if err != nil {
		return 0, fmt.Errorf("create %d notifications: %w", len(ns), err)
	}
	// The records refused exist under other ids, with their own entries.
	var orphans bson.A
	for i := range refused {
		orphans = append(orphans, ids[i])
	}
	if err := deleteByIDs(ctx, r.due, orphans); err != nil {
		return 0, fmt.Errorf("unqueue %d notifications already created: %w", len(orphans), err)
	}
	for i, n := range ns {
		if !refused[i] {
			n.ID = ids[i].Hex()
		}
	}
	return len(ns) - len(refused), nil
}

// insertUnordered inserts docs and returns the indexes of those refused as
// duplicates; any other failure is an error.
func (r *NotificationRepo) insertUnordered(ctx context.Context, coll *mongo.Collection, docs []any) (map[int]bool, error) {
	_, err := coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	refused := map[int]bool{}
	if err == nil {
		return refused, nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return nil, err
	}
	for _, we := range bwe.WriteErrors {
		if !mongo.IsDuplicateKeyError(we) {
			return nil, err
		}
		refused[we.Index] = true
	}
	return refused, nil
}

func objectIDs(ids []string) (bson.A, error) {
	out := make(bson.A, 0, len(ids))
	for _, id := range ids {
		oid, ok := parseID(id)
		if !ok {
			return nil, domain.Invalid("id", "is not a valid notification identifier ("+id+")")
		}
		out = append(out, oid)
	}
	return out, nil
}

func in(ids bson.A) bson.D { return bson.D{{Key: "$in", Value: ids}} }

// List returns records newest first.
func (r *NotificationRepo) List(ctx context.Context, f notify.Filter) ([]*notify.Notification, error) {
	q := bson.D{}
	if f.Status != "" {
		q = append(q, bson.E{Key: "status", Value: string(f.Status)})
	}
	if f.StudentID != "" {
		sid, ok := parseID(f.StudentID)
		if !ok {
			return nil, nil
		}
		q = append(q, bson.E{Key: "student_id", Value: sid})
	}
	if f.Audience != "" {
		q = append(q, bson.E{Key: "audience", Value: string(f.Audience)})
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultListLimit
	}
	cur, err := r.coll.Find(ctx, q, options.Find().
		SetSort(bson.D{{Key: "created_at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	var docs []notificationDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list notifications: %w", err)
	}
	out := make([]*notify.Notification, 0, len(docs))
	for i := range docs {
		out = append(out, docs[i].notification())
	}
	return out, nil
}

// Counts groups the records by status ($group with $sum only, which both
// servers run).
func (r *NotificationRepo) Counts(ctx context.Context) (map[notify.Status]int, error) {
	cur, err := r.coll.Aggregate(ctx, mongo.Pipeline{
		{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$status"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("count notifications: %w", err)
	}
	var rows []struct {
		Status string `bson:"_id"`
		N      int    `bson:"n"`
	}
	if err := cur.All(ctx, &rows); err != nil {
		return nil, fmt.Errorf("count notifications: %w", err)
	}
	out := map[notify.Status]int{}
	for _, row := range rows {
		out[notify.Status(row.Status)] = row.N
	}
	return out, nil
}

// Retry puts a failed record back in the queue. Workers never touch failed
// records, so the read then the write by _id (a filter with the status too
// would decode every record) race only with another retry of the same
// record, which writes the same values. The queue entry is written before
// the record (killed in between, the entry of a failed record is dropped
// by the next claim) and again after it: a claim that read the record
// still failed may have dropped the first one meanwhile.
func (r *NotificationRepo) Retry(ctx context.Context, id string, now time.Time) error {
	oid, ok := parseID(id)
	if !ok {
		return notFound("notification", id)
	}
	var d notificationDoc
	if err := r.coll.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d); err != nil {
		if isNoDocuments(err) {
			return notFound("notification", id)
		}
		return fmt.Errorf("read notification %s: %w", id, err)
	}
	if d.Status != string(notify.Failed) {
		return domain.Errorf(domain.ECONFLICT, "notification %s is %s, not failed: only a failed one can be retried", id, d.Status)
	}
	d.NextAt = now.UTC()
	if err := r.putDue(ctx, dueOf(&d, now)); err != nil {
		return err
	}
	_, err := r.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: string(notify.Pending)}, {Key: "attempts", Value: 0},
			{Key: "next_at", Value: now.UTC()}, {Key: "updated_at", Value: now.UTC()}}}})
	if err != nil {
		return fmt.Errorf("retry notification %s: %w", id, err)
	}
	return r.putDue(ctx, dueOf(&d, now))
}

// Purge deletes finished records created before before.
func (r *NotificationRepo) Purge(ctx context.Context, before time.Time) (int, error) {
	res, err := r.coll.DeleteMany(ctx, bson.D{
		{Key: "status", Value: bson.D{{Key: "$in", Value: bson.A{string(notify.Sent), string(notify.Skipped), string(notify.Failed)}}}},
		{Key: "created_at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}},
	})
	if err != nil {
		return 0, fmt.Errorf("purge notifications: %w", err)
	}
	return int(res.DeletedCount), nil
}
