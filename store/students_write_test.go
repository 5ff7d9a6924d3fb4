package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
)

func TestInsertDuplicate(t *testing.T) {
	tests := []struct {
		name      string
		change    func(second, first *domain.Student)
		wantField string
	}{
		{"same phone", func(b, a *domain.Student) { b.Phone = a.Phone }, "phone"},
		{"same matricule", func(b, a *domain.Student) { b.Number = a.Number }, "number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			repo := s.Students()
			first, second := newStudent(12), newStudent(13)
			first.LastName, first.FirstName = "FALL", "Ndèye"
			if err := repo.Insert(ctx(t), first, domain.Trail{}); err != nil {
				t.Fatalf("Insert first: %v", err)
			}
			tt.change(second, first)
			err := repo.Insert(ctx(t), second, domain.Trail{})
			de := wantCode(t, err, domain.ECONFLICT)
			if de.Field() != tt.wantField {
				t.Errorf("Field = %q, want %q (%v)", de.Field(), tt.wantField, err)
			}
			if de.Existing != first.Number {
				t.Errorf("Existing = %q, want %q", de.Existing, first.Number)
			}
			if !strings.Contains(de.Error(), "2026-00012 (FALL Ndèye)") {
				t.Errorf("message %q does not name the holder", de.Error())
			}
			if second.ID != "" {
				t.Errorf("refused student got ID %q", second.ID)
			}
			if n, err := repo.Count(ctx(t)); err != nil || n != 1 {
				t.Errorf("Count = %d, %v; want 1 (nothing written)", n, err)
			}
		})
	}
}

func TestInsertMany(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	ss := make([]*domain.Student, 2500) // three batches, the last partial
	for i := range ss {
		ss[i] = newStudent(i + 1)
	}
	if err := repo.InsertMany(ctx(t), ss, nil); err != nil {
		t.Fatalf("InsertMany: %v", err)
	}
	if n, err := repo.Count(ctx(t)); err != nil || n != 2500 {
		t.Fatalf("Count = %d, %v; want 2500", n, err)
	}
	for _, i := range []int{0, 999, 1000, 2499} {
		if !hexID.MatchString(ss[i].ID) {
			t.Fatalf("student %d has ID %q", i, ss[i].ID)
		}
		got, err := repo.ByID(ctx(t), ss[i].ID)
		if err != nil || got.Number != ss[i].Number {
			t.Fatalf("ByID(student %d) = %v, %v", i, got, err)
		}
	}
}

func TestInsertManyStopsAtDuplicate(t *testing.T) {
	tests := []struct {
		name         string
		dupOf        func(ss []*domain.Student) string // the phone to reuse
		wantExisting string
	}{
		{"phone held by a stored student", func([]*domain.Student) string { return newStudent(9000).Phone }, "2026-09000"},
		{"phone held earlier in the same import", func(ss []*domain.Student) string { return ss[1200].Phone }, "2026-01201"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := storetest.Open(t)
			repo := s.Students()
			if err := repo.Insert(ctx(t), newStudent(9000), domain.Trail{}); err != nil {
				t.Fatal(err)
			}
			ss := make([]*domain.Student, 2000)
			for i := range ss {
				ss[i] = newStudent(i + 1)
			}
			ss[1500].Phone = tt.dupOf(ss) // in the second batch
			err := repo.InsertMany(ctx(t), ss, nil)
			de := wantCode(t, err, domain.ECONFLICT)
			if de.Field() != "phone" || de.Existing != tt.wantExisting {
				t.Errorf("Field, Existing = %q, %q; want phone, %s (%v)", de.Field(), de.Existing, tt.wantExisting, err)
			}
			if !strings.Contains(err.Error(), ss[1500].Number) {
				t.Errorf("error %q does not name the refused student %s", err, ss[1500].Number)
			}
			// All or none: the 1,500 stored before the refused student
			// are removed again, with their claims, and no trail is left.
			if n, err := repo.Count(ctx(t)); err != nil || n != 1 {
				t.Errorf("Count = %d, %v; want 1", n, err)
			}
			if ss[0].ID != "" || ss[1499].ID != "" || ss[1500].ID != "" {
				t.Errorf("IDs: %q %q %q; want none set", ss[0].ID, ss[1499].ID, ss[1500].ID)
			}
			for _, coll := range []string{"claims", "events", "audit"} {
				if n, _ := s.Database().Collection(coll).CountDocuments(ctx(t), bson.D{}); n != 0 {
					t.Errorf("%d documents left in %s", n, coll)
				}
			}
		})
	}
}

