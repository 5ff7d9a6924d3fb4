package ui

import (
	"log/slog"
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

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
	tabGradeSheet
	tabCurricula
	tabDeliberation
)

func (t tab) title(tr *Translator) string {
	return tr.T([...]string{"tab.students", "tab.stats", "tab.users", "tab.mygrades", "tab.notifications", "tab.gradesheet", "tab.curricula", "tab.deliberation"}[t])
}

// tabsFor lists the top-level screens of a role, in tab order.
func tabsFor(r domain.Role) []tab {
	switch r {
	case domain.RoleAdmin:
		return []tab{tabStudents, tabGradeSheet, tabCurricula, tabDeliberation, tabStats, tabUsers, tabNotifications}
	case domain.RoleTeacher:
		return []tab{tabStudents, tabGradeSheet, tabDeliberation, tabStats}
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
	// watchGen numbers the session being watched; lastInput is its last
	// key press or mouse event (session_watch.go).
	watchGen  int
	lastInput time.Time
	// shutdown is why the program is being ended from outside.
	shutdown ShutdownReason
	// baseLog and baseLang are the program's before anyone logs in: the
	// log gains the user's name and the screens their language at log-in.
	baseLog  *slog.Logger
	baseLang Lang
}

// useLang switches the screens built from now on, and the root's keys, to
// lang.
func (m *Model) useLang(lang Lang) {
	if m.c.T.Lang() == lang {
		return
	}
	m.c.T = NewTranslator(lang)
	m.keys = newGlobalKeys(m.c.T)
	m.offerTabs()
}

// New returns the root model; it starts on the log-in screen, which first
// tries the saved session.
func New(c *Common) *Model {
	guard(c) // no stored text may drive the terminal (safe.go)
	m := &Model{c: c, keys: newGlobalKeys(c.T), help: newHelp(c.Styles), baseLog: c.Log, baseLang: c.T.Lang()}
	m.screen = newLogin(c)
	return m
}

// showHelpMsg opens the help overlay from a screen that takes every key
// (the grade sheet, where "?" is not typed in a cell).
type showHelpMsg struct{}

func (m *Model) Init() tea.Cmd { return m.screen.Init() }

func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.c.Width, m.c.Height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.resize()
		return m, nil
	case tea.MouseMsg:
		m.lastInput = m.c.now()
	case tea.KeyMsg:
		if keys := splitTyped(msg); keys != nil {
			return m, m.typeEach(keys)
		}
		m.lastInput = m.c.now()
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
	case showHelpMsg:
		m.full = true
		return m, nil
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
	case recheckMsg:
		return m, m.onRecheck(msg.gen)
	case sessionOKMsg:
		if msg.gen == m.watchGen {
			return m, m.nextRecheck()
		}
		return m, nil
	case sessionEndedMsg:
		if msg.gen != m.watchGen || m.login == nil {
			return m, nil
		}
		m.c.Log.Info("session ended elsewhere", "user", m.login.User.Username, "err", msg.err)
		return m, m.endSession(ErrorText(m.c.T, msg.err))
	case ShutdownMsg:
		m.shutdown = msg.Reason
		m.confirm = false
		m.status = statusMsg{text: m.c.T.T(msg.Reason.key()), kind: statusWarning}
		return m, m.quitNow()
	}
	var cmd tea.Cmd
	m.screen, cmd = m.screen.Update(msg)
	return m, cmd
}

// splitTyped cuts a burst of typed characters into one key press each.
// Bubble Tea reads what arrived together as one message ("/Awa"), and over
// SSH keys typed ahead often arrive together; every screen binds single
// keys, so "/" must come as its own press. A paste stays whole.
func splitTyped(msg tea.KeyMsg) []tea.KeyMsg {
	if msg.Type != tea.KeyRunes || msg.Paste || len(msg.Runes) < 2 {
		return nil
	}
	keys := make([]tea.KeyMsg, len(msg.Runes))
	for i, r := range msg.Runes {
		keys[i] = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt}
	}
	return keys
}

// typeEach handles key presses in order, as if typed one by one.
func (m *Model) typeEach(keys []tea.KeyMsg) tea.Cmd {
	cmds := make([]tea.Cmd, 0, len(keys))
	for _, k := range keys {
		_, cmd := m.Update(k)
		cmds = append(cmds, cmd)
	}
	return tea.Sequence(cmds...)
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
		if m.full { // opened by the screen (showHelpMsg): any key closes it
			m.full = false
			return nil, true
		}
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
	m.c.Log = m.baseLog.With("user", msg.login.User.Username)
	if !m.c.LangChosen && msg.login.User.Lang != "" {
		// The terminal did not choose: the user's saved preference.
		m.useLang(ParseLang(msg.login.User.Lang))
	}
	m.tabs = tabsFor(msg.login.Actor.Role)
	if m.c.Notifications == nil {
		m.tabs = slices.DeleteFunc(m.tabs, func(t tab) bool { return t == tabNotifications })
	}
	if m.c.Curricula == nil {
		m.tabs = slices.DeleteFunc(m.tabs, func(t tab) bool { return t == tabGradeSheet || t == tabCurricula })
	}
	if m.c.Curricula == nil || m.c.Results == nil {
		m.tabs = slices.DeleteFunc(m.tabs, func(t tab) bool { return t == tabDeliberation })
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
	cmds := []tea.Cmd{m.setScreen(m.newTab(m.tabs[0])), m.watchSession()}
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
	case tabGradeSheet:
		return newGradeSheet(m.c)
	case tabCurricula:
		return newCurriculum(m.c)
	case tabDeliberation:
		return newDeliberation(m.c)
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
	m.stopWatching()
	login := m.login
	m.login, m.c.Actor, m.tabs, m.stack = nil, domain.Actor{}, nil, nil
	m.c.Log = m.baseLog
	m.useLang(m.baseLang)
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
