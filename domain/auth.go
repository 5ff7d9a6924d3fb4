package domain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"
)

// Log-in policy.
const (
	MaxLoginFailures  = 5
	LoginLockDuration = 15 * time.Minute
	SessionIdleTTL    = 12 * time.Hour
)

// dummyHash is compared against when the user does not exist, so that a
// wrong user name costs the same bcrypt check (cost 12) as a wrong
// password. It is the hash of a random text nobody kept.
const dummyHash = "$2a$12$Q3cTWrZHfqZIxBvckI6bhuGJiNBEMI1al3xF6.fRif1C1.UKWEDQu"

// AuthDeps are what the auth service needs.
type AuthDeps struct {
	Users    UserRepo
	Students StudentRepo
	Sessions SessionStore
	Limiter  LoginLimiter
	Hasher   PasswordHasher // default Bcrypt{Cost: MinBcryptCost}
	Audit    AuditLog
	Phones   PhoneParser
	Now      func() time.Time
	Log      *slog.Logger
	IdleTTL  time.Duration // default SessionIdleTTL
	// Teaching tells which classes a teacher teaches a subject in (nil:
	// teachers have only the classes of their account).
	Teaching TeachingLookup
}

// TeachingLookup finds the classes whose curricula name a teacher on a
// subject. CurriculumService implements it.
type TeachingLookup interface {
	TaughtClasses(ctx context.Context, username string) ([]string, error)
}

// AuthService logs users in and out and manages accounts.
type AuthService struct {
	d AuthDeps
	// writes orders this process's account writes: each reads the user,
	// changes it and writes the whole document back, and a key's
	// uniqueness is checked before the write (FerretDB does not enforce
	// the index). The SSH server runs many sessions in one process, each
	// of which may change its own account.
	writes sync.Mutex
}

