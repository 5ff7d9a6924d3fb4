package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

// tab is a top-level screen a role may see.
type tab int

const (
	tabStudents tab = iota
	tabStats
	tabUsers
	tabMyGrades
	tabNotifications
)

func (t tab) title(tr *Translator) string {
	return tr.T([...]string{"tab.students", "tab.stats", "tab.users", "tab.mygrades", "tab.notifications"}[t])
}

// tabsFor lists the top-level screens of a role, in tab order.
func tabsFor(r domain.Role) []tab {
	switch r {
	case domain.RoleAdmin:
		return []tab{tabStudents, tabStats, tabUsers, tabNotifications}
	case domain.RoleTeacher:
		return []tab{tabStudents, tabStats}
	case domain.RoleStudent:
		return []tab{tabMyGrades}
	}
	return nil
}

// Model is the root: it owns the session, the active screen and the
// status line, and routes messages. Size goes to every screen; everything
// else to the active one.
type Model struct {
	c       *Common
	keys    globalKeys
	help    help.Model
	login   *domain.Login
	tabs    []tab
	active  int
	screen  screen
	stack   []screen // screens under a sub-screen (detail, form)
	status  statusMsg
	full    bool // help overlay shown
	confirm bool // "quit anyway?" asked
	// stopping: quitting waits for the screen's work to stop (keys are
	// ignored meanwhile).
	stopping bool
}

// New returns the root model; it starts on the log-in screen, which first
// tries the saved session.
func New(c *Common) *Model {
	h := help.New()
	h.Styles.ShortKey = c.Styles.Help.Bold(true)
	h.Styles.ShortDesc = c.Styles.Help
	h.Styles.FullKey = c.Styles.Help.Bold(true)
	h.Styles.FullDesc = c.Styles.Help
	guard(c) // no stored text may drive the terminal (safe.go)
	m := &Model{c: c, keys: newGlobalKeys(c.T), help: h}
	m.screen = newLogin(c)
	return m
}

func (m *Model) Init() tea.Cmd { return m.screen.Init() }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.resize()
		return m, nil
	case tea.KeyMsg:
		if cmd, done := m.handleKey(msg); done {
			return m, cmd
		}
	case loggedInMsg:
		return m, m.open(msg)
	case openStudentMsg:
		return m, m.push(newDetail(m.c, msg.ref))
	case openFormMsg:
		return m, m.push(newForm(m.c, msg.student))
	case openScreenMsg:
		return m, m.push(msg.screen)
	case backMsg:
		return m, m.pop()
	case statusMsg:
		m.status = msg
		return m, nil
	case errMsg:
		m.c.Log.Error("operation failed", "err", msg.err)
		if domain.ErrorCode(msg.err) == domain.EUNAUTHORIZED && m.login != nil {
			// The session ended under us (revoked, expired): back to log-in,
			// saying why after logout's own "logged out".
			return m, tea.Sequence(m.logout(), status(statusError, ErrorText(m.c.T, msg.err)))
		}
		m.status = statusMsg{text: ErrorText(m.c.T, msg.err), kind: statusError}
		return m, nil
	case changeMsg:
		// Re-arm the feed and let the active screen refresh; screens under
		// it reload when they come back (pop).
		var cmd tea.Cmd
		m.screen, cmd = m.screen.Update(msg)
		return m, tea.Batch(waitForChange(msg.feed), cmd)
	case logoutMsg:
		return m, m.logout()
	}
	var cmd tea.Cmd
	m.screen, cmd = m.screen.Update(msg)
	return m, cmd
}

// logoutMsg ends the session (from the log-in screen's resume failure too).
type logoutMsg struct{}

