package domain_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
)

func TestCreateUserValidation(t *testing.T) {
	e := newAuthEnv(t)
	good := func(edit func(*domain.UserInput)) domain.UserInput {
		in := domain.UserInput{Username: "moussa.ba", Password: "Bonjour-Dakar", Role: "teacher", Classes: []string{"L3-INFO"}}
		edit(&in)
		return in
	}
	tests := []struct {
		name   string
		in     domain.UserInput
		fields []string
	}{
		{"space in username", good(func(in *domain.UserInput) { in.Username = "moussa ba" }), []string{"username"}},
		{"short username", good(func(in *domain.UserInput) { in.Username = "mb" }), []string{"username"}},
		{"accented username", good(func(in *domain.UserInput) { in.Username = "ndèye" }), []string{"username"}},
		{"short password", good(func(in *domain.UserInput) { in.Password = "1234567" }), []string{"password"}},
		{"password over 72 bytes", good(func(in *domain.UserInput) { in.Password = strings.Repeat("é", 37) }), []string{"password"}},
		{"unknown role", good(func(in *domain.UserInput) { in.Role, in.Classes = "director", nil }), []string{"role"}},
		{"teacher without classes", good(func(in *domain.UserInput) { in.Classes = nil }), []string{"classes"}},
		{"teacher with blank classes", good(func(in *domain.UserInput) { in.Classes = []string{" ", ""} }), []string{"classes"}},
		{"teacher linked to a student", good(func(in *domain.UserInput) { in.Student = "2026-00001" }), []string{"student"}},
		{"admin with classes", good(func(in *domain.UserInput) { in.Role = "admin" }), []string{"classes"}},
		{"student without a student", good(func(in *domain.UserInput) { in.Role, in.Classes = "student", nil }), []string{"student"}},
		{"student, unknown matricule", good(func(in *domain.UserInput) { in.Role, in.Classes, in.Student = "student", nil, "2026-09999" }), []string{"student"}},
		{"student, unknown phone", good(func(in *domain.UserInput) { in.Role, in.Classes, in.Student = "student", nil, "78 000 00 00" }), []string{"student"}},
		{"student, not a reference", good(func(in *domain.UserInput) { in.Role, in.Classes, in.Student = "student", nil, "Diop" }), []string{"student"}},
		{"student with classes", good(func(in *domain.UserInput) { in.Role, in.Student = "student", "2026-00001" }), []string{"classes"}},
		{"everything wrong", domain.UserInput{Username: "!", Password: "x", Role: "student"}, []string{"username", "password", "student"}},
	}
	users, audits := len(e.users.byID), e.audit.Len()
	for _, tt := range tests {
		var err error
		hashes, _ := e.cost(func() { _, err = e.svc.CreateUser(ctx, admin, tt.in) })
		t.Run(tt.name, func(t *testing.T) { wantInvalid(t, err, tt.fields...) })
		if hashes != 0 {
			t.Errorf("%s: %d passwords hashed for a refused account", tt.name, hashes)
		}
	}
	if len(e.users.byID) != users || e.audit.Len() != audits {
		t.Error("refused accounts were written")
	}
}

