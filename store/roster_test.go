package store_test

import (
	"context"
	"errors"
	"sort"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
)

// The roster as Roster reads it (from the SQLite file on the embedded
// store) is the roster collection as FerretDB returns it, which is the
// students' rows: after inserts, a replace, a delete, a student with no
// average.
func TestRosterIsTheStudentsRows(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	var ss []*domain.Student
	for i := range 5 {
		st := newStudent(100 + i)
		if i == 3 {
			st.Grades, st.Average = []domain.Grade{{ID: "g1", Subject: "Maths", Value: 12.5, Coefficient: 1}}, ptr(12.5)
			st.Terms = []domain.TermAverage{{Year: "2026-2027", Semester: "S3", Average: ptr(12.5)}, {Year: "2025-2026", Semester: "S2"}}
		}
		ss = append(ss, st)
	}
	if err := repo.InsertMany(ctx(t), ss, nil); err != nil {
		t.Fatal(err)
	}
	changed := *ss[1]
	changed.LastName, changed.Version = "Changé", 2
	if err := repo.Replace(ctx(t), &changed, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	if err := repo.Delete(ctx(t), ss[2].ID, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	got, err := repo.Roster(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := s.Database().Collection("roster").Find(ctx(t), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID       bson.ObjectID `bson:"_id"`
		LastName string        `bson:"last_name"`
		Average  *float64      `bson:"average"`
	}
	if err := cur.All(ctx(t), &docs); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || len(docs) != 4 {
		t.Fatalf("%d rows read, %d in the collection; want 4", len(got), len(docs))
	}
	sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID.Hex() < docs[j].ID.Hex() })
	for i := range got {
		if got[i].ID != docs[i].ID.Hex() || got[i].LastName != docs[i].LastName || (got[i].Average == nil) != (docs[i].Average == nil) {
			t.Errorf("row %d: read %+v, stored %+v", i, got[i], docs[i])
		}
	}
	byID := map[string]domain.RosterRow{}
	for _, r := range got {
		byID[r.ID] = r
	}
	if byID[ss[1].ID].LastName != "Changé" || byID[ss[0].ID].Average != nil || byID[ss[3].ID].Average == nil {
		t.Errorf("rows = %+v", got)
	}
	if _, ok := byID[ss[2].ID]; ok {
		t.Error("the deleted student still has a row")
	}
	// The row carries the semester averages, for the table's selector.
	if r := byID[ss[3].ID]; len(r.Terms) != 2 || r.TermAverage("2026-2027", "S3") == nil || *r.TermAverage("2026-2027", "S3") != 12.5 ||
		r.Terms[1] != (domain.TermAverage{Year: "2025-2026", Semester: "S2"}) {
		t.Errorf("terms of the graded row = %+v", r.Terms)
	}
	if byID[ss[0].ID].Terms != nil {
		t.Errorf("a student with no semester has terms %+v", byID[ss[0].ID].Terms)
	}
}

// A store whose roster rows were built before they carried the semester
// averages (its marker has no version) has them built again at the next
// start, once: a later start leaves the rows as they are.
func TestOldRosterIsRebuiltOnce(t *testing.T) {
	s := storetest.Open(t)
	st := newStudent(200)
	st.Grades, st.Average = []domain.Grade{{ID: "g1", Subject: "Maths", Value: 14, Coefficient: 1, EvaluationID: "e1"}}, ptr(14)
	st.Terms = []domain.TermAverage{{Year: "2026-2027", Semester: "S3", Average: ptr(14)}}
	if err := s.Students().InsertMany(ctx(t), []*domain.Student{st, newStudent(201)}, nil); err != nil {
		t.Fatal(err)
	}
	// The roster as the previous version left it: rows without terms,
	// and its marker.
	db := s.Database()
	oldShape := func() {
		t.Helper()
		if _, err := db.Collection("roster").UpdateMany(ctx(t), bson.D{}, bson.D{{Key: "$unset", Value: bson.D{{Key: "terms", Value: ""}}}}); err != nil {
			t.Fatal(err)
		}
	}
	oldShape()
	if _, err := db.Collection("counters").ReplaceOne(ctx(t), bson.D{{Key: "_id", Value: "roster-built"}},
		bson.D{{Key: "_id", Value: "roster-built"}, {Key: "built", Value: true}}, options.Replace().SetUpsert(true)); err != nil {
		t.Fatal(err)
	}
	termsOf := func(s *store.Store) []domain.TermAverage {
		t.Helper()
		rows, err := s.Students().Roster(ctx(t))
		if err != nil || len(rows) != 2 {
			t.Fatalf("roster %+v, %v", rows, err)
		}
		for _, r := range rows {
			if r.Number == st.Number {
				return r.Terms
			}
		}
		t.Fatalf("no row of %s in %+v", st.Number, rows)
		return nil
	}
	if got := termsOf(s); got != nil {
		t.Fatalf("the old-shape roster has terms %+v; the test does not make an old roster", got)
	}
	reopen := func() *store.Store {
		t.Helper()
		again, err := store.Open(ctx(t), storetest.URI(t), db.Name(), storetest.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = again.Close(context.Background()) })
		return again
	}
	if got := termsOf(reopen()); len(got) != 1 || got[0].Semester != "S3" || got[0].Average == nil || *got[0].Average != 14 {
		t.Fatalf("after a start, the row's terms are %+v; want S3 14", got)
	}
	var marker struct {
		Version int `bson:"version"`
	}
	if err := db.Collection("counters").FindOne(ctx(t), bson.D{{Key: "_id", Value: "roster-built"}}).Decode(&marker); err != nil || marker.Version < 2 {
		t.Fatalf("marker %+v, %v", marker, err)
	}
	// Once: with the marker up to date, a start does not rebuild.
	oldShape()
	if got := termsOf(reopen()); got != nil {
		t.Errorf("a second start rebuilt the roster: terms %+v", got)
	}
}

// A store opened empty has its roster marked with its first students
// (their rows are written with them, of the current shape): the next start
// does not rebuild it, which took 80 s at 20,000 students. Opened empty
// and left empty, it carries no marker (a restore needs it empty).
func TestFirstStudentsMarkTheRoster(t *testing.T) {
	s := storetest.Open(t)
	db := s.Database()
	marked := func() bool {
		t.Helper()
		err := db.Collection("counters").FindOne(ctx(t), bson.D{{Key: "_id", Value: "roster-built"}}).Err()
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			t.Fatal(err)
		}
		return err == nil
	}
	if marked() {
		t.Fatal("an empty store carries the roster marker: a restore would refuse it")
	}
	if err := s.Students().InsertMany(ctx(t), []*domain.Student{newStudent(300), newStudent(301)}, nil); err != nil {
		t.Fatal(err)
	}
	if !marked() {
		t.Fatal("the first students did not mark the roster: the next start rebuilds it")
	}
	// A rebuild would give back the row removed here; a start must not.
	if _, err := db.Collection("roster").DeleteOne(ctx(t), bson.D{{Key: "number", Value: newStudent(301).Number}}); err != nil {
		t.Fatal(err)
	}
	again, err := store.Open(ctx(t), storetest.URI(t), db.Name(), storetest.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = again.Close(context.Background()) })
	if rows, err := again.Students().Roster(ctx(t)); err != nil || len(rows) != 1 {
		t.Fatalf("after a start the roster has %d rows (%v); want the 1 left: it was rebuilt", len(rows), err)
	}
}
