package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/domain"
)

// AuditLog implements domain.AuditLog on the `audit` collection.
type AuditLog struct {
	coll *mongo.Collection
}

var _ domain.AuditLog = (*AuditLog)(nil)

// auditDoc is one audit entry as stored.
type auditDoc struct {
	ID     bson.ObjectID `bson:"_id"`
	At     time.Time     `bson:"at"`
	Actor  string        `bson:"actor"`
	Action string        `bson:"action"`
	Entity string        `bson:"entity"`
	// EntityID stays the domain's hex string: it points into students or
	// users depending on Entity, and the ids inside Old and New are
	// strings too, so one entry reads consistently.
	EntityID string `bson:"entity_id"`
	Old      any    `bson:"old,omitempty"`
	New      any    `bson:"new,omitempty"`
}

// Record appends e to the audit log.
func (l *AuditLog) Record(ctx context.Context, e domain.AuditEntry) error {
	d, err := toAuditDoc(e)
	if err != nil {
		return err
	}
	if _, err := l.coll.InsertOne(ctx, d); err != nil {
		return fmt.Errorf("audit %s %s %s: %w", e.Action, e.Entity, e.EntityID, err)
	}
	return nil
}

// toAuditDoc is e as stored, with a new id.
func toAuditDoc(e domain.AuditEntry) (auditDoc, error) {
	oldV, err := auditValue(e.Old)
	if err != nil {
		return auditDoc{}, fmt.Errorf("audit %s %s %s: old value: %w", e.Action, e.Entity, e.EntityID, err)
	}
	newV, err := auditValue(e.New)
	if err != nil {
		return auditDoc{}, fmt.Errorf("audit %s %s %s: new value: %w", e.Action, e.Entity, e.EntityID, err)
	}
	return auditDoc{
		ID: bson.NewObjectID(), At: e.At, Actor: e.Actor, Action: e.Action,
		Entity: e.Entity, EntityID: e.EntityID, Old: oldV, New: newV,
	}, nil
}

// auditValue converts a domain value to what the audit document stores.
// Going through encoding/json uses the domain's json tags, so field names
// are the same snake_case as everywhere else, dates are "YYYY-MM-DD" and
// anything tagged "-" (the password hash) is left out. Objects are read
// back as extended JSON into a bson.D, which keeps the fields in the
// struct's order and integers as integers; other values (a list, a plain
// string) are stored as encoding/json reads them.
func auditValue(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		return nil, nil // a typed nil pointer: nothing to record
	case len(b) > 0 && b[0] == '{' && !bytes.Contains(b, []byte(`"$`)):
		// The "$" guard keeps extended JSON from reading a key such as
		// "$date" as a type marker; domain types have no such keys, but a
		// map with people's input could.
		var d bson.D
		if err := bson.UnmarshalExtJSON(b, false, &d); err != nil {
			return nil, fmt.Errorf("convert %T: %w", v, err)
		}
		return d, nil
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("convert %T: %w", v, err)
	}
	return out, nil
}
