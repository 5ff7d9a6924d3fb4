package domain_test

// In-memory fakes of the account-side ports.

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/bcrypt"

	"scolarite/domain"
)

// userRepo is a map-backed UserRepo with unique user names.
type userRepo struct {
	mu     sync.Mutex
	byID   map[string]*domain.User
	lastID int
}

func newUserRepo() *userRepo { return &userRepo{byID: map[string]*domain.User{}} }

func cloneUser(u *domain.User) *domain.User {
	c := *u
	c.Classes = slices.Clone(u.Classes)
	c.SSHKeys = slices.Clone(u.SSHKeys)
	return &c
}

func (r *userRepo) Insert(_ context.Context, u *domain.User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, o := range r.byID {
		if o.Username == u.Username {
			return duplicate("username", o.Username)
		}
	}
	if u.ID == "" {
		r.lastID++
		u.ID = fmt.Sprintf("u%023x", r.lastID)
	}
	r.byID[u.ID] = cloneUser(u)
	return nil
}

func (r *userRepo) ByUsername(_ context.Context, name string) (*domain.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, u := range r.byID {
		if u.Username == name {
			return cloneUser(u), nil
		}
	}
	return nil, notFound("no user %s", name)
}

func (r *userRepo) ByID(_ context.Context, id string) (*domain.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if u, ok := r.byID[id]; ok {
		return cloneUser(u), nil
	}
	return nil, notFound("no user with id %s", id)
}

// ByKeyFingerprint reports a key held by two accounts as the store does
// (only reachable when a test writes such accounts directly).
func (r *userRepo) ByKeyFingerprint(_ context.Context, fp string) (*domain.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var found []*domain.User
	for _, u := range r.byID {
		if slices.ContainsFunc(u.SSHKeys, func(k domain.SSHKey) bool { return k.Fingerprint == fp }) {
			found = append(found, u)
		}
	}
	switch len(found) {
	case 0:
		return nil, notFound("no user has the key %s", fp)
	case 1:
		return cloneUser(found[0]), nil
	}
	return nil, domain.Errorf(domain.ECONFLICT, "the key %s is held by %d accounts", fp, len(found))
}

func (r *userRepo) Update(_ context.Context, u *domain.User) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.byID[u.ID]; !ok {
		return notFound("no user %s", u.Username)
	}
	r.byID[u.ID] = cloneUser(u)
	return nil
}

func (r *userRepo) List(context.Context) ([]*domain.User, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*domain.User, 0, len(r.byID))
	for _, u := range r.byID {
		out = append(out, cloneUser(u))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}

func (r *userRepo) Count(context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.byID)), nil
}

// sessionStore keeps sessions in a map; it records the TTL but leaves
// expiry to the domain's own check. failDeleteUser simulates a store that
// cannot revoke sessions.
type sessionStore struct {
	mu             sync.Mutex
	m              map[string]domain.Session
	ttl            map[string]time.Duration
	failDeleteUser bool
}

func newSessionStore() *sessionStore {
	return &sessionStore{m: map[string]domain.Session{}, ttl: map[string]time.Duration{}}
}

func (s *sessionStore) Save(_ context.Context, h string, sess domain.Session, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[h], s.ttl[h] = sess, ttl
	return nil
}

func (s *sessionStore) Get(_ context.Context, h string) (*domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[h]
	if !ok {
		return nil, notFound("no session")
	}
	return &sess, nil
}

func (s *sessionStore) Delete(_ context.Context, h string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, h)
	delete(s.ttl, h)
	return nil
}

func (s *sessionStore) DeleteUser(_ context.Context, userID string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failDeleteUser {
		return 0, errRedisDown
	}
	n := 0
	for h, sess := range s.m {
		if sess.UserID == userID {
			delete(s.m, h)
			delete(s.ttl, h)
			n++
		}
	}
	return n, nil
}

func (s *sessionStore) DeleteKey(_ context.Context, userID, fp string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failDeleteUser {
		return 0, errRedisDown
	}
	n := 0
	for h, sess := range s.m {
		if sess.UserID == userID && sess.Key == fp {
			delete(s.m, h)
			delete(s.ttl, h)
			n++
		}
	}
	return n, nil
}

func (s *sessionStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}

// loginLimiter counts failures per key as the cache does: the count is
// forgotten lock after its first failure (the window), and reaching max
// locks for lock.
type loginLimiter struct {
	mu       sync.Mutex
	now      func() time.Time
	failures map[string]int
	first    map[string]time.Time
	until    map[string]time.Time
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, failures: map[string]int{}, first: map[string]time.Time{}, until: map[string]time.Time{}}
}

func (l *loginLimiter) Locked(_ context.Context, user string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if left := l.until[user].Sub(l.now()); left > 0 {
		return left, nil
	}
	return 0, nil
}

func (l *loginLimiter) Fail(_ context.Context, user string, max int, lock time.Duration) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if first, ok := l.first[user]; !ok || !l.now().Before(first.Add(lock)) {
		l.failures[user], l.first[user] = 0, l.now()
	}
	l.failures[user]++
	n := l.failures[user]
	if n == max {
		l.until[user] = l.now().Add(lock)
		l.first[user] = l.now() // the count lives as long as the lock
	}
	return n, nil
}

func (l *loginLimiter) Reset(_ context.Context, user string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, user)
	delete(l.first, user)
	return nil
}

// countingHasher is bcrypt at its minimum cost (fast tests) counting calls.
type countingHasher struct{ hashes, compares atomic.Int64 }

func (h *countingHasher) Hash(pw string) (string, error) {
	h.hashes.Add(1)
	b, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost)
	return string(b), err
}

func (h *countingHasher) Compare(hash, pw string) error {
	h.compares.Add(1)
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw))
}

var (
	_ domain.UserRepo       = (*userRepo)(nil)
	_ domain.SessionStore   = (*sessionStore)(nil)
	_ domain.LoginLimiter   = (*loginLimiter)(nil)
	_ domain.PasswordHasher = (*countingHasher)(nil)
)
