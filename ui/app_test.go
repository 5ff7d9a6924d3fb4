package ui

// Update tests of the root model: the real StudentService and AuthService
// over in-memory fakes (fakes_app_test.go), driven key by key as a person
// would.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

func TestAppLogInOpensTheRoleTabs(t *testing.T) {
	for _, tc := range []struct {
		user, first string
		tabs, not   []string
	}{
		{"admin", "students", []string{"Étudiants", "Statistiques", "Utilisateurs"}, []string{"Mes notes"}},
		{"m.sarr", "students", []string{"Étudiants", "Statistiques"}, []string{"Utilisateurs", "Mes notes"}},
		{"awa.diop", "myGrades", []string{"Mes notes"}, []string{"Étudiants", "Statistiques", "Utilisateurs"}},
	} {
		t.Run(tc.user, func(t *testing.T) {
			a := loggedIn(t, tc.user)
			if got := screenName(a.m.screen); got != tc.first {
				t.Errorf("opens on %s, want %s", got, tc.first)
			}
			wantIn(t, a.header(), tc.tabs...)
			wantNotIn(t, a.header(), tc.not...)
			wantIn(t, a.statusLine(), "Bienvenue, "+tc.user+".")
			if _, err := a.env.auth.Resume(context.Background(), a.env.tokens.saved()); err != nil {
				t.Errorf("the saved token does not resume: %v", err)
			}
		})
	}
}

func TestAppTabCyclesThroughRoleTabs(t *testing.T) {
	for _, tc := range []struct {
		user string
		keys []string
		want []string // screen after each key
	}{
		{"admin", []string{"tab", "tab", "tab", "shift+tab"}, []string{"stats", "users", "students", "users"}},
		{"m.sarr", []string{"tab", "tab", "shift+tab"}, []string{"stats", "students", "stats"}},
		{"awa.diop", []string{"tab", "shift+tab"}, []string{"myGrades", "myGrades"}},
	} {
		t.Run(tc.user, func(t *testing.T) {
			a := loggedIn(t, tc.user)
			for i, k := range tc.keys {
				a.press(k)
				if got := screenName(a.m.screen); got != tc.want[i] {
					t.Fatalf("after %v: %s, want %s", tc.keys[:i+1], got, tc.want[i])
				}
			}
		})
	}
}

func TestAppSavedTokenResumesWithoutPassword(t *testing.T) {
	env := newAppEnv(t)
	in, err := env.auth.Login(context.Background(), "m.sarr", appPassword)
	if err != nil {
		t.Fatal(err)
	}
	env.tokens.token = in.Token
	a := startApp(t, env, 100, 30)
	if a.m.login == nil || screenName(a.m.screen) != "students" {
		t.Fatalf("the saved session was not resumed:\n%s", a.m.View())
	}
	wantIn(t, a.statusLine(), "Connexion rapide", "m.sarr")
	wantIn(t, a.header(), "Étudiants", "Statistiques")

	env = newAppEnv(t)
	env.tokens.token = "forged-or-expired"
	a = startApp(t, env, 100, 30)
	if a.m.login != nil || screenName(a.m.screen) != "login" {
		t.Fatalf("a bad token opened %s", screenName(a.m.screen))
	}
	v := a.m.View()
	wantIn(t, v, "Utilisateur", "Mot de passe")
	wantNotIn(t, v, "Connexion rapide…")
	if env.tokens.saved() != "" {
		t.Error("the bad token was kept")
	}
}

// A session file that cannot be written does not stop the log-in, but
// the person is told that the next start will ask again.
func TestAppLogInSaysWhenTheSessionIsNotSaved(t *testing.T) {
	env := newAppEnv(t)
	env.tokens.saveErr = errors.New("read-only file system")
	a := startApp(t, env, 100, 30)
	a.logIn("admin", appPassword)
	if a.m.login == nil {
		t.Fatalf("not logged in:\n%s", a.m.View())
	}
	wantIn(t, a.statusLine(), "Session non enregistrée")
}

