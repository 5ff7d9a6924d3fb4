package serve

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

func TestConnLimits(t *testing.T) {
	l := newConnLimits(3, 2)
	conn := func(addr string) net.Conn { return fakeConn{remote: &net.TCPAddr{IP: net.ParseIP(addr), Port: 40000}} }
	a1, why := l.admit(conn("10.0.0.1"))
	a2, _ := l.admit(conn("10.0.0.1"))
	if a1 == nil || a2 == nil || why != "" {
		t.Fatalf("the first two from one address were refused: %q", why)
	}
	if c, why := l.admit(conn("10.0.0.1")); c != nil || !strings.Contains(why, "too many connections from your address") {
		t.Fatalf("third from one address: %v %q", c, why)
	}
	b1, _ := l.admit(conn("10.0.0.2"))
	if b1 == nil {
		t.Fatal("another address was refused")
	}
	if c, why := l.admit(conn("10.0.0.3")); c != nil || !strings.Contains(why, "server is full") {
		t.Fatalf("past the total: %v %q", c, why)
	}
	a1.Close()
	a1.Close() // a second close gives nothing back twice
	if c, _ := l.admit(conn("10.0.0.3")); c == nil {
		t.Fatal("a closed connection's place was not given back")
	}
	if c, _ := l.admit(conn("10.0.0.4")); c != nil {
		t.Fatal("a double close gave its place back twice")
	}
}

type fakeConn struct {
	net.Conn
	remote net.Addr
}

func (c fakeConn) RemoteAddr() net.Addr { return c.remote }
func (fakeConn) Close() error           { return nil }

func TestDarkBackground(t *testing.T) {
	for _, tc := range []struct {
		colorfgbg string
		dark      bool
	}{{"", true}, {"15;0", true}, {"0;15", false}, {"7;8", true}, {"0;7", false}, {"15;default;0", true}, {"junk", true}} {
		if got := darkBackground(tc.colorfgbg); got != tc.dark {
			t.Errorf("COLORFGBG=%q: dark %v, want %v", tc.colorfgbg, got, tc.dark)
		}
	}
}

func TestEnvOf(t *testing.T) {
	get := envOf([]string{"LANG=fr_SN.UTF-8", "LANGUAGE=en", "X=a=b"})
	for name, want := range map[string]string{"LANG": "fr_SN.UTF-8", "LANGUAGE": "en", "X": "a=b", "LAN": "", "TERM": ""} {
		if got := get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// panicker panics where told to.
type panicker struct{ in string }

func (p panicker) Init() tea.Cmd { return nil }
func (p panicker) View() string {
	if p.in == "view" {
		panic("boom in view")
	}
	return "fine"
}
func (p panicker) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch p.in {
	case "update":
		panic("boom in update")
	case "command":
		return p, func() tea.Msg { panic("boom in command") }
	case "batch":
		return p, tea.Batch(func() tea.Msg { return nil }, func() tea.Msg { panic("boom in batch") })
	case "sequence":
		return p, tea.Sequence(func() tea.Msg { panic("boom in sequence") })
	}
	return p, nil
}

// runCmd runs cmd as Bubble Tea would, batches and sequences included,
// and returns the messages it ends in.
func runCmd(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	switch m := msg.(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range m {
			out = append(out, runCmd(c)...)
		}
		return out
	}
	if cmds, ok := asCmds(msg); ok {
		var out []tea.Msg
		for _, c := range cmds {
			out = append(out, runCmd(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestGuardCatchesPanics(t *testing.T) {
	for _, where := range []string{"update", "view", "command", "batch", "sequence"} {
		t.Run(where, func(t *testing.T) {
			var logs bytes.Buffer
			g := guard{m: panicker{in: where}, log: slog.New(slog.NewTextHandler(&logs, nil))}
			if where == "view" {
				if v := g.View(); v != "" {
					t.Fatalf("view after a panic: %q", v)
				}
			} else {
				_, cmd := g.Update(tea.KeyMsg{})
				msgs := runCmd(cmd)
				quit := false
				for _, m := range msgs {
					if _, ok := m.(tea.QuitMsg); ok {
						quit = true
					}
					if _, ok := m.(panicMsg); ok {
						_, next := g.Update(m)
						_, quit = next().(tea.QuitMsg)
					}
				}
				if !quit {
					t.Fatalf("a panic in %s did not end the program: %#v", where, msgs)
				}
			}
			if !strings.Contains(logs.String(), "boom in "+where) || !strings.Contains(logs.String(), "guard_test.go") && !strings.Contains(logs.String(), "serve_test.go") {
				t.Fatalf("the log lacks the panic and its stack:\n%s", logs.String())
			}
		})
	}
}

type feed struct{ ch chan domain.Change }

func (f feed) Subscribe(ctx context.Context) (<-chan domain.Change, error) { return f.ch, nil }

func TestHubFansOutAndForgets(t *testing.T) {
	src := feed{ch: make(chan domain.Change)}
	h := newHub(src, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	go h.run(ctx, ready)
	<-ready
	aCtx, aGone := context.WithCancel(ctx)
	a, _ := h.Subscribe(aCtx)
	b, _ := h.Subscribe(ctx)
	src.ch <- domain.Change{StudentID: "s1"}
	for name, ch := range map[string]<-chan domain.Change{"a": a, "b": b} {
		select {
		case c := <-ch:
			if c.StudentID != "s1" {
				t.Fatalf("%s got %+v", name, c)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s got nothing", name)
		}
	}
	aGone()
	for range 100 {
		if h.subscribers() == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if _, open := <-a; open || h.subscribers() != 1 {
		t.Fatalf("a closed connection is still subscribed (%d subscribers)", h.subscribers())
	}
	// A screen that does not read is skipped, never waited for.
	for range hubBuffer + 10 {
		src.ch <- domain.Change{StudentID: "s2"}
	}
	if len(b) != hubBuffer {
		t.Fatalf("a busy screen holds %d changes, want %d", len(b), hubBuffer)
	}
}
