package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
)

// ByIDs reads whole students, the same as ByID does one by one, in the
// order asked, leaving out IDs of no student (unknown, malformed,
// deleted): from the SQLite file on the embedded store, and through the
// server (a store opened without the embedded dir, as on MongoDB).
func TestByIDsIsByIDForEach(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	var ss []*domain.Student
	for i := range 4 {
		ss = append(ss, newStudent(200+i))
	}
	ss[0].Email, ss[0].GuardianName, ss[0].GuardianPhone = "awa@example.sn", "Fatou Diop", "+221771234567"
	ss[1].Grades = []domain.Grade{
		{ID: "g1", Subject: "Maths", Value: 12.5, Coefficient: 1, Date: at(6, 10), Teacher: "prof", EvaluationID: "e1", Comment: "bien"},
		{ID: "g2", Subject: "Maths", Coefficient: 1, Date: at(7, 11), Teacher: "prof", EvaluationID: "e2", Absent: domain.AbsentJustified},
		{ID: "g3", Subject: "Anglais", Value: 20, Coefficient: 2.5, Date: at(8, 12), Teacher: "admin"},
	}
	ss[1].Average = ptr(14.1)
	ss[1].Terms = []domain.TermAverage{{Year: "2026-2027", Semester: "S1", Average: ptr(12.5)}, {Year: "2026-2027", Semester: "S2"}}
	ss[1].Remarks = []domain.Remark{{Year: "2026-2027", Semester: "S1", Subject: "Maths", Text: "Bon travail, « rigueur »", Teacher: "prof", At: time.Date(2026, 12, 1, 10, 30, 0, 0, time.UTC)}}
	if err := repo.InsertMany(ctx(t), ss, nil); err != nil {
		t.Fatal(err)
	}
	changed := *ss[3]
	changed.LastName, changed.Version, changed.UpdatedAt = "Changé", 2, at(9, 8)
	if err := repo.Replace(ctx(t), &changed, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	if err := repo.Delete(ctx(t), ss[2].ID, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	var want []*domain.Student
	for _, i := range []int{3, 0, 1} {
		st, err := repo.ByID(ctx(t), ss[i].ID)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, st)
	}
	ids := []string{ss[3].ID, bson.NewObjectID().Hex(), "not-an-id", ss[0].ID, ss[2].ID, ss[1].ID}

	// The same database, opened as the application opens the embedded
	// store (its log kept, to see the SQLite file was read), and as it
	// opens a MongoDB server.
	var log bytes.Buffer
	file, err := store.Open(ctx(t), storetest.URI(t), s.Database().Name(),
		append(storetest.Options(), store.WithLogger(slog.New(slog.NewTextHandler(&log, nil))))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { file.Close(context.Background()) })
	server, err := store.Open(ctx(t), storetest.URI(t), s.Database().Name())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close(context.Background()) })
	for _, tc := range []struct {
		name string
		repo domain.StudentRepo
	}{{"embedded file", file.Students()}, {"server", server.Students()}} {
		got, err := tc.repo.ByIDs(ctx(t), ids)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		mustEqual(t, tc.name, got, want)
	}
	if len(storetest.Options()) > 0 && strings.Contains(log.String(), "SQLite file failed") {
		t.Errorf("the students were not read from the SQLite file:\n%s", log.String())
	}
	if got, err := repo.ByIDs(ctx(t), nil); err != nil || len(got) != 0 {
		t.Errorf("no IDs: %d students, %v", len(got), err)
	}
}
