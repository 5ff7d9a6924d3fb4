package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// recheck plays one tick of the session watch. The tests leave
// Common.Recheck at 0, so no timer is armed and the ticks are theirs.
func (a *appDriver) recheck() {
	a.t.Helper()
	a.send(recheckMsg{gen: a.m.watchGen})
}

func TestAppIdleLogout(t *testing.T) {
	env := newAppEnv(t)
	now := testNow
	env.c.Now = func() time.Time { return now }
	env.c.IdleLogout = 15 * time.Minute
	a := startApp(t, env, 100, 30)
	a.logIn("admin", appPassword)
	now = now.Add(14 * time.Minute)
	a.press("down") // activity
	now = now.Add(14 * time.Minute)
	a.recheck()
	if a.m.login == nil {
		t.Fatal("logged out 14 minutes after the last key, with 15 allowed")
	}
	now = now.Add(2 * time.Minute)
	a.recheck()
	if a.m.login != nil {
		t.Fatal("still logged in 16 minutes after the last key")
	}
	if v := a.m.View(); !strings.Contains(v, "Déconnecté après 15 minute(s) sans activité") || !strings.Contains(v, "Mot de passe") {
		t.Fatalf("idle log-out screen:\n%s", v)
	}
}

func TestAppSessionEndedElsewhere(t *testing.T) {
	for _, tc := range []struct {
		name string
		end  func(env *appEnv) error
		want string
	}{
		{"revoked", func(env *appEnv) error {
			_, err := env.auth.RevokeSessions(context.Background(), domain.SystemActor("test"), "m.sarr")
			return err
		}, "La session a expiré"},
		{"disabled", func(env *appEnv) error {
			return env.auth.SetDisabled(context.Background(), domain.SystemActor("test"), "m.sarr", true)
		}, "La session a expiré"}, // disabling ends the sessions first
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newAppEnv(t)
			a := startApp(t, env, 100, 30)
			a.logIn("m.sarr", appPassword)
			a.recheck()
			if a.m.login == nil {
				t.Fatal("a valid session ended at its check")
			}
			if err := tc.end(env); err != nil {
				t.Fatal(err)
			}
			a.recheck()
			if a.m.login != nil {
				t.Fatal("the session goes on after it was ended elsewhere")
			}
			if v := a.m.View(); !strings.Contains(v, tc.want) || !strings.Contains(v, "Mot de passe") {
				t.Fatalf("after the end:\n%s", v)
			}
		})
	}
}

func TestAppShutdownMsg(t *testing.T) {
	a := loggedIn(t, "admin")
	if a.m.Goodbye() != "" {
		t.Fatal("a goodbye before any shutdown")
	}
	a.send(ShutdownMsg{Reason: ShutdownServer})
	if !a.quit {
		t.Fatal("the program did not quit when told the server stops")
	}
	if !strings.Contains(a.m.Goodbye(), "Le serveur s'arrête") {
		t.Fatalf("goodbye %q", a.m.Goodbye())
	}
}

// Characters that arrive together are each their own key press: "/" opens
// the filter and the rest goes into it.
func TestAppTypedBurstIsOneKeyEach(t *testing.T) {
	a := loggedIn(t, "admin")
	a.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("/fall")})
	if v := a.m.View(); !strings.Contains(v, "/ fall") || strings.Contains(v, "Diop") {
		t.Fatalf("a burst of keys was not typed one by one:\n%s", v)
	}
}

func TestAppUserLanguage(t *testing.T) {
	for _, tc := range []struct {
		name   string
		chosen bool
		want   string
	}{{"saved preference", false, "Students"}, {"the terminal's choice", true, "Étudiants"}} {
		t.Run(tc.name, func(t *testing.T) {
			env := newAppEnv(t)
			if err := env.auth.SetLang(context.Background(), domain.SystemActor("test"), "admin", "en"); err != nil {
				t.Fatal(err)
			}
			env.c.LangChosen = tc.chosen
			a := startApp(t, env, 100, 30)
			a.logIn("admin", appPassword)
			if v := a.m.View(); !strings.Contains(v, tc.want) {
				t.Fatalf("want %q:\n%s", tc.want, v)
			}
			a.press("ctrl+l")
			if v := a.m.View(); !strings.Contains(v, "Mot de passe") {
				t.Fatalf("after log-out, the connection's own language:\n%s", v)
			}
		})
	}
}
