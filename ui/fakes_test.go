package ui

// In-memory fakes of the domain's ports (domain/ports.go), so that screen
// tests run the real domain.StudentService: its validation, permissions
// and version checks are exactly what the screens must show. The domain's
// own fakes live in its _test package and cannot be imported.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"scolarite/domain"
)

// testNow is the fixed "today" of the services under test.
var testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// memRepo is a map-backed domain.StudentRepo with unique phone and number
// and version-checked writes, as the store behaves.
type memRepo struct {
	mu     sync.Mutex
	byID   map[string]*domain.Student
	seq    map[int]int64
	lastID int
	writes int // successful Insert, Replace and Delete calls
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

// taken returns ECONFLICT if another student holds s's phone or number.
func (r *memRepo) taken(s *domain.Student) error {
	for id, o := range r.byID {
		if id == s.ID {
			continue
		}
		field := ""
		switch {
		case o.Phone == s.Phone:
			field = "phone"
		case o.Number == s.Number:
			field = "number"
		default:
			continue
		}
		return &domain.Error{Code: domain.ECONFLICT, Existing: o.Number,
			Problems: []domain.Problem{{Field: field, Reason: "is already taken"}}}
	}
	return nil
}

func (r *memRepo) Insert(_ context.Context, s *domain.Student) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := cloneStudent(s)
	if c.ID == "" {
		c.ID = fmt.Sprintf("%024x", r.lastID+1) // looks like an ObjectID
	}
	if err := r.taken(c); err != nil {
		return err
	}
	if s.ID == "" {
		r.lastID++
		s.ID = c.ID
	}
	r.byID[c.ID] = c
	r.writes++
	return nil
}

func (r *memRepo) InsertMany(ctx context.Context, ss []*domain.Student) error {
	for _, s := range ss {
		if err := r.Insert(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

func (r *memRepo) find(match func(*domain.Student) bool, what string) (*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.byID {
		if match(s) {
			return cloneStudent(s), nil
		}
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "no student with %s", what)
}

func (r *memRepo) ByID(_ context.Context, id string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.ID == id }, "id "+id)
}

func (r *memRepo) ByNumber(_ context.Context, n string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.Number == n }, "matricule "+n)
}

func (r *memRepo) ByPhone(_ context.Context, p string) (*domain.Student, error) {
	return r.find(func(s *domain.Student) bool { return s.Phone == p }, "phone "+p)
}

func (r *memRepo) Replace(_ context.Context, s *domain.Student, prev int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[s.ID]
	switch {
	case !ok:
		return domain.Errorf(domain.ENOTFOUND, "student %s is gone", s.Number)
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

func (r *memRepo) Delete(_ context.Context, id string, version int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	cur, ok := r.byID[id]
	switch {
	case !ok:
		return domain.Errorf(domain.ENOTFOUND, "student %s is gone", id)
	case cur.Version != version:
		return domain.Errorf(domain.ECONFLICT, "student %s changed meanwhile", cur.Number)
	}
	delete(r.byID, id)
	r.writes++
	return nil
}

func (r *memRepo) sorted() []*domain.Student {
	out := make([]*domain.Student, 0, len(r.byID))
	for _, s := range r.byID {
		out = append(out, cloneStudent(s))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (r *memRepo) Roster(context.Context) ([]domain.RosterRow, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rows := []domain.RosterRow{}
	for _, s := range r.sorted() {
		rows = append(rows, s.Row())
	}
	return rows, nil
}

func (r *memRepo) All(context.Context) ([]*domain.Student, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sorted(), nil
}

func (r *memRepo) Count(context.Context) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return int64(len(r.byID)), nil
}

func (r *memRepo) ReserveNumbers(_ context.Context, year int, n int) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seq[year] += int64(n)
	return r.seq[year], nil
}

// Writes counts successful writes: a refused edit must not add one.
func (r *memRepo) Writes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.writes
}

// nopLog is both the audit log and the outbox: the screens never read them.
type nopLog struct{}

func (nopLog) Record(context.Context, domain.AuditEntry) error { return nil }
func (nopLog) Append(context.Context, *domain.Event) error     { return nil }

var (
	_ domain.StudentRepo = (*memRepo)(nil)
	_ domain.AuditLog    = nopLog{}
	_ domain.EventLog    = nopLog{}
)

// newTestServices returns the real student service over an empty
// in-memory store whose clock is testNow (matricules are 2026-NNNNN).
func newTestServices(t *testing.T) (*domain.StudentService, *memRepo) {
	t.Helper()
	repo := &memRepo{byID: map[string]*domain.Student{}, seq: map[int]int64{}}
	svc := domain.NewStudentService(domain.StudentDeps{
		Repo: repo, Audit: nopLog{}, Events: nopLog{}, Phones: domain.PhoneParser{},
		Now: func() time.Time { return testNow },
	})
	return svc, repo
}

// newTestCommon is what the root would give a screen, in French, with
// colours off so View() compares as plain text.
func newTestCommon(t *testing.T, students Students, actor domain.Actor) *Common {
	t.Helper()
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true) // never query the terminal
	return &Common{
		Ctx:      context.Background(),
		Students: students,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Styles:   NewStyles(),
		T:        NewTranslator(French),
		Actor:    actor,
		Width:    100,
		Height:   30,
	}
}

// Actors of the tests.
var (
	testAdmin = domain.Actor{Name: "admin", UserID: "u1", Role: domain.RoleAdmin}
)

func testTeacher(classes ...string) domain.Actor {
	return domain.Actor{Name: "prof", UserID: "u2", Role: domain.RoleTeacher, Classes: classes}
}

// seedStudent creates a student through the service (as an admin) and
// adds its grades, returning the record as stored last.
func seedStudent(t *testing.T, svc *domain.StudentService, in domain.StudentInput, grades ...domain.GradeInput) *domain.Student {
	t.Helper()
	ctx := context.Background()
	st, err := svc.Create(ctx, testAdmin, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.LastName, err)
	}
	for _, g := range grades {
		if st, _, err = svc.AddGrade(ctx, testAdmin, st.Number, 0, g); err != nil {
			t.Fatalf("add grade %v: %v", g, err)
		}
	}
	return st
}

// studentInput is a valid identity; phone varies so several can coexist.
func studentInput(last, first, phone, class string) domain.StudentInput {
	return domain.StudentInput{LastName: last, FirstName: first, Phone: phone, Email: "",
		Class: class, Major: "Informatique", BirthDate: "2004-05-06"}
}
