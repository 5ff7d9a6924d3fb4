package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/domain"
)

// pruneAbove is the size from which saving a session also clears the
// user's index of sessions that expired on their own; below it the few
// dead entries cost nothing.
const pruneAbove = 16

// Sessions stores log-in sessions: the session under the SHA-256 of its
// token, and per user a set of those hashes so that a logout everywhere or
// an administrator's revocation finds them all.
//
// Session and index are two keys that may sit in different Cluster slots,
// so they cannot share a transaction or a script. Instead the order makes
// every partial write safe: the index entry is written before the session,
// so a session that exists is always in its index (a revocation finds it),
// and at worst an index entry points at nothing until it is pruned.
type Sessions struct{ c *Cache }

var _ domain.SessionStore = (*Sessions)(nil)

func (s *Sessions) sessionKey(tokenHash string) string { return s.c.key("session", tokenHash) }
func (s *Sessions) userKey(userID string) string       { return s.c.key("user-sessions", userID) }

// Save stores sess under tokenHash for ttl (the configured session TTL if
// ttl <= 0). Saving again restarts the TTL: the idle timeout slides.
func (s *Sessions) Save(ctx context.Context, tokenHash string, sess domain.Session, ttl time.Duration) error {
	if tokenHash == "" {
		return errors.New("cache: save session: empty token hash")
	}
	if ttl <= 0 {
		ttl = s.c.sessionTTL
	}
	data, err := json.Marshal(sess)
	if err != nil {
		return fmt.Errorf("cache: encode session: %w", err)
	}
	userKey := s.userKey(sess.UserID)
	// Two round trips, so the index entry is written before the session
	// even in a Cluster, where one pipeline's commands for different
	// nodes run concurrently.
	var indexTTL *redis.DurationCmd
	var indexSize *redis.IntCmd
	_, err = s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.SAdd(ctx, userKey, tokenHash)
		indexTTL = p.PTTL(ctx, userKey)
		indexSize = p.SCard(ctx, userKey)
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache: save session: %w", err)
	}
	_, err = s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		// The index must outlive every session in it: extend its TTL,
		// never shorten it (another session of the user may have a
		// longer one). EXPIRE GT would need Redis 7 and skips keys
		// without a TTL; PTTL is -1 (none) or -2 (gone) in those cases.
		if indexTTL.Val() < ttl {
			p.PExpire(ctx, userKey, ttl)
		}
		p.Set(ctx, s.sessionKey(tokenHash), data, ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache: save session: %w", err)
	}
	if indexSize.Val() > pruneAbove {
		// Housekeeping only: the session is saved, and the next save
		// retries, so a failure here is not the caller's concern.
		_, _ = s.prune(ctx, userKey)
	}
	return nil
}

// Get returns the session stored under tokenHash, or ENOTFOUND when it is
// absent or expired. Callers still compare ExpiresAt with their clock.
func (s *Sessions) Get(ctx context.Context, tokenHash string) (*domain.Session, error) {
	data, err := s.c.rdb.Get(ctx, s.sessionKey(tokenHash)).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return nil, domain.Errorf(domain.ENOTFOUND, "session not found or expired")
	case err != nil:
		return nil, fmt.Errorf("cache: get session: %w", err)
	}
	var sess domain.Session
	if err := json.Unmarshal(data, &sess); err != nil {
		return nil, fmt.Errorf("cache: decode session: %w", err)
	}
	return &sess, nil
}

// Delete removes the session (a logout) and its index entry. Deleting a
// session that is already gone is not an error.
func (s *Sessions) Delete(ctx context.Context, tokenHash string) error {
	key := s.sessionKey(tokenHash)
	var got *redis.StringCmd
	// GET then DEL in one round trip; GETDEL would need Redis 6.2.
	_, err := s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		got = p.Get(ctx, key)
		p.Del(ctx, key)
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cache: delete session: %w", err)
	}
	var sess domain.Session
	if json.Unmarshal([]byte(got.Val()), &sess) != nil {
		return nil // nothing tells which index holds it; prune clears it later
	}
	if err := s.c.rdb.SRem(ctx, s.userKey(sess.UserID), tokenHash).Err(); err != nil {
		return fmt.Errorf("cache: delete session: %w", err)
	}
	return nil
}

// DeleteUser removes every session of userID and returns how many existed.
// Only the index entries it read are removed, so a log-in that happens at
// the same moment keeps its own entry.
func (s *Sessions) DeleteUser(ctx context.Context, userID string) (int, error) {
	userKey := s.userKey(userID)
	hashes, err := s.c.rdb.SMembers(ctx, userKey).Result()
	if err != nil {
		return 0, fmt.Errorf("cache: delete sessions of user: %w", err)
	}
	if len(hashes) == 0 {
		return 0, nil
	}
	dels := make([]*redis.IntCmd, len(hashes))
	_, err = s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		// One DEL per session, not one DEL of all: in a Cluster they
		// live in different slots.
		for i, h := range hashes {
			dels[i] = p.Del(ctx, s.sessionKey(h))
		}
		p.SRem(ctx, userKey, toAny(hashes)...)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("cache: delete sessions of user: %w", err)
	}
	n := 0
	for _, d := range dels {
		n += int(d.Val())
	}
	return n, nil
}

// DeleteKey removes the sessions of userID that the SSH key of fingerprint
// opened, and returns how many it removed. The user's other sessions (a
// password, another key) are left alone.
func (s *Sessions) DeleteKey(ctx context.Context, userID, fingerprint string) (int, error) {
	if fingerprint == "" {
		return 0, errors.New("cache: delete sessions of a key: empty fingerprint")
	}
	userKey := s.userKey(userID)
	hashes, err := s.c.rdb.SMembers(ctx, userKey).Result()
	if err != nil {
		return 0, fmt.Errorf("cache: delete sessions of a key: %w", err)
	}
	if len(hashes) == 0 {
		return 0, nil
	}
	gets := make([]*redis.StringCmd, len(hashes))
	_, err = s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, h := range hashes {
			gets[i] = p.Get(ctx, s.sessionKey(h))
		}
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return 0, fmt.Errorf("cache: delete sessions of a key: %w", err)
	}
	var doomed []string
	for i, g := range gets {
		var sess domain.Session
		if g.Err() == nil && json.Unmarshal([]byte(g.Val()), &sess) == nil && sess.Key == fingerprint {
			doomed = append(doomed, hashes[i])
		}
	}
	if len(doomed) == 0 {
		return 0, nil
	}
	dels := make([]*redis.IntCmd, len(doomed))
	_, err = s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, h := range doomed {
			dels[i] = p.Del(ctx, s.sessionKey(h))
		}
		p.SRem(ctx, userKey, toAny(doomed)...)
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("cache: delete sessions of a key: %w", err)
	}
	n := 0
	for _, d := range dels {
		n += int(d.Val())
	}
	return n, nil
}

// prune removes from a user's index the sessions that expired on their
// own, and returns how many it removed.
func (s *Sessions) prune(ctx context.Context, userKey string) (int, error) {
	hashes, err := s.c.rdb.SMembers(ctx, userKey).Result()
	if err != nil {
		return 0, err
	}
	exists := make([]*redis.IntCmd, len(hashes))
	_, err = s.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, h := range hashes {
			exists[i] = p.Exists(ctx, s.sessionKey(h))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	var dead []any
	for i, e := range exists {
		if e.Val() == 0 {
			dead = append(dead, hashes[i])
		}
	}
	if len(dead) == 0 {
		return 0, nil
	}
	return len(dead), s.c.rdb.SRem(ctx, userKey, dead...).Err()
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
