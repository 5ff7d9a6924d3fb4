package ui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var sessionText = map[string]text{
	"session.idle":     {"Déconnecté après %d minute(s) sans activité.", "Logged out after %d minute(s) without activity."},
	"shutdown.server":  {"Le serveur s'arrête pour maintenance ; ce qui était enregistré est conservé. Reconnectez-vous dans un instant.", "The server is stopping for maintenance; what was saved is kept. Connect again in a moment."},
	"shutdown.maxtime": {"Durée maximale de connexion atteinte ; reconnectez-vous.", "Maximum connection time reached; please connect again."},
}

// ShutdownReason says why the program is ended from outside.
type ShutdownReason int

const (
	ShutdownServer  ShutdownReason = iota + 1 // the server stops
	ShutdownMaxTime                           // the connection reached its maximum length
)

func (r ShutdownReason) key() string {
	if r == ShutdownMaxTime {
		return "shutdown.maxtime"
	}
	return "shutdown.server"
}

// ShutdownMsg ends the program from outside: the screen's work is stopped
// (an import undoes what it wrote), then the program quits. Goodbye then
// returns the reason, for the caller to print once the screen is gone.
type ShutdownMsg struct{ Reason ShutdownReason }

// recheckMsg is the watch's tick; sessionEndedMsg says the session was
// ended elsewhere (revoked, key removed, account disabled). gen drops the
// ticks of a session already closed.
type (
	recheckMsg      struct{ gen int }
	sessionOKMsg    struct{ gen int }
	sessionEndedMsg struct {
		gen int
		err error
	}
)

// watchSession starts watching a new session: every Common.Recheck the
// session is read again, so that an administrator's revocation, a removed
// SSH key or a disabled account ends it within seconds, and an idle one
// (Common.IdleLogout) is logged out.
func (m *Model) watchSession() tea.Cmd {
	m.watchGen++
	m.lastInput = m.c.now()
	return m.nextRecheck()
}

// stopWatching makes the pending tick of the closed session a no-op.
func (m *Model) stopWatching() { m.watchGen++ }

func (m *Model) nextRecheck() tea.Cmd {
	if m.c.Recheck <= 0 {
		return nil
	}
	gen := m.watchGen
	return tea.Tick(m.c.Recheck, func(time.Time) tea.Msg { return recheckMsg{gen: gen} })
}

func (m *Model) onRecheck(gen int) tea.Cmd {
	if gen != m.watchGen || m.login == nil {
		return nil
	}
	if idle := m.c.IdleLogout; idle > 0 && m.c.now().Sub(m.lastInput) >= idle && !m.stopping {
		reason := m.c.T.T("session.idle", int(max(time.Minute, idle).Round(time.Minute)/time.Minute))
		m.c.Log.Info("idle session logged out", "user", m.login.User.Username, "idle", idle)
		return m.endSession(reason)
	}
	c, token := m.c, m.login.Token
	return func() tea.Msg {
		_, err := c.Auth.Resume(c.Ctx, token)
		switch domain.ErrorCode(err) {
		case "":
		case domain.EUNAUTHORIZED, domain.EDISABLED:
			return sessionEndedMsg{gen: gen, err: err}
		default:
			// A back-end outage is not a revocation: keep the screen,
			// check again at the next tick.
			c.Log.Warn("session not rechecked", "err", err)
		}
		return sessionOKMsg{gen: gen}
	}
}

// endSession logs out (letting the screen's work stop first) and then says
// why.
func (m *Model) endSession(reason string) tea.Cmd {
	say := status(statusError, reason)
	if wait := m.stopWork(); wait != nil {
		return tea.Sequence(wait, func() tea.Msg { return logoutMsg{} }, say)
	}
	return tea.Sequence(m.logout(), say)
}

// Goodbye is why the program ended from outside ("" when the user quit).
func (m *Model) Goodbye() string {
	if m.shutdown == 0 {
		return ""
	}
	return m.c.T.T(m.shutdown.key())
}

func (c *Common) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}