func TestReplace(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	st, other := newStudent(1), newStudent(2)
	for _, x := range []*domain.Student{st, other} {
		if err := repo.Insert(ctx(t), x, domain.Trail{}); err != nil {
			t.Fatal(err)
		}
	}

	next := *st
	next.FirstName, next.Version, next.UpdatedAt = "Mamadou", 2, at(6, 10)
	next.Grades = []domain.Grade{{ID: "g1", Subject: "Maths", Value: 9, Coefficient: 1, Date: at(6, 10), Teacher: "fall"}}
	next.Average = ptr(9)
	if err := repo.Replace(ctx(t), &next, 1, domain.Trail{}); err != nil {
		t.Fatalf("Replace: %v", err)
	}
	got, err := repo.ByID(ctx(t), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "after Replace", got, &next)

	failures := []struct {
		name      string
		edit      func(*domain.Student)
		prev      int64
		wantCode  domain.Code
		wantField string
	}{
		{"stale version", func(x *domain.Student) { x.FirstName = "Lost" }, 1, domain.ECONFLICT, ""},
		{"phone of another student", func(x *domain.Student) { x.Phone = other.Phone }, 2, domain.ECONFLICT, "phone"},
		{"matricule of another student", func(x *domain.Student) { x.Number = other.Number }, 2, domain.ECONFLICT, "number"},
		{"missing student", func(x *domain.Student) { x.ID = bson.NewObjectID().Hex() }, 2, domain.ENOTFOUND, ""},
		{"malformed ID", func(x *domain.Student) { x.ID = "nope" }, 2, domain.ENOTFOUND, ""},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			x := next
			x.Version = 3
			tt.edit(&x)
			err := repo.Replace(ctx(t), &x, tt.prev, domain.Trail{})
			de := wantCode(t, err, tt.wantCode)
			if de.Field() != tt.wantField {
				t.Errorf("Field = %q, want %q (%v)", de.Field(), tt.wantField, err)
			}
			if tt.wantField == "phone" && de.Existing != other.Number {
				t.Errorf("Existing = %q, want %q", de.Existing, other.Number)
			}
			if tt.name == "stale version" && !strings.Contains(err.Error(), "changed by someone else") {
				t.Errorf("stale message %q", err)
			}
			got, err := repo.ByID(ctx(t), st.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "stored student after a refused Replace", got, &next)
		})
	}
}

