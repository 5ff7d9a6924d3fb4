package domain_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

// accounts adds n teacher accounts and returns their names: guesses at
// existing accounts cost a fast bcrypt (the fake hasher's), while unknown
// names are compared with the real cost-12 dummy hash.
func (e *authEnv) accounts(t *testing.T, n int) []string {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("prof%02d", i)
		in := domain.UserInput{Username: names[i], Password: pwTeacher, Role: "teacher", Classes: []string{"L3-INFO"}}
		if _, err := e.svc.CreateUser(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
	}
	return names
}

// TestLoginFromOriginLimit: 20 wrong passwords spread over many accounts
// from one address lock that address for every account, including with the
// right password and without a bcrypt check; another address is not
// affected, and the lock runs out.
func TestLoginFromOriginLimit(t *testing.T) {
	e := newAuthEnv(t)
	const origin = "192.0.2.7:51234"
	// Four guesses on each of five names: no account reaches its own
	// limit of five, yet the origin reaches twenty.
	names := append([]string{"awa.fall", "ndeye", "root", "nobody"}, e.accounts(t, 1)...)
	for i := range domain.MaxOriginFailures {
		// Each connection comes from a new port.
		from := fmt.Sprintf("192.0.2.7:%d", 40000+i)
		_, err := e.svc.LoginFrom(ctx, from, names[i%len(names)], "wrong-password")
		if i < domain.MaxOriginFailures-1 {
			wantCode(t, err, domain.EUNAUTHORIZED)
			continue
		}
		de := wantCode(t, err, domain.ELOCKED)
		if de.RetryAfter != domain.OriginLockDuration || !strings.Contains(de.Message, "from this address") {
			t.Errorf("20th failure: RetryAfter %v, message %q", de.RetryAfter, de.Message)
		}
	}
	var err error
	hashes, compares := e.cost(func() { _, err = e.svc.LoginFrom(ctx, origin, "awa.fall", pwTeacher) })
	if de := wantCode(t, err, domain.ELOCKED); compares+hashes != 0 || !strings.Contains(de.Message, "10 more minute") {
		t.Errorf("locked origin: %d bcrypt calls, message %q", compares+hashes, de.Message)
	}
	if e.sessions.Len() != 0 {
		t.Error("a locked origin opened a session")
	}
	// The same accounts from elsewhere, and without an origin (the local
	// terminal), are not locked.
	if _, err := e.svc.LoginFrom(ctx, "[2001:db8::1]:22", "awa.fall", pwTeacher); err != nil {
		t.Errorf("another origin: %v", err)
	}
	if _, err := e.svc.Login(ctx, "ndeye", pwStudent); err != nil {
		t.Errorf("Login without an origin: %v", err)
	}
	e.clock.Advance(domain.OriginLockDuration - time.Minute)
	_, err = e.svc.LoginFrom(ctx, "192.0.2.7", "ndeye", pwStudent)
	if de := wantCode(t, err, domain.ELOCKED); de.RetryAfter != time.Minute {
		t.Errorf("still locked without the port: RetryAfter %v", de.RetryAfter)
	}
	e.clock.Advance(time.Minute)
	if _, err := e.svc.LoginFrom(ctx, origin, "ndeye", pwStudent); err != nil {
		t.Errorf("after the lock ran out: %v", err)
	}
}

// TestLoginFromCounts: what counts against an origin and what does not.
func TestLoginFromCounts(t *testing.T) {
	t.Run("a success does not reset the count", func(t *testing.T) {
		e := newAuthEnv(t)
		const origin = "198.51.100.4"
		names := e.accounts(t, domain.MaxOriginFailures)
		for i := range domain.MaxOriginFailures - 1 {
			if i%4 == 0 {
				// Logging in to one's own account in between must not buy
				// more guesses at the others.
				if _, err := e.svc.LoginFrom(ctx, origin, "root", pwAdmin); err != nil {
					t.Fatal(err)
				}
			}
			e.svc.LoginFrom(ctx, origin, names[i], "wrong-password")
		}
		_, err := e.svc.LoginFrom(ctx, origin, "awa.fall", "wrong-password")
		wantCode(t, err, domain.ELOCKED)
	})
	t.Run("a locked account's refusals are not guesses", func(t *testing.T) {
		e := newAuthEnv(t)
		const origin = "198.51.100.5"
		for range domain.MaxLoginFailures {
			e.svc.LoginFrom(ctx, origin, "awa.fall", "wrong-password")
		}
		// Someone keeps trying their locked account: no password is
		// checked, and the others behind the same address are not locked.
		for range 2 * domain.MaxOriginFailures {
			_, err := e.svc.LoginFrom(ctx, origin, "awa.fall", pwTeacher)
			if de := wantCode(t, err, domain.ELOCKED); strings.Contains(de.Message, "address") {
				t.Fatalf("the origin was locked by refusals that checked nothing: %q", de.Message)
			}
		}
		if _, err := e.svc.LoginFrom(ctx, origin, "ndeye", pwStudent); err != nil {
			t.Errorf("another account from the same address: %v", err)
		}
	})
	t.Run("the per-account lock still applies", func(t *testing.T) {
		e := newAuthEnv(t)
		for i := range domain.MaxLoginFailures {
			// Five addresses, one guess each at the same account.
			e.svc.LoginFrom(ctx, fmt.Sprintf("203.0.113.%d", i), "awa.fall", "wrong-password")
		}
		_, err := e.svc.LoginFrom(ctx, "203.0.113.99", "awa.fall", pwTeacher)
		if de := wantCode(t, err, domain.ELOCKED); !strings.Contains(de.Message, "account is locked") {
			t.Errorf("message %q", de.Message)
		}
	})
	t.Run("the window", func(t *testing.T) {
		e := newAuthEnv(t)
		const origin = "203.0.113.50"
		names := e.accounts(t, domain.MaxOriginFailures)
		for _, name := range names[1:] {
			e.svc.LoginFrom(ctx, origin, name, "wrong-password")
		}
		e.clock.Advance(domain.OriginWindow)
		// The nineteen are forgotten: this is the first of a new count.
		_, err := e.svc.LoginFrom(ctx, origin, names[0], "wrong-password")
		wantCode(t, err, domain.EUNAUTHORIZED)
		if _, err := e.svc.LoginFrom(ctx, origin, "root", pwAdmin); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
	t.Run("no origin is plain Login", func(t *testing.T) {
		e := newAuthEnv(t)
		for _, name := range e.accounts(t, domain.MaxOriginFailures+1) {
			e.svc.LoginFrom(ctx, " ", name, "wrong-password")
		}
		if _, err := e.svc.LoginFrom(ctx, "", "root", pwAdmin); err != nil {
			t.Errorf("empty origin: %v", err)
		}
	})
	t.Run("origin keys never meet user names", func(t *testing.T) {
		e := newAuthEnv(t)
		for _, name := range e.accounts(t, domain.MaxOriginFailures) {
			e.svc.LoginFrom(ctx, "10.1.2.3", name, "wrong-password")
		}
		for key := range e.limiter.failures {
			if !strings.HasPrefix(key, "origin:") && !strings.HasPrefix(key, "prof") {
				t.Errorf("limiter key %q", key)
			}
		}
		if left, _ := e.limiter.Locked(ctx, "origin:10.1.2.3"); left == 0 {
			t.Error(`the origin is not locked under "origin:10.1.2.3"`)
		}
	})
}
