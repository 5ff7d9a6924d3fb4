package store_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

func TestEventAppendMany(t *testing.T) {
	s := storetest.Open(t)
	var events []*domain.Event
	for i := range 3 {
		st := newStudent(i + 1)
		st.ID = bson.NewObjectID().Hex()
		events = append(events, &domain.Event{Type: domain.EventStudentCreated, At: at(11, 8), Actor: "admin",
			StudentID: st.ID, Student: domain.SnapshotOf(st)})
	}
	if err := s.Events().AppendMany(ctx(t), nil); err != nil {
		t.Fatalf("AppendMany(nil): %v", err)
	}
	if err := s.Events().AppendMany(ctx(t), events); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range events {
		if !hexID.MatchString(e.ID) || seen[e.ID] {
			t.Fatalf("IDs = %q", e.ID)
		}
		seen[e.ID] = true
	}
	coll := s.Database().Collection("events")
	if n, err := coll.CountDocuments(ctx(t), bson.M{"published_at": nil, "type": domain.EventStudentCreated}); err != nil || n != 3 {
		t.Fatalf("events stored = %d, %v; want 3 pending", n, err)
	}
	bad := []*domain.Event{{Type: domain.EventStudentCreated, StudentID: "nope"}}
	if err := s.Events().AppendMany(ctx(t), bad); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("bad student id: %v, want invalid", err)
	}
}
