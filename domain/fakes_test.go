package domain_test

// In-memory fakes of the ports (ports.go), small but faithful to the
// documented contracts, each guarded by a mutex for the concurrent tests.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
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

func cloneStudent(s *domain.Student) *domain.Student {
	c := *s
	c.Grades = slices.Clone(s.Grades)
	if s.Average != nil {
		v := *s.Average
		c.Average = &v
	}
	return &c
}

// studentRepo is a map-backed StudentRepo with unique phone and number and
// version-checked writes.
type studentRepo struct {
	mu          sync.Mutex
	byID        map[string]*domain.Student
	seq         map[int]int64
	lastID      int
	rosterCalls int
	writes      int // successful Insert, Replace and Delete calls
	// latency delays Replace, as the round trip to a real database does:
	// it widens the window between a read and its conditional write.
	latency time.Duration
}

func newStudentRepo() *studentRepo {
	return &studentRepo{byID: map[string]*domain.Student{}, seq: map[int]int64{}}
}

// taken returns the ECONFLICT error if another student holds s's phone or number.
func (r *studentRepo) taken(s *domain.Student) error {
	for id, o := range r.byID {
		if id == s.ID {
			continue
		}
		if o.Phone == s.Phone {
			return duplicate("phone", o.Number)
		}
		if o.Number == s.Number {
			return duplicate("number", o.Number)
		}
	}
	return nil
}

func (r *studentRepo) Insert(_ context.Context, s *domain.Student) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := cloneStudent(s)
	if c.ID == "" {
		c.ID = fmt.Sprintf("%024x", r.lastID+1) // looks like an ObjectID
	}
	if _, ok := r.byID[c.ID]; ok {
		return duplicate("id", "")
	}
	if err := r.taken(c); err != nil {
		return err
	}
	if s.ID == "" {
		r.lastID++
		s.ID = c.ID // the caller learns the id only once stored
	}
	r.byID[c.ID] = c
	r.writes++
	return nil
}

func (r *studentRepo) InsertMany(ctx context.Context, ss []*domain.Student) error {
	for _, s := range ss {
		if err := r.Insert(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *studentRepo) find(match func(*domain.Student) bool, what string) (*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.byID {
		if match(s) {
			return cloneStudent(s), nil
		}
	}
	return nil, notFound("no student with %s", what)
}

func (r *studentRepo) ByID(_ context.Context, id string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.ID == id }, "id "+id)
}

func (r *studentRepo) ByNumber(_ context.Context, n string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.Number == n }, "matricule "+n)
}

func (r *studentRepo) ByPhone(_ context.Context, p string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.Phone == p }, "phone "+p)
}

func (r *studentRepo) Replace(_ context.Context, s *domain.Student, prev int64) error {
	time.Sleep(r.latency)
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[s.ID]
	switch {
	case !ok:
		return notFound("student %s is gone", s.Number)
	case cur.Version != prev:
		return domain.Errorf(domain.ECONFLICT, "student %s changed meanwhile", s.Number)
	}
	if err := r.taken(s); err != nil {
		return err
	}
	r.byID[s.ID] = cloneStudent(s)
	r.writes++
	return nil
}

func (r *studentRepo) Delete(_ context.Context, id string, version int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	switch {
	case !ok:
		return notFound("student %s is gone", id)
	case cur.Version != version:
		return domain.Errorf(domain.ECONFLICT, "student %s changed meanwhile", cur.Number)
	}
	delete(r.byID, id)
	r.writes++
	return nil
}

func (r *studentRepo) sorted() []*domain.Student {
	out := make([]*domain.Student, 0, len(r.byID))
	for _, s := range r.byID {
		out = append(out, cloneStudent(s))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (r *studentRepo) Roster(context.Context) ([]domain.RosterRow, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rosterCalls++
	var rows []domain.RosterRow
	for _, s := range r.sorted() {
		rows = append(rows, s.Row())
	}
	return rows, nil
}

func (r *studentRepo) RosterCalls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rosterCalls
}

func (r *studentRepo) Writes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writes
}

func (r *studentRepo) All(context.Context) ([]*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sorted(), nil
}

func (r *studentRepo) Count(context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.byID)), nil
}

func (r *studentRepo) NextNumber(ctx context.Context, year int) (int64, error) {
	return r.ReserveNumbers(ctx, year, 1)
}

func (r *studentRepo) ReserveNumbers(_ context.Context, year int, n int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq[year] += int64(n)
	return r.seq[year], nil
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
	_ domain.StudentRepo = (*studentRepo)(nil)
	_ domain.AuditLog    = (*auditLog)(nil)
	_ domain.EventLog    = (*eventLog)(nil)
	_ domain.ViewCache   = (*viewCache)(nil)
)
