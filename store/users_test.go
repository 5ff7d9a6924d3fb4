package store_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

func newUser(name string, role domain.Role) *domain.User {
	return &domain.User{
		Username: name, PasswordHash: "$2a$12$abcdefghijklmnopqrstuuJ0123456789abcdefghijklmnopqrstu",
		Role: role, CreatedAt: at(3, 8), UpdatedAt: at(3, 8),
	}
}

func TestUsers(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Users()

	teacher := newUser("mfall", domain.RoleTeacher)
	teacher.Classes = []string{"L3-INFO", "M1-RT"}
	pupil := newUser("adiop", domain.RoleStudent)
	pupil.StudentID = bson.NewObjectID().Hex()
	admin := newUser("admin", domain.RoleAdmin)
	for _, u := range []*domain.User{teacher, pupil, admin} {
		if err := repo.Insert(ctx(t), u); err != nil {
			t.Fatalf("Insert %s: %v", u.Username, err)
		}
		if !hexID.MatchString(u.ID) {
			t.Fatalf("Insert %s assigned ID %q", u.Username, u.ID)
		}
	}

	t.Run("read back", func(t *testing.T) {
		for _, want := range []*domain.User{teacher, pupil, admin} {
			got, err := repo.ByUsername(ctx(t), want.Username)
			if err != nil {
				t.Fatalf("ByUsername(%s): %v", want.Username, err)
			}
			mustEqual(t, "ByUsername", got, want)
			got, err = repo.ByID(ctx(t), want.ID)
			if err != nil {
				t.Fatalf("ByID(%s): %v", want.ID, err)
			}
			mustEqual(t, "ByID", got, want)
		}
		var raw bson.M
		if err := s.Database().Collection("users").FindOne(ctx(t), bson.M{"username": "adiop"}).Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if oid, ok := raw["student_id"].(bson.ObjectID); !ok || oid.Hex() != pupil.StudentID {
			t.Errorf("student_id stored as %#v, want ObjectID %s", raw["student_id"], pupil.StudentID)
		}
		if raw["password_hash"] != pupil.PasswordHash {
			t.Errorf("password_hash stored as %#v", raw["password_hash"])
		}
	})

	t.Run("duplicate username", func(t *testing.T) {
		err := repo.Insert(ctx(t), newUser("mfall", domain.RoleAdmin))
		de := wantCode(t, err, domain.ECONFLICT)
		if de.Field() != "username" {
			t.Errorf("Field = %q, want username (%v)", de.Field(), err)
		}
		if n, err := repo.Count(ctx(t)); err != nil || n != 3 {
			t.Errorf("Count = %d, %v; want 3", n, err)
		}
	})

	t.Run("update", func(t *testing.T) {
		u := *teacher
		u.Disabled, u.Classes, u.UpdatedAt = true, []string{"L1-MATH"}, at(4, 9)
		if err := repo.Update(ctx(t), &u); err != nil {
			t.Fatalf("Update: %v", err)
		}
		got, err := repo.ByID(ctx(t), u.ID)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, "after Update", got, &u)
	})

	t.Run("update to a taken username", func(t *testing.T) {
		u := *pupil
		u.Username = "admin"
		de := wantCode(t, repo.Update(ctx(t), &u), domain.ECONFLICT)
		if de.Field() != "username" {
			t.Errorf("Field = %q, want username", de.Field())
		}
		got, err := repo.ByID(ctx(t), pupil.ID)
		if err != nil || got.Username != "adiop" {
			t.Errorf("stored user after a refused rename: %+v, %v", got, err)
		}
	})

	t.Run("update missing", func(t *testing.T) {
		u := *admin
		u.ID = bson.NewObjectID().Hex()
		wantCode(t, repo.Update(ctx(t), &u), domain.ENOTFOUND)
	})

	t.Run("not found", func(t *testing.T) {
		_, err := repo.ByUsername(ctx(t), "nobody")
		wantCode(t, err, domain.ENOTFOUND)
		_, err = repo.ByID(ctx(t), "zz")
		wantCode(t, err, domain.ENOTFOUND)
	})

	t.Run("malformed student_id", func(t *testing.T) {
		u := newUser("bad", domain.RoleStudent)
		u.StudentID = "2026-00001"
		de := wantCode(t, repo.Insert(ctx(t), u), domain.EINVALID)
		if de.Field() != "student_id" {
			t.Errorf("Field = %q, want student_id", de.Field())
		}
	})

	t.Run("list", func(t *testing.T) {
		list, err := repo.List(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range list {
			names = append(names, u.Username)
		}
		mustEqual(t, "List usernames", names, []string{"adiop", "admin", "mfall"})
	})
}
