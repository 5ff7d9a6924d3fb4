package serve

import (
	"fmt"
	"log/slog"
	"reflect"
	"runtime/debug"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
)

// A panic in one connection ends that connection only, and its stack goes
// to the log file, never to a screen.

// recoverPanics is the outermost handler: whatever panics in a session's
// handler ends that session.
func (s *Server) recoverPanics(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in a connection; it is closed", "remote", remoteHost(sess.RemoteAddr()),
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				_ = sess.Exit(1)
			}
		}()
		next(sess)
	}
}

// guard runs a connection's model and catches its panics: in Update, in
// View and in the commands it returns (batches and sequences included),
// logging them with their stack and quitting that program. Bubble Tea's
// own catch would print them on the server's standard output.
type guard struct {
	m   tea.Model
	log *slog.Logger
}

type panicMsg struct{}

func (g guard) Init() tea.Cmd {
	var cmd tea.Cmd
	if g.safely("init", func() { cmd = g.m.Init() }) {
		return tea.Quit
	}
	return g.wrap(cmd)
}

func (g guard) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(panicMsg); ok {
		return g, tea.Quit
	}
	var cmd tea.Cmd
	if g.safely("update", func() { g.m, cmd = g.m.Update(msg) }) {
		return g, tea.Quit
	}
	return g, g.wrap(cmd)
}

func (g guard) View() (view string) {
	if g.safely("view", func() { view = g.m.View() }) {
		return ""
	}
	return view
}

// safely runs f and reports whether it panicked.
func (g guard) safely(where string, f func()) (panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			g.log.Error("panic in the application; this connection is closed", "in", where,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			panicked = true
		}
	}()
	f()
	return false
}

var cmdType = reflect.TypeOf((*tea.Cmd)(nil)).Elem()

// wrap makes a command's panic a panicMsg. A command may return a batch or
// a sequence of commands (a slice of tea.Cmd; the sequence's type is
// unexported), whose commands are wrapped in turn.
func (g guard) wrap(cmd tea.Cmd) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		if g.safely("command", func() { msg = cmd() }) {
			return panicMsg{}
		}
		cmds, ok := asCmds(msg)
		if !ok {
			return msg
		}
		out := reflect.MakeSlice(reflect.TypeOf(msg), len(cmds), len(cmds))
		for i, inner := range cmds {
			out.Index(i).Set(reflect.ValueOf(g.wrap(inner)).Convert(cmdType))
		}
		return out.Interface()
	}
}

// asCmds reads a message that is a list of commands (tea.BatchMsg, or
// Bubble Tea's unexported sequence).
func asCmds(msg tea.Msg) ([]tea.Cmd, bool) {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return nil, false
	}
	cmds := make([]tea.Cmd, v.Len())
	for i := range cmds {
		cmds[i], _ = v.Index(i).Interface().(tea.Cmd)
	}
	return cmds, true
}

// model is the application model inside the guard.
func (g guard) model() tea.Model { return g.m }