func (m *Model) handleKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	if m.stopping { // bounded: an import's undo gives up after 5 minutes
		return nil, true
	}
	if m.confirm {
		m.confirm = false
		if isYes(m.c.T, msg) {
			return m.quitNow(), true
		}
		return nil, true
	}
	if key.Matches(msg, m.keys.ForceQuit) {
		return m.quit(), true
	}
	if m.login != nil && key.Matches(msg, m.keys.Logout) {
		if wait := m.stopWork(); wait != nil {
			return tea.Sequence(wait, func() tea.Msg { return logoutMsg{} }), true
		}
		return m.logout(), true
	}
	if m.screen.Capturing() {
		return nil, false
	}
	switch {
	case m.full && (key.Matches(msg, m.keys.Help) || msg.String() == "esc"):
		m.full = false
	case key.Matches(msg, m.keys.Help):
		m.full = true
	case key.Matches(msg, m.keys.Quit):
		return m.quit(), true
	case m.login != nil && len(m.stack) == 0 && key.Matches(msg, m.keys.Next):
		return m.switchTab(1), true
	case m.login != nil && len(m.stack) == 0 && key.Matches(msg, m.keys.Prev):
		return m.switchTab(-1), true
	default:
		return nil, false
	}
	return nil, true
}

func (m *Model) quit() tea.Cmd {
	if m.screen.Dirty() {
		m.confirm = true
		return nil
	}
	return tea.Quit
}

// quitNow ends the program once the screen's background work stopped.
func (m *Model) quitNow() tea.Cmd {
	if wait := m.stopWork(); wait != nil {
		return tea.Sequence(wait, tea.Quit)
	}
	return tea.Quit
}

// stopWork stops the screen's background work (a running import undoes
// what it wrote) and returns the command that waits for it, or nil when
// nothing runs. Keys are ignored meanwhile.
func (m *Model) stopWork() tea.Cmd {
	s, ok := m.screen.(stopper)
	if !ok {
		return nil
	}
	wait := s.Stop()
	m.stopping = wait != nil
	return wait
}

func (m *Model) open(msg loggedInMsg) tea.Cmd {
	m.login = msg.login
	m.c.Actor = msg.login.Actor
	m.tabs = tabsFor(msg.login.Actor.Role)
	if m.c.Notifications == nil {
		m.tabs = slices.DeleteFunc(m.tabs, func(t tab) bool { return t == tabNotifications })
	}
	m.active, m.stack = 0, nil
	text := m.c.T.T("login.welcome", msg.login.User.Username)
	if msg.resumed {
		text = m.c.T.T("login.resumed", msg.login.User.Username)
	}
	m.status = statusMsg{text: text, kind: statusSuccess}
	if msg.unsaved {
		m.status = statusMsg{text: m.c.T.T("login.tokenfail"), kind: statusWarning}
	}
	cmds := []tea.Cmd{m.setScreen(m.newTab(m.tabs[0]))}
	if m.c.Feed != nil {
		cmds = append(cmds, subscribe(m.c))
	}
	return tea.Batch(cmds...)
}

func (m *Model) newTab(t tab) screen {
	switch t {
	case tabStats:
		return newStats(m.c)
	case tabUsers:
		return newUsers(m.c)
	case tabMyGrades:
		return newMyGrades(m.c)
	case tabNotifications:
		return newNotifications(m.c)
	}
	return newStudents(m.c)
}

func (m *Model) switchTab(delta int) tea.Cmd {
	if len(m.tabs) < 2 {
		return nil
	}
	m.active = (m.active + delta + len(m.tabs)) % len(m.tabs)
	return m.setScreen(m.newTab(m.tabs[m.active]))
}

func (m *Model) setScreen(s screen) tea.Cmd {
	m.screen = s
	m.resize()
	m.offerTabs()
	return s.Init()
}

// offerTabs enables tab / shift+tab only where they move: for a role with
// several top-level screens, on one of them (not in a detail or a form).
// Disabled, the help line and overlay do not offer them.
func (m *Model) offerTabs() {
	on := len(m.tabs) > 1 && len(m.stack) == 0
	m.keys.Next.SetEnabled(on)
	m.keys.Prev.SetEnabled(on)
}

func (m *Model) push(s screen) tea.Cmd {
	m.stack = append(m.stack, m.screen)
	return m.setScreen(s)
}

func (m *Model) pop() tea.Cmd {
	if len(m.stack) == 0 {
		return nil
	}
	m.screen = m.stack[len(m.stack)-1]
	m.stack = m.stack[:len(m.stack)-1]
	m.resize()
	m.offerTabs()
	// Always reload what comes back: it may have missed changes from the
	// feed or from the sub-screen while it was hidden.
	return m.screen.Init()
}

