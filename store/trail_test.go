package store_test

import (
	"os"
	"os/exec"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// A write delivers its trail once, with the ids the domain's events were
// given, and leaves no claim behind.
func TestWriteDeliversItsTrail(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	st := newStudent(1)
	created := &domain.Event{Type: domain.EventStudentCreated}
	if err := repo.Insert(ctx(t), st, domain.Trail{
		Audit:  []domain.AuditEntry{{Action: "student.create", Entity: "student", EntityID: st.Number}},
		Events: []*domain.Event{created},
	}); err != nil {
		t.Fatal(err)
	}
	if created.StudentID != st.ID || !hexID.MatchString(created.ID) {
		t.Errorf("created event: student %q, id %q; want %s and an id", created.StudentID, created.ID, st.ID)
	}
	next := *st
	next.Version = 2
	graded := &domain.Event{Type: domain.EventGradeAdded, StudentID: st.ID}
	below := &domain.Event{Type: domain.EventAverageBelow, StudentID: st.ID}
	if err := repo.Replace(ctx(t), &next, 1, domain.Trail{
		Audit:  []domain.AuditEntry{{Action: "grades.add", Entity: "student", EntityID: st.Number}},
		Events: []*domain.Event{graded, below},
	}); err != nil {
		t.Fatal(err)
	}
	db := s.Database()
	count := func(coll string, filter bson.D) int64 {
		n, err := db.Collection(coll).CountDocuments(ctx(t), filter)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("audit", bson.D{}); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
	for _, ev := range []*domain.Event{created, graded, below} {
		oid, _ := bson.ObjectIDFromHex(ev.ID)
		if n := count("events", bson.D{{Key: "_id", Value: oid}, {Key: "type", Value: ev.Type}}); n != 1 {
			t.Errorf("event %s %s stored %d times", ev.Type, ev.ID, n)
		}
	}
	if n := count("claims", bson.D{}); n != 0 {
		t.Errorf("%d claims left", n)
	}
	if err := repo.Delete(ctx(t), st.ID, 2, domain.Trail{Events: []*domain.Event{{Type: domain.EventStudentDeleted, StudentID: st.ID}}}); err != nil {
		t.Fatal(err)
	}
	if n := count("students", bson.D{}); n != 0 {
		t.Errorf("%d student documents after the delete, want none (no tombstone left)", n)
	}
	if n := count("events", bson.D{{Key: "type", Value: domain.EventStudentDeleted}}); n != 1 {
		t.Errorf("%d student.deleted events", n)
	}
}

// The states a killed writer can leave, and what settling them does: the
// trail is delivered exactly when the write happened.
func TestSettleAbandoned(t *testing.T) {
	host, _ := os.Hostname()
	child := exec.Command("sleep", "0.01")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	dead := bson.D{{Key: "host", Value: host}, {Key: "pid", Value: child.Process.Pid}, {Key: "start", Value: startOf(t, child.Process.Pid)}}
	_ = child.Wait()
	alive := bson.D{{Key: "host", Value: host}, {Key: "pid", Value: os.Getpid()}, {Key: "start", Value: startOf(t, os.Getpid())}}

	tests := []struct {
		name string
		by   bson.D
		// the student as the kill left it: "" = never written, else its
		// write token, and whether it is a tombstone
		docWrite   string
		tombstone  bool
		del        bool // the claim is a delete's
		preDeliver bool // the audit entry was delivered before the kill
		delivered  int
		dropped    int
		wantAudit  int64
		wantDoc    bool // the student document is still there
	}{
		{"write done, trail not delivered", dead, "token", false, false, false, 1, 0, 1, true},
		{"write done, trail half delivered", dead, "token", false, false, true, 1, 0, 1, true},
		{"killed before writing", dead, "another", false, false, false, 0, 1, 0, true},
		{"delete done (tombstone)", dead, "token", true, true, false, 1, 0, 1, false},
		{"killed before deleting", dead, "another", false, true, false, 0, 1, 0, true},
		{"a live writer's claim is left alone", alive, "token", false, false, false, 0, 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			db := s.Database()
			oid, auditID, eventID := bson.NewObjectID(), bson.NewObjectID(), bson.NewObjectID()
			insert := func(coll string, doc bson.D) {
				t.Helper()
				if _, err := db.Collection(coll).InsertOne(ctx(t), doc); err != nil {
					t.Fatal(err)
				}
			}
			insert("students", bson.D{{Key: "_id", Value: oid}, {Key: "number", Value: "2026-00001"}, {Key: "phone", Value: "+221770000001"},
				{Key: "version", Value: int64(2)}, {Key: "write", Value: tt.docWrite}, {Key: "deleted", Value: tt.tombstone}})
			audit := bson.D{{Key: "_id", Value: auditID}, {Key: "action", Value: "grades.add"}}
			if tt.preDeliver {
				insert("audit", audit)
			}
			insert("claims", bson.D{{Key: "_id", Value: oid.Hex() + ":2"}, {Key: "at", Value: time.Now().UTC()}, {Key: "by", Value: tt.by},
				{Key: "student", Value: oid}, {Key: "version", Value: int64(2)}, {Key: "delete", Value: tt.del}, {Key: "write", Value: "token"},
				{Key: "audit", Value: bson.A{audit}}, {Key: "events", Value: bson.A{bson.D{{Key: "_id", Value: eventID}, {Key: "type", Value: "grade.added"}}}}})

			delivered, dropped, err := s.Trails().SettleAbandoned(ctx(t))
			if err != nil || delivered != tt.delivered || dropped != tt.dropped {
				t.Fatalf("SettleAbandoned = %d delivered, %d dropped, %v; want %d, %d", delivered, dropped, err, tt.delivered, tt.dropped)
			}
			n, _ := db.Collection("audit").CountDocuments(ctx(t), bson.D{})
			e, _ := db.Collection("events").CountDocuments(ctx(t), bson.D{})
			if n != tt.wantAudit || e != tt.wantAudit {
				t.Errorf("%d audit entries, %d events; want %d of each", n, e, tt.wantAudit)
			}
			err = db.Collection("students").FindOne(ctx(t), bson.D{{Key: "_id", Value: oid}}).Err()
			if has := err == nil; has != tt.wantDoc {
				t.Errorf("student document there: %v, want %v (%v)", has, tt.wantDoc, err)
			}
			claims, _ := db.Collection("claims").CountDocuments(ctx(t), bson.D{})
			if want := int64(tt.delivered + tt.dropped); claims != 1-want {
				t.Errorf("%d claims left", claims)
			}
			// A second settle finds nothing more to do.
			if d, _, _ := s.Trails().SettleAbandoned(ctx(t)); d != 0 {
				t.Errorf("a second settle delivered %d", d)
			}
		})
	}
}
