package store_test

import (
	"bytes"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store/storetest"
)

// A document read straight from FerretDB's SQLite file is the very
// document FerretDB returns, byte for byte, for every BSON type the store
// writes (and the others FerretDB keeps).
func TestFileReadsWhatFerretDBReturns(t *testing.T) {
	c := ctx(t)
	s := storetest.Open(t)
	coll := s.Database().Collection("sjson_types")
	docs := []bson.D{
		{{Key: "_id", Value: bson.NewObjectID()}, {Key: "double", Value: 12.25}, {Key: "whole", Value: 3.0}, {Key: "string", Value: "Élève « 1 »\n"},
			{Key: "oid", Value: bson.NewObjectID()}, {Key: "yes", Value: true}, {Key: "no", Value: false},
			{Key: "date", Value: bson.NewDateTimeFromTime(at(5, 8))}, {Key: "null", Value: nil}, {Key: "int", Value: int32(-7)},
			{Key: "long", Value: int64(1) << 50}, {Key: "ts", Value: bson.Timestamp{T: 1_700_000_000, I: 3}},
			{Key: "bin", Value: bson.Binary{Subtype: 0, Data: []byte{0, 1, 254}}}, {Key: "re", Value: bson.Regex{Pattern: "^a.*", Options: "i"}},
			{Key: "nested", Value: bson.D{{Key: "z", Value: int32(1)}, {Key: "a", Value: bson.A{"x", int64(2), bson.D{{Key: "k", Value: nil}}}}}},
			{Key: "empty", Value: bson.A{}}, {Key: "emptydoc", Value: bson.D{}}},
		{{Key: "_id", Value: bson.NewObjectID()}, {Key: "only", Value: "one field"}},
	}
	ids := make([]bson.ObjectID, 0, len(docs))
	for _, d := range docs {
		if _, err := coll.InsertOne(c, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d[0].Value.(bson.ObjectID))
	}
	missing := bson.NewObjectID()
	got, err := s.ReadFromFile(c, "sjson_types", append(ids, missing))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(docs) {
		t.Fatalf("%d documents read, want %d (the missing one left out)", len(got), len(docs))
	}
	for _, id := range ids {
		want, err := coll.FindOne(c, bson.D{{Key: "_id", Value: id}}).Raw()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[id], want) {
			t.Errorf("document %s from the file:\n%s\nfrom FerretDB:\n%s", id.Hex(), got[id], want)
		}
	}
}

// The queues read events and notification records from the file: the
// documents the store writes decode there (not falling back to FerretDB
// unnoticed).
func TestFileReadsEventsAndRecords(t *testing.T) {
	c := ctx(t)
	s := storetest.Open(t)
	e := &domain.Event{Type: domain.EventGradeAdded, At: at(3, 9), Actor: "prof", StudentID: bson.NewObjectID().Hex(),
		Student: domain.Snapshot{Number: "2026-00001", LastName: "Diop", FirstName: "Awa", Phone: "+221771234567"},
		Grade:   &domain.Grade{ID: "g1", Subject: "Maths", Value: 12.5, Coefficient: 2}, Average: ptr(12.5)}
	if err := s.Events().AppendMany(c, []*domain.Event{e}); err != nil {
		t.Fatal(err)
	}
	n := &notify.Notification{EventID: e.ID, Kind: notify.KindGrade, Channel: notify.Email, Recipient: "awa@esp221.sn",
		Audience: notify.ToStudent, StudentID: e.StudentID, Student: "2026-00001", Lang: "fr", Subject: "Nouvelle note", Body: "12,5",
		Status: notify.Pending, NextAt: at(3, 9), CreatedAt: at(3, 9), UpdatedAt: at(3, 9)}
	if _, err := s.Notifications().Create(c, []*notify.Notification{n}); err != nil {
		t.Fatal(err)
	}
	for coll, id := range map[string]string{"events": e.ID, "notifications": n.ID} {
		oid, err := bson.ObjectIDFromHex(id)
		if err != nil {
			t.Fatalf("%s id %q: %v", coll, id, err)
		}
		got, err := s.ReadFromFile(c, coll, []bson.ObjectID{oid})
		if err != nil {
			t.Fatalf("%s from the file: %v", coll, err)
		}
		want, err := s.Database().Collection(coll).FindOne(c, bson.D{{Key: "_id", Value: oid}}).Raw()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got[oid], want) {
			t.Errorf("%s from the file:\n%s\nfrom FerretDB:\n%s", coll, got[oid], want)
		}
	}
}
