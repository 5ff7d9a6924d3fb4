package domain

import (
	"context"
	"fmt"
	"math"
	"net"
	"strings"
	"time"
)

// Per-origin log-in policy: the per-account lock stops guessing one
// password, this stops trying a few passwords on every account from one
// address.
const (
	MaxOriginFailures = 20
	OriginWindow      = 10 * time.Minute
	// OriginLockDuration equals OriginWindow: LoginLimiter.Fail takes one
	// duration, which is both how long failures are counted from the first
	// one and how long the lock lasts.
	OriginLockDuration = OriginWindow
)

// originKey is the LoginLimiter key of a remote address. The port is
// dropped (every connection comes from a new one, which would give each
// its own count), and "origin:" cannot collide with a user name, which
// has no ':'. "" means no origin is known.
func originKey(origin string) string {
	origin = strings.TrimSpace(origin)
	if host, _, err := net.SplitHostPort(origin); err == nil {
		origin = host
	}
	origin = strings.ToLower(strings.Trim(origin, "[]"))
	if origin == "" {
		return ""
	}
	return "origin:" + origin
}

// LoginFrom is Login for a connection from origin (a remote address, with
// or without its port): after MaxOriginFailures wrong user names or
// passwords from one origin within OriginWindow, every log-in from it is
// refused with ELOCKED for OriginLockDuration, whatever the user name,
// without a password check. The per-account lock applies as in Login. An
// empty origin is Login.
//
// Only guesses count: a refusal of a locked account checks no password, and
// counting it would let one person who keeps trying their locked account
// lock out everyone behind the same address. A success does not reset the
// count: otherwise whoever holds one account could guess at the others
// indefinitely by logging in to their own every 19 tries.
func (s *AuthService) LoginFrom(ctx context.Context, origin, username, password string) (*Login, error) {
	key := originKey(origin)
	if key == "" {
		return s.Login(ctx, username, password)
	}
	left, err := s.d.Limiter.Locked(ctx, key)
	if err != nil {
		return nil, unavailable("session store", err)
	}
	if left > 0 {
		return nil, originLockedError(left)
	}
	l, guessed, err := s.login(ctx, username, password)
	if !guessed {
		return l, err
	}
	n, ferr := s.d.Limiter.Fail(ctx, key, MaxOriginFailures, OriginLockDuration)
	if ferr != nil {
		s.d.Log.Warn("log-in failure from origin not counted", "origin", key, "err", ferr)
		return l, err
	}
	if n >= MaxOriginFailures {
		if n == MaxOriginFailures {
			s.d.Log.Warn("origin locked after failed log-ins", "origin", key, "failures", n)
		}
		return nil, originLockedError(OriginLockDuration)
	}
	return l, err
}

func originLockedError(left time.Duration) *Error {
	minutes := int(math.Ceil(left.Minutes()))
	return &Error{Code: ELOCKED, RetryAfter: left,
		Message: fmt.Sprintf("too many failed log-ins from this address: log-in is refused for %d more minute(s)", minutes)}
}

// LoginWithKey opens a session for the user holding the SSH key of that
// fingerprint (the SSH server has checked the key's signature), with
// Session.Key set to it. No password, no bcrypt, and the per-account lock
// does not apply: password guesses by someone else must not keep the owner
// of a key out. Errors: EUNAUTHORIZED when no account holds the key (or,
// where the server does not enforce the unique index, more than one does),
// EDISABLED for a disabled account, EUNAVAILABLE when the session store is
// down.
func (s *AuthService) LoginWithKey(ctx context.Context, fingerprint string) (*Login, error) {
	fingerprint = strings.TrimSpace(fingerprint)
	if fingerprint == "" {
		return nil, Errorf(EUNAUTHORIZED, "no SSH key was given")
	}
	u, err := s.d.Users.ByKeyFingerprint(ctx, fingerprint)
	switch ErrorCode(err) {
	case "":
	case ENOTFOUND:
		return nil, Errorf(EUNAUTHORIZED, "no account has this SSH key (%s); log in with your password", fingerprint)
	case ECONFLICT:
		s.d.Log.Error("SSH key held by more than one account", "fingerprint", fingerprint, "err", err)
		return nil, Errorf(EUNAUTHORIZED, "this SSH key is registered to more than one account; ask an administrator")
	default:
		return nil, fmt.Errorf("log-in with SSH key: %w", err)
	}
	if u.keyIndex(fingerprint) < 0 {
		return nil, Errorf(EUNAUTHORIZED, "no account has this SSH key (%s); log in with your password", fingerprint)
	}
	if u.Disabled {
		return nil, Errorf(EDISABLED, "the account %s is disabled; ask an administrator", u.Username)
	}
	s.d.Log.Info("log-in with SSH key", "user", u.Username, "fingerprint", fingerprint)
	return s.open(ctx, u, fingerprint)
}

// keyIndex returns the position of the key with that fingerprint, or -1.
func (u *User) keyIndex(fingerprint string) int {
	for i, k := range u.SSHKeys {
		if k.Fingerprint == fingerprint {
			return i
		}
	}
	return -1
}

// KeyAllowed reports whether an enabled account holds the SSH key of that
// fingerprint: the SSH server accepts only such keys, so that a client
// holding several goes on to the registered one. It opens no session.
func (s *AuthService) KeyAllowed(ctx context.Context, fingerprint string) (bool, error) {
	u, err := s.d.Users.ByKeyFingerprint(ctx, strings.TrimSpace(fingerprint))
	switch ErrorCode(err) {
	case "":
		return !u.Disabled && u.keyIndex(fingerprint) >= 0, nil
	case ENOTFOUND, ECONFLICT:
		return false, nil
	}
	return false, fmt.Errorf("look up SSH key: %w", err)
}
