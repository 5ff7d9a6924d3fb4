package serve

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	bm "github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"scolarite/ui"
)

// jobsGrace is how long a closed connection's background work (an
// import's undo, an export's clean-up) may take before the session gives
// up waiting for it.
const jobsGrace = 6 * time.Minute

// session runs the application for one SSH session.
func (s *Server) session(sess ssh.Session) {
	s.sessions.Add(1)
	defer s.sessions.Done()
	remote := remoteHost(sess.RemoteAddr())
	log := s.log.With("remote", remote, "conn", s.seq.Add(1))
	pty, winch, ok := sess.Pty()
	if !ok || len(sess.RawCommand()) > 0 {
		// No command runs here, and the application needs a terminal.
		fmt.Fprint(sess.Stderr(), "scolarite: this server only shows the application: connect with a terminal and no command, for example: ssh -t -p 2222 host\r\n")
		_ = sess.Exit(1)
		return
	}
	start := time.Now()
	key := usedKey(sess)
	log.Info("connection opened", "ssh_user", sess.User(), "key", key, "term", pty.Term)

	// The screens' work is cancelled when the connection closes: an
	// import being written undoes itself rather than stop halfway.
	jobsCtx, cancelJobs := context.WithCancel(sess.Context())
	defer cancelJobs()
	common := s.common(jobsCtx, sess, pty.Term, key, log)
	p := tea.NewProgram(guard{m: ui.New(common), log: log}, append(bm.MakeOptions(sess),
		tea.WithAltScreen(), tea.WithMouseCellMotion(),
		tea.WithEnvironment(append(sess.Environ(), "TERM="+pty.Term)),
		// The server's signals are the server's: SIGTERM stops it in order
		// (shutdown), not each program on its own.
		tea.WithoutSignalHandler(),
		tea.WithFilter(noSuspend))...)
	s.track(p, true)
	defer s.track(p, false)

	go func() {
		for {
			select {
			case <-sess.Context().Done():
				p.Quit() // the client went away
				return
			case w := <-winch:
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	maxed := time.AfterFunc(s.cfg.MaxSession, func() { p.Send(ui.ShutdownMsg{Reason: ui.ShutdownMaxTime}) })
	defer maxed.Stop()

	final, err := p.Run()
	if err != nil && sess.Context().Err() == nil {
		log.Error("application ended with an error", "err", err)
	}
	if g, ok := final.(guard); ok {
		if m, ok := g.model().(*ui.Model); ok && m.Goodbye() != "" {
			fmt.Fprintf(sess, "%s\r\n", m.Goodbye())
		}
	}
	_ = sess.Exit(0)
	cancelJobs()
	if !common.WaitJobs(jobsGrace) {
		log.Error("connection closed with background work still running")
	}
	log.Info("connection closed", "duration", time.Since(start).Round(time.Second))
	// One session per connection: its end is the connection's, whatever
	// the client does, so that stopping never waits on an idle client.
	if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
		_ = conn.Close()
	}
}

// common is one connection's share of the application: its own renderer
// and styles (the client's terminal, not the server's), language, clock,
// session and log.
func (s *Server) common(ctx context.Context, sess ssh.Session, term, key string, log *slog.Logger) *ui.Common {
	lang, chosen := ui.LangFromEnv(envOf(sess.Environ()))
	c := &ui.Common{
		Ctx:           ctx,
		Students:      s.deps.Students,
		Curricula:     s.deps.Curricula,
		Results:       s.deps.Results,
		Auth:          originAuth{Auth: s.deps.Auth, origin: remoteHost(sess.RemoteAddr())},
		Tokens:        keyLogin{ctx: ctx, auth: s.deps.Auth, fingerprint: key},
		Log:           log,
		Styles:        ui.NewStyles(renderer(sess, term)),
		T:             ui.NewTranslator(lang),
		LangChosen:    chosen,
		Notifications: s.deps.Notifications,
		Ages:          s.deps.Ages,
		Imports:       s.deps.Imports,
		DemoLogins:    s.deps.DemoLogins,
		Recheck:       s.cfg.Recheck,
		IdleLogout:    s.cfg.IdleLogout,
	}
	if s.hub != nil {
		c.Feed = s.hub
	}
	return c
}

// noSuspend drops ctrl+z: Bubble Tea v1 would suspend the process, which
// here is the whole server.
func noSuspend(_ tea.Model, msg tea.Msg) tea.Msg {
	switch m := msg.(type) {
	case tea.SuspendMsg:
		return nil
	case tea.KeyMsg:
		if m.Type == tea.KeyCtrlZ {
			return nil
		}
	}
	return msg
}

// envOf reads a client's environment as a lookup.
func envOf(environ []string) func(string) string {
	return func(name string) string {
		for _, kv := range environ {
			if len(kv) > len(name) && kv[len(name)] == '=' && kv[:len(name)] == name {
				return kv[len(name)+1:]
			}
		}
		return ""
	}
}
