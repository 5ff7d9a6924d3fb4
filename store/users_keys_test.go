package store_test

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

func sshKey(fp, comment string, day int) domain.SSHKey {
	return domain.SSHKey{Fingerprint: fp, Type: "ssh-ed25519", Key: "ssh-ed25519 AAAA" + fp[7:], Comment: comment, AddedAt: at(day, 10)}
}

// TestUsersSSHKeys: keys and language round-trip, the lookup by
// fingerprint, the sparse unique index, and what the server does with a
// key given to two accounts.
func TestUsersSSHKeys(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Users()
	awa := newUser("awa.fall", domain.RoleTeacher)
	awa.Classes = []string{"L3-INFO"}
	awa.SSHKeys = []domain.SSHKey{sshKey("SHA256:portable", "awa@portable", 3), sshKey("SHA256:bureau", "", 4)}
	awa.Lang = "en"
	// Two accounts without keys: the index must leave them out (MongoDB
	// would otherwise index both as null and refuse the second).
	plain, other := newUser("plain", domain.RoleAdmin), newUser("other", domain.RoleAdmin)
	for _, u := range []*domain.User{awa, plain, other} {
		if err := repo.Insert(ctx(t), u); err != nil {
			t.Fatalf("Insert %s: %v", u.Username, err)
		}
	}

	got, err := repo.ByUsername(ctx(t), "awa.fall")
	if err != nil {
		t.Fatal(err)
	}
	mustEqual(t, "read back", got, awa)
	for _, fp := range []string{"SHA256:portable", "SHA256:bureau"} {
		got, err := repo.ByKeyFingerprint(ctx(t), fp)
		if err != nil || got.ID != awa.ID {
			t.Errorf("ByKeyFingerprint(%s) = %+v, %v; want awa.fall", fp, got, err)
		}
	}
	for _, fp := range []string{"SHA256:nothing", "", "SHA256:PORTABLE"} {
		_, err := repo.ByKeyFingerprint(ctx(t), fp)
		wantCode(t, err, domain.ENOTFOUND)
	}

	var raw bson.M
	if err := s.Database().Collection("users").FindOne(ctx(t), bson.M{"username": "awa.fall"}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	keys, ok := raw["ssh_keys"].(bson.A)
	if !ok || len(keys) != 2 || raw["lang"] != "en" {
		t.Fatalf("stored ssh_keys %#v, lang %#v", raw["ssh_keys"], raw["lang"])
	}
	if k := keys[0].(bson.D); len(k) != 5 || k[0].Key != "fingerprint" || k[0].Value != "SHA256:portable" {
		t.Errorf("stored key %v", k)
	}
	if k := keys[1].(bson.D); len(k) != 4 { // no comment
		t.Errorf("stored key without comment %v", k)
	}
	raw = nil
	if err := s.Database().Collection("users").FindOne(ctx(t), bson.M{"username": "plain"}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if _, ok := raw["ssh_keys"]; ok {
		t.Errorf("an account without keys stores ssh_keys: %#v", raw["ssh_keys"])
	}
	if _, ok := raw["lang"]; ok {
		t.Errorf("an account without a language stores lang: %#v", raw["lang"])
	}

	t.Run("index", func(t *testing.T) {
		cur, err := s.Database().Collection("users").Indexes().List(ctx(t))
		if err != nil {
			t.Fatal(err)
		}
		var specs []bson.M
		if err := cur.All(ctx(t), &specs); err != nil {
			t.Fatal(err)
		}
		var index bson.M
		for _, spec := range specs {
			if spec["name"] == "ssh_keys.fingerprint_1" {
				index = spec
			}
		}
		if index == nil || index["unique"] != true {
			t.Fatalf("no unique index ssh_keys.fingerprint_1 among %v", specs)
		}
		// FerretDB 1.24 takes the sparse option and does not keep it
		// (it indexes no missing value anyway); MongoDB must keep it.
		var info bson.M
		if err := s.Database().RunCommand(ctx(t), bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
			t.Fatal(err)
		}
		if _, ferret := info["ferretdbVersion"]; !ferret && index["sparse"] != true {
			t.Errorf("the index is not sparse: %v", index)
		}
	})

	t.Run("remove every key", func(t *testing.T) {
		u := *awa
		u.SSHKeys, u.Lang = nil, "fr"
		if err := repo.Update(ctx(t), &u); err != nil {
			t.Fatal(err)
		}
		_, err := repo.ByKeyFingerprint(ctx(t), "SHA256:portable")
		wantCode(t, err, domain.ENOTFOUND)
		got, _ := repo.ByID(ctx(t), awa.ID)
		mustEqual(t, "after removing the keys", got, &u)
		if err := repo.Update(ctx(t), awa); err != nil { // and back
			t.Fatal(err)
		}
	})

	// A key given to a second account: MongoDB's unique index refuses
	// the write (and the store names the holder); FerretDB 1.24 accepts
	// it (measured: it enforces nothing on a path into an array), and
	// then the lookup refuses to choose. Either way no log-in can pick
	// one of the two.
	t.Run("a key on two accounts", func(t *testing.T) {
		u := *plain
		u.SSHKeys = []domain.SSHKey{sshKey("SHA256:bureau", "copy", 5)}
		err := repo.Update(ctx(t), &u)
		if err != nil {
			de := wantCode(t, err, domain.ECONFLICT)
			if de.Field() != "key" || de.Existing != "awa.fall" {
				t.Errorf("refused with field %q, existing %q; want key, awa.fall (%v)", de.Field(), de.Existing, err)
			}
			t.Log("the server enforces the unique index")
			return
		}
		t.Log("the server does not enforce the unique index on ssh_keys.fingerprint")
		_, err = repo.ByKeyFingerprint(ctx(t), "SHA256:bureau")
		de := wantCode(t, err, domain.ECONFLICT)
		if want := "the SSH key SHA256:bureau is registered to both "; len(de.Message) < len(want) || de.Message[:len(want)] != want {
			t.Errorf("message %q", de.Message)
		}
		if got, err := repo.ByKeyFingerprint(ctx(t), "SHA256:portable"); err != nil || got.ID != awa.ID {
			t.Errorf("the other key's lookup: %+v, %v", got, err)
		}
	})
}
