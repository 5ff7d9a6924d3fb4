package ui

// Golden screens: the real program loop (teatest) at 100×30, one screen
// each, over the fixed data of newAppEnv. Update them with
//
//	go test ./ui -run Golden -update

import (
	"bytes"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

// goldenApp is the root as the program runs it, with two test hooks: the
// detail screen's clock is the fakes' (an age is on screen), and every
// message the root has handled is reported on seen, so that a test knows
// when a load has landed rather than guessing with sleeps.
type goldenApp struct {
	*Model
	seen chan tea.Msg
}

func (g goldenApp) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := g.Model.Update(msg)
	if d, ok := g.screen.(*detail); ok {
		d.now = func() time.Time { return testNow }
	}
	select {
	case g.seen <- msg:
	default: // a test that stopped listening must not stall the program
	}
	return g, cmd
}

// await returns once the root has handled a message of type M.
func await[M any](t *testing.T, g goldenApp) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case msg := <-g.seen:
			if _, ok := msg.(M); ok {
				return
			}
		case <-deadline:
			var m M
			t.Fatalf("no %T within 5 s", m)
		}
	}
}

// golden runs the app in teatest, lets steps drive it, then asks for a
// full repaint and quits. The golden is what follows the last clear: the
// screen as it stands, drawn whole. The frames before it depend on when
// the renderer's ticks fell, so they are not compared.
func golden(t *testing.T, env *appEnv, steps func(tm *teatest.TestModel, g goldenApp)) {
	t.Helper()
	g := goldenApp{Model: New(env.c), seen: make(chan tea.Msg, 4096)}
	tm := teatest.NewTestModel(t, g, teatest.WithInitialTermSize(100, 30))
	steps(tm, g)
	tm.Send(tea.ClearScreen())
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(out, []byte("\x1b[2J"))
	if i < 0 {
		t.Fatalf("no full repaint in the output:\n%q", out)
	}
	teatest.RequireEqualOutput(t, out[i:])
}

// waitText waits until the program has drawn text.
func waitText(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(3*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}

// goldenLogIn types the user name and the password on the log-in screen,
// once it has given up on a saved session (it ignores keys until then).
func goldenLogIn(t *testing.T, tm *teatest.TestModel, g goldenApp, user string) {
	t.Helper()
	await[noSessionMsg](t, g)
	tm.Type(user)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	tm.Type(appPassword)
	tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
	await[loggedInMsg](t, g)
}

// goldenRoster logs the admin in and waits for the students table.
func goldenRoster(t *testing.T, tm *teatest.TestModel, g goldenApp) {
	t.Helper()
	goldenLogIn(t, tm, g, "admin")
	await[rosterLoadedMsg](t, g) // the roster has landed
	waitText(t, tm, "lignes 1–4 sur 4")
}

func TestGoldenLogIn(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		await[noSessionMsg](t, g)
		tm.Type("admin")
		tm.Send(tea.KeyMsg{Type: tea.KeyEnter})
		tm.Type("secret")
		waitText(t, tm, "••••••")
	})
}

func TestGoldenStudents(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		goldenRoster(t, tm, g)
	})
}

func TestGoldenStudentDetail(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		goldenRoster(t, tm, g)
		// FALL, NDIAYE, then DIOP: three grades and an average below 10.
		for _, k := range []tea.KeyType{tea.KeyDown, tea.KeyDown, tea.KeyEnter} {
			tm.Send(tea.KeyMsg{Type: k})
		}
		await[detailLoadedMsg](t, g)
		waitText(t, tm, "Rang 2/2")
	})
}

func TestGoldenStats(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		goldenRoster(t, tm, g)
		tm.Send(tea.KeyMsg{Type: tea.KeyTab})
		await[statsLoadedMsg](t, g)
		waitText(t, tm, "Répartition des moyennes")
	})
}

func TestGoldenUsers(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		goldenRoster(t, tm, g)
		tm.Send(tea.KeyMsg{Type: tea.KeyShiftTab})
		await[usersLoadedMsg](t, g)
		waitText(t, tm, "Utilisateurs · 4 compte(s)")
	})
}

func TestGoldenMyGrades(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		goldenLogIn(t, tm, g, "awa.diop")
		await[myGradesLoadedMsg](t, g)
		waitText(t, tm, "Attention : moyenne inférieure à 10/20")
	})
}

func TestGoldenHelp(t *testing.T) {
	golden(t, newAppEnv(t), func(tm *teatest.TestModel, g goldenApp) {
		goldenRoster(t, tm, g)
		tm.Type("?")
		waitText(t, tm, "Aide — touches de cet écran")
	})
}
