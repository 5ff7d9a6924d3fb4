// Package domaintest holds an in-memory domain.StudentRepo for the tests
// of the domain and of the screens, so both run the real services over
// one faithful fake instead of each keeping its own copy. The store's own
// tests prove the real repository against FerretDB and MongoDB.
package domaintest

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"scolarite/domain"
)

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
	c.Terms = slices.Clone(s.Terms)
	if s.Average != nil {
		v := *s.Average
		c.Average = &v
	}
	return &c
}

// StudentRepo is a map-backed StudentRepo with unique phone and number and
// version-checked writes.
type StudentRepo struct {
	mu          sync.Mutex
	byID        map[string]*domain.Student
	seq         map[int]int64
	lastID      int
	rosterCalls int
	writes      int // successful Insert, Replace and Delete calls
	// Latency delays Replace, as the round trip to a real database does:
	// it widens the window between a read and its conditional write.
	Latency time.Duration
	// Audit and Events, when set, receive the trail of every write, as the
	// store delivers it to its audit log and outbox.
	Audit  domain.AuditLog
	Events domain.EventLog
}

// deliver hands a write's trail to the sinks; events about a new student
// get its id.
func (r *StudentRepo) deliver(ctx context.Context, studentID string, t domain.Trail) error {
	for _, e := range t.Audit {
		if r.Audit != nil {
			if err := r.Audit.Record(ctx, e); err != nil {
				return err
			}
		}
	}
	for _, ev := range t.Events {
		if ev.StudentID == "" {
			ev.StudentID = studentID
		}
		if r.Events != nil {
			if err := r.Events.Append(ctx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// NewStudentRepo is an empty repository.
func NewStudentRepo() *StudentRepo {
	return &StudentRepo{byID: map[string]*domain.Student{}, seq: map[int]int64{}}
}

// taken returns the ECONFLICT error if another student holds s's phone or number.
func (r *StudentRepo) taken(s *domain.Student) error {
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

func (r *StudentRepo) Insert(ctx context.Context, s *domain.Student, t domain.Trail) error {
	if err := r.insert(s); err != nil {
		return err
	}
	return r.deliver(ctx, s.ID, t)
}

func (r *StudentRepo) insert(s *domain.Student) error {
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

// InsertMany is all or none, as the store's.
func (r *StudentRepo) InsertMany(ctx context.Context, ss []*domain.Student, trails []domain.Trail) error {
	for i, s := range ss {
		if err := r.insert(s); err != nil {
			r.mu.Lock()
			for _, done := range ss[:i] {
				delete(r.byID, done.ID)
				done.ID = ""
			}
			r.mu.Unlock()
			return err
		}
	}
	for i, s := range ss {
		if i < len(trails) {
			if err := r.deliver(ctx, s.ID, trails[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (r *StudentRepo) find(match func(*domain.Student) bool, what string) (*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.byID {
		if match(s) {
			return cloneStudent(s), nil
		}
	}
	return nil, notFound("no student with %s", what)
}

func (r *StudentRepo) ByID(_ context.Context, id string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.ID == id }, "id "+id)
}

func (r *StudentRepo) ByIDs(_ context.Context, ids []string) ([]*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*domain.Student, 0, len(ids))
	for _, id := range ids {
		if s, ok := r.byID[id]; ok {
			out = append(out, cloneStudent(s))
		}
	}
	return out, nil
}

func (r *StudentRepo) ByNumber(_ context.Context, n string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.Number == n }, "matricule "+n)
}

func (r *StudentRepo) ByPhone(_ context.Context, p string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.Phone == p }, "phone "+p)
}

func (r *StudentRepo) Replace(ctx context.Context, s *domain.Student, prev int64, t domain.Trail) error {
	if err := r.replace(s, prev); err != nil {
		return err
	}
	return r.deliver(ctx, s.ID, t)
}

func (r *StudentRepo) replace(s *domain.Student, prev int64) error {
	time.Sleep(r.Latency)
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

func (r *StudentRepo) Delete(ctx context.Context, id string, version int64, t domain.Trail) error {
	if err := r.delete(id, version); err != nil {
		return err
	}
	return r.deliver(ctx, id, t)
}

func (r *StudentRepo) delete(id string, version int64) error {
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

func (r *StudentRepo) sorted() []*domain.Student {
	out := make([]*domain.Student, 0, len(r.byID))
	for _, s := range r.byID {
		out = append(out, cloneStudent(s))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (r *StudentRepo) Roster(context.Context) ([]domain.RosterRow, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rosterCalls++
	var rows []domain.RosterRow
	for _, s := range r.sorted() {
		rows = append(rows, s.Row())
	}
	return rows, nil
}

// RosterCalls counts Roster calls (reads that missed the cache).
func (r *StudentRepo) RosterCalls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.rosterCalls
}

// Writes counts successful Insert, Replace and Delete calls.
func (r *StudentRepo) Writes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writes
}

func (r *StudentRepo) All(context.Context) ([]*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sorted(), nil
}

func (r *StudentRepo) Count(context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.byID)), nil
}

func (r *StudentRepo) NextNumber(ctx context.Context, year int) (int64, error) {
	return r.ReserveNumbers(ctx, year, 1)
}

func (r *StudentRepo) ReserveNumbers(_ context.Context, year int, n int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq[year] += int64(n)
	return r.seq[year], nil
}

func (r *StudentRepo) ReleaseNumbers(_ context.Context, year int, last int64, n int) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seq[year] != last {
		return false, nil
	}
	r.seq[year] -= int64(n)
	return true, nil
}

var _ domain.StudentRepo = (*StudentRepo)(nil)
