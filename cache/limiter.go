package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/domain"
)

// failScript counts a failure and sets the lock in one step, so that no
// crash or concurrent attempt can leave a counter without an expiry (which
// would lock the account forever). The expiry is set on the first failure
// (failures are forgotten after `lock`) and set again in full when the count
// reaches max (the lock lasts `lock` from the last allowed attempt). Later
// failures while locked do not extend it. A counter found without an expiry
// gets one.
//
// KEYS[1] counter; ARGV[1] max; ARGV[2] lock in milliseconds.
const failScript = `
local n = redis.call('INCR', KEYS[1])
if n == 1 or n == tonumber(ARGV[1]) or redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return n
`

// Limiter counts failed log-ins per user name.
type Limiter struct{ c *Cache }

var _ domain.LoginLimiter = (*Limiter)(nil)

// failKey lower-cases the name so "Awa" and "awa" share one counter: an
// attacker must not get five more tries per spelling.
func (l *Limiter) failKey(username string) string {
	return l.c.key("login-fail", strings.ToLower(strings.TrimSpace(username)))
}

// Locked returns how long username stays locked: the counter's remaining
// TTL once it has reached the configured max (see WithLoginMax), else 0.
func (l *Limiter) Locked(ctx context.Context, username string) (time.Duration, error) {
	key := l.failKey(username)
	var count *redis.StringCmd
	var ttl *redis.DurationCmd
	_, err := l.c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		count = p.Get(ctx, key)
		ttl = p.PTTL(ctx, key)
		return nil
	})
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("cache: read log-in failures: %w", err)
	}
	n, err := count.Int()
	if err != nil {
		return 0, fmt.Errorf("cache: read log-in failures: %w", err)
	}
	// PTTL is -2 if the key expired between the two commands.
	if n < l.c.loginMax || ttl.Val() <= 0 {
		return 0, nil
	}
	return ttl.Val(), nil
}

// Fail records a failure and returns how many there are; at limit failures
// the account is locked for lock.
func (l *Limiter) Fail(ctx context.Context, username string, limit int, lock time.Duration) (int, error) {
	if limit <= 0 || lock <= 0 {
		return 0, fmt.Errorf("cache: count log-in failure: max (%d) and lock (%s) must be positive", limit, lock)
	}
	ms := max(lock.Milliseconds(), 1)
	n, err := l.c.failScript.Run(ctx, l.c.rdb, []string{l.failKey(username)}, limit, ms).Int()
	if err != nil {
		return 0, fmt.Errorf("cache: count log-in failure: %w", err)
	}
	return n, nil
}

// Reset forgets the failures of username after a successful log-in.
func (l *Limiter) Reset(ctx context.Context, username string) error {
	if err := l.c.rdb.Del(ctx, l.failKey(username)).Err(); err != nil {
		return fmt.Errorf("cache: reset log-in failures: %w", err)
	}
	return nil
}
