package ui

import (
	"reflect"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Helpers that play the Bubble Tea loop by hand: a message goes to the
// screen, the returned commands run synchronously and their messages are
// fed back, until nothing is left. Batches and sequences are flattened in
// order. Every message is returned, so tests can assert what went to the
// root (statusMsg, backMsg, openStudentMsg...).

// maxDriveSteps bounds the loop: a screen that keeps asking for work
// (a ticking cursor, a reload loop) fails the test instead of hanging it.
const maxDriveSteps = 200

// drive sends msgs to s, one after the other, each with all its follow-ups.
func drive(t *testing.T, s screen, msgs ...tea.Msg) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, msg := range msgs {
		queue := []tea.Msg{msg}
		for steps := 0; len(queue) > 0; steps++ {
			if steps > maxDriveSteps {
				t.Fatalf("screen still busy after %d messages", maxDriveSteps)
			}
			m := queue[0]
			queue = queue[1:]
			out = append(out, m)
			_, cmd := s.Update(m)
			queue = append(queue, runCmd(t, cmd)...)
		}
	}
	return out
}

// start runs the screen's Init command and feeds back what it produces.
func start(t *testing.T, s screen) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, m := range runCmd(t, s.Init()) {
		out = append(out, drive(t, s, m)...)
	}
	return out
}

// runCmd executes cmd and returns its messages, batches flattened.
func runCmd(t *testing.T, cmd tea.Cmd) []tea.Msg {
	t.Helper()
	if cmd == nil {
		return nil
	}
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	var msg tea.Msg
	select {
	case msg = <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a command blocked: screens must not wait on timers in tests")
	}
	if msg == nil {
		return nil
	}
	// tea.BatchMsg and Bubble Tea's unexported sequenceMsg are both
	// slices of commands.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, runCmd(t, v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// keyMsg builds the key a person would press: a name Bubble Tea uses
// ("enter", "esc", "tab", "ctrl+s"...) or else typed text.
func keyMsg(k string) tea.KeyMsg {
	names := map[string]tea.KeyType{
		"enter": tea.KeyEnter, "esc": tea.KeyEsc, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab,
		"backspace": tea.KeyBackspace, "up": tea.KeyUp, "down": tea.KeyDown,
		"ctrl+s": tea.KeyCtrlS, "ctrl+u": tea.KeyCtrlU,
	}
	if kt, ok := names[k]; ok {
		return tea.KeyMsg{Type: kt}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// press sends keys in order and returns every message produced.
func press(t *testing.T, s screen, keys ...string) []tea.Msg {
	t.Helper()
	msgs := make([]tea.Msg, len(keys))
	for i, k := range keys {
		msgs[i] = keyMsg(k)
	}
	return drive(t, s, msgs...)
}

// findMsg returns the first message of type M among msgs.
func findMsg[M any](msgs []tea.Msg) (M, bool) {
	for _, m := range msgs {
		if v, ok := m.(M); ok {
			return v, true
		}
	}
	var zero M
	return zero, false
}
