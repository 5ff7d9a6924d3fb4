package domain_test

// In-memory fakes of the ports (ports.go), small but faithful to the
// documented contracts, each guarded by a mutex for the concurrent tests.
// The student repository is domaintest.StudentRepo, shared with ui.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"scolarite/domain"
)

// testNow is the fixed "today" of every test.
var testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// clock is an injectable clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: testNow} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func notFound(format string, args ...any) error {
	return domain.Errorf(domain.ENOTFOUND, format, args...)
}

func duplicate(field, existing string) error {
	return &domain.Error{Code: domain.ECONFLICT, Existing: existing,
		Problems: []domain.Problem{{Field: field, Reason: "is already taken"}}}
}

// auditLog keeps entries, and their JSON as the store would write it.
type auditLog struct {
	mu      sync.Mutex
	entries []domain.AuditEntry
	json    []string
}

func (l *auditLog) Record(_ context.Context, e domain.AuditEntry) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
	l.json = append(l.json, string(b))
	return nil
}

func (l *auditLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

func (l *auditLog) Entries() []domain.AuditEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

func (l *auditLog) JSON() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.json)
}

// eventLog is the outbox, in a slice.
type eventLog struct {
	mu     sync.Mutex
	events []domain.Event
}

func (l *eventLog) Append(_ context.Context, e *domain.Event) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, *e)
	return nil
}

func (l *eventLog) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.events)
}

func (l *eventLog) All() []domain.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events)
}

// Since returns the events appended after the first n.
func (l *eventLog) Since(n int) []domain.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.events[n:])
}

var errRedisDown = errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")

// viewCache stores views as JSON under name@generation. With down set,
// every call fails as Redis would when unreachable.
type viewCache struct {
	mu    sync.Mutex
	gen   int64
	views map[string][]byte
	down  bool
	hits  int
	bumps int
}

func newViewCache() *viewCache { return &viewCache{views: map[string][]byte{}} }

func (c *viewCache) SetDown(down bool) {
	c.mu.Lock()
	c.down = down
	c.mu.Unlock()
}

func (c *viewCache) Generation(context.Context) (int64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return 0, errRedisDown
	}
	return c.gen, nil
}

func (c *viewCache) Bump(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return errRedisDown
	}
	c.gen++
	c.bumps++
	return nil
}

func (c *viewCache) Load(_ context.Context, name string, gen int64, dst any) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return false, errRedisDown
	}
	b, ok := c.views[fmt.Sprintf("%s@%d", name, gen)]
	if !ok {
		return false, nil
	}
	c.hits++
	return true, json.Unmarshal(b, dst)
}

func (c *viewCache) Save(_ context.Context, name string, gen int64, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return errRedisDown
	}
	c.views[fmt.Sprintf("%s@%d", name, gen)] = b
	return nil
}

func (c *viewCache) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// Compile-time checks that the fakes implement the ports.
var (
	_ domain.AuditLog  = (*auditLog)(nil)
	_ domain.EventLog  = (*eventLog)(nil)
	_ domain.ViewCache = (*viewCache)(nil)
)
