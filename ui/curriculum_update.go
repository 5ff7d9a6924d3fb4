package ui

import (
	"errors"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

func (m *curriculumScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case curListMsg:
		if msg.from != m || msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.err = curError(m.c.T, msg.err)
			return m, nil
		}
		m.list = msg.list
		m.pick = min(m.pick, max(len(m.list)-1, 0))
		return m, nil
	case curUsersMsg:
		if msg.from == m {
			m.users = msg.users
		}
		return m, nil
	case curSavedMsg:
		if msg.from != m {
			return m, nil
		}
		return m, m.saved(msg)
	case tea.KeyMsg:
		switch {
		case m.busy:
			return m, nil
		case m.form != nil:
			return m, m.formKey(msg)
		case m.asking != "":
			return m, m.askKey(msg)
		case m.edit == nil:
			return m, m.listKey(msg)
		}
		return m, m.editKey(msg)
	}
	return m, nil
}

// saved shows the outcome of a save or a status change. A refusal leaves
// the copy on screen as it was, with the domain's reasons under it.
func (m *curriculumScreen) saved(msg curSavedMsg) tea.Cmd {
	m.busy = false
	t := m.c.T
	if msg.err != nil {
		m.err = curError(t, msg.err)
		if errors.Is(msg.err, errStale) {
			m.err = t.T("cur.conflict", domain.Escape(m.edit.Key()))
		}
		return nil
	}
	if m.edit == nil || msg.cur == nil {
		return m.loadList()
	}
	m.loaded, m.edit, m.dirty, m.err = msg.cur, msg.cur.Clone(), false, ""
	m.current()
	note := t.T("cur.saved", domain.Escape(msg.cur.Key()))
	if msg.act != "" {
		note = t.T("cur.changed", domain.Escape(msg.cur.Key()), t.T("cur.status."+string(msg.cur.Status)))
	}
	return tea.Batch(status(statusSuccess, note), m.loadList())
}

func (m *curriculumScreen) listKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Open) && len(m.list) > 0:
		m.open(m.list[m.pick])
	case key.Matches(msg, k.New):
		return m.openForm(formNewCurriculum, curRow{-1, -1}, false, []string{"", ""}, 0)
	default:
		m.pick = moveCursor(k.list, msg, m.pick, len(m.list), m.body())
	}
	return nil
}

func (m *curriculumScreen) editKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	m.err = ""
	switch {
	case key.Matches(msg, k.Back):
		if m.dirty {
			m.asking = "leave"
			return nil
		}
		return m.leave()
	case key.Matches(msg, k.Save):
		return m.saveChanges()
	case key.Matches(msg, k.Close):
		return m.askStatus("close")
	case key.Matches(msg, k.Publish):
		return m.askStatus("publish")
	case key.Matches(msg, k.Reopen):
		return m.askStatus("reopen")
	case key.Matches(msg, k.AddUE):
		return m.addUE()
	case key.Matches(msg, k.AddSubject):
		return m.addSubject()
	case key.Matches(msg, k.Edit):
		return m.editRow(false)
	case key.Matches(msg, k.Teachers):
		return m.editRow(true)
	case key.Matches(msg, k.Delete):
		return m.deleteRow()
	default:
		m.row = moveCursor(k.list, msg, m.row, len(m.rows()), m.body())
	}
	return nil
}

// saveChanges saves the copy when it differs from what is stored.
func (m *curriculumScreen) saveChanges() tea.Cmd {
	if !m.dirty || !m.editable() {
		return nil
	}
	return m.save()
}

// moveCursor moves a cursor over n lines with the list keys (page: the
// lines shown).
func moveCursor(k listKeys, msg tea.KeyMsg, at, n, page int) int {
	switch {
	case key.Matches(msg, k.Up):
		at--
	case key.Matches(msg, k.Down):
		at++
	case key.Matches(msg, k.PageUp):
		at -= page
	case key.Matches(msg, k.PageDown):
		at += page
	case key.Matches(msg, k.Top):
		at = 0
	case key.Matches(msg, k.Bottom):
		at = n - 1
	}
	return min(max(at, 0), max(n-1, 0))
}
