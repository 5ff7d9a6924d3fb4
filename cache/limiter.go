package cache

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/domain"
)

// failScript counts a failure in one step, so that no crash or concurrent
// attempt can leave a counter without an expiry (which would count forever).
// The expiry is set on the first failure (failures are forgotten `lock`
// after it: the window the max is counted in) and set again in full when
// the count reaches max. A counter found without an expiry gets one.
//
// KEYS[1] counter; ARGV[1] max; ARGV[2] lock in milliseconds.
const failScript = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or n == tonumber(ARGV[1]) or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n
`

// Limiter counts failed log-ins per key (a user name, or an origin). The
// lock itself is a second key, `login-lock:<name>`, set when the count
// reaches the max Fail was given: Locked is not told that max, and one
// Limiter serves limits of different sizes (5 per account, 20 per origin).
// The two keys may sit in different Cluster slots, so they are not written
// by one script; instead every failure at or past the max sets the lock if
// it is absent (SET NX), so a crash between the two costs at most one more
// attempt, and later failures while locked do not extend the lock.
type Limiter struct{ c *Cache }

var _ domain.LoginLimiter = (*Limiter)(nil)

// limitName lower-cases the key so "Awa" and "awa" share one counter: an
// attacker must not get five more tries per spelling.
func limitName(username string) string { return strings.ToLower(strings.TrimSpace(username)) }

func (l *Limiter) failKey(username string) string { return l.c.key("login-fail", limitName(username)) }
func (l *Limiter) lockKey(username string) string { return l.c.key("login-lock", limitName(username)) }

// Locked returns how long username stays locked: the remaining TTL of its
// lock, else 0.
func (l *Limiter) Locked(ctx context.Context, username string) (time.Duration, error) {
	ttl, err := l.c.rdb.PTTL(ctx, l.lockKey(username)).Result()
	if err != nil {
		return 0, fmt.Errorf("cache: read log-in lock: %w", err)
	}
	// PTTL is -2 for no lock; -1 (no expiry) cannot be written by Fail.
	if ttl <= 0 {
		return 0, nil
	}
	return ttl, nil
}

// Fail records a failure and returns how many there are; at limit failures
// the key is locked for lock.
func (l *Limiter) Fail(ctx context.Context, username string, limit int, lock time.Duration) (int, error) {
	if limit <= 0 || lock <= 0 {
		return 0, fmt.Errorf("cache: count log-in failure: max (%d) and lock (%s) must be positive", limit, lock)
	}
	ms := max(lock.Milliseconds(), 1)
	n, err := l.c.failScript.Run(ctx, l.c.rdb, []string{l.failKey(username)}, limit, ms).Int()
	if err != nil {
		return 0, fmt.Errorf("cache: count log-in failure: %w", err)
	}
	if n >= limit {
		if err := l.c.rdb.SetNX(ctx, l.lockKey(username), n, time.Duration(ms)*time.Millisecond).Err(); err != nil {
			return n, fmt.Errorf("cache: lock after log-in failures: %w", err)
		}
	}
	return n, nil
}

// Reset forgets the failures of username after a successful log-in.
func (l *Limiter) Reset(ctx context.Context, username string) error {
	// One DEL per key: in a Cluster they may live in different slots.
	_, err := l.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, l.failKey(username))
		p.Del(ctx, l.lockKey(username))
		return nil
	})
	if err != nil {
		return fmt.Errorf("cache: reset log-in failures: %w", err)
	}
	return nil
}
