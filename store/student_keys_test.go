package store_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"

	"scolarite/store/storetest"
)

// TestLookupHintsAreOnlyHints breaks the matricule and phone hints the
// ways a crash or a later write can leave them, and checks that every
// lookup still answers what the students collection says, then repairs
// the hint it used.
func TestLookupHintsAreOnlyHints(t *testing.T) {
	tests := []struct {
		name string
		// breakHints changes the hints after students a and b (and a
		// deleted c) are stored.
		breakHints func(t *testing.T, keys *mongo.Collection, a, b, c *domain.Student)
		field      string // "number" or "phone"
		value      func(a, b, c *domain.Student) string
		want       func(a, b, c *domain.Student) *domain.Student // nil: ENOTFOUND
	}{
		{
			name:       "no hint at all",
			breakHints: func(t *testing.T, keys *mongo.Collection, _, _, _ *domain.Student) { deleteHints(t, keys) },
			field:      "number", value: func(a, _, _ *domain.Student) string { return a.Number },
			want: func(a, _, _ *domain.Student) *domain.Student { return a },
		},
		{
			name: "matricule hint naming another student",
			breakHints: func(t *testing.T, keys *mongo.Collection, a, b, _ *domain.Student) {
				setHint(t, keys, "number:"+a.Number, b.ID)
			},
			field: "number", value: func(a, _, _ *domain.Student) string { return a.Number },
			want: func(a, _, _ *domain.Student) *domain.Student { return a },
		},
		{
			name: "phone hint naming another student",
			breakHints: func(t *testing.T, keys *mongo.Collection, a, b, _ *domain.Student) {
				setHint(t, keys, "phone:"+b.Phone, a.ID)
			},
			field: "phone", value: func(_, b, _ *domain.Student) string { return b.Phone },
			want: func(_, b, _ *domain.Student) *domain.Student { return b },
		},
		{
			name:       "hint of a deleted student, value now free",
			breakHints: func(*testing.T, *mongo.Collection, *domain.Student, *domain.Student, *domain.Student) {},
			field:      "phone", value: func(_, _, c *domain.Student) string { return c.Phone },
			want: func(*domain.Student, *domain.Student, *domain.Student) *domain.Student { return nil },
		},
		{
			name: "hint naming a student that never existed",
			breakHints: func(t *testing.T, keys *mongo.Collection, a, _, _ *domain.Student) {
				setHint(t, keys, "number:"+a.Number, bson.NewObjectID().Hex())
			},
			field: "number", value: func(a, _, _ *domain.Student) string { return a.Number },
			want: func(a, _, _ *domain.Student) *domain.Student { return a },
		},
		{
			name: "hint for a value nobody holds naming a live student",
			breakHints: func(t *testing.T, keys *mongo.Collection, a, _, _ *domain.Student) {
				setHint(t, keys, "phone:+221770009999", a.ID)
			},
			field: "phone", value: func(*domain.Student, *domain.Student, *domain.Student) string { return "+221770009999" },
			want: func(*domain.Student, *domain.Student, *domain.Student) *domain.Student { return nil },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			repo := s.Students()
			a, b, c := newStudent(1), newStudent(2), newStudent(3)
			for _, st := range []*domain.Student{a, b, c} {
				if err := repo.Insert(ctx(t), st, domain.Trail{}); err != nil {
					t.Fatal(err)
				}
			}
			if err := repo.Delete(ctx(t), c.ID, c.Version, domain.Trail{}); err != nil {
				t.Fatal(err)
			}
			keys := s.Database().Collection("student_keys")
			tt.breakHints(t, keys, a, b, c)

			value := tt.value(a, b, c)
			lookup := repo.ByNumber
			if tt.field == "phone" {
				lookup = repo.ByPhone
			}
			for pass := range 2 { // the second pass follows the repaired hint
				got, err := lookup(ctx(t), value)
				want := tt.want(a, b, c)
				if want == nil {
					wantCode(t, err, domain.ENOTFOUND)
					continue
				}
				if err != nil {
					t.Fatalf("pass %d: %v", pass, err)
				}
				mustEqual(t, fmt.Sprintf("pass %d", pass), got, want)
				var h struct {
					Student bson.ObjectID `bson:"student"`
				}
				if err := keys.FindOne(ctx(t), bson.D{{Key: "_id", Value: tt.field + ":" + value}}).Decode(&h); err != nil || h.Student.Hex() != want.ID {
					t.Fatalf("pass %d: hint %s:%s names %s (%v), want %s", pass, tt.field, value, h.Student.Hex(), err, want.ID)
				}
			}
		})
	}
}

// TestLookupAfterPhoneChange: the new phone finds the student at once
// (its hint is written by Replace), the old one finds nobody.
func TestLookupAfterPhoneChange(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	a := newStudent(1)
	if err := repo.Insert(ctx(t), a, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	old := a.Phone
	a.Phone, a.Version = "+221781112233", 2
	if err := repo.Replace(ctx(t), a, 1, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	var h struct {
		Student bson.ObjectID `bson:"student"`
	}
	if err := s.Database().Collection("student_keys").FindOne(ctx(t), bson.D{{Key: "_id", Value: "phone:" + a.Phone}}).Decode(&h); err != nil || h.Student.Hex() != a.ID {
		t.Fatalf("hint of the new phone: %s, %v", h.Student.Hex(), err)
	}
	got, err := repo.ByPhone(ctx(t), a.Phone)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "by new phone", got, a)
	_, err = repo.ByPhone(ctx(t), old)
	wantCode(t, err, domain.ENOTFOUND)
}

// TestIDLookupUsesTheIndex asks the embedded FerretDB's own explain how a
// find by _id runs: through the index store adds, not a scan. Embedded
// only: a real MongoDB has its own _id index.
func TestIDLookupUsesTheIndex(t *testing.T) {
	if os.Getenv("MONGODB_URI") != "" {
		t.Skip("the SQLite index is the embedded store's")
	}
	s := storetest.Open(t)
	st := newStudent(1)
	if err := s.Students().Insert(ctx(t), st, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	oid, err := bson.ObjectIDFromHex(st.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		coll string
		id   any
	}{{"students", oid}, {"student_keys", "number:" + st.Number}, {"claims", "x:1"}, {"counters", "students-2026"}} {
		var res struct {
			QueryPlanner struct {
				Plan []string `bson:"Plan"`
			} `bson:"queryPlanner"`
		}
		cmd := bson.D{{Key: "explain", Value: bson.D{{Key: "find", Value: tc.coll}, {Key: "filter", Value: bson.D{{Key: "_id", Value: tc.id}}}}}}
		if err := s.Database().RunCommand(ctx(t), cmd).Decode(&res); err != nil {
			t.Fatalf("explain on %s: %v", tc.coll, err)
		}
		plan := strings.Join(res.QueryPlanner.Plan, "; ")
		if !strings.Contains(plan, "USING INDEX") || !strings.Contains(plan, "_scolarite_id_expr") {
			t.Errorf("find by _id on %s: plan %q, want a search using the _id expression index", tc.coll, plan)
		}
	}
}

func deleteHints(t *testing.T, keys *mongo.Collection) {
	t.Helper()
	if _, err := keys.DeleteMany(ctx(t), bson.D{}); err != nil {
		t.Fatal(err)
	}
}

func setHint(t *testing.T, keys *mongo.Collection, id, student string) {
	t.Helper()
	oid, err := bson.ObjectIDFromHex(student)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keys.ReplaceOne(ctx(t), bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "_id", Value: id}, {Key: "student", Value: oid}}, options.Replace().SetUpsert(true)); err != nil {
		t.Fatal(err)
	}
}
