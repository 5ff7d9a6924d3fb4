// Package cache keeps on Redis what makes the application fast and what must
// outlive a screen: cached views of student data, the change feed that keeps
// every open screen current, log-in sessions and the failed log-in counter.
//
// It implements four domain ports, one type each: Views (domain.ViewCache),
// Feed (domain.ChangeFeed), Sessions (domain.SessionStore) and Limiter
// (domain.LoginLimiter). They are separate types because ViewCache.Save and
// SessionStore.Save share a name but not a signature. All four share one
// Cache: one client, one key prefix, one set of settings.
//
// Every method may fail when Redis is down; errors are wrapped with what was
// being done ("cache: load view roster: ...") and callers treat any of them
// as "cache offline" and fall back to MongoDB.
//
// Only commands of Redis 6.0 are used, and no command or script touches two
// keys that could live in different Cluster slots, so a single node,
// Sentinel and Cluster all work.
package cache

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/domain"
)

// Defaults for New.
const (
	// DefaultPrefix starts every key, so a shared Redis can host other
	// applications next to this one.
	DefaultPrefix = "scolarite:"
	// DefaultViewTTL bounds the memory that views of old generations hold:
	// after a write they are never read again, so they only wait to expire.
	DefaultViewTTL = 10 * time.Minute
)

// Cache holds the client and the settings the four stores share.
type Cache struct {
	rdb        redis.UniversalClient
	prefix     string
	viewTTL    time.Duration
	sessionTTL time.Duration
	failScript *redis.Script
}

// Option changes a setting of New.
type Option func(*Cache)

// WithPrefix puts every key under p instead of DefaultPrefix (tests use a
// prefix of their own on a shared server). An empty p keeps the default.
func WithPrefix(p string) Option {
	return func(c *Cache) {
		if p != "" {
			c.prefix = p
		}
	}
}

// WithViewTTL sets how long a cached view lives; d <= 0 keeps DefaultViewTTL.
func WithViewTTL(d time.Duration) Option {
	return func(c *Cache) {
		if d > 0 {
			c.viewTTL = d
		}
	}
}

// WithSessionTTL sets the idle timeout used when Sessions.Save is given no
// positive TTL, so that a session never lives forever by mistake. d <= 0
// keeps domain.SessionIdleTTL.
func WithSessionTTL(d time.Duration) Option {
	return func(c *Cache) {
		if d > 0 {
			c.sessionTTL = d
		}
	}
}

// New returns a Cache on client. The caller keeps ownership of the client
// and closes it.
func New(client redis.UniversalClient, opts ...Option) *Cache {
	c := &Cache{
		rdb:        client,
		prefix:     DefaultPrefix,
		viewTTL:    DefaultViewTTL,
		sessionTTL: domain.SessionIdleTTL,
		failScript: redis.NewScript(failScript),
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Views returns the view cache (domain.ViewCache).
func (c *Cache) Views() *Views { return &Views{c: c} }

// Feed returns the change feed (domain.ChangeFeed).
func (c *Cache) Feed() *Feed { return &Feed{c: c} }

// Sessions returns the session store (domain.SessionStore).
func (c *Cache) Sessions() *Sessions { return &Sessions{c: c} }

// Limiter returns the failed log-in counter (domain.LoginLimiter).
func (c *Cache) Limiter() *Limiter { return &Limiter{c: c} }

// Client returns the Redis client the cache uses.
func (c *Cache) Client() redis.UniversalClient { return c.rdb }

// Ping reports whether Redis answers, for the status line.
func (c *Cache) Ping(ctx context.Context) error {
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("cache: ping: %w", err)
	}
	return nil
}

// key joins parts under the prefix: key("view", "roster") is
// "scolarite:view:roster".
func (c *Cache) key(parts ...string) string {
	return c.prefix + strings.Join(parts, ":")
}
