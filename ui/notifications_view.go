package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
)

// The notifications log's drawing and help, and the few lines of "Mes
// notes" that list what was sent to the student.

func (m *notifications) cell(row, col int) string {
	n, t := m.list[row], m.c.T
	switch col {
	case 0:
		return n.CreatedAt.Local().Format(t.T("notif.when"))
	case 1:
		return t.T("channel." + n.Channel)
	case 2:
		return t.T("status." + n.Status)
	case 3:
		if n.Channel == "sms" {
			return m.c.phones().Display(n.Recipient)
		}
		return n.Recipient
	case 4:
		return n.Student
	}
	return oneLine(n.Subject)
}

func (m *notifications) filterName() string {
	if f := notifFilters[m.filter]; f != "" {
		return m.c.T.T("status." + f)
	}
	return m.c.T.T("notif.filter.all")
}

func (m *notifications) SetSize(w, h int) {
	m.width, m.height = w, h
	m.table.SetSize(w, max(2, h-4))
}

func (m *notifications) View() string {
	s, t := m.c.Styles, m.c.T
	if !m.loaded {
		return s.Muted.Render(t.T("loading"))
	}
	c := m.counts
	lines := []string{
		s.Title.Render(fit(t.T("notif.title", m.filterName(), len(m.list)), m.width, false)),
		s.Muted.Render(fit(t.T("notif.counts", c["pending"], c["sent"], c["failed"], c["skipped"]), m.width, false)),
	}
	if len(m.list) == 0 {
		return strings.Join(append(lines, "", s.Muted.Render(t.T("notif.none"))), "\n")
	}
	lines = append(lines, m.table.View(s))
	// The selected record in full: its message, and why it failed.
	sel := m.selected()
	lines = append(lines, fit(t.T("notif.subject", oneLine(sel.Subject)), m.width, false))
	switch {
	case sel.Status == "skipped":
		lines = append(lines, s.Muted.Render(fit(t.T("notif.skip."+sel.Channel), m.width, false)))
	case sel.LastError != "" && sel.Status != "sent":
		style := s.Warning
		if sel.Status == "failed" {
			style = s.Error
		}
		line := t.T("notif.error", sel.Attempts, oneLine(sel.LastError))
		if sel.Status == "pending" {
			line = t.T("notif.next", sel.NextAt.Local().Format(t.T("notif.when"))) + " · " + line
		}
		lines = append(lines, style.Render(fit(line, m.width, false)))
	}
	return strings.Join(lines, "\n")
}

func (m *notifications) Capturing() bool { return false }
func (m *notifications) Dirty() bool     { return false }

func (m *notifications) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Filter, m.keys.Retry, m.keys.Reload}
}

func (m *notifications) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Filter, m.keys.Retry, m.keys.Reload}, m.keys.list.bindings()}
}

// oneLine keeps the first line of a message.
func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	return s
}

// myNotices is what "Mes notes" shows of the messages sent to the
// student: the newest few, one line each.
const myNoticesShown = 3

// loadMyNotices reads the student's messages; nil when notifications are
// not available (the screen then shows nothing of them).
func loadMyNotices(c *Common) []NotificationRow {
	if c.Notifications == nil {
		return nil
	}
	rows, err := c.Notifications.Mine(c.Ctx, c.Actor, myNoticesShown)
	if err != nil {
		c.Log.Warn("notifications of the student", "err", err)
		return nil
	}
	return rows
}

// myNoticesLines draws them under the grades.
func myNoticesLines(c *Common, rows []NotificationRow, width int) []string {
	if len(rows) == 0 {
		return nil
	}
	s, t := c.Styles, c.T
	lines := []string{s.Bold.Render(fit(t.T("notif.mine.title"), width, false))}
	for _, r := range rows[:min(len(rows), myNoticesShown)] {
		state := t.T("notif.mine.sent", r.SentAt.Local().Format(t.T("notif.when")))
		if r.Status != "sent" {
			state = t.T("notif.mine." + r.Status)
		}
		what := t.T("notif.mine.subjmail", oneLine(r.Subject))
		if r.Channel == "sms" {
			what = t.T("notif.mine.subjsms", oneLine(r.Subject))
		}
		lines = append(lines, fit("• "+state+" · "+what, width, false))
	}
	return lines
}