func TestAppLogInErrorsInWords(t *testing.T) {
	a := startApp(t, newAppEnv(t), 100, 30)
	a.logIn("admin", "wrong")
	wantIn(t, a.flatView(), "Nom d'utilisateur ou mot de passe incorrect.")
	for range 4 { // the password field keeps the focus after a failure
		a.typeText("wrong")
		a.press("enter")
	}
	wantIn(t, a.flatView(), "Trop d'échecs de connexion : compte verrouillé encore 15 minute(s).")
	a.typeText(appPassword)
	a.press("enter")
	if a.m.login != nil {
		t.Fatal("a locked account logged in with the right password")
	}
	wantIn(t, a.flatView(), "verrouillé encore 15 minute(s)")

	a = startApp(t, newAppEnv(t), 100, 30)
	a.logIn("o.ba", appPassword)
	if a.m.login != nil {
		t.Fatal("a disabled account logged in")
	}
	wantIn(t, a.flatView(), "Ce compte est désactivé ; adressez-vous à un administrateur.")
}

func TestAppHelpOverlay(t *testing.T) {
	a := loggedIn(t, "admin")
	a.press("?")
	v := a.m.View()
	wantIn(t, v, "Aide — touches de cet écran", "trier (colonne suivante)", "filtrer", "nouvel étudiant",
		"Partout", "se déconnecter", "écran précédent", "? ou échap pour fermer")
	a.press("?")
	wantNotIn(t, a.m.View(), "Aide — touches")
	a.press("?", "esc")
	wantNotIn(t, a.m.View(), "Aide — touches")

	a.press("tab", "?") // statistics: its own keys, not the table's
	v = a.m.View()
	wantIn(t, v, "classe suivante", "ouvrir l'étudiant", "se déconnecter")
	wantNotIn(t, v, "trier (colonne suivante)")
}

// tab and shift+tab are offered only where they move.
func TestAppOffersTabOnlyWhereItMoves(t *testing.T) {
	footer := func(a *appDriver) string {
		lines := strings.Split(a.m.View(), "\n")
		return lines[len(lines)-1]
	}
	a := loggedIn(t, "awa.diop") // one screen: nowhere to go
	wantNotIn(t, footer(a), "écran suivant")
	a.press("?")
	wantIn(t, a.m.View(), "se déconnecter")
	wantNotIn(t, a.m.View(), "écran suivant", "écran précédent")

	a = loggedIn(t, "m.sarr")
	a.press("enter", "?") // a detail: tab does not leave it
	wantIn(t, a.m.View(), "ajouter une note")
	wantNotIn(t, a.m.View(), "écran suivant")
	a.press("esc", "esc", "?") // back on the table: it does again
	wantIn(t, a.m.View(), "écran suivant", "écran précédent")
}

func TestAppQuit(t *testing.T) {
	a := loggedIn(t, "admin")
	a.press("q")
	if !a.quit {
		t.Fatal("q with nothing unsaved did not quit")
	}

	a = startApp(t, newAppEnv(t), 100, 30)
	a.press("q") // the log-in screen types it
	if a.quit || a.m.screen.(*login).user.Value() != "q" {
		t.Fatal("q on the log-in screen was not typed into the user name")
	}
	a.press("ctrl+c")
	if !a.quit {
		t.Fatal("ctrl+c did not quit the log-in screen")
	}
}

// askQuit checks that an unsaved edit makes ctrl+c ask, that any answer
// but o keeps the app (and the edit), and that o quits.
func askQuit(t *testing.T, a *appDriver, dirty func() bool) {
	t.Helper()
	a.press("ctrl+c")
	if a.quit {
		t.Fatal("quit without asking with an unsaved edit")
	}
	wantIn(t, a.statusLine(), "Quitter quand même ? (o/n)")
	a.press("n")
	if a.quit || !dirty() {
		t.Fatalf("n quit or lost the edit (quit %v)", a.quit)
	}
	wantNotIn(t, a.statusLine(), "Quitter quand même")
	a.press("ctrl+c", "o")
	if !a.quit {
		t.Fatal("o did not quit")
	}
}

func TestAppQuitAsksWhenFormDirty(t *testing.T) {
	a := loggedIn(t, "admin")
	a.press("n")
	f, ok := a.m.screen.(*form)
	if !ok {
		t.Fatalf("n opened %s", screenName(a.m.screen))
	}
	a.typeText("Ndour")
	a.press("q") // a text field takes q as text
	if a.quit || f.inputs[0].Value() != "Ndourq" {
		t.Fatalf("q in the form: quit %v, field %q", a.quit, f.inputs[0].Value())
	}
	askQuit(t, a, f.Dirty)
}