// TestReplaceConcurrent: of many writers that read the same version, one
// wins and the others are told, never silently overwritten. FerretDB 1.24
// needs the store's write lock for this (see Store.writes).
// Concurrent replaces of one version: exactly one wins, whether the
// writers share a Store (one process) or each has its own connection to
// the server (processes sharing a data dir's embedded FerretDB).
func TestReplaceConcurrent(t *testing.T) {
	for _, separate := range []bool{false, true} {
		t.Run(fmt.Sprintf("separate-connections=%v", separate), func(t *testing.T) {
			s := storetest.Open(t)
			st := newStudent(1)
			if err := s.Students().Insert(ctx(t), st, domain.Trail{}); err != nil {
				t.Fatal(err)
			}
			const writers = 10
			repos := make([]*store.StudentRepo, writers)
			for i := range repos {
				repos[i] = s.Students()
				if separate {
					other, err := store.Open(ctx(t), storetest.URI(t), s.Database().Name(), storetest.Options()...)
					if err != nil {
						t.Fatal(err)
					}
					t.Cleanup(func() { _ = other.Close(context.Background()) })
					repos[i] = other.Students()
				}
			}
			errs := make([]error, writers)
			var wg sync.WaitGroup
			for i := range writers {
				wg.Go(func() {
					x := *st
					x.FirstName, x.Version = fmt.Sprintf("Writer%d", i), 2
					errs[i] = repos[i].Replace(ctx(t), &x, 1, domain.Trail{})
				})
			}
			wg.Wait()
			winner := -1
			for i, err := range errs {
				switch domain.ErrorCode(err) {
				case "":
					if winner >= 0 {
						t.Fatalf("writers %d and %d both replaced version 1", winner, i)
					}
					winner = i
				case domain.ECONFLICT:
				default:
					t.Fatalf("writer %d: %v", i, err)
				}
			}
			if winner < 0 {
				t.Fatal("no writer succeeded")
			}
			got, err := s.Students().ByID(ctx(t), st.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := fmt.Sprintf("Writer%d", winner); got.FirstName != want || got.Version != 2 {
				t.Errorf("stored %s v%d, want %s v2", got.FirstName, got.Version, want)
			}
			// The claim is released: the next version can be written.
			got.FirstName, got.Version = "Next", 3
			if err := s.Students().Replace(ctx(t), got, 2, domain.Trail{}); err != nil {
				t.Fatalf("replace version 2 after the race: %v", err)
			}
		})
	}
}

func TestDelete(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Students()
	st := newStudent(1)
	if err := repo.Insert(ctx(t), st, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	err := repo.Delete(ctx(t), st.ID, 7, domain.Trail{})
	wantCode(t, err, domain.ECONFLICT)
	if !strings.Contains(err.Error(), st.Number) {
		t.Errorf("stale delete message %q does not name %s", err, st.Number)
	}
	if _, err := repo.ByID(ctx(t), st.ID); err != nil {
		t.Fatalf("student gone after a refused Delete: %v", err)
	}
	if err := repo.Delete(ctx(t), st.ID, 1, domain.Trail{}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err = repo.ByID(ctx(t), st.ID)
	wantCode(t, err, domain.ENOTFOUND)
	wantCode(t, repo.Delete(ctx(t), st.ID, 1, domain.Trail{}), domain.ENOTFOUND)
	wantCode(t, repo.Delete(ctx(t), "not-an-id", 1, domain.Trail{}), domain.ENOTFOUND)
}

func TestNextNumber(t *testing.T) {
	repo := storetest.Open(t).Students()
	for want := int64(1); want <= 3; want++ {
		got, err := repo.NextNumber(ctx(t), 2026)
		if err != nil || got != want {
			t.Fatalf("NextNumber(2026) = %d, %v; want %d", got, err, want)
		}
	}
	if got, err := repo.NextNumber(ctx(t), 2027); err != nil || got != 1 {
		t.Fatalf("NextNumber(2027) = %d, %v; want 1 (a year has its own sequence)", got, err)
	}
	if got, err := repo.ReserveNumbers(ctx(t), 2026, 10); err != nil || got != 13 {
		t.Fatalf("ReserveNumbers(2026, 10) = %d, %v; want 13", got, err)
	}
	if got, err := repo.NextNumber(ctx(t), 2026); err != nil || got != 14 {
		t.Fatalf("NextNumber after a reservation = %d, %v; want 14", got, err)
	}
	_, err := repo.ReserveNumbers(ctx(t), 2026, 0)
	wantCode(t, err, domain.EINVALID)
}

// Numbers go back only while nobody reserved after them.
func TestReleaseNumbers(t *testing.T) {
	repo := storetest.Open(t).Students()
	last, err := repo.ReserveNumbers(ctx(t), 2026, 3)
	if err != nil || last != 3 {
		t.Fatalf("ReserveNumbers = %d, %v", last, err)
	}
	if ok, err := repo.ReleaseNumbers(ctx(t), 2026, last, 3); err != nil || !ok {
		t.Fatalf("ReleaseNumbers of the latest = %v, %v; want true", ok, err)
	}
	if got, err := repo.NextNumber(ctx(t), 2026); err != nil || got != 1 {
		t.Fatalf("NextNumber after the release = %d, %v; want 1", got, err)
	}
	if _, err := repo.NextNumber(ctx(t), 2026); err != nil { // someone else: 2
		t.Fatal(err)
	}
	if ok, err := repo.ReleaseNumbers(ctx(t), 2026, 1, 1); err != nil || ok {
		t.Fatalf("ReleaseNumbers behind a later reservation = %v, %v; want false", ok, err)
	}
	if got, err := repo.NextNumber(ctx(t), 2026); err != nil || got != 3 {
		t.Fatalf("NextNumber = %d, %v; want 3 (2 was not given back twice)", got, err)
	}
}

func TestNextNumberConcurrent(t *testing.T) {
	repo := storetest.Open(t).Students()
	const n = 20
	got := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i], errs[i] = repo.NextNumber(ctx(t), 2030) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("goroutine %d: %v", i, err)
		}
	}
	slices.Sort(got)
	for i, g := range got {
		if g != int64(i+1) {
			t.Fatalf("numbers handed out = %v, want 1 to %d once each", got, n)
		}
	}
}
