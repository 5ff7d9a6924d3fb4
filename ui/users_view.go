package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"scolarite/domain"
)

// The users screen's drawing and help, apart from its behaviour in
// users.go.

func (m *users) cell(row, col int) string {
	u, t := m.list[row], m.c.T
	switch col {
	case 0:
		return u.Username
	case 1:
		return t.T("role." + string(u.Role))
	case 2:
		return m.scope(u)
	case 4:
		if len(u.SSHKeys) == 0 {
			return "–"
		}
		return strconv.Itoa(len(u.SSHKeys))
	case 5:
		if u.Lang == "" {
			return "–"
		}
		return u.Lang
	}
	if u.Disabled {
		return t.T("users.disabled")
	}
	return t.T("users.active")
}

// scope is what an account reaches: every class, a teacher's classes, or
// the student it is linked to.
func (m *users) scope(u *domain.User) string {
	switch u.Role {
	case domain.RoleTeacher:
		return strings.Join(u.Classes, ", ")
	case domain.RoleStudent:
		if l, ok := m.labels[u.StudentID]; ok {
			return l
		}
		return m.c.T.T("users.scope.unknown")
	}
	return m.c.T.T("users.scope.all")
}

func (m *users) SetSize(w, h int) {
	m.width, m.height = w, h
	for i := range m.inputs {
		m.inputs[i].Width = max(10, min(40, w-24))
	}
	m.keyInput.Width = max(10, w-20)
}

func (m *users) View() string {
	s, t := m.c.Styles, m.c.T
	if m.list == nil {
		return s.Muted.Render(t.T("loading"))
	}
	var below []string
	switch m.mode {
	case usersAdd, usersPassword:
		below = m.formLines()
	case usersAskDisable:
		ask := "users.ask.disable"
		if m.target.Disabled {
			ask = "users.ask.enable"
		}
		below = []string{"", s.Warning.Render(fit(t.T(ask, m.target.Username), m.width, false))}
	case usersAskRevoke:
		below = []string{"", s.Warning.Render(fit(t.T("users.ask.revoke", m.target.Username), m.width, false))}
	case usersKeyList, usersKeyAdd, usersKeyAskRemove:
		below = m.keysLines()
	case usersLang:
		below = m.langLines()
	}
	// The table gives up the rows the form needs, keeping at least three.
	m.table.SetSize(m.width, max(4, m.height-1-len(below)))
	lines := []string{s.Title.Render(fit(t.T("users.title", len(m.list)), m.width, false)), m.table.View(s)}
	return strings.Join(append(lines, below...), "\n")
}

// Capturing holds the keys while the form or a question is open: "q" or
// tab would otherwise quit or leave with the question pending.
func (m *users) Capturing() bool { return m.mode != usersList }

// Dirty reports typed text in the form (a password included) or a key
// being pasted.
func (m *users) Dirty() bool {
	if m.mode == usersKeyAdd {
		return m.keyInput.Value() != ""
	}
	if m.mode != usersAdd && m.mode != usersPassword {
		return false
	}
	for _, f := range m.fields() {
		if f != fRole && m.inputs[f].Value() != "" {
			return true
		}
	}
	return false
}

func (m *users) ShortHelp() []key.Binding {
	k := m.keys
	switch m.mode {
	case usersAdd:
		return []key.Binding{k.Next, k.Field, k.Role, k.Esc}
	case usersPassword:
		return []key.Binding{k.Next, k.Field, k.Esc}
	case usersAskDisable, usersAskRevoke, usersKeyAskRemove:
		return nil
	case usersKeyList:
		return []key.Binding{m.kkeys.Add, m.kkeys.Remove, m.kkeys.Back}
	case usersKeyAdd:
		return []key.Binding{m.kkeys.Confirm, k.Esc}
	case usersLang:
		return []key.Binding{m.kkeys.Pick, m.kkeys.Confirm, k.Esc}
	}
	return []key.Binding{k.New, k.Password, k.Disable, k.Revoke, m.kkeys.Keys, m.kkeys.Lang}
}

func (m *users) FullHelp() [][]key.Binding {
	k := m.keys
	switch m.mode {
	case usersAdd, usersPassword:
		return [][]key.Binding{{k.Next, k.Field, k.Role, k.Save, k.Esc}}
	case usersKeyList, usersKeyAdd, usersKeyAskRemove:
		return [][]key.Binding{{m.kkeys.Add, m.kkeys.Remove, m.kkeys.Back}, {k.list.Up, k.list.Down}}
	case usersLang:
		return [][]key.Binding{{m.kkeys.Pick, m.kkeys.Confirm, k.Esc}}
	}
	return [][]key.Binding{{k.New, k.Password, k.Disable, k.Revoke, m.kkeys.Keys, m.kkeys.Lang}, k.list.bindings()}
}
