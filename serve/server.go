// Package serve serves the full-screen application over SSH: one process
// holds the back-ends and the credentials, and every person reaches it with
// nothing but an SSH client. Authentication stays the application's: the
// SSH layer only tells it which registered key, if any, the client proved
// it holds. Each connection gets its own program, renderer, styles,
// language and session; the server shares only the domain services and
// one subscription to the change feed.
package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"scolarite/domain"
	"scolarite/ui"
)

// Config is how the server runs; zero values take the defaults below.
type Config struct {
	Listen        string        // address to listen on (":2222")
	HostKeyPath   string        // ed25519 host key, created on first start
	MaxConns      int           // connections open at once (200)
	MaxPerAddress int           // of them from one remote address (20)
	IdleLogout    time.Duration // log out after this long without a key (15 min)
	MaxSession    time.Duration // end a connection after this long (12 h)
	Recheck       time.Duration // how often an open session is checked again (2 s)
	// ShutdownGrace bounds how long stopping waits for the screens to end
	// their work (an import's undo) before connections are cut (1 min).
	ShutdownGrace time.Duration
}

// Defaults.
const (
	DefaultListen        = ":2222"
	DefaultMaxConns      = 200
	DefaultMaxPerAddress = 20
	DefaultIdleLogout    = 15 * time.Minute
	DefaultMaxSession    = 12 * time.Hour
	defaultRecheck       = 2 * time.Second
	defaultShutdownGrace = time.Minute
	// maxAuthTries lets a client whose agent holds many keys reach the
	// registered one (each refused key is a try) or keyboard-interactive.
	maxAuthTries = 30
)

func (c *Config) defaults() {
	orDefault(&c.Listen, DefaultListen)
	orDefault(&c.MaxConns, DefaultMaxConns)
	orDefault(&c.MaxPerAddress, DefaultMaxPerAddress)
	orDefault(&c.IdleLogout, DefaultIdleLogout)
	orDefault(&c.MaxSession, DefaultMaxSession)
	orDefault(&c.Recheck, defaultRecheck)
	orDefault(&c.ShutdownGrace, defaultShutdownGrace)
}

// orDefault sets a zero setting to its default.
func orDefault[T comparable](v *T, def T) {
	var zero T
	if *v == zero {
		*v = def
	}
}

// Auth is what serving needs of the auth service: what the screens need,
// plus log-in by key and the per-address limit.
type Auth interface {
	ui.Auth
	// LoginFrom is Login, also counted against the remote address.
	LoginFrom(ctx context.Context, origin, username, password string) (*domain.Login, error)
	// LoginWithKey opens the session of the user who registered the key.
	LoginWithKey(ctx context.Context, fingerprint string) (*domain.Login, error)
	// KeyAllowed reports whether an enabled user registered the key.
	KeyAllowed(ctx context.Context, fingerprint string) (bool, error)
}

// Deps are the services every connection's screens call.
type Deps struct {
	Students      ui.Students
	Curricula     ui.Curricula
	Results       ui.Results // nil: no deliberation screen
	Auth          Auth
	Feed          Subscriber       // nil: no live updates
	Notifications ui.Notifications // nil: no notification screens
	Ages          domain.AgeReports
	Imports       domain.ImportJournal // nil: imports not journalled
	Log           *slog.Logger
	DemoLogins    []string // "user / password", shown on a demo store's log-in screen
}

// Server is one SSH server of the application.
type Server struct {
	cfg         Config
	deps        Deps
	log         *slog.Logger
	hub         *hub
	limits      *connLimits
	sshd        *ssh.Server
	fingerprint string

	mu       sync.Mutex
	programs map[*tea.Program]struct{}
	sessions sync.WaitGroup
	seq      atomic.Int64 // numbers the connections in the log
}

// New builds a server; its host key is loaded (or created) now.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg.defaults()
	signer, fp, err := HostKey(cfg.HostKeyPath)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, deps: deps, log: deps.Log, fingerprint: fp,
		limits: newConnLimits(cfg.MaxConns, cfg.MaxPerAddress), programs: map[*tea.Program]struct{}{}}
	if deps.Feed != nil {
		s.hub = newHub(deps.Feed, deps.Log)
	}
	s.sshd = &ssh.Server{
		Addr:                       cfg.Listen,
		Handler:                    s.recoverPanics(s.session),
		PublicKeyHandler:           s.allowKey,
		KeyboardInteractiveHandler: allowWithoutQuestion,
		ConnCallback:               s.admit,
		ChannelHandlers:            map[string]ssh.ChannelHandler{"session": oneSessionPerConn},
		ServerConfigCallback: func(ssh.Context) *gossh.ServerConfig {
			return &gossh.ServerConfig{MaxAuthTries: maxAuthTries}
		},
		ConnectionFailedCallback: func(conn net.Conn, err error) {
			s.log.Debug("ssh handshake failed", "remote", remoteHost(conn.RemoteAddr()), "err", err)
		},
		// No transport idle timeout: it would cut a connection without a
		// word. An idle session is logged out by the application, and
		// MaxSession ends any connection, saying why, a minute before this.
		MaxTimeout: cfg.MaxSession + time.Minute,
	}
	s.sshd.AddHostKey(signer)
	return s, nil
}

// Fingerprint is the host key's SHA-256 fingerprint.
func (s *Server) Fingerprint() string { return s.fingerprint }

// ListenAndServe listens on Config.Listen and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves connections from ln until ctx ends, then stops in order:
// every open screen is told the server stops and ends its work, the
// connections close, and Serve returns (the caller then stops the
// background workers and the back-ends).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hubCtx, stopHub := context.WithCancel(context.WithoutCancel(ctx))
	defer stopHub()
	if s.hub != nil {
		ready := make(chan struct{})
		go s.hub.run(hubCtx, ready)
		<-ready
	}
	s.log.Info("serving over SSH", "addr", ln.Addr().String(), "host_key", s.fingerprint)
	served := make(chan error, 1)
	go func() { served <- s.sshd.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("ssh server: %w", err)
	case <-ctx.Done():
	}
	return s.shutdown()
}

func (s *Server) shutdown() error {
	s.log.Info("stopping: telling every open screen")
	s.mu.Lock()
	open := len(s.programs)
	for p := range s.programs {
		go p.Send(ui.ShutdownMsg{Reason: ui.ShutdownServer})
	}
	s.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownGrace)
	defer cancel()
	err := s.sshd.Shutdown(ctx) // closes the listener, waits for the connections
	if errors.Is(err, context.DeadlineExceeded) {
		s.log.Warn("stopping: connections still open after the grace period; closing them", "grace", s.cfg.ShutdownGrace)
		err = s.sshd.Close()
	}
	s.sessions.Wait() // every session's background work has ended
	s.log.Info("stopped", "screens_told", open)
	if err != nil && !errors.Is(err, ssh.ErrServerClosed) {
		return fmt.Errorf("stop the ssh server: %w", err)
	}
	return nil
}

// admit applies the connection caps before the handshake.
func (s *Server) admit(ctx ssh.Context, conn net.Conn) net.Conn {
	limited, refusal := s.limits.admit(conn)
	if limited == nil {
		s.log.Warn("connection refused", "remote", remoteHost(conn.RemoteAddr()), "reason", refusal)
		refuse(conn, refusal)
		return nil
	}
	ctx.SetValue(sessionsKey, new(sessionCount))
	return limited
}

func (s *Server) track(p *tea.Program, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if on {
		s.programs[p] = struct{}{}
	} else {
		delete(s.programs, p)
	}
}

// Open is how many screens are open (for tests and logs).
func (s *Server) Open() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.programs)
}
