package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// Fakes for the stats, my-grades and users screens. Names start with "sf"
// so they never collide with the other screens' fakes.

// sfStudents serves stats, records and standings from in-memory records,
// computing figures with the domain's own ComputeStats. The embedded
// interface is nil: a call the screens should not make panics.
type sfStudents struct {
	Students
	records []*domain.Student
	gets    int
}

func (f *sfStudents) rows() []domain.RosterRow {
	out := make([]domain.RosterRow, 0, len(f.records))
	for _, st := range f.records {
		out = append(out, st.Row())
	}
	return out
}

func (f *sfStudents) Stats(_ context.Context, _ domain.Actor, class string) (*domain.Stats, error) {
	class = strings.ToUpper(class)
	rows := slices.DeleteFunc(f.rows(), func(r domain.RosterRow) bool { return class != "" && r.Class != class })
	st := domain.ComputeStats(rows)
	st.Class = class
	return st, nil
}

func (f *sfStudents) Get(_ context.Context, a domain.Actor, ref string) (*domain.Student, error) {
	f.gets++
	for _, st := range f.records {
		if st.ID == ref || st.Number == ref {
			if a.Role == domain.RoleStudent && a.StudentID != st.ID {
				return nil, domain.Errorf(domain.EFORBIDDEN, "not yours")
			}
			return st, nil
		}
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "no student %s", ref)
}

// Standing ranks like the domain: one more than those strictly better.
func (f *sfStudents) Standing(_ context.Context, _ domain.Actor, st *domain.Student) (domain.Standing, error) {
	var out domain.Standing
	var sum float64
	graded := 0
	for _, r := range f.records {
		if r.Class != st.Class {
			continue
		}
		out.ClassSize++
		if r.Average != nil {
			sum += *r.Average
			graded++
			if st.Average != nil && *r.Average > *st.Average {
				out.Rank++
			}
		}
	}
	if st.Average != nil {
		out.Rank++
	}
	if graded > 0 {
		avg := sum / float64(graded)
		out.ClassAverage = &avg
	}
	return out, nil
}

func (f *sfStudents) Roster(context.Context, domain.Actor, domain.RosterQuery) (domain.RosterPage, error) {
	rows := f.rows()
	return domain.RosterPage{Rows: rows, Matched: len(rows), Total: len(rows)}, nil
}

// sfStudent makes a record whose average the grades give (nil for none).
func sfStudent(n int, last, class string, values ...float64) *domain.Student {
	st := &domain.Student{
		ID: fmt.Sprintf("%024x", n), Number: fmt.Sprintf("2026-%05d", n),
		LastName: last, FirstName: "Awa", Class: class, Major: "Informatique",
	}
	for i, v := range values {
		st.Grades = append(st.Grades, domain.Grade{
			ID: fmt.Sprint(i), Subject: fmt.Sprintf("Matière %d", i), Value: v, Coefficient: 1,
			Date: time.Date(2026, 1, 10+i, 0, 0, 0, 0, time.UTC), Teacher: "m.sarr",
		})
	}
	st.Average = domain.WeightedAverage(st.Grades)
	return st
}

// The real AuthService over small in-memory repositories, so the users
// screen meets the domain's own validation.

type sfUserRepo struct{ users []*domain.User }

func (r *sfUserRepo) Insert(_ context.Context, u *domain.User) error {
	if _, err := r.ByUsername(context.Background(), u.Username); err == nil {
		return &domain.Error{Code: domain.ECONFLICT, Existing: u.Username,
			Problems: []domain.Problem{{Field: "username", Reason: "is already taken (" + u.Username + ")"}}}
	}
	if u.ID == "" {
		u.ID = fmt.Sprintf("u%d", len(r.users)+1)
	}
	c := *u
	r.users = append(r.users, &c)
	return nil
}

func (r *sfUserRepo) find(match func(*domain.User) bool) (*domain.User, error) {
	for _, u := range r.users {
		if match(u) {
			c := *u
			return &c, nil
		}
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "no such user")
}

func (r *sfUserRepo) ByUsername(_ context.Context, name string) (*domain.User, error) {
	return r.find(func(u *domain.User) bool { return u.Username == name })
}

func (r *sfUserRepo) ByID(_ context.Context, id string) (*domain.User, error) {
	return r.find(func(u *domain.User) bool { return u.ID == id })
}

func (r *sfUserRepo) ByKeyFingerprint(_ context.Context, fp string) (*domain.User, error) {
	return r.find(func(u *domain.User) bool {
		return slices.ContainsFunc(u.SSHKeys, func(k domain.SSHKey) bool { return k.Fingerprint == fp })
	})
}

func (r *sfUserRepo) Update(_ context.Context, u *domain.User) error {
	for i, old := range r.users {
		if old.ID == u.ID {
			c := *u
			r.users[i] = &c
			return nil
		}
	}
	return domain.Errorf(domain.ENOTFOUND, "no such user")
}