func TestAppQuitAsksWhenGradeInputOpen(t *testing.T) {
	a := loggedIn(t, "admin")
	a.press("enter", "a")
	d, ok := a.m.screen.(*detail)
	if !ok || d.mode != detailAdding {
		t.Fatalf("enter then a opened %s", screenName(a.m.screen))
	}
	a.typeText("Chimie")
	askQuit(t, a, d.Dirty)
}

// dirtyScreen is a screen with an unsaved edit outside any text field.
type dirtyScreen struct{ screen }

func (dirtyScreen) Dirty() bool     { return true }
func (dirtyScreen) Capturing() bool { return false }

func TestAppQAsksOnADirtyScreen(t *testing.T) {
	a := loggedIn(t, "admin")
	a.m.screen = dirtyScreen{a.m.screen}
	a.press("q")
	if a.quit {
		t.Fatal("q quit with an unsaved edit")
	}
	wantIn(t, a.statusLine(), "Quitter quand même ? (o/n)")
	a.press("o")
	if !a.quit {
		t.Fatal("o did not quit")
	}
}

// runningImport opens the import screen with an import in progress that,
// once cancelled, takes a moment to undo its writes; undone tells when it
// has.
func runningImport(t *testing.T, a *appDriver) (undone *atomic.Bool) {
	t.Helper()
	a.press("i")
	is, ok := a.m.screen.(*importScreen)
	if !ok {
		t.Fatalf("i opened %s", screenName(a.m.screen))
	}
	undone = new(atomic.Bool)
	started := make(chan struct{})
	j, run := startJob(a.m.c, func(ctx context.Context, _ func(string, int64, int64)) (any, error) {
		close(started)
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond) // the undo's writes
		undone.Store(true)
		return nil, ctx.Err()
	})
	is.stage, is.job = importApplying, j
	go run()
	<-started
	return undone
}

// Quitting during an import waits for the cancelled import to undo what
// it wrote: the program must not end with half a file imported.
func TestAppQuitDuringImportWaitsForTheUndo(t *testing.T) {
	a := loggedIn(t, "admin")
	undone := runningImport(t, a)

	a.press("ctrl+c")
	wantIn(t, a.statusLine(), "Quitter quand même ? (o/n)")
	a.press("o")
	if !a.quit {
		t.Fatal("o did not quit")
	}
	if !undone.Load() {
		t.Fatal("the program quit before the cancelled import was undone")
	}
	wantIn(t, a.statusLine(), "Arrêt du travail en cours")
}

// Logging out during an import cancels it and waits for the undo, then
// shows the log-in screen: the import does not go on under nobody.
func TestAppLogOutDuringImportWaitsForTheUndo(t *testing.T) {
	a := loggedIn(t, "admin")
	undone := runningImport(t, a)
	a.press("ctrl+l")
	if !undone.Load() {
		t.Fatal("logged out before the cancelled import was undone")
	}
	if _, ok := a.m.screen.(*login); !ok || a.m.login != nil || a.m.stopping {
		t.Fatalf("after ctrl+l: %s, login %v, stopping %v", screenName(a.m.screen), a.m.login, a.m.stopping)
	}
}

// WaitJobs waits for the background work that the program's end
// cancelled (runUI cancels Ctx, then waits before closing the back-ends).
func TestWaitJobsWaitsForCancelledWork(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Common{Ctx: ctx}
	var undone atomic.Bool
	started := make(chan struct{})
	_, run := startJob(c, func(ctx context.Context, _ func(string, int64, int64)) (any, error) {
		close(started)
		<-ctx.Done()
		time.Sleep(100 * time.Millisecond)
		undone.Store(true)
		return nil, ctx.Err()
	})
	go run()
	<-started
	if c.WaitJobs(50 * time.Millisecond) {
		t.Fatal("WaitJobs returned while the job ran")
	}
	cancel()
	if !c.WaitJobs(5*time.Second) || !undone.Load() {
		t.Fatal("WaitJobs returned before the cancelled job did")
	}
}

