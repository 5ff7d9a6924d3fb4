package ui

import (
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// The users screen's inline form: a new account, or a new password for
// the selected one.

func (m *users) openForm(mode usersMode, target *domain.User) {
	m.mode, m.target, m.errs, m.busy, m.role = mode, target, nil, false, 1
	for i := range m.inputs {
		m.inputs[i].SetValue("")
	}
}

func (m *users) closeForm() {
	m.openForm(usersList, nil) // also wipes the typed passwords
	m.inputs[m.focus].Blur()
}

// fields lists the form's fields in order; the role decides which of the
// student and classes fields is asked.
func (m *users) fields() []int {
	if m.mode == usersPassword {
		return []int{fPassword, fConfirm}
	}
	out := []int{fUsername, fRole}
	switch userRoles[m.role] {
	case domain.RoleStudent:
		out = append(out, fStudent)
	case domain.RoleTeacher:
		out = append(out, fClasses)
	}
	return append(out, fPassword, fConfirm)
}

func (m *users) setFocus(f int) tea.Cmd {
	m.inputs[m.focus].Blur()
	m.focus = f
	if f == fRole {
		return nil
	}
	return m.inputs[f].Focus()
}

func (m *users) moveFocus(delta int) tea.Cmd {
	fs := m.fields()
	i := max(0, slices.Index(fs, m.focus))
	return m.setFocus(fs[(i+delta+len(fs))%len(fs)])
}

func (m *users) formKey(msg tea.KeyMsg) tea.Cmd {
	if m.busy {
		return nil
	}
	fs := m.fields()
	switch {
	case key.Matches(msg, m.keys.Esc):
		m.closeForm()
		return nil
	case key.Matches(msg, m.keys.Save):
		return m.submit()
	case key.Matches(msg, m.keys.Next):
		if m.focus == fs[len(fs)-1] {
			return m.submit()
		}
		return m.moveFocus(1)
	case key.Matches(msg, m.keys.Field):
		if s := msg.String(); s == "shift+tab" || s == "up" {
			return m.moveFocus(-1)
		}
		return m.moveFocus(1)
	case m.focus == fRole:
		m.roleKey(msg)
		return nil
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	return cmd
}

// roleKey cycles the role with ←/→ or picks it by its first letter, in
// either language ("e" enseignant, "é" étudiant, "t" teacher, "s" student).
func (m *users) roleKey(msg tea.KeyMsg) {
	switch msg.String() {
	case "left":
		m.role = (m.role + len(userRoles) - 1) % len(userRoles)
		return
	case "right":
		m.role = (m.role + 1) % len(userRoles)
		return
	}
	if len(msg.Runes) != 1 {
		return
	}
	typed := strings.ToLower(string(msg.Runes))
	for i, r := range userRoles {
		if strings.HasPrefix(string(r), typed) || strings.HasPrefix(m.c.T.T("role."+string(r)), typed) {
			m.role = i
			return
		}
	}
}

// submit checks what only the form knows (the two passwords agree) and
// leaves every other rule to the domain, whose problems come back in place.
func (m *users) submit() tea.Cmd {
	m.errs = nil
	pw := m.inputs[fPassword].Value()
	if pw != m.inputs[fConfirm].Value() {
		m.errs = map[string]string{"confirm": m.c.T.T("users.mismatch")}
		m.inputs[fConfirm].SetValue("")
		return m.setFocus(fConfirm)
	}
	m.busy = true
	c, t := m.c, m.c.T
	if m.mode == usersPassword {
		name := m.target.Username
		return func() tea.Msg {
			err := c.Auth.SetPassword(c.Ctx, c.Actor, name, pw)
			return userDoneMsg{from: m, keep: name, text: t.T("users.pwchanged", name), err: err}
		}
	}
	in := domain.UserInput{Username: strings.TrimSpace(m.inputs[fUsername].Value()), Password: pw, Role: string(userRoles[m.role])}
	switch userRoles[m.role] {
	case domain.RoleStudent:
		in.Student = m.inputs[fStudent].Value()
	case domain.RoleTeacher:
		in.Classes = strings.Split(m.inputs[fClasses].Value(), ",")
	}
	return func() tea.Msg {
		u, err := c.Auth.CreateUser(c.Ctx, c.Actor, in)
		if err != nil {
			return userDoneMsg{from: m, err: err}
		}
		return userDoneMsg{from: m, keep: u.Username, text: t.T("users.created", u.Username)}
	}
}

// done closes the form on success; a refusal naming fields stays in the
// form, next to them, and anything else goes to the status line.
func (m *users) done(msg userDoneMsg) tea.Cmd {
	m.busy = false
	if msg.err != nil {
		var e *domain.Error
		if m.mode != usersAdd && m.mode != usersPassword || !errors.As(msg.err, &e) || len(e.Problems) == 0 {
			return tea.Batch(func() tea.Msg { return failed(msg.err) }, m.load())
		}
		m.errs = map[string]string{}
		for _, p := range e.Problems {
			f := slices.Index(fieldNames[:], p.Field)
			if f < 0 || !slices.Contains(m.fields(), f) {
				m.errs[""] = ErrorText(m.c.T, msg.err)
				continue
			}
			m.errs[p.Field] = Reason(m.c.T, p)
		}
		// The cursor goes to the first field at fault in the form's order.
		for _, f := range m.fields() {
			if _, bad := m.errs[fieldNames[f]]; bad {
				return m.setFocus(f)
			}
		}
		return nil
	}
	if m.mode == usersAdd || m.mode == usersPassword {
		m.closeForm()
	}
	m.keep = msg.keep
	return tea.Batch(status(statusSuccess, msg.text), m.load())
}

// formLines draws the inline form: one line per field, and under a field
// the domain's reason when it refused it. Password inputs only ever show
// their mask.
func (m *users) formLines() []string {
	s, t := m.c.Styles, m.c.T
	title := t.T("users.new")
	if m.mode == usersPassword {
		title = t.T("users.reset", m.target.Username)
	}
	lines := []string{"", s.Title.Render(fit(title, m.width, false))}
	labels := [fieldCount]string{t.T("field.username"), t.T("field.role"), t.T("users.f.student"),
		t.T("users.f.classes"), t.T("field.password"), t.T("users.f.confirm")}
	for _, f := range m.fields() {
		marker, label := "  ", s.Label
		if f == m.focus {
			marker, label = "▸ ", s.Input
		}
		value := m.inputs[f].View()
		if f == fRole {
			value = m.roleView(f == m.focus)
		}
		lines = append(lines, fit(marker+label.Render(fit(labels[f], 20, false))+" "+value, m.width, false))
		if e, ok := m.errs[fieldNames[f]]; ok {
			lines = append(lines, s.FieldError.Render(fit("    "+e, m.width, false)))
		}
	}
	switch {
	case m.busy:
		lines = append(lines, s.Muted.Render(t.T("users.saving")))
	case m.errs[""] != "":
		lines = append(lines, s.Error.Render(fit(m.errs[""], m.width, false)))
	}
	return lines
}

func (m *users) roleView(focused bool) string {
	s, t := m.c.Styles, m.c.T
	parts := make([]string, len(userRoles))
	for i, r := range userRoles {
		name := t.T("role." + string(r))
		switch {
		case i == m.role && focused:
			parts[i] = s.Selected.Render("[" + name + "]")
		case i == m.role:
			parts[i] = s.Bold.Render("[" + name + "]")
		default:
			parts[i] = s.Muted.Render(" " + name + " ")
		}
	}
	out := strings.Join(parts, " ")
	if focused {
		out = "◀ " + out + " ▶"
	}
	return out
}