func (r *sfUserRepo) List(context.Context) ([]*domain.User, error) {
	out := make([]*domain.User, 0, len(r.users))
	for _, u := range r.users {
		c := *u
		out = append(out, &c)
	}
	return out, nil
}

func (r *sfUserRepo) Count(context.Context) (int64, error) { return int64(len(r.users)), nil }

// sfSessions counts sessions per user id; only DeleteUser matters here.
type sfSessions struct {
	domain.SessionStore
	open map[string]int
}

func (s *sfSessions) DeleteUser(_ context.Context, userID string) (int, error) {
	n := s.open[userID]
	delete(s.open, userID)
	return n, nil
}

type sfStudentRepo struct {
	domain.StudentRepo
	f *sfStudents
}

func (r sfStudentRepo) ByNumber(ctx context.Context, n string) (*domain.Student, error) {
	return r.f.Get(ctx, domain.SystemActor("test"), n)
}

func (r sfStudentRepo) ByPhone(context.Context, string) (*domain.Student, error) {
	return nil, domain.Errorf(domain.ENOTFOUND, "no phone")
}

type sfAudit struct{}

func (sfAudit) Record(context.Context, domain.AuditEntry) error { return nil }

// sfHasher keeps tests fast: bcrypt at cost 12 would take a second a hash.
type sfHasher struct{}

func (sfHasher) Hash(pw string) (string, error) { return "h:" + pw, nil }
func (sfHasher) Compare(h, pw string) error {
	if h != "h:"+pw {
		return fmt.Errorf("mismatch")
	}
	return nil
}

type sfAuthEnv struct {
	users    *sfUserRepo
	sessions *sfSessions
	auth     *domain.AuthService
}

func newSfAuth(students *sfStudents) *sfAuthEnv {
	env := &sfAuthEnv{
		users: &sfUserRepo{users: []*domain.User{
			{ID: "u1", Username: "admin", Role: domain.RoleAdmin},
			{ID: "u2", Username: "m.sarr", Role: domain.RoleTeacher, Classes: []string{"L2-INFO"}},
			{ID: "u3", Username: "awa.diop", Role: domain.RoleStudent, StudentID: students.records[0].ID},
		}},
		sessions: &sfSessions{open: map[string]int{"u2": 2}},
	}
	env.auth = domain.NewAuthService(domain.AuthDeps{
		Users: env.users, Students: sfStudentRepo{f: students}, Sessions: env.sessions,
		Hasher: sfHasher{}, Audit: sfAudit{}, Phones: domain.PhoneParser{},
	})
	return env
}

// sfCommon is a French Common with plain text output.
func sfCommon(t *testing.T, students Students, auth Auth, actor domain.Actor) *Common {
	t.Helper()
	return &Common{
		Ctx: context.Background(), Students: students, Auth: auth, Actor: actor,
		Log:    slog.New(slog.NewTextHandler(io.Discard, nil)),
		Styles: plainStyles(), T: NewTranslator(French),
	}
}

// sfRun feeds msgs to the screen and runs what its commands return, one
// after the other, until nothing is left. Messages for the root (status,
// errors, navigation) are returned instead. A command that does not answer
// at once is a timer (the cursor blink) and is dropped.
func sfRun(t *testing.T, s screen, msgs ...tea.Msg) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for n := 0; len(msgs) > 0; n++ {
		if n > 500 {
			t.Fatal("the screen keeps sending messages")
		}
		msg := msgs[0]
		msgs = msgs[1:]
		switch msg.(type) {
		case statusMsg, errMsg, openStudentMsg, backMsg:
			out = append(out, msg)
			continue
		}
		_, cmd := s.Update(msg)
		msgs = append(msgs, sfExec(cmd)...)
	}
	return out
}

func sfExec(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if batch, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range batch {
				out = append(out, sfExec(c)...)
			}
			return out
		}
		if msg == nil {
			return nil
		}
		return []tea.Msg{msg}
	case <-time.After(300 * time.Millisecond):
		return nil
	}
}

// sfKey is a key press by name ("enter", "left"…) or a typed character.
func sfKey(name string) tea.KeyMsg {
	names := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"left": tea.KeyLeft, "right": tea.KeyRight, "up": tea.KeyUp, "down": tea.KeyDown, "ctrl+s": tea.KeyCtrlS,
	}
	if k, ok := names[name]; ok {
		return tea.KeyMsg{Type: k}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// sfType is one key press per character of s.
func sfType(s string) []tea.Msg {
	var out []tea.Msg
	for _, r := range s {
		out = append(out, sfKey(string(r)))
	}
	return out
}

// sfStatus returns the text of the last status or error message.
func sfStatus(c *Common, msgs []tea.Msg) string {
	text := ""
	for _, m := range msgs {
		switch m := m.(type) {
		case statusMsg:
			text = m.text
		case errMsg:
			text = ErrorText(c.T, m.err)
		}
	}
	return text
}
