package domain_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

const (
	pwTeacher = "Teranga-Prof-2026"
	pwStudent = "Ndeye&Sunu-Ecole"
	pwAdmin   = "Admin-Dakar-Plateau"
)

// authEnv is an auth service over fresh fakes, with three accounts:
// awa.fall (teacher of L3-INFO), ndeye (student 2026-00001), root (admin).
type authEnv struct {
	clock    *clock
	users    *userRepo
	students *domaintest.StudentRepo
	sessions *sessionStore
	limiter  *loginLimiter
	hasher   *countingHasher
	audit    *auditLog
	logs     *bytes.Buffer
	teaching teaching
	svc      *domain.AuthService
	student  *domain.Student
}

func newAuthEnv(t *testing.T) *authEnv {
	t.Helper()
	c := newClock()
	e := &authEnv{clock: c, teaching: teaching{}, users: newUserRepo(), students: domaintest.NewStudentRepo(), sessions: newSessionStore(),
		limiter: newLoginLimiter(c.Now), hasher: &countingHasher{}, audit: &auditLog{}, logs: &bytes.Buffer{}}
	e.svc = domain.NewAuthService(domain.AuthDeps{Users: e.users, Students: e.students, Sessions: e.sessions,
		Limiter: e.limiter, Hasher: e.hasher, Audit: e.audit, Now: c.Now, Teaching: e.teaching,
		Log: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	e.student = &domain.Student{Number: "2026-00001", LastName: "Diop", FirstName: "Ndèye", Phone: "+221771234567",
		Class: "L3-INFO", Major: "Informatique", Version: 1}
	if err := e.students.Insert(ctx, e.student, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []domain.UserInput{
		{Username: "awa.fall", Password: pwTeacher, Role: "teacher", Classes: []string{"L3-INFO"}},
		{Username: "ndeye", Password: pwStudent, Role: "student", Student: "2026-00001"},
		{Username: "root", Password: pwAdmin, Role: "admin"},
	} {
		if _, err := e.svc.CreateUser(ctx, admin, in); err != nil {
			t.Fatalf("CreateUser(%s): %v", in.Username, err)
		}
	}
	return e
}

// cost runs f and returns how many bcrypt hashes and comparisons it made.
func (e *authEnv) cost(f func()) (hashes, compares int64) {
	h, c := e.hasher.hashes.Load(), e.hasher.compares.Load()
	f()
	return e.hasher.hashes.Load() - h, e.hasher.compares.Load() - c
}

func (e *authEnv) login(t *testing.T, user, pw string) *domain.Login {
	t.Helper()
	l, err := e.svc.Login(ctx, user, pw)
	if err != nil {
		t.Fatalf("Login(%s): %v", user, err)
	}
	return l
}

func TestLoginSuccess(t *testing.T) {
	e := newAuthEnv(t)
	var l *domain.Login
	var err error
	_, compares := e.cost(func() { l, err = e.svc.Login(ctx, "  Awa.Fall ", pwTeacher) })
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if compares != 1 {
		t.Errorf("Login cost %d compares, want 1", compares)
	}
	sum := sha256.Sum256([]byte(l.Token))
	key := hex.EncodeToString(sum[:])
	if domain.TokenHash(l.Token) != key {
		t.Errorf("TokenHash is not the hex SHA-256 of the token")
	}
	stored, err := e.sessions.Get(ctx, key)
	if err != nil {
		t.Fatalf("no session under the token's SHA-256: %v", err)
	}
	if _, err := e.sessions.Get(ctx, l.Token); err == nil || len(l.Token) < 40 {
		t.Errorf("the raw token %q is a session key or too short", l.Token)
	}
	if stored.UserID != l.User.ID || stored.Username != "awa.fall" || stored.Role != domain.RoleTeacher ||
		!stored.ExpiresAt.Equal(testNow.Add(domain.SessionIdleTTL)) || e.sessions.ttl[key] != domain.SessionIdleTTL {
		t.Errorf("stored session = %+v (ttl %v)", stored, e.sessions.ttl[key])
	}
	if l.Actor.Name != "awa.fall" || l.Actor.Role != domain.RoleTeacher || !l.Actor.Teaches("L3-INFO") || l.Actor.UserID != l.User.ID {
		t.Errorf("actor = %+v", l.Actor)
	}
	if again := e.login(t, "awa.fall", pwTeacher); again.Token == l.Token {
		t.Error("two log-ins got the same token")
	}
	if st := e.login(t, "ndeye", pwStudent); st.Actor.StudentID != e.student.ID || st.Actor.Role != domain.RoleStudent {
		t.Errorf("student actor = %+v", st.Actor)
	}
}

// teaching is the curricula as the log-in sees them: the classes each
// teacher is named on a subject of ("fail" fails).
type teaching map[string][]string

func (t teaching) TaughtClasses(_ context.Context, username string) ([]string, error) {
	if username == "fail" {
		return nil, errors.New("curricula unreachable")
	}
	return t[username], nil
}

// TestLoginReadsTheSubjectsTaught: a teacher's actor carries the classes
// whose curricula name them, at log-in and at every resume (a curriculum
// changed meanwhile reaches the session); an unreadable curriculum leaves
// the account's classes and is logged, it does not refuse the log-in.
func TestLoginReadsTheSubjectsTaught(t *testing.T) {
	e := newAuthEnv(t)
	e.teaching["awa.fall"] = []string{"L1-INFO"}
	l := e.login(t, "awa.fall", pwTeacher)
	if !l.Actor.Reads("L1-INFO") || l.Actor.Teaches("L1-INFO") || !l.Actor.Teaches("L3-INFO") {
		t.Errorf("actor = %+v, want L3-INFO whole and L1-INFO by subject", l.Actor)
	}
	e.teaching["awa.fall"] = []string{"L1-INFO", "L2-INFO"}
	r, err := e.svc.Resume(ctx, l.Token)
	if err != nil || !r.Actor.Reads("L2-INFO") {
		t.Errorf("after resume: %+v, %v; want L2-INFO read", r.Actor, err)
	}
	if st := e.login(t, "ndeye", pwStudent); len(st.Actor.Taught) != 0 {
		t.Errorf("a student's actor has taught classes %v", st.Actor.Taught)
	}
	if _, err := e.svc.CreateUser(ctx, admin, domain.UserInput{Username: "fail", Password: pwTeacher, Role: "teacher", Classes: []string{"L3-INFO"}}); err != nil {
		t.Fatal(err)
	}
	f := e.login(t, "fail", pwTeacher)
	if !f.Actor.Teaches("L3-INFO") || len(f.Actor.Taught) != 0 || !strings.Contains(e.logs.String(), "curricula unreachable") {
		t.Errorf("with the curricula unreachable: actor %+v, log %q", f.Actor, e.logs.String())
	}
}

// TestLoginCostsTheSame: a wrong user name costs exactly what a right one
// does (one comparison, and the same hashing), on a fresh service and after.
func TestLoginCostsTheSame(t *testing.T) {
	known, unknown := newAuthEnv(t), newAuthEnv(t)
	for i := range 2 {
		var errK, errU error
		hk, ck := known.cost(func() { _, errK = known.svc.Login(ctx, "awa.fall", pwTeacher) })
		hu, cu := unknown.cost(func() { _, errU = unknown.svc.Login(ctx, "nobody", pwTeacher) })
		if errK != nil {
			t.Fatal(errK)
		}
		wantCode(t, errU, domain.EUNAUTHORIZED)
		if ck != 1 || cu != 1 || hk != hu {
			t.Errorf("log-in %d: known user cost %d compares %d hashes, unknown %d compares %d hashes", i, ck, hk, cu, hu)
		}
	}
}

func TestLoginFailures(t *testing.T) {
	e := newAuthEnv(t)
	var err error
	_, compares := e.cost(func() { _, err = e.svc.Login(ctx, "nobody", pwTeacher) })
	wantCode(t, err, domain.EUNAUTHORIZED)
	if compares != 1 {
		t.Errorf("unknown user cost %d compares, want 1", compares)
	}
	hashes, compares := e.cost(func() { _, err = e.svc.Login(ctx, "nobody.else", pwTeacher) })
	wantCode(t, err, domain.EUNAUTHORIZED)
	if compares != 1 || hashes != 0 {
		t.Errorf("second unknown user cost %d compares, %d hashes; want 1 and 0 (dummy hash kept)", compares, hashes)
	}
	_, compares = e.cost(func() { _, err = e.svc.Login(ctx, "awa.fall", pwStudent) })
	if de := wantCode(t, err, domain.EUNAUTHORIZED); compares != 1 || !strings.Contains(de.Message, "4 attempts left") {
		t.Errorf("wrong password: %d compares, message %q", compares, de.Message)
	}
	_, err = e.svc.Login(ctx, "awa.fall", "")
	wantCode(t, err, domain.EUNAUTHORIZED)
	if e.sessions.Len() != 0 {
		t.Errorf("failed log-ins opened %d sessions", e.sessions.Len())
	}
}

func TestLoginLock(t *testing.T) {
	e := newAuthEnv(t)
	// A success resets the count.
	for range 4 {
		e.svc.Login(ctx, "awa.fall", "wrong-password")
	}
	e.login(t, "awa.fall", pwTeacher)
	for range 4 {
		_, err := e.svc.Login(ctx, "awa.fall", "wrong-password")
		wantCode(t, err, domain.EUNAUTHORIZED)
	}
	_, err := e.svc.Login(ctx, "awa.fall", "wrong-password")
	de := wantCode(t, err, domain.ELOCKED)
	if de.RetryAfter != domain.LoginLockDuration || !strings.Contains(de.Message, "15 more minute") {
		t.Errorf("lock: RetryAfter %v, message %q", de.RetryAfter, de.Message)
	}
	// Locked: the right password is refused without even a comparison.
	hashes, compares := e.cost(func() { _, err = e.svc.Login(ctx, "AWA.FALL", pwTeacher) })
	de = wantCode(t, err, domain.ELOCKED)
	if compares != 0 || hashes != 0 || de.RetryAfter < 14*time.Minute || de.RetryAfter > 15*time.Minute {
		t.Errorf("locked log-in: %d compares, RetryAfter %v", compares, de.RetryAfter)
	}
	e.clock.Advance(10*time.Minute + 30*time.Second)
	_, err = e.svc.Login(ctx, "awa.fall", pwTeacher)
	if de = wantCode(t, err, domain.ELOCKED); de.RetryAfter != 4*time.Minute+30*time.Second || !strings.Contains(de.Message, "5 more minute") {
		t.Errorf("later: RetryAfter %v, message %q", de.RetryAfter, de.Message)
	}
	// Other accounts are not locked.
	e.login(t, "ndeye", pwStudent)
	e.clock.Advance(5 * time.Minute)
	e.login(t, "awa.fall", pwTeacher)
}

func TestLoginDisabled(t *testing.T) {
	e := newAuthEnv(t)
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", true); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Login(ctx, "awa.fall", pwTeacher)
	wantCode(t, err, domain.EDISABLED)
	_, err = e.svc.Login(ctx, "awa.fall", "wrong-password")
	wantCode(t, err, domain.EUNAUTHORIZED) // a wrong password learns nothing
	if e.sessions.Len() != 0 {
		t.Error("a disabled account got a session")
	}
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", false); err != nil {
		t.Fatal(err)
	}
	e.login(t, "awa.fall", pwTeacher)
}

func TestResume(t *testing.T) {
	e := newAuthEnv(t)
	l := e.login(t, "awa.fall", pwTeacher)
	key := domain.TokenHash(l.Token)
	for i := range 2 {
		e.clock.Advance(11 * time.Hour) // within the idle timeout each time
		var r *domain.Login
		var err error
		hashes, compares := e.cost(func() { r, err = e.svc.Resume(ctx, l.Token) })
		if err != nil {
			t.Fatalf("Resume %d: %v", i, err)
		}
		if hashes != 0 || compares != 0 {
			t.Errorf("Resume cost %d hashes and %d compares, want none", hashes, compares)
		}
		want := e.clock.Now().Add(domain.SessionIdleTTL)
		if stored, _ := e.sessions.Get(ctx, key); !r.Session.ExpiresAt.Equal(want) || !stored.ExpiresAt.Equal(want) {
			t.Errorf("Resume %d: expiry %v (stored %v), want %v", i, r.Session.ExpiresAt, stored.ExpiresAt, want)
		}
		if r.Actor.Name != "awa.fall" || r.User.ID != l.User.ID || r.Token != l.Token {
			t.Errorf("Resume %d: %+v", i, r.Actor)
		}
	}
	e.clock.Advance(domain.SessionIdleTTL)
	_, err := e.svc.Resume(ctx, l.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)
	if e.sessions.Len() != 0 {
		t.Error("the expired session was not deleted")
	}
	for _, tok := range []string{"", "not-a-token"} {
		_, err := e.svc.Resume(ctx, tok)
		wantCode(t, err, domain.EUNAUTHORIZED)
	}
}

func TestSessionsEnd(t *testing.T) {
	e := newAuthEnv(t)
	l := e.login(t, "awa.fall", pwTeacher)
	if err := e.svc.Logout(ctx, l.Token); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Resume(ctx, l.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)

	a, b, other := e.login(t, "awa.fall", pwTeacher), e.login(t, "awa.fall", pwTeacher), e.login(t, "ndeye", pwStudent)
	n, err := e.svc.RevokeSessions(ctx, admin, "Awa.Fall")
	if err != nil || n != 2 {
		t.Fatalf("RevokeSessions = %d, %v; want 2", n, err)
	}
	for _, tok := range []string{a.Token, b.Token} {
		_, err := e.svc.Resume(ctx, tok)
		wantCode(t, err, domain.EUNAUTHORIZED)
	}
	if _, err := e.svc.Resume(ctx, other.Token); err != nil {
		t.Errorf("another user's session was revoked: %v", err)
	}

	// A new password ends the sessions and replaces the old one.
	c := e.login(t, "awa.fall", pwTeacher)
	if err := e.svc.SetPassword(ctx, admin, "awa.fall", "Nouveau-Mot-2027"); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.Resume(ctx, c.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)
	_, err = e.svc.Login(ctx, "awa.fall", pwTeacher)
	wantCode(t, err, domain.EUNAUTHORIZED)
	e.login(t, "awa.fall", "Nouveau-Mot-2027")
}

func TestResumeDisabled(t *testing.T) {
	e := newAuthEnv(t)
	// SetDisabled logs the user out: the session is gone.
	l := e.login(t, "awa.fall", pwTeacher)
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", true); err != nil {
		t.Fatal(err)
	}
	_, err := e.svc.Resume(ctx, l.Token)
	wantCode(t, err, domain.EUNAUTHORIZED)

	// When the session store could not revoke them, Resume still refuses,
	// saying why, and drops the session.
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", false); err != nil {
		t.Fatal(err)
	}
	l = e.login(t, "awa.fall", pwTeacher)
	e.sessions.failDeleteUser = true
	if err := e.svc.SetDisabled(ctx, admin, "awa.fall", true); err != nil {
		t.Fatalf("SetDisabled with the session store failing: %v", err)
	}
	_, err = e.svc.Resume(ctx, l.Token)
	wantCode(t, err, domain.EDISABLED)
	if _, err := e.sessions.Get(ctx, domain.TokenHash(l.Token)); err == nil {
		t.Error("the disabled user's session was kept")
	}
	if !strings.Contains(e.logs.String(), "sessions not revoked") {
		t.Error("the failed revocation was not logged")
	}
}

func TestBcryptCost(t *testing.T) {
	for i, b := range []domain.Bcrypt{{}, {Cost: 4}} {
		h, err := b.Hash(pwAdmin)
		if err != nil {
			t.Fatal(err)
		}
		if cost, err := bcrypt.Cost([]byte(h)); err != nil || cost < domain.MinBcryptCost {
			t.Errorf("Bcrypt{%d} hashed at cost %d (%v), want >= %d", b.Cost, cost, err, domain.MinBcryptCost)
		}
		if i == 0 && (b.Compare(h, pwAdmin) != nil || b.Compare(h, pwTeacher) == nil) {
			t.Error("Bcrypt.Compare does not tell right from wrong")
		}
	}
}
