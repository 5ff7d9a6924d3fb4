package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
)

// The frame around every screen: the header (title, tabs, user), the
// status line, the help line and the help overlay.

func (m *Model) View() string {
	body := m.screen.View()
	if m.full {
		body = m.helpOverlay()
	}
	body = m.c.Styles.Plain.Height(max(1, m.c.Height-chrome)).MaxHeight(max(1, m.c.Height-chrome)).Render(body)
	return lipgloss.JoinVertical(lipgloss.Left, m.header(), body, m.statusLine(), m.footer())
}

func (m *Model) header() string {
	s := m.c.Styles
	right := ""
	if m.login != nil {
		right = m.login.User.Username + " · " + m.c.T.T("role."+string(m.login.User.Role))
		if lipgloss.Width(m.headerLeft(len(m.tabs)))+lipgloss.Width(right)+1 > m.c.Width {
			right = m.login.User.Username // narrow terminal: the name says enough
		}
		right = s.User.Render(right)
	}
	// Tabs that do not fit are left out, farthest from the active one
	// first, so that the user's name always shows.
	left := m.headerLeft(len(m.tabs))
	for n := len(m.tabs) - 1; n > 0 && lipgloss.Width(left)+lipgloss.Width(right)+1 > m.c.Width; n-- {
		left = m.headerLeft(n)
	}
	gap := max(1, m.c.Width-lipgloss.Width(left)-lipgloss.Width(right))
	return fit(left+strings.Repeat(" ", gap)+right, m.c.Width, false)
}

// headerLeft is the title and n of the tabs: a window around the active
// one, "…" marking the tabs left out on either side.
func (m *Model) headerLeft(n int) string {
	s := m.c.Styles
	active := min(m.active, max(len(m.tabs)-1, 0))
	from := max(0, min(active-n/2, len(m.tabs)-n))
	to := min(len(m.tabs), from+n)
	parts := []string{s.Title.Render(m.c.T.T("app.title"))}
	if from > 0 {
		parts = append(parts, s.Tab.Render("…"))
	}
	for i := from; i < to; i++ {
		style := s.Tab
		if i == m.active && len(m.stack) == 0 {
			style = s.ActiveTab
		}
		parts = append(parts, style.Render(m.tabs[i].title(m.c.T)))
	}
	if to < len(m.tabs) {
		parts = append(parts, s.Tab.Render("…"))
	}
	return strings.Join(parts, " ")
}

func (m *Model) statusLine() string {
	s := m.c.Styles
	if m.confirm {
		return s.Warning.Render(fit(m.c.T.T("quit.confirm"), m.c.Width, false))
	}
	if m.stopping && m.shutdown == 0 {
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
	global := m.keys.FullHelp()
	if m.screen.Capturing() {
		global = m.keys.capturedHelp(m.login != nil)
	}
	body := s.Title.Render(m.c.T.T("help.title")) + "\n\n" + full.FullHelpView(m.screen.FullHelp()) +
		"\n\n" + s.Title.Render(m.c.T.T("help.global")) + "\n\n" + full.FullHelpView(global) +
		"\n\n" + s.Muted.Render(m.c.T.T("help.close"))
	return s.Box.Render(body)
}
