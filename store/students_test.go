package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

func TestStudentRoundTrip(t *testing.T) {
	graded := newStudent(2)
	graded.LastName, graded.FirstName = "Ndiaye", "Aïssatou"
	graded.Email = "aissatou.ndiaye@example.sn"
	graded.BirthDate = domain.NewDate(2008, time.March, 14)
	graded.Grades = []domain.Grade{
		{ID: "g1", Subject: "Algorithmique", Value: 12.5, Coefficient: 2, Date: at(10, 8), Teacher: "fall"},
		{ID: "g2", Subject: "Réseaux", Value: 15, Coefficient: 1, Date: at(12, 14), Teacher: "sow"},
	}
	graded.Average = ptr(13.3333)
	graded.Version = 4
	graded.UpdatedAt = at(12, 15)

	plain := newStudent(1)
	plain.LastName, plain.FirstName = "Diallo-Sow", "Ndèye"

	tests := []struct {
		name string
		in   *domain.Student
	}{
		{"no grades, no average, no email", plain},
		{"grades, average and email", graded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			repo := s.Students()
			want := *tt.in
			in := *tt.in
			if err := repo.Insert(ctx(t), &in, domain.Trail{}); err != nil {
				t.Fatalf("Insert: %v", err)
			}
			if !hexID.MatchString(in.ID) {
				t.Fatalf("Insert assigned ID %q, want 24 hex digits", in.ID)
			}
			want.ID = in.ID

			byID, err := repo.ByID(ctx(t), in.ID)
			if err != nil {
				t.Fatalf("ByID: %v", err)
			}
			mustEqual(t, "ByID", byID, &want)
			byNumber, err := repo.ByNumber(ctx(t), in.Number)
			if err != nil {
				t.Fatalf("ByNumber: %v", err)
			}
			mustEqual(t, "ByNumber", byNumber, &want)
			byPhone, err := repo.ByPhone(ctx(t), in.Phone)
			if err != nil {
				t.Fatalf("ByPhone: %v", err)
			}
			mustEqual(t, "ByPhone", byPhone, &want)
		})
	}
}

// TestStudentDocument checks the stored shape other readers (mongosh, the
// analytics job, a future migration) rely on.
func TestStudentDocument(t *testing.T) {
	s := storetest.Open(t)
	plain, graded := newStudent(1), newStudent(2)
	graded.Grades = []domain.Grade{{ID: "g1", Subject: "Maths", Value: 14, Coefficient: 3, Date: at(10, 8), Teacher: "fall"}}
	graded.Average = ptr(14)
	for _, st := range []*domain.Student{plain, graded} {
		if err := s.Students().Insert(ctx(t), st, domain.Trail{}); err != nil {
			t.Fatalf("Insert: %v", err)
		}
	}
	raw := func(st *domain.Student) bson.M {
		var m bson.M
		if err := s.Database().Collection("students").FindOne(ctx(t), bson.M{"number": st.Number}).Decode(&m); err != nil {
			t.Fatalf("read raw %s: %v", st.Number, err)
		}
		return m
	}
	p, g := raw(plain), raw(graded)
	if oid, ok := p["_id"].(bson.ObjectID); !ok || oid.Hex() != plain.ID {
		t.Errorf("_id = %#v, want ObjectID %s", p["_id"], plain.ID)
	}
	if p["birth_date"] != "2004-05-17" {
		t.Errorf("birth_date = %#v, want \"2004-05-17\"", p["birth_date"])
	}
	if _, ok := p["average"]; ok {
		t.Errorf("average stored for a student without grades: %#v", p["average"])
	}
	if _, ok := p["email"]; ok {
		t.Errorf("empty email stored: %#v", p["email"])
	}
	if p["grade_count"] != int32(0) || g["grade_count"] != int32(1) {
		t.Errorf("grade_count = %#v and %#v, want 0 and 1", p["grade_count"], g["grade_count"])
	}
	if grades, ok := p["grades"].(bson.A); !ok || len(grades) != 0 {
		t.Errorf("grades of a student without grades = %#v, want an empty array", p["grades"])
	}
	if g["average"] != 14.0 {
		t.Errorf("average = %#v, want 14.0", g["average"])
	}
	grade := sub(t, g["grades"].(bson.A)[0])
	for _, k := range []string{"id", "subject", "value", "coefficient", "date", "teacher"} {
		if _, ok := grade[k]; !ok {
			t.Errorf("grade subdocument %v lacks %q", grade, k)
		}
	}
	for _, k := range []string{"version", "created_at", "updated_at", "last_name", "first_name", "phone", "class", "major"} {
		if _, ok := p[k]; !ok {
			t.Errorf("student document lacks %q", k)
		}
	}
}

func TestLookupsNotFound(t *testing.T) {
	repo := storetest.Open(t).Students()
	lookups := map[string]func() (*domain.Student, error){
		"ByID":           func() (*domain.Student, error) { return repo.ByID(ctx(t), bson.NewObjectID().Hex()) },
		"ByID malformed": func() (*domain.Student, error) { return repo.ByID(ctx(t), "xyz") },
		"ByNumber":       func() (*domain.Student, error) { return repo.ByNumber(ctx(t), "2026-99999") },
		"ByPhone":        func() (*domain.Student, error) { return repo.ByPhone(ctx(t), "+221770000000") },
	}
	for name, lookup := range lookups {
		t.Run(name, func(t *testing.T) {
			st, err := lookup()
			wantCode(t, err, domain.ENOTFOUND)
			if st != nil {
				t.Errorf("got a student with ENOTFOUND: %+v", st)
			}
		})
	}
}

func TestRosterAllCount(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	if rows, err := repo.Roster(ctx(t)); err != nil || len(rows) != 0 {
		t.Fatalf("Roster of an empty store = %v, %v", rows, err)
	}
	var ss []*domain.Student
	for i := 3; i >= 1; i-- { // inserted out of matricule order
		st := newStudent(i)
		if i == 2 {
			st.FirstName = "Ndèye"
			st.Grades = []domain.Grade{
				{ID: "a", Subject: "Maths", Value: 8, Coefficient: 1, Date: at(7, 9)},
				{ID: "b", Subject: "Physique", Value: 12, Coefficient: 1, Date: at(8, 9)},
			}
			st.Average = ptr(10)
		}
		ss = append(ss, st)
	}
	if err := repo.InsertMany(ctx(t), ss, nil); err != nil {
		t.Fatal(err)
	}

	rows, err := repo.Roster(ctx(t))
	if err != nil {
		t.Fatalf("Roster: %v", err)
	}
	var want []domain.RosterRow
	for _, st := range ss {
		want = append(want, st.Row())
	}
	byNumber := func(a, b domain.RosterRow) int { return strings.Compare(a.Number, b.Number) }
	slices.SortFunc(rows, byNumber)
	slices.SortFunc(want, byNumber)
	mustEqual(t, "Roster", rows, want)

	all, err := repo.All(ctx(t))
	if err != nil {
		t.Fatalf("All: %v", err)
	}
	if len(all) != 3 || all[0].Number != "2026-00001" || all[2].Number != "2026-00003" {
		t.Fatalf("All is not every student by matricule: %v", all)
	}
	mustEqual(t, "All[1]", all[1], ss[1])

	if n, err := repo.Count(ctx(t)); err != nil || n != 3 {
		t.Errorf("Count = %d, %v; want 3", n, err)
	}
}