func TestAppLogOutFromAnywhere(t *testing.T) {
	for name, keys := range map[string][]string{
		"filter field": {"/", "d", "i"},
		"grade input":  {"enter", "a", "M"},
		"statistics":   {"tab"},
	} {
		t.Run(name, func(t *testing.T) {
			a := loggedIn(t, "admin")
			token := a.env.tokens.saved()
			a.press(keys...)
			a.press("ctrl+l")
			if a.m.login != nil || screenName(a.m.screen) != "login" {
				t.Fatalf("ctrl+l left %s open", screenName(a.m.screen))
			}
			if a.env.tokens.saved() != "" || a.env.tokens.clears == 0 {
				t.Error("the token store was not cleared")
			}
			if _, err := a.env.auth.Resume(context.Background(), token); err == nil {
				t.Error("the session still resumes after logging out")
			}
			wantNotIn(t, a.header(), "Étudiants")
			wantIn(t, a.statusLine(), "Déconnecté.")
		})
	}
}

func TestAppRevokedSessionReturnsToLogIn(t *testing.T) {
	a := loggedIn(t, "m.sarr")
	a.press("enter") // a detail screen, on a stack
	a.send(errMsg{err: domain.Errorf(domain.EUNAUTHORIZED, "the session was revoked")})
	if a.m.login != nil || screenName(a.m.screen) != "login" || len(a.m.stack) != 0 {
		t.Fatalf("still in %s after the session ended", screenName(a.m.screen))
	}
	// The reason stays in view: a bare "Déconnecté." would not say why.
	wantIn(t, a.statusLine(), "La session a expiré ; reconnectez-vous.")
	if a.env.tokens.saved() != "" {
		t.Error("the revoked token was kept")
	}
}

func TestAppInternalErrorInWords(t *testing.T) {
	a := loggedIn(t, "admin")
	a.send(errMsg{err: fmt.Errorf("mongo: dial tcp 10.0.0.3:27017: connection refused")})
	v := a.m.View()
	wantIn(t, a.statusLine(), "Erreur interne")
	wantNotIn(t, v, "mongo", "10.0.0.3", "dial tcp")
	if a.m.login == nil {
		t.Error("an internal error ended the session")
	}
}

func TestAppFitsTheTerminal(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {120, 35}} {
		w, h := sz[0], sz[1]
		check := func(a *appDriver, what string) {
			t.Helper()
			a.send(tea.WindowSizeMsg{Width: w, Height: h})
			v := a.m.View()
			if n := lipgloss.Height(v); n != h {
				t.Errorf("%s at %d×%d: %d lines", what, w, h, n)
			}
			for i, line := range strings.Split(v, "\n") {
				if lipgloss.Width(line) > w {
					t.Errorf("%s at %d×%d: line %d is %d wide: %q", what, w, h, i, lipgloss.Width(line), line)
				}
			}
		}
		a := loggedIn(t, "admin")
		check(a, "students")
		if s := a.m.screen.(*students); s.width != w || s.table.width != w {
			t.Errorf("the students screen got width %d, table %d; want %d", s.width, s.table.width, w)
		}
		a.press("?")
		check(a, "help overlay")
		a.press("esc", "enter")
		check(a, "detail")
		a.press("esc", "tab")
		check(a, "stats")
		a.press("tab")
		check(a, "users")
		a.press("shift+tab", "shift+tab", "n")
		check(a, "form")
		check(loggedIn(t, "awa.diop"), "my grades")
		check(startApp(t, newAppEnv(t), w, h), "log-in")
	}
}

// A terminal too narrow for every tab keeps the user's name and the
// active tab, the others left out around it ("…").
func TestAppHeaderKeepsTheUserOnANarrowTerminal(t *testing.T) {
	a := loggedIn(t, "admin")
	a.press("tab") // Statistiques
	a.send(tea.WindowSizeMsg{Width: 52, Height: 30})
	h := a.header()
	if w := lipgloss.Width(h); w > 52 {
		t.Errorf("the header is %d columns wide: %q", w, h)
	}
	wantIn(t, h, "Statistiques", "…", "admin")
	wantNotIn(t, h, "Utilisateurs", "Étudiants")
}
