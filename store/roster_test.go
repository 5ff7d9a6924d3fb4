package store_test

import (
	"sort"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
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
}
