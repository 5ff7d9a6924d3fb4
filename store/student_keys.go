package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

// studentKeysColl holds the lookup hints: `number:<matricule>` and
// `phone:<E.164>` to a student's _id.
const studentKeysColl = "student_keys"

// FerretDB 1.24 hands SQLite only a filter of exactly one _id; any other
// filter (matricule, phone) decodes every student in Go, 85 µs each with
// 60 grades, so a `students show 2026-19999` scanned for seconds at
// 20,000 students. A lookup therefore goes matricule or phone → hint →
// student by _id, two indexed reads (see idIndexes).
//
// A hint is never trusted. It is written after the student (insert,
// replace), without a transaction, so a crash or a failed write can leave
// it missing or pointing at a student that was deleted or now holds
// another phone. Every lookup checks that the student it reaches holds
// the value; when it does not (or there is no hint) the lookup falls back
// to the filter by value, as before, and writes the hint it found. A
// stale hint costs one slow lookup, never a wrong answer. Uniqueness stays
// the unique indexes' job on `students`: hints enforce nothing, so a hint
// that names the wrong student cannot refuse or allow anything.
//
// A value nobody holds still costs the scan (a hint's absence proves
// nothing), as does a hint that failed to be written.

// keyDoc is one lookup hint.
type keyDoc struct {
	ID      string        `bson:"_id"`
	Student bson.ObjectID `bson:"student"`
}

func keyID(field, value string) string { return field + ":" + value }

// byKey returns the student whose field ("number" or "phone") is value;
// label names the student in the not-found error.
func (r *StudentRepo) byKey(ctx context.Context, field, value, label string) (*domain.Student, error) {
	var k keyDoc
	err := r.keys.FindOne(ctx, bson.D{{Key: "_id", Value: keyID(field, value)}}).Decode(&k)
	switch {
	case err == nil:
		var d studentDoc
		err := r.coll.FindOne(ctx, bson.D{{Key: "_id", Value: k.Student}}).Decode(&d)
		if err == nil && d.holds(field, value) {
			return d.student()
		}
		if err != nil && !isNoDocuments(err) {
			return nil, fmt.Errorf("find student %s: %w", label, err)
		}
		// A stale hint: the student is gone or holds another value.
	case !isNoDocuments(err):
		return nil, fmt.Errorf("find student %s: read its lookup hint: %w", label, err)
	}
	var d studentDoc
	if err := r.coll.FindOne(ctx, bson.D{{Key: field, Value: value}, notDeleted()}).Decode(&d); err != nil {
		if isNoDocuments(err) {
			return nil, notFound("student", label)
		}
		return nil, fmt.Errorf("find student %s: %w", label, err)
	}
	r.noteKeys(ctx, &d)
	return d.student()
}

// holds reports whether the stored student holds value in field: the
// check that makes a hint safe to follow.
func (d *studentDoc) holds(field, value string) bool {
	if d.Deleted {
		return false
	}
	switch field {
	case "number":
		return d.Number == value
	case "phone":
		return d.Phone == value
	}
	return false
}

// noteKeys writes the hints of students just stored. Failures are
// ignored on purpose: the write they follow succeeded, and a missing hint
// only makes a later lookup slow (it then writes the hint itself).
func (r *StudentRepo) noteKeys(ctx context.Context, ds ...*studentDoc) {
	if len(ds) == 0 {
		return
	}
	models := make([]mongo.WriteModel, 0, 2*len(ds))
	for _, d := range ds {
		for _, k := range []keyDoc{{keyID("number", d.Number), d.ID}, {keyID("phone", d.Phone), d.ID}} {
			models = append(models, mongo.NewReplaceOneModel().
				SetFilter(bson.D{{Key: "_id", Value: k.ID}}).SetReplacement(k).SetUpsert(true))
		}
	}
	_, _ = r.keys.BulkWrite(context.WithoutCancel(ctx), models, options.BulkWrite().SetOrdered(false))
}

// noteNewKeys writes the hints of students just inserted, as one insert:
// an import of thousands must not pay an upsert each. A hint already
// there (left by a deleted student) is refused by its _id and left stale,
// to be repaired by the first lookup that meets it.
func (r *StudentRepo) noteNewKeys(ctx context.Context, ds []studentDoc) {
	if len(ds) == 0 {
		return
	}
	keys := make([]keyDoc, 0, 2*len(ds))
	for i := range ds {
		keys = append(keys, keyDoc{keyID("number", ds[i].Number), ds[i].ID}, keyDoc{keyID("phone", ds[i].Phone), ds[i].ID})
	}
	_, _ = r.keys.InsertMany(context.WithoutCancel(ctx), keys, options.InsertMany().SetOrdered(false))
}

// storedVersion is what a conditional write checks before it writes by
// _id alone: the stored version and phone of the student, or ENOTFOUND,
// or ECONFLICT when the version moved.
//
// Replace and Delete used to filter on {_id, version}, which FerretDB
// cannot hand to SQLite: each write decoded every student (O(N), and
// O(N²) for a batch). They now write by _id alone after this check. That
// is as safe as the filter: the caller holds the claim of version+1
// (claims.go), every versioned write of a student takes that claim first,
// so the version cannot move between this read and the write; and
// FerretDB's own conditional write was a read followed by a write too.
func (r *StudentRepo) storedVersion(ctx context.Context, oid bson.ObjectID, version int64, key string) (phone string, err error) {
	var cur struct {
		Number  string `bson:"number"`
		Phone   string `bson:"phone"`
		Version int64  `bson:"version"`
		Deleted bool   `bson:"deleted"`
	}
	err = r.coll.FindOne(ctx, bson.D{{Key: "_id", Value: oid}},
		options.FindOne().SetProjection(bson.D{{Key: "number", Value: 1}, {Key: "phone", Value: 1}, {Key: "version", Value: 1}, {Key: "deleted", Value: 1}})).Decode(&cur)
	switch {
	case isNoDocuments(err) || err == nil && cur.Deleted:
		return "", notFound("student", key)
	case err != nil:
		return "", fmt.Errorf("check the version of student %s: %w", key, err)
	case cur.Version != version:
		return "", stale("student", cur.Number)
	}
	return cur.Phone, nil
}
