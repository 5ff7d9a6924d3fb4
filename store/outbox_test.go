package store_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// dmap indexes an ordered document by key.
func dmap(d bson.D) map[string]any {
	m := make(map[string]any, len(d))
	for _, e := range d {
		m[e.Key] = e.Value
	}
	return m
}

// sub returns the embedded document v (decoded as bson.D inside a bson.M)
// as a map, failing the test if v is not a document.
func sub(t *testing.T, v any) map[string]any {
	t.Helper()
	d, ok := v.(bson.D)
	if !ok {
		t.Fatalf("%#v is not an embedded document", v)
	}
	return dmap(d)
}

func TestAuditRecord(t *testing.T) {
	s := storetest.Open(t)
	old := newStudent(42)
	old.ID = bson.NewObjectID().Hex()
	old.LastName, old.FirstName = "SOW", "Aïssatou"
	next := *old
	next.Version, next.Average = 2, ptr(11.5)
	account := newUser("mfall", domain.RoleTeacher)

	entries := []domain.AuditEntry{
		{At: at(9, 10), Actor: "admin", Action: "students.update", Entity: "student", EntityID: old.ID, Old: old, New: &next},
		{At: at(9, 11), Actor: "cli:root", Action: "students.import", Entity: "student", EntityID: "2026-00001..2026-00003", New: map[string]int{"students": 3}},
		{At: at(9, 12), Actor: "admin", Action: "users.create", Entity: "user", EntityID: "u1", New: account},
	}
	for _, e := range entries {
		if err := s.Audit().Record(ctx(t), e); err != nil {
			t.Fatalf("Record %s: %v", e.Action, err)
		}
	}

	coll := s.Database().Collection("audit")
	var update bson.D
	if err := coll.FindOne(ctx(t), bson.M{"action": "students.update"}).Decode(&update); err != nil {
		t.Fatal(err)
	}
	u := dmap(update)
	if u["actor"] != "admin" || u["entity"] != "student" || u["entity_id"] != old.ID {
		t.Errorf("entry header = %v", u)
	}
	oldDoc, ok := u["old"].(bson.D)
	if !ok {
		t.Fatalf("old = %#v, want an embedded document", u["old"])
	}
	if oldDoc[0].Key != "id" || oldDoc[1].Key != "number" {
		t.Errorf("old keeps neither json names nor field order: %v", oldDoc)
	}
	o := dmap(oldDoc)
	if o["first_name"] != "Aïssatou" || o["birth_date"] != "2004-05-17" || o["average"] != nil {
		t.Errorf("old = %v", o)
	}
	n := dmap(u["new"].(bson.D))
	if n["average"] != 11.5 || n["version"] != int32(2) {
		t.Errorf("new average, version = %#v, %#v; want 11.5, 2", n["average"], n["version"])
	}

	var batch bson.M
	if err := coll.FindOne(ctx(t), bson.M{"action": "students.import"}).Decode(&batch); err != nil {
		t.Fatal(err)
	}
	if _, ok := batch["old"]; ok {
		t.Errorf("nil Old stored as %#v", batch["old"])
	}
	if sub(t, batch["new"])["students"] != int32(3) {
		t.Errorf("new = %#v", batch["new"])
	}

	var user bson.M
	if err := coll.FindOne(ctx(t), bson.M{"action": "users.create"}).Decode(&user); err != nil {
		t.Fatal(err)
	}
	nu := sub(t, user["new"])
	if nu["username"] != "mfall" {
		t.Errorf("new user = %v", nu)
	}
	for k, v := range nu {
		if k == "password_hash" || k == "PasswordHash" || v == account.PasswordHash {
			t.Errorf("audit entry holds the password hash under %q", k)
		}
	}
}