func (m *Model) logout() tea.Cmd {
	m.stopping = false
	login := m.login
	m.login, m.c.Actor, m.tabs, m.stack = nil, domain.Actor{}, nil, nil
	m.setScreen(newLoginAfterLogout(m.c))
	c := m.c
	return func() tea.Msg {
		if login != nil {
			if err := c.Auth.Logout(c.Ctx, login.Token); err != nil {
				c.Log.Warn("logout", "err", err)
			}
		}
		if err := c.Tokens.Clear(); err != nil {
			c.Log.Warn("clear session file", "err", err)
		}
		return statusMsg{text: c.T.T("logged.out"), kind: statusInfo}
	}
}

// chrome is the height taken by the header, status line and help line.
const chrome = 3

func (m *Model) resize() {
	m.screen.SetSize(m.c.Width, max(1, m.c.Height-chrome))
}

func (m *Model) View() string {
	body := m.screen.View()
	if m.full {
		body = m.helpOverlay()
	}
	body = lipgloss.NewStyle().Height(max(1, m.c.Height-chrome)).MaxHeight(max(1, m.c.Height-chrome)).Render(body)
	return lipgloss.JoinVertical(lipgloss.Left, m.header(), body, m.statusLine(), m.footer())
}

func (m *Model) header() string {
	s := m.c.Styles
	parts := []string{s.Title.Render(m.c.T.T("app.title"))}
	for i, t := range m.tabs {
		style := s.Tab
		if i == m.active && len(m.stack) == 0 {
			style = s.ActiveTab
		}
		parts = append(parts, style.Render(t.title(m.c.T)))
	}
	left := strings.Join(parts, " ")
	right := ""
	if m.login != nil {
		right = m.login.User.Username + " · " + m.c.T.T("role."+string(m.login.User.Role))
		if lipgloss.Width(left)+lipgloss.Width(right)+1 > m.c.Width {
			right = m.login.User.Username // narrow terminal: the name says enough
		}
		right = s.User.Render(right)
	}
	gap := max(1, m.c.Width-lipgloss.Width(left)-lipgloss.Width(right))
	return fit(left+strings.Repeat(" ", gap)+right, m.c.Width, false)
}

func (m *Model) statusLine() string {
	s := m.c.Styles
	if m.confirm {
		return s.Warning.Render(fit(m.c.T.T("quit.confirm"), m.c.Width, false))
	}
	if m.stopping {
		return s.Warning.Render(fit(m.c.T.T("quit.stopping"), m.c.Width, false))
	}
	style := [...]lipgloss.Style{s.Info, s.Success, s.Warning, s.Error}[m.status.kind]
	return style.Render(fit(m.status.text, m.c.Width, false))
}

func (m *Model) footer() string {
	// The help key comes first so that it survives a narrow terminal.
	keys := append([]key.Binding{m.keys.Help}, m.screen.ShortHelp()...)
	keys = append(keys, m.keys.Next, m.keys.Quit)
	if m.login == nil || m.screen.Capturing() {
		keys = append(m.screen.ShortHelp(), m.keys.ForceQuit)
	}
	return fit(m.help.ShortHelpView(keys), m.c.Width, false)
}

func (m *Model) helpOverlay() string {
	s := m.c.Styles
	full := m.help
	full.ShowAll = true
	body := s.Title.Render(m.c.T.T("help.title")) + "\n\n" + full.FullHelpView(m.screen.FullHelp()) +
		"\n\n" + s.Title.Render(m.c.T.T("help.global")) + "\n\n" + full.FullHelpView(m.keys.FullHelp()) +
		"\n\n" + s.Muted.Render(m.c.T.T("help.close"))
	return s.Box.Render(body)
}

// subscribe starts the change feed; waitForChange reads one change and the
// root re-arms it (bubbletea's realtime pattern).
func subscribe(c *Common) tea.Cmd {
	return func() tea.Msg {
		ch, err := c.Feed.Subscribe(c.Ctx)
		if err != nil {
			c.Log.Warn("change feed unavailable", "err", err)
			return nil // the screens still show what they load
		}
		return waitForChange(ch)()
	}
}

func waitForChange(ch <-chan domain.Change) tea.Cmd {
	return func() tea.Msg {
		change, ok := <-ch
		if !ok {
			return nil
		}
		return changeMsg{change: change, feed: ch}
	}
}
