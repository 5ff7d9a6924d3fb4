package domain_test

import (
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

// actorOf returns the actor a user of e acts as after logging in.
func (e *authEnv) actorOf(t *testing.T, username string) domain.Actor {
	t.Helper()
	u, err := e.users.ByUsername(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	return domain.ActorFor(u)
}

func TestAddKey(t *testing.T) {
	e := newAuthEnv(t)
	audits := e.audit.Len()
	k, err := e.svc.AddKey(ctx, admin, " Awa.Fall ", awaKey)
	if err != nil {
		t.Fatalf("AddKey: %v", err)
	}
	if k.Fingerprint != awaFP || k.Type != "ssh-ed25519" || k.Comment != "awa@portable" || !k.AddedAt.Equal(testNow) {
		t.Errorf("AddKey returned %+v", k)
	}
	stored, _ := e.users.ByUsername(ctx, "awa.fall")
	if len(stored.SSHKeys) != 1 || stored.SSHKeys[0] != *k || !stored.UpdatedAt.Equal(testNow) {
		t.Fatalf("stored keys %+v", stored.SSHKeys)
	}
	// The owner adds a second one themself.
	awa := e.actorOf(t, "awa.fall")
	e.clock.Advance(time.Hour)
	if _, err := e.svc.AddKey(ctx, awa, "awa.fall", moussaKey); err != nil {
		t.Fatalf("AddKey by the owner: %v", err)
	}
	keys, err := e.svc.Keys(ctx, awa, "awa.fall")
	if err != nil || len(keys) != 2 || keys[0].Fingerprint != awaFP || keys[1].Fingerprint != moussaFP {
		t.Fatalf("Keys = %+v, %v; want both, oldest first", keys, err)
	}
	entries := e.audit.Entries()[audits:]
	if len(entries) != 2 || entries[0].Action != "user.key.add" || entries[0].Actor != "admin" || entries[1].Actor != "awa.fall" ||
		entries[0].EntityID != "awa.fall" {
		t.Fatalf("audit = %+v", entries)
	}
	if old := entries[1].Old.(*domain.User); len(old.SSHKeys) != 1 {
		t.Errorf("the audit's old value has %d keys, want 1 (the value before the change)", len(old.SSHKeys))
	}
	if j := e.audit.JSON()[audits]; !strings.Contains(j, awaFP) || strings.Contains(j, "$2a$") {
		t.Errorf("audit JSON lacks the fingerprint or holds the hash: %s", j)
	}

	t.Run("refusals", func(t *testing.T) {
		before := e.audit.Len()
		ndeye := e.actorOf(t, "ndeye")
		for _, tc := range []struct {
			name     string
			actor    domain.Actor
			user     string
			key      string
			code     domain.Code
			says     string
			existing string
		}{
			{"again, same account", admin, "awa.fall", awaKey, domain.ECONFLICT, "already registered to this account", "awa.fall"},
			{"another account's key, admin told whose", admin, "root", "ssh-ed25519 " + strings.Fields(awaKey)[1] + " copy", domain.ECONFLICT, "the account awa.fall", "awa.fall"},
			{"another account's key, owner told nothing", ndeye, "ndeye", awaKey, domain.ECONFLICT, "another account", ""},
			{"bad key", admin, "root", "ssh-ed25519 AAAA", domain.EINVALID, "not an SSH public key", ""},
			{"someone else's account", ndeye, "awa.fall", moussaKey, domain.EFORBIDDEN, "their own account", ""},
			{"teacher on a student", awa, "ndeye", moussaKey, domain.EFORBIDDEN, "their own account", ""},
			{"unknown account, admin", admin, "nobody", moussaKey, domain.ENOTFOUND, "", ""},
			{"unknown account, not admin", ndeye, "nobody", moussaKey, domain.EFORBIDDEN, "", ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := e.svc.AddKey(ctx, tc.actor, tc.user, tc.key)
				de := wantCode(t, err, tc.code)
				if !strings.Contains(err.Error(), tc.says) || de.Existing != tc.existing {
					t.Errorf("error %q (existing %q); want it to say %q, existing %q", err, de.Existing, tc.says, tc.existing)
				}
				if tc.code == domain.ECONFLICT && de.Field() != "key" {
					t.Errorf("conflict on field %q, want key", de.Field())
				}
				if tc.actor.Role != domain.RoleAdmin && strings.Contains(err.Error(), "awa.fall") {
					t.Errorf("a non-admin was told who holds the key: %q", err)
				}
			})
		}
		if e.audit.Len() != before {
			t.Error("refused additions were audited")
		}
	})

	t.Run("at most MaxSSHKeys", func(t *testing.T) {
		for i := range domain.MaxSSHKeys {
			line, _, _ := edKey(t, byte(100+i), "")
			if _, err := e.svc.AddKey(ctx, admin, "root", line); err != nil {
				t.Fatalf("key %d: %v", i+1, err)
			}
		}
		line, _, _ := edKey(t, 99, "")
		_, err := e.svc.AddKey(ctx, admin, "root", line)
		wantInvalid(t, err, "key")
	})
}

func TestRemoveKey(t *testing.T) {
	e := newAuthEnv(t)
	for _, k := range []string{awaKey, moussaKey} {
		if _, err := e.svc.AddKey(ctx, admin, "awa.fall", k); err != nil {
			t.Fatal(err)
		}
	}
	byKey, err := e.svc.LoginWithKey(ctx, awaFP)
	if err != nil {
		t.Fatal(err)
	}
	byOther, _ := e.svc.LoginWithKey(ctx, moussaFP)
	byPassword := e.login(t, "awa.fall", pwTeacher)
	awa := e.actorOf(t, "awa.fall")
	audits := e.audit.Len()

	// As ssh-keygen -l prints it, without the prefix.
	if err := e.svc.RemoveKey(ctx, awa, "awa.fall", strings.TrimPrefix(awaFP, "SHA256:")); err != nil {
		t.Fatalf("RemoveKey: %v", err)
	}
	if keys, _ := e.svc.Keys(ctx, admin, "awa.fall"); len(keys) != 1 || keys[0].Fingerprint != moussaFP {
		t.Errorf("keys after removal: %+v", keys)
	}
	if _, err := e.sessions.Get(ctx, domain.TokenHash(byKey.Token)); err == nil {
		t.Error("the removed key's session is still stored")
	}
	_, err = e.svc.Resume(ctx, byKey.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)
	for name, l := range map[string]*domain.Login{"other key": byOther, "password": byPassword} {
		if _, err := e.svc.Resume(ctx, l.Token); err != nil {
			t.Errorf("the %s session was ended too: %v", name, err)
		}
	}
	if entries := e.audit.Entries()[audits:]; len(entries) != 1 || entries[0].Action != "user.key.remove" || entries[0].Actor != "awa.fall" {
		t.Errorf("audit = %+v", entries)
	}
	_, err = e.svc.LoginWithKey(ctx, awaFP)
	wantCode(t, err, domain.EUNAUTHORIZED)

	err = e.svc.RemoveKey(ctx, admin, "awa.fall", awaFP)
	wantCode(t, err, domain.ENOTFOUND)
	err = e.svc.RemoveKey(ctx, e.actorOf(t, "ndeye"), "awa.fall", moussaFP)
	wantCode(t, err, domain.EFORBIDDEN)
	// The public key itself names it too.
	if err := e.svc.RemoveKey(ctx, admin, "awa.fall", moussaKey); err != nil {
		t.Fatalf("RemoveKey by the public key: %v", err)
	}
	if u, _ := e.users.ByUsername(ctx, "awa.fall"); len(u.SSHKeys) != 0 {
		t.Errorf("keys left: %+v", u.SSHKeys)
	}
}

// TestResumeRemovedKey: when the session store could not delete the key's
// sessions, Resume still refuses them, says why, and drops them.
func TestResumeRemovedKey(t *testing.T) {
	e := newAuthEnv(t)
	if _, err := e.svc.AddKey(ctx, admin, "ndeye", awaKey); err != nil {
		t.Fatal(err)
	}
	l, err := e.svc.LoginWithKey(ctx, awaFP)
	if err != nil {
		t.Fatal(err)
	}
	e.sessions.failDeleteUser = true
	if err := e.svc.RemoveKey(ctx, admin, "ndeye", awaFP); err != nil {
		t.Fatalf("RemoveKey with the session store failing: %v", err)
	}
	if !strings.Contains(e.logs.String(), "sessions of a removed SSH key not deleted") {
		t.Error("the failed deletion was not logged")
	}
	e.sessions.failDeleteUser = false
	var err2 error
	hashes, compares := e.cost(func() { _, err2 = e.svc.Resume(ctx, l.Token) })
	if de := wantCode(t, err2, domain.EUNAUTHORIZED); !strings.Contains(de.Message, "SSH key of this session was removed") {
		t.Errorf("message %q", de.Message)
	}
	if hashes+compares != 0 {
		t.Error("Resume ran bcrypt")
	}
	if e.sessions.Len() != 0 {
		t.Error("the session of the removed key was kept")
	}
}

func TestLoginWithKey(t *testing.T) {
	e := newAuthEnv(t)
	if _, err := e.svc.AddKey(ctx, admin, "ndeye", awaKey); err != nil {
		t.Fatal(err)
	}
	var l *domain.Login
	var err error
	hashes, compares := e.cost(func() { l, err = e.svc.LoginWithKey(ctx, awaFP) })
	if err != nil {
		t.Fatalf("LoginWithKey: %v", err)
	}
	if hashes+compares != 0 {
		t.Errorf("LoginWithKey ran bcrypt %d times", hashes+compares)
	}
	stored, err := e.sessions.Get(ctx, domain.TokenHash(l.Token))
	if err != nil || stored.Key != awaFP || l.Session.Key != awaFP || stored.Username != "ndeye" {
		t.Fatalf("session %+v, %v; want ndeye's with Key %s", stored, err, awaFP)
	}
	if l.Actor.Role != domain.RoleStudent || l.Actor.StudentID != e.student.ID {
		t.Errorf("actor = %+v", l.Actor)
	}
	if r, err := e.svc.Resume(ctx, l.Token); err != nil || r.Session.Key != awaFP {
		t.Errorf("Resume of a key session = %+v, %v", r, err)
	}
	if pw := e.login(t, "ndeye", pwStudent); pw.Session.Key != "" {
		t.Errorf("a password session has Key %q", pw.Session.Key)
	}

	// A locked account still opens with its key: guesses by someone else
	// must not keep its owner out.
	for range domain.MaxLoginFailures {
		e.svc.Login(ctx, "ndeye", "wrong-password")
	}
	if _, err := e.svc.LoginWithKey(ctx, awaFP); err != nil {
		t.Errorf("key log-in of a locked account: %v", err)
	}

	for _, fp := range []string{moussaFP, "", "SHA256:"} {
		_, err := e.svc.LoginWithKey(ctx, fp)
		wantCode(t, err, domain.EUNAUTHORIZED)
	}

	// A key held by two accounts (the index is not enforced on FerretDB)
	// opens neither.
	u, _ := e.users.ByUsername(ctx, "root")
	u.SSHKeys = []domain.SSHKey{{Fingerprint: awaFP, Type: "ssh-ed25519"}}
	if err := e.users.Update(ctx, u); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.LoginWithKey(ctx, awaFP)
	if de := wantCode(t, err, domain.EUNAUTHORIZED); !strings.Contains(de.Message, "more than one account") {
		t.Errorf("message %q", de.Message)
	}
}

func TestKeyAllowed(t *testing.T) {
	e := newAuthEnv(t)
	if _, err := e.svc.AddKey(ctx, admin, "awa.fall", awaKey); err != nil {
		t.Fatal(err)
	}
	allowed := func(fp string) bool {
		t.Helper()
		ok, err := e.svc.KeyAllowed(ctx, fp)
		if err != nil {
			t.Fatalf("KeyAllowed(%q): %v", fp, err)
		}
		return ok
	}
	if !allowed(awaFP) || !allowed(" "+awaFP+"\n") {
		t.Error("the registered key is not allowed")
	}
	if allowed(moussaFP) || allowed("") {
		t.Error("an unregistered key is allowed")
	}
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", true); err != nil {
		t.Fatal(err)
	}
	if allowed(awaFP) {
		t.Error("a disabled account's key is allowed")
	}
	if e.sessions.Len() != 0 {
		t.Error("KeyAllowed opened a session")
	}
}

