package ui

// In-memory fakes for the root model's tests (app_test.go, golden_test.go):
// the session file, the session store and the log-in limiter on the fixed
// clock testNow, a small school with one account per role, and a driver
// that plays the Bubble Tea loop for the root.

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

const appPassword = "passer-2026"

// memTokens is the session file, in memory.
type memTokens struct {
	mu      sync.Mutex
	token   string
	clears  int
	saveErr error // Save fails with it (a read-only state dir)
}

func (s *memTokens) Load() (string, error) { s.mu.Lock(); defer s.mu.Unlock(); return s.token, nil }
func (s *memTokens) Save(tok string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.saveErr != nil {
		return s.saveErr
	}
	s.token = tok
	return nil
}
func (s *memTokens) Clear() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token, s.clears = "", s.clears+1
	return nil
}

func (s *memTokens) saved() string { s.mu.Lock(); defer s.mu.Unlock(); return s.token }

// appSessions is the session store and appLimiter the failure counter,
// both on the fixed clock testNow.
type appSessions struct {
	mu sync.Mutex
	m  map[string]domain.Session
}

func (s *appSessions) Save(_ context.Context, h string, sess domain.Session, _ time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[h] = sess
	return nil
}

func (s *appSessions) Get(_ context.Context, h string) (*domain.Session, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sess, ok := s.m[h]; ok {
		return &sess, nil
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "no session")
}

func (s *appSessions) Delete(_ context.Context, h string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, h)
	return nil
}

func (s *appSessions) DeleteUser(_ context.Context, id string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for h, sess := range s.m {
		if sess.UserID == id {
			delete(s.m, h)
			n++
		}
	}
	return n, nil
}

func (s *appSessions) DeleteKey(_ context.Context, id, fingerprint string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for h, sess := range s.m {
		if sess.UserID == id && sess.Key == fingerprint {
			delete(s.m, h)
			n++
		}
	}
	return n, nil
}

type appLimiter struct {
	mu    sync.Mutex
	fails map[string]int
	until map[string]time.Time
}

func (l *appLimiter) Locked(_ context.Context, u string) (time.Duration, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return max(0, l.until[u].Sub(testNow)), nil
}

func (l *appLimiter) Fail(_ context.Context, u string, most int, lock time.Duration) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.fails[u]++
	if l.fails[u] >= most {
		l.until[u] = testNow.Add(lock)
	}
	return l.fails[u], nil
}

func (l *appLimiter) Reset(_ context.Context, u string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.fails, u)
	return nil
}

// appEnv is a small school: DIOP Awa (9,38, below 10) and FALL Moussa in
// L1-INFO, NDIAYE Fatou and SOW Ibrahima (no grade) in L2-GC; accounts
// admin, m.sarr (teacher of L1-INFO), awa.diop (DIOP's) and o.ba
// (disabled), all with appPassword.
type appEnv struct {
	svc    *domain.StudentService
	auth   *domain.AuthService
	tokens *memTokens
	diop   *domain.Student
	c      *Common
}

func newAppEnv(t *testing.T) *appEnv {
	t.Helper()
	svc, _ := newTestServices(t)
	g := func(subject, value, coef string) domain.GradeInput {
		return domain.GradeInput{Subject: subject, Value: value, Coefficient: coef}
	}
	awa := studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO")
	awa.GuardianName, awa.GuardianPhone, awa.GuardianEmail = "Mamadou Diop", "77 000 11 22", "m.diop@example.sn"
	diop := seedStudent(t, svc, awa,
		g("Mathématiques", "8", "2"), g("Physique", "9,5", ""), g("Anglais", "12", ""))
	seedStudent(t, svc, studentInput("Fall", "Moussa", "77 765 43 21", "L1-INFO"), g("Mathématiques", "14", "2"), g("Physique", "15,5", ""))
	seedStudent(t, svc, studentInput("Ndiaye", "Fatou", "78 222 33 44", "L2-GC"), g("Topographie", "11,25", "3"))
	seedStudent(t, svc, studentInput("Sow", "Ibrahima", "70 111 22 33", "L2-GC"))
	hash := "h:" + appPassword // sfHasher's
	users := &sfUserRepo{users: []*domain.User{
		{ID: "u1", Username: "admin", Role: domain.RoleAdmin, PasswordHash: hash},
		{ID: "u2", Username: "m.sarr", Role: domain.RoleTeacher, Classes: []string{"L1-INFO"}, PasswordHash: hash},
		{ID: "u3", Username: "awa.diop", Role: domain.RoleStudent, StudentID: diop.ID, PasswordHash: hash},
		{ID: "u4", Username: "o.ba", Role: domain.RoleTeacher, Classes: []string{"L2-GC"}, PasswordHash: hash, Disabled: true},
	}}
	auth := domain.NewAuthService(domain.AuthDeps{
		Users: users, Students: sfStudentRepo{f: &sfStudents{records: []*domain.Student{diop}}},
		Sessions: &appSessions{m: map[string]domain.Session{}},
		Limiter:  &appLimiter{fails: map[string]int{}, until: map[string]time.Time{}},
		Hasher:   sfHasher{}, Audit: sfAudit{}, Phones: domain.PhoneParser{},
		Now: func() time.Time { return testNow },
	})
	env := &appEnv{svc: svc, auth: auth, tokens: &memTokens{}, diop: diop}
	env.c = newTestCommon(t, svc, domain.Actor{})
	env.c.Auth, env.c.Tokens = auth, env.tokens
	return env
}