// NewAuthService wires the service.
func NewAuthService(d AuthDeps) *AuthService {
	if d.Hasher == nil {
		d.Hasher = Bcrypt{Cost: MinBcryptCost}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.IdleTTL == 0 {
		d.IdleTTL = SessionIdleTTL
	}
	return &AuthService{d: d}
}

// Login is an open session: the raw token (to keep in the 0600 state file),
// the session, the user and the actor they act as.
type Login struct {
	Token   string
	Session Session
	User    *User
	Actor   Actor
}

// Login checks a password once (one bcrypt comparison, whatever happens)
// and opens a session. Errors: ELOCKED (with RetryAfter) after
// MaxLoginFailures failures, EUNAUTHORIZED for a wrong user name or
// password, EDISABLED for a disabled account, EUNAVAILABLE when the session
// store is down.
func (s *AuthService) Login(ctx context.Context, username, password string) (*Login, error) {
	l, _, err := s.login(ctx, username, password)
	return l, err
}

// login is Login, also saying whether a wrong user name or password was
// tried (a guess the per-origin limit counts), as opposed to a refusal
// that checked nothing (a locked account) or a right password.
func (s *AuthService) login(ctx context.Context, username, password string) (_ *Login, guessed bool, _ error) {
	username = strings.ToLower(strings.TrimSpace(username))
	left, err := s.d.Limiter.Locked(ctx, username)
	if err != nil {
		return nil, false, unavailable("session store", err)
	}
	if left > 0 {
		return nil, false, lockedError(left)
	}
	u, err := s.d.Users.ByUsername(ctx, username)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, false, fmt.Errorf("log-in: %w", err)
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	if s.d.Hasher.Compare(hash, password) != nil || u == nil {
		return nil, true, s.failed(ctx, username, u != nil)
	}
	if u.Disabled {
		return nil, false, Errorf(EDISABLED, "the account %s is disabled; ask an administrator", u.Username)
	}
	if err := s.d.Limiter.Reset(ctx, username); err != nil {
		s.d.Log.Warn("log-in failures not reset", "user", username, "err", err)
	}
	l, err := s.open(ctx, u, "")
	return l, false, err
}

func (s *AuthService) failed(ctx context.Context, username string, known bool) error {
	n, err := s.d.Limiter.Fail(ctx, username, MaxLoginFailures, LoginLockDuration)
	// An unknown user name is often a password typed in the wrong field:
	// it is never logged.
	logged := username
	if !known {
		logged = "(unknown user)"
	}
	if err != nil {
		s.d.Log.Warn("log-in failure not counted", "user", logged, "err", err)
	}
	s.d.Log.Info("failed log-in", "user", logged, "failures", n)
	if n >= MaxLoginFailures {
		return lockedError(LoginLockDuration)
	}
	return &Error{Code: EUNAUTHORIZED, Message: fmt.Sprintf("wrong user name or password (%d attempts left)", MaxLoginFailures-n)}
}

func lockedError(left time.Duration) *Error {
	minutes := int(math.Ceil(left.Minutes()))
	return &Error{Code: ELOCKED, RetryAfter: left,
		Message: fmt.Sprintf("too many failed log-ins: the account is locked for %d more minute(s)", minutes)}
}

func unavailable(what string, err error) error {
	return &Error{Code: EUNAVAILABLE, Message: "the " + what + " is unreachable; try again in a moment", Err: err}
}

// open starts a session of u; key is the fingerprint of the SSH key that
// authenticated it, "" for a password.
func (s *AuthService) open(ctx context.Context, u *User, key string) (*Login, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("new session token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.d.Now()
	sess := Session{UserID: u.ID, Username: u.Username, Role: u.Role, CreatedAt: now, ExpiresAt: now.Add(s.d.IdleTTL), Key: key}
	if err := s.d.Sessions.Save(ctx, TokenHash(token), sess, s.d.IdleTTL); err != nil {
		return nil, unavailable("session store", err)
	}
	return &Login{Token: token, Session: sess, User: u, Actor: s.actor(ctx, u)}, nil
}

// actor is the actor u acts as, with the classes a teacher teaches a
// subject in, read at every log-in and resume; when the curricula
// cannot be read, the teacher keeps
// the classes of their account for now, and it is logged.
func (s *AuthService) actor(ctx context.Context, u *User) Actor {
	a := ActorFor(u)
	if u.Role != RoleTeacher || s.d.Teaching == nil {
		return a
	}
	taught, err := s.d.Teaching.TaughtClasses(ctx, u.Username)
	if err != nil {
		s.d.Log.Warn("the subjects a teacher teaches could not be read; their account's classes only for now", "user", u.Username, "err", err)
		return a
	}
	a.Taught = taught
	return a
}

// TokenHash is the key a session is stored under: the raw token never
// reaches Redis.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Resume reopens a saved session without a password (and without bcrypt).
// The idle timeout slides. Errors: EUNAUTHORIZED when the session is gone or
// expired or its SSH key was removed, EDISABLED when the account was
// disabled since. The SSH server calls it every few seconds to end revoked
// sessions, so it stays one session read and one user read.
func (s *AuthService) Resume(ctx context.Context, token string) (*Login, error) {
	if token == "" {
		return nil, Errorf(EUNAUTHORIZED, "no saved session")
	}
	hash := TokenHash(token)
	sess, err := s.d.Sessions.Get(ctx, hash)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil, Errorf(EUNAUTHORIZED, "the saved session has expired; please log in")
	case err != nil:
		return nil, unavailable("session store", err)
	}
	now := s.d.Now()
	if !now.Before(sess.ExpiresAt) {
		_ = s.d.Sessions.Delete(ctx, hash)
		return nil, Errorf(EUNAUTHORIZED, "the saved session has expired; please log in")
	}
	u, err := s.d.Users.ByID(ctx, sess.UserID)
	if ErrorCode(err) == ENOTFOUND {
		_ = s.d.Sessions.Delete(ctx, hash)
		return nil, Errorf(EUNAUTHORIZED, "the account of this session no longer exists")
	}
	if err != nil {
		return nil, fmt.Errorf("resume session: %w", err)
	}
	if u.Disabled {
		_ = s.d.Sessions.Delete(ctx, hash)
		return nil, Errorf(EDISABLED, "the account %s is disabled; ask an administrator", u.Username)
	}
	if sess.Key != "" && u.keyIndex(sess.Key) < 0 {
		// RemoveKey deletes these sessions; this catches the ones it
		// could not (session store down, a log-in racing the removal).
		_ = s.d.Sessions.Delete(ctx, hash)
		return nil, Errorf(EUNAUTHORIZED, "the SSH key of this session was removed")
	}
	sess.ExpiresAt = now.Add(s.d.IdleTTL)
	sess.Role = u.Role
	if err := s.d.Sessions.Save(ctx, hash, *sess, s.d.IdleTTL); err != nil {
		s.d.Log.Warn("session not refreshed", "err", err)
	}
	return &Login{Token: token, Session: *sess, User: u, Actor: s.actor(ctx, u)}, nil
}

// Logout ends the session of token.
func (s *AuthService) Logout(ctx context.Context, token string) error {
	if err := s.d.Sessions.Delete(ctx, TokenHash(token)); err != nil {
		return unavailable("session store", err)
	}
	return nil
}