func TestCreateUser(t *testing.T) {
	e := newAuthEnv(t)
	audits := e.audit.Len()
	st, err := e.svc.CreateUser(ctx, admin, domain.UserInput{Username: " Ndeye.Diop ", Password: "Bonjour-Dakar",
		Role: "Student", Student: "+221 77-123-45-67"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Username != "ndeye.diop" || st.Role != domain.RoleStudent || st.StudentID != e.student.ID || st.ID == "" ||
		!strings.HasPrefix(st.PasswordHash, "$2") || !st.CreatedAt.Equal(testNow) {
		t.Errorf("student account = %+v", st)
	}
	tc, err := e.svc.CreateUser(ctx, admin, domain.UserInput{Username: "moussa.ba", Password: "Bonjour-Dakar",
		Role: "teacher", Classes: []string{" l3-info ", "L3-INFO", "m1-math"}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tc.Classes, []string{"L3-INFO", "M1-MATH"}) {
		t.Errorf("teacher classes = %v", tc.Classes)
	}
	entries := e.audit.Entries()[audits:]
	if len(entries) != 2 || entries[0].Action != "user.create" || entries[0].EntityID != "ndeye.diop" || entries[0].Entity != "user" {
		t.Errorf("audit = %+v", entries)
	}
	_, err = e.svc.CreateUser(ctx, admin, domain.UserInput{Username: "MOUSSA.BA", Password: "Bonjour-Dakar", Role: "admin"})
	if de := wantCode(t, err, domain.ECONFLICT); de.Field() != "username" {
		t.Errorf("duplicate username: %v", err)
	}
	list, err := e.svc.Users(ctx, admin)
	if err != nil || len(list) != 5 {
		t.Errorf("Users = %d, %v; want 5", len(list), err)
	}
	// An admin may not lock themself out.
	root, _ := e.users.ByUsername(ctx, "root")
	wantInvalid(t, e.svc.SetDisabled(ctx, domain.ActorFor(root), "root", true), "username")
	wantCode(t, e.svc.SetPassword(ctx, admin, "nobody", "Bonjour-Dakar"), domain.ENOTFOUND)
}

func TestUserOpsForbidden(t *testing.T) {
	e := newAuthEnv(t)
	tl := e.login(t, "awa.fall", pwTeacher)
	sl := e.login(t, "ndeye", pwStudent)
	users, audits, sessions := len(e.users.byID), e.audit.Len(), e.sessions.Len()
	for _, a := range []domain.Actor{tl.Actor, sl.Actor, teacherL3, studentActor(e.student.ID), {Name: "anon"}} {
		_, err := e.svc.CreateUser(ctx, a, domain.UserInput{Username: "pirate", Password: "Bonjour-Dakar", Role: "admin"})
		wantCode(t, err, domain.EFORBIDDEN)
		_, err = e.svc.Users(ctx, a)
		wantCode(t, err, domain.EFORBIDDEN)
		wantCode(t, e.svc.SetPassword(ctx, a, "root", "Bonjour-Dakar"), domain.EFORBIDDEN)
		wantCode(t, e.svc.SetPassword(ctx, a, a.Name, "Bonjour-Dakar"), domain.EFORBIDDEN)
		wantCode(t, e.svc.SetDisabled(ctx, a, "root", true), domain.EFORBIDDEN)
		wantCode(t, e.svc.SetDisabled(ctx, a, "awa.fall", false), domain.EFORBIDDEN)
		_, err = e.svc.RevokeSessions(ctx, a, "awa.fall")
		wantCode(t, err, domain.EFORBIDDEN)
	}
	if len(e.users.byID) != users || e.audit.Len() != audits || e.sessions.Len() != sessions {
		t.Error("a forbidden user operation wrote something")
	}
	e.login(t, "root", pwAdmin) // password unchanged, not disabled
	if _, err := e.svc.Resume(ctx, tl.Token); err != nil {
		t.Errorf("the teacher's own session ended: %v", err)
	}
}

// TestSecretsNeverLeak runs every account operation with known passwords,
// then looks for them and their hashes in errors, audit entries and logs.
func TestSecretsNeverLeak(t *testing.T) {
	e := newAuthEnv(t)
	const (
		wrong    = "Mauvais-Secret-42"
		newPw    = "Nouveau-Secret-2027"
		shortPw  = "Cou7rt"
		longPw   = "Tres-long-secret-0123456789-0123456789-0123456789-0123456789-0123456789-X"
		fresh    = "Secret-De-Moussa"
		badUser  = "Bad User!"
		freshPw2 = "Autre-Secret-Ba"
	)
	var errs []error
	try := func(err error) { errs = append(errs, err) }
	for range 6 { // through the lock
		_, err := e.svc.Login(ctx, "awa.fall", wrong)
		try(err)
	}
	_, err := e.svc.Login(ctx, "awa.fall", pwTeacher) // locked now
	try(err)
	_, err = e.svc.Login(ctx, "nobody", pwStudent)
	try(err)
	_, err = e.svc.Login(ctx, pwAdmin, pwAdmin) // a password typed as the user name is not logged
	try(err)
	try(e.svc.SetPassword(ctx, admin, "ndeye", shortPw))
	try(e.svc.SetPassword(ctx, admin, "ndeye", longPw))
	try(e.svc.SetPassword(ctx, teacherL3, "ndeye", newPw))
	_, err = e.svc.CreateUser(ctx, admin, domain.UserInput{Username: badUser, Password: shortPw, Role: "admin"})
	try(err)
	_, err = e.svc.CreateUser(ctx, admin, domain.UserInput{Username: "moussa", Password: longPw, Role: "student", Student: "2026-00042"})
	try(err)
	_, err = e.svc.CreateUser(ctx, admin, domain.UserInput{Username: "root", Password: freshPw2, Role: "admin"})
	try(err)
	// Successful changes are audited: none may carry a password or hash.
	if _, err := e.svc.CreateUser(ctx, admin, domain.UserInput{Username: "moussa", Password: fresh, Role: "admin"}); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{e.svc.SetPassword(ctx, admin, "ndeye", newPw),
		e.svc.SetDisabled(ctx, admin, "moussa", true), e.svc.SetDisabled(ctx, admin, "moussa", false)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	l := e.login(t, "ndeye", newPw)
	if _, err := e.svc.RevokeSessions(ctx, admin, "ndeye"); err != nil {
		t.Fatal(err)
	}

	secrets := []string{pwTeacher, pwStudent, pwAdmin, wrong, newPw, shortPw, longPw, fresh, freshPw2}
	all, _ := e.users.List(ctx)
	for _, u := range all {
		secrets = append(secrets, u.PasswordHash)
	}
	for i, err := range errs {
		if err == nil {
			t.Errorf("operation %d should have failed", i)
			continue
		}
		for _, msg := range []string{err.Error(), domain.ErrorMessage(err)} {
			if s, ok := containsAny(msg, secrets...); ok {
				t.Errorf("error %q reveals the secret %q", msg, s)
			}
		}
	}
	audit := e.audit.JSON()
	if len(audit) < 8 {
		t.Fatalf("only %d audit entries", len(audit))
	}
	for _, j := range audit {
		if s, ok := containsAny(j, append(secrets, "$2a$", "password_hash", "PasswordHash")...); ok {
			t.Errorf("audit entry %s reveals %q", j, s)
		}
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "failed log-in") {
		t.Fatalf("nothing logged: %q", logs)
	}
	lower := []string{"$2a$"}
	for _, s := range secrets {
		lower = append(lower, strings.ToLower(s)) // user names are lower-cased before logging
	}
	if s, ok := containsAny(strings.ToLower(logs), lower...); ok {
		t.Errorf("logs reveal %q:\n%s", s, logs)
	}
	for _, v := range []any{l.User, all, l.Session} {
		b, _ := json.Marshal(v)
		if s, ok := containsAny(string(b), append(secrets, "$2a$")...); ok {
			t.Errorf("JSON of %T reveals %q", v, s)
		}
	}
}
