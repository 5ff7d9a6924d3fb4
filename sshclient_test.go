package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hinshun/vt10x"
	gossh "golang.org/x/crypto/ssh"
)

// sshScreen is one person at an SSH client: a real SSH connection with a
// PTY, whose output is drawn by a terminal emulator, so that tests read
// the screen the person sees.
type sshScreen struct {
	t      testing.TB
	client *gossh.Client
	sess   *gossh.Session
	stdin  io.WriteCloser

	mu      sync.Mutex
	term    vt10x.Terminal
	raw     strings.Builder // everything received
	arrived *sync.Cond      // signalled at every read, on mu
	done    chan struct{}
}

// noKey is a client with no key at all: keyboard-interactive, no question.
func noKey() []gossh.AuthMethod {
	return []gossh.AuthMethod{gossh.KeyboardInteractive(func(string, string, []string, []bool) ([]string, error) {
		return nil, nil
	})}
}

// withKey authenticates with signer first, then falls back to no key.
func withKey(signer gossh.Signer) []gossh.AuthMethod {
	return append([]gossh.AuthMethod{gossh.PublicKeys(signer)}, noKey()...)
}

func newSigner(t testing.TB) gossh.Signer {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func dialSSH(t testing.TB, addr string, auth []gossh.AuthMethod) (*gossh.Client, error) {
	t.Helper()
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: "anyone", Auth: auth, Timeout: 10 * time.Second,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), // the host key test checks the fingerprint itself
	})
}

// openScreen connects and opens the application at w×h, in lang.
func openScreen(t testing.TB, addr string, auth []gossh.AuthMethod, w, h int, lang string) *sshScreen {
	t.Helper()
	client, err := dialSSH(t, addr, auth)
	if err != nil {
		t.Fatalf("ssh dial: %v", err)
	}
	s := &sshScreen{t: t, client: client, term: vt10x.New(vt10x.WithSize(w, h)), done: make(chan struct{})}
	s.arrived = sync.NewCond(&s.mu)
	t.Cleanup(s.close)
	s.sess, err = client.NewSession()
	if err != nil {
		t.Fatalf("ssh session: %v", err)
	}
	if lang != "" {
		_ = s.sess.Setenv("LANG", lang)
	}
	if err := s.sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{gossh.ECHO: 0}); err != nil {
		t.Fatalf("pty: %v", err)
	}
	if s.stdin, err = s.sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := s.sess.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	go s.read(out)
	if err := s.sess.Shell(); err != nil {
		t.Fatalf("shell: %v", err)
	}
	return s
}

func (s *sshScreen) read(r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		s.mu.Lock()
		if n > 0 {
			_, _ = s.term.Write(buf[:n])
			s.raw.Write(buf[:n])
		}
		if err != nil {
			close(s.done) // under mu: a waiter sees it or is woken
		}
		s.arrived.Broadcast()
		s.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// text is the screen as the person sees it now.
func (s *sshScreen) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.term.String()
}

// waitFor waits until the screen shows every one of want.
func (s *sshScreen) waitFor(timeout time.Duration, want ...string) string {
	s.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		screen := s.text()
		missing := ""
		for _, w := range want {
			if !strings.Contains(screen, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return screen
		}
		if time.Now().After(deadline) {
			s.mu.Lock()
			raw := s.raw.String()
			s.mu.Unlock()
			if len(raw) > 2000 {
				raw = raw[len(raw)-2000:]
			}
			s.t.Fatalf("after %v the screen does not show %q:\n%s\n(last bytes received: %q)", timeout, missing, screen, raw)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// shows polls the screen for want until timeout, without failing: for
// screens driven from goroutines.
func (s *sshScreen) shows(timeout time.Duration, want string) bool {
	deadline := time.Now().Add(timeout)
	for !strings.Contains(s.text(), want) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// waitShown waits until the screen shows want, woken by every read, and
// reports whether it did before the session ended: for measuring how soon
// a frame arrives.
func (s *sshScreen) waitShown(want string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for !strings.Contains(s.term.String(), want) {
		select {
		case <-s.done:
			return false
		default:
		}
		s.arrived.Wait()
	}
	return true
}

// received is everything the server sent, escapes included.
func (s *sshScreen) received() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.raw.String()
}

// send types keys (raw bytes: "\r" is enter, "\t" tab, "\x1b" esc).
func (s *sshScreen) send(keys string) {
	s.t.Helper()
	if _, err := io.WriteString(s.stdin, keys); err != nil {
		s.t.Fatalf("typing %q: %v", keys, err)
	}
}

// login types a user name and password on the log-in screen.
func (s *sshScreen) login(user, password string) {
	s.t.Helper()
	s.waitFor(10*time.Second, "Mot de passe")
	s.send(user + "\t")
	s.send(password + "\r")
}

func (s *sshScreen) resize(w, h int) {
	s.t.Helper()
	s.mu.Lock()
	s.term.Resize(w, h)
	s.mu.Unlock()
	if err := s.sess.WindowChange(h, w); err != nil {
		s.t.Fatalf("window change: %v", err)
	}
}

// ended reports whether the server closed the session.
func (s *sshScreen) ended(timeout time.Duration) bool {
	select {
	case <-s.done:
		return true
	case <-time.After(timeout):
		return false
	}
}

func (s *sshScreen) close() {
	if s.sess != nil {
		_ = s.sess.Close()
	}
	_ = s.client.Close()
}

// freeAddr is a loopback address nobody listens on yet.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