func TestEventAppend(t *testing.T) {
	s := storetest.Open(t)
	st := newStudent(7)
	st.ID = bson.NewObjectID().Hex()
	st.FirstName = "Ndèye"
	grade := domain.Grade{ID: "g9", Subject: "Maths", Value: 7.5, Coefficient: 2, Date: at(11, 9), Teacher: "mfall"}
	events := []*domain.Event{
		{Type: domain.EventStudentCreated, At: at(11, 8), Actor: "admin", StudentID: st.ID, Student: domain.SnapshotOf(st)},
		{Type: domain.EventGradeAdded, At: at(11, 9), Actor: "mfall", StudentID: st.ID, Student: domain.SnapshotOf(st),
			Grade: &grade, Average: ptr(7.5), PreviousAverage: ptr(12)},
	}
	for _, e := range events {
		if err := s.Events().Append(ctx(t), e); err != nil {
			t.Fatalf("Append %s: %v", e.Type, err)
		}
		if !hexID.MatchString(e.ID) {
			t.Fatalf("Append assigned ID %q", e.ID)
		}
	}
	if events[0].ID == events[1].ID {
		t.Fatal("two events got the same ID")
	}

	coll := s.Database().Collection("events")
	if n, err := coll.CountDocuments(ctx(t), bson.D{}); err != nil || n != 2 {
		t.Fatalf("events stored = %d, %v; want 2", n, err)
	}
	oid, _ := bson.ObjectIDFromHex(events[1].ID)
	var raw bson.M
	if err := coll.FindOne(ctx(t), bson.M{"_id": oid}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if raw["type"] != domain.EventGradeAdded || raw["actor"] != "mfall" || raw["average"] != 7.5 || raw["previous_average"] != 12.0 {
		t.Errorf("event = %v", raw)
	}
	if sid, ok := raw["student_id"].(bson.ObjectID); !ok || sid.Hex() != st.ID {
		t.Errorf("student_id = %#v, want ObjectID %s", raw["student_id"], st.ID)
	}
	snap := sub(t, raw["student"])
	if snap["number"] != "2026-00007" || snap["first_name"] != "Ndèye" || snap["birth_date"] != "2004-05-17" {
		t.Errorf("student snapshot = %v", snap)
	}
	if g := sub(t, raw["grade"]); g["subject"] != "Maths" || g["value"] != 7.5 || g["coefficient"] != 2.0 {
		t.Errorf("grade = %v", g)
	}
	for _, k := range []string{"published_at", "notified_at"} {
		if v, ok := raw[k]; !ok || v != nil {
			t.Errorf("%s = %#v (present %v), want a stored null", k, v, ok)
		}
	}
	// Consumers find their pending work with an equality on null.
	if n, err := coll.CountDocuments(ctx(t), bson.M{"published_at": nil}); err != nil || n != 2 {
		t.Errorf("events with published_at null = %d, %v; want 2", n, err)
	}

	var first bson.M
	if err := coll.FindOne(ctx(t), bson.M{"type": domain.EventStudentCreated}).Decode(&first); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"grade", "average", "previous_average"} {
		if _, ok := first[k]; ok {
			t.Errorf("student.created event stores %s = %#v", k, first[k])
		}
	}

	// A correction keeps the mark it replaced, for the notifier to say so.
	prev := domain.Grade{ID: "g9", Subject: "Maths", Absent: domain.AbsentUnjustified, Coefficient: 2, Date: at(11, 9), Teacher: "mfall"}
	corr := &domain.Event{Type: domain.EventGradeChanged, At: at(11, 10), Actor: "mfall", StudentID: st.ID, Student: domain.SnapshotOf(st),
		Grade: &grade, PreviousGrade: &prev}
	if err := s.Events().Append(ctx(t), corr); err != nil {
		t.Fatal(err)
	}
	pending, err := s.Events().Pending(ctx(t), domain.ConsumerNotifier, 10)
	if err != nil || len(pending) != 3 {
		t.Fatalf("pending = %d, %v; want 3", len(pending), err)
	}
	if got := pending[2].PreviousGrade; got == nil || *got != prev || pending[0].PreviousGrade != nil {
		t.Errorf("the correction's previous mark read back = %+v, want %+v", got, prev)
	}

	bad := &domain.Event{Type: domain.EventStudentCreated, StudentID: "2026-00007"}
	de := wantCode(t, s.Events().Append(ctx(t), bad), domain.EINVALID)
	if de.Field() != "student_id" || bad.ID != "" {
		t.Errorf("Field = %q, ID = %q; want student_id and no ID", de.Field(), bad.ID)
	}
}