// TestKeySessionsEnd: disabling an account and revoking its sessions end
// the key sessions too, and a disabled account cannot open one.
func TestKeySessionsEnd(t *testing.T) {
	e := newAuthEnv(t)
	if _, err := e.svc.AddKey(ctx, admin, "awa.fall", awaKey); err != nil {
		t.Fatal(err)
	}
	l, err := e.svc.LoginWithKey(ctx, awaFP)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := e.svc.RevokeSessions(ctx, admin, "awa.fall"); err != nil || n != 1 {
		t.Fatalf("RevokeSessions = %d, %v", n, err)
	}
	_, err = e.svc.Resume(ctx, l.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)

	l, _ = e.svc.LoginWithKey(ctx, awaFP)
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", true); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Resume(ctx, l.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)
	_, err = e.svc.LoginWithKey(ctx, awaFP)
	wantCode(t, err, domain.EDISABLED)
	if e.sessions.Len() != 0 {
		t.Errorf("%d sessions left", e.sessions.Len())
	}
	// Disabling keeps the keys: re-enabling brings key log-in back.
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", false); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.LoginWithKey(ctx, awaFP); err != nil {
		t.Errorf("key log-in after re-enabling: %v", err)
	}
}

func TestSetLang(t *testing.T) {
	e := newAuthEnv(t)
	ndeye := e.actorOf(t, "ndeye")
	audits := e.audit.Len()
	if err := e.svc.SetLang(ctx, ndeye, "ndeye", " EN "); err != nil {
		t.Fatalf("SetLang by the owner: %v", err)
	}
	if err := e.svc.SetLang(ctx, admin, "awa.fall", "fr"); err != nil {
		t.Fatalf("SetLang by an admin: %v", err)
	}
	for name, want := range map[string]string{"ndeye": "en", "awa.fall": "fr", "root": ""} {
		if u, _ := e.users.ByUsername(ctx, name); u.Lang != want {
			t.Errorf("%s: Lang = %q, want %q", name, u.Lang, want)
		}
	}
	if entries := e.audit.Entries()[audits:]; len(entries) != 2 || entries[0].Action != "user.lang" || entries[0].Actor != "ndeye" {
		t.Errorf("audit = %+v", entries)
	}
	// Setting the same language again changes and records nothing.
	if err := e.svc.SetLang(ctx, ndeye, "ndeye", "en"); err != nil || e.audit.Len() != audits+2 {
		t.Errorf("same language again: %v, %d entries", err, e.audit.Len()-audits)
	}
	for _, lang := range []string{"", "wo", "english", "fr-SN"} {
		wantInvalid(t, e.svc.SetLang(ctx, admin, "ndeye", lang), "lang")
	}
	wantCode(t, e.svc.SetLang(ctx, ndeye, "awa.fall", "en"), domain.EFORBIDDEN)
	wantCode(t, e.svc.SetLang(ctx, admin, "nobody", "en"), domain.ENOTFOUND)
	// An actor whose name matches but whose id does not (a renamed or
	// re-created account) is not "self".
	impostor := domain.Actor{Name: "awa.fall", UserID: "u-someone-else", Role: domain.RoleTeacher}
	wantCode(t, e.svc.SetLang(ctx, impostor, "awa.fall", "en"), domain.EFORBIDDEN)
	// The CLI acts as admin without a user id.
	if err := e.svc.SetLang(ctx, domain.SystemActor("cli:root"), "root", "en"); err != nil {
		t.Errorf("SetLang from the CLI: %v", err)
	}
}