// appDriver plays the Bubble Tea loop for the root, like drive does for a
// screen; cursor blinks (timers) are dropped and tea.Quit is recorded.
type appDriver struct {
	t    *testing.T
	env  *appEnv
	m    *Model
	quit bool
}

func startApp(t *testing.T, env *appEnv, w, h int) *appDriver {
	t.Helper()
	a := &appDriver{t: t, env: env, m: New(env.c)}
	a.send(tea.WindowSizeMsg{Width: w, Height: h})
	a.send(runCmd(t, a.m.Init())...)
	return a
}

// loggedIn starts the app and logs user in through the log-in screen.
func loggedIn(t *testing.T, user string) *appDriver {
	t.Helper()
	a := startApp(t, newAppEnv(t), 100, 30)
	a.logIn(user, appPassword)
	if a.m.login == nil {
		t.Fatalf("%s not logged in:\n%s", user, a.m.View())
	}
	return a
}

func (a *appDriver) send(msgs ...tea.Msg) {
	a.t.Helper()
	for steps := 0; len(msgs) > 0; steps++ {
		if steps > maxDriveSteps {
			a.t.Fatalf("app still busy after %d messages", maxDriveSteps)
		}
		msg := msgs[0]
		msgs = msgs[1:]
		if _, ok := msg.(tea.QuitMsg); ok {
			a.quit = true
			continue
		}
		if reflect.TypeOf(msg).PkgPath() == "github.com/charmbracelet/bubbles/cursor" {
			continue
		}
		a.tame()
		_, cmd := a.m.Update(msg)
		msgs = append(msgs, runCmd(a.t, cmd)...)
	}
}

// tame stops the cursors of the active screen's text fields from blinking:
// each key typed would otherwise start a half-second timer the loop waits on.
func (a *appDriver) tame() {
	switch s := a.m.screen.(type) {
	case *login:
		s.user.Cursor.SetMode(cursor.CursorStatic)
		s.pass.Cursor.SetMode(cursor.CursorStatic)
	case *students:
		s.filter.Cursor.SetMode(cursor.CursorStatic)
	}
}

func appKey(k string) tea.KeyMsg {
	switch k {
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "ctrl+l":
		return tea.KeyMsg{Type: tea.KeyCtrlL}
	}
	return keyMsg(k)
}

func (a *appDriver) press(keys ...string) {
	a.t.Helper()
	for _, k := range keys {
		a.send(appKey(k))
	}
}

func (a *appDriver) typeText(s string) {
	a.t.Helper()
	for _, r := range s {
		a.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
}

func (a *appDriver) logIn(user, password string) {
	a.t.Helper()
	a.typeText(user)
	a.press("enter")
	a.typeText(password)
	a.press("enter")
}

// flatView is the view as one line of words: messages wrapped in the
// log-in box still read as a whole.
func (a *appDriver) flatView() string {
	return strings.Join(strings.Fields(strings.ReplaceAll(a.m.View(), "│", " ")), " ")
}

func (a *appDriver) header() string { return strings.Split(a.m.View(), "\n")[0] }
func (a *appDriver) statusLine() string {
	lines := strings.Split(a.m.View(), "\n")
	return lines[len(lines)-2]
}

func screenName(s screen) string { return reflect.TypeOf(s).Elem().Name() }
