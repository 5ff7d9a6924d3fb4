package store_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// TestGuardianRoundTrip: the guardian contact is stored under its
// snake_case names, read back, shared by siblings (no unique index) and
// removed from the document when cleared.
func TestGuardianRoundTrip(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	first, sibling := newStudent(1), newStudent(2)
	for _, st := range []*domain.Student{first, sibling} {
		st.GuardianName, st.GuardianPhone = "Mamadou Diop", "+221770001122"
	}
	first.GuardianEmail = "m.diop@example.sn"
	for _, st := range []*domain.Student{first, sibling} {
		want := *st
		if err := repo.Insert(ctx(t), st, domain.Trail{}); err != nil {
			t.Fatalf("Insert %s (shared guardian phone): %v", st.Number, err)
		}
		want.ID = st.ID
		got, err := repo.ByID(ctx(t), st.ID)
		if err != nil {
			t.Fatalf("ByID: %v", err)
		}
		mustEqual(t, "ByID "+st.Number, got, &want)
	}

	raw := func() bson.M {
		var m bson.M
		if err := s.Database().Collection("students").FindOne(ctx(t), bson.M{"number": first.Number}).Decode(&m); err != nil {
			t.Fatalf("read raw: %v", err)
		}
		return m
	}
	m := raw()
	if m["guardian_name"] != "Mamadou Diop" || m["guardian_phone"] != "+221770001122" || m["guardian_email"] != "m.diop@example.sn" {
		t.Errorf("stored guardian = %v %v %v", m["guardian_name"], m["guardian_phone"], m["guardian_email"])
	}

	cleared := *first
	cleared.GuardianName, cleared.GuardianPhone, cleared.GuardianEmail = "", "", ""
	cleared.Version = first.Version + 1
	if err := repo.Replace(ctx(t), &cleared, first.Version, domain.Trail{}); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	m = raw()
	for _, k := range []string{"guardian_name", "guardian_phone", "guardian_email"} {
		if v, ok := m[k]; ok {
			t.Errorf("cleared %s still stored: %#v", k, v)
		}
	}
	got, err := repo.ByID(ctx(t), first.ID)
	if err != nil {
		t.Fatalf("ByID after clearing: %v", err)
	}
	mustEqual(t, "after clearing", got, &cleared)
}

// TestEventSnapshotGuardian: the notifier reads the guardian contact from
// the event it was written with.
func TestEventSnapshotGuardian(t *testing.T) {
	s := storetest.Open(t)
	st := newStudent(3)
	st.ID = bson.NewObjectID().Hex()
	st.GuardianName, st.GuardianPhone, st.GuardianEmail = "Fatou Sow", "+221781112233", "fatou.sow@example.sn"
	ev := &domain.Event{Type: domain.EventGradeAdded, At: at(11, 9), Actor: "admin", StudentID: st.ID, Student: domain.SnapshotOf(st)}
	if err := s.Events().Append(ctx(t), ev); err != nil {
		t.Fatalf("Append: %v", err)
	}
	pending, err := s.Events().Pending(ctx(t), domain.ConsumerNotifier, 10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("Pending = %d events, %v", len(pending), err)
	}
	if got := pending[0].Student; got != ev.Student {
		t.Errorf("snapshot read back = %+v, want %+v", got, ev.Student)
	}
}
