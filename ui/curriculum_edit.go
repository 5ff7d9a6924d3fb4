package ui

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// The curriculum screen's inline form: a UE's code, title and credits, a
// subject's name, coefficient and teachers, or the class and semester of
// a new curriculum. Applying a row changes the copy on screen only; the
// domain checks the whole at ctrl+s.

type curFormKind int

const (
	formUE curFormKind = iota
	formSubject
	formNewCurriculum
)

// curForm edits one line in place.
type curForm struct {
	kind   curFormKind
	at     curRow
	fresh  bool // the line was added for this form: cancelling removes it
	inputs []textinput.Model
	start  []string
	focus  int
	err    string
}

func (f *curForm) changed() bool {
	for i, in := range f.inputs {
		if in.Value() != f.start[i] {
			return true
		}
	}
	return false
}

func (f *curForm) values() []string {
	out := make([]string, len(f.inputs))
	for i, in := range f.inputs {
		out[i] = in.Value()
	}
	return out
}

// Input limits per form, in column order.
var curFormLimits = map[curFormKind][]int{
	formUE:            {20, 120, 3},
	formSubject:       {60, 6, 300},
	formNewCurriculum: {60, 3},
}

func (m *curriculumScreen) openForm(kind curFormKind, at curRow, fresh bool, values []string, focus int) tea.Cmd {
	f := &curForm{kind: kind, at: at, fresh: fresh, start: values}
	for i, limit := range curFormLimits[kind] {
		in := newInput(m.c.Styles, limit)
		in.SetValue(values[i])
		in.CursorEnd()
		f.inputs = append(f.inputs, in)
	}
	m.form, m.err = f, ""
	return m.focusField(focus)
}

func (m *curriculumScreen) focusField(i int) tea.Cmd {
	f := m.form
	f.inputs[f.focus].Blur()
	f.focus = (i + len(f.inputs)) % len(f.inputs)
	return f.inputs[f.focus].Focus()
}

func (m *curriculumScreen) formKey(msg tea.KeyMsg) tea.Cmd {
	f := m.form
	switch {
	case key.Matches(msg, m.keys.Cancel):
		if f.fresh {
			m.removeRow(f.at)
		}
		m.form = nil
		return nil
	case key.Matches(msg, m.keys.Field):
		return m.focusField(f.focus + 1)
	case key.Matches(msg, m.keys.PrevField):
		return m.focusField(f.focus - 1)
	case key.Matches(msg, m.keys.Apply):
		return m.applyForm()
	case key.Matches(msg, m.keys.Save) && f.kind != formNewCurriculum:
		if cmd := m.applyForm(); m.form != nil {
			return cmd
		}
		return m.saveChanges()
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	f.err = ""
	return cmd
}

// applyForm puts the form's values into the copy, or says what is wrong
// with them and keeps the form open.
func (m *curriculumScreen) applyForm() tea.Cmd {
	f, t, v := m.form, m.c.T, m.form.values()
	switch f.kind {
	case formNewCurriculum:
		return m.create(v[0], v[1])
	case formUE:
		code := strings.ToUpper(strings.TrimSpace(v[0]))
		credits, err := strconv.Atoi(strings.TrimSpace(v[2]))
		switch {
		case code == "":
			f.err = t.T("cur.err.code")
			return m.focusField(0)
		case err != nil:
			f.err = t.T("cur.err.credits", domain.Quote(strings.TrimSpace(v[2]), 10))
			return m.focusField(2)
		}
		ue := &m.edit.UEs[f.at.ue]
		ue.Code, ue.Title, ue.Credits = code, strings.TrimSpace(v[1]), credits
	case formSubject:
		if err := domain.CheckSubject(v[0]); err != nil {
			f.err = curError(t, err)
			return m.focusField(0)
		}
		coef, err := domain.ParseCoefficient(v[1])
		if err != nil {
			f.err = curError(t, err)
			return m.focusField(1)
		}
		teachers, reason := m.teachers(v[2])
		if reason != "" {
			f.err = reason
			return m.focusField(2)
		}
		s := &m.edit.UEs[f.at.ue].Subjects[f.at.sub]
		s.Name, s.Coefficient, s.Teachers = strings.TrimSpace(v[0]), coef, teachers
	}
	if f.fresh || f.changed() {
		m.dirty = true
	}
	m.form = nil
	return nil
}

// teachers reads a list of user names (commas or spaces between them),
// each of which must be a teacher's account.
func (m *curriculumScreen) teachers(text string) ([]string, string) {
	t := m.c.T
	var out []string
	for _, name := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
		name = strings.ToLower(name)
		if m.users == nil {
			return nil, t.T("cur.err.nousers")
		}
		role, ok := m.users[name]
		switch {
		case !ok:
			return nil, t.T("cur.err.nouser", domain.Escape(domain.Quote(name, 40)))
		case role != domain.RoleTeacher:
			return nil, t.T("cur.err.notteacher", domain.Escape(name), t.T("role."+string(role)))
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return slices.Compact(out), ""
}

// create opens a new curriculum for a class and semester, or the one the
// year already has.
func (m *curriculumScreen) create(class, semester string) tea.Cmd {
	t := m.c.T
	class = strings.ToUpper(strings.TrimSpace(class))
	if class == "" {
		m.form.err = curError(t, domain.Invalid("class", "is required"))
		return m.focusField(0)
	}
	sem, err := domain.ParseSemester(semester)
	if err != nil {
		m.form.err = curError(t, err)
		return m.focusField(1)
	}
	m.form = nil
	for i, c := range m.list {
		if c.Class == class && c.Semester == sem {
			m.pick = i
			m.open(c)
			return status(statusInfo, t.T("cur.exists", domain.Escape(c.Key())))
		}
	}
	m.open(nil)
	m.edit = &domain.Curriculum{Class: class, Semester: sem, Year: m.c.Curricula.CurrentYear(), Status: domain.SemesterOpen}
	m.dirty = true
	return m.addUE()
}

// open shows a curriculum of the list (nil: a new one) on a copy.
func (m *curriculumScreen) open(c *domain.Curriculum) {
	m.loaded, m.edit = c, c.Clone()
	m.dirty, m.row, m.top, m.err, m.form, m.asking = false, 0, 0, "", nil, ""
}

// leave goes back to the list, dropping the copy.
func (m *curriculumScreen) leave() tea.Cmd {
	m.open(nil)
	return m.loadList()
}

// editable reports whether the copy may change; if not, it says why.
func (m *curriculumScreen) editable() bool {
	if ro := m.readOnly(); ro != "" {
		m.err = ro
		return false
	}
	return true
}

func (m *curriculumScreen) addUE() tea.Cmd {
	if !m.editable() {
		return nil
	}
	at := len(m.edit.UEs)
	if cur, ok := m.current(); ok {
		at = cur.ue + 1
	}
	m.edit.UEs = slices.Insert(m.edit.UEs, at, domain.UE{})
	r := curRow{at, -1}
	m.rowOf(r)
	return m.openForm(formUE, r, true, []string{"", "", ""}, 0)
}

func (m *curriculumScreen) addSubject() tea.Cmd {
	if !m.editable() {
		return nil
	}
	cur, ok := m.current()
	if !ok {
		m.err = m.c.T.T("cur.ue.first")
		return nil
	}
	ue := &m.edit.UEs[cur.ue]
	at := len(ue.Subjects)
	if cur.sub >= 0 {
		at = cur.sub + 1
	}
	ue.Subjects = slices.Insert(ue.Subjects, at, domain.CourseSubject{Coefficient: 1})
	r := curRow{cur.ue, at}
	m.rowOf(r)
	return m.openForm(formSubject, r, true, []string{"", m.c.T.Number(1, -1), ""}, 0)
}

// editRow opens the form on the line under the cursor; a subject's
// teachers field first when teachers is set.
func (m *curriculumScreen) editRow(teachers bool) tea.Cmd {
	cur, ok := m.current()
	if !ok || !m.editable() {
		return nil
	}
	ue := m.edit.UEs[cur.ue]
	if cur.sub < 0 {
		if teachers {
			return nil
		}
		return m.openForm(formUE, cur, false, []string{ue.Code, ue.Title, strconv.Itoa(ue.Credits)}, 0)
	}
	s := ue.Subjects[cur.sub]
	focus := 0
	if teachers {
		focus = 2
	}
	return m.openForm(formSubject, cur, false, []string{s.Name, m.c.T.Number(s.Coefficient, -1), strings.Join(s.Teachers, ", ")}, focus)
}

// deleteRow drops a subject at once (nothing is stored before ctrl+s); a
// UE that has subjects is asked about first.
func (m *curriculumScreen) deleteRow() tea.Cmd {
	cur, ok := m.current()
	if !ok || !m.editable() {
		return nil
	}
	if cur.sub < 0 && len(m.edit.UEs[cur.ue].Subjects) > 0 {
		m.asking = "delete"
		return nil
	}
	m.removeRow(cur)
	m.dirty = true
	return nil
}

func (m *curriculumScreen) removeRow(r curRow) {
	if r.sub < 0 {
		m.edit.UEs = slices.Delete(m.edit.UEs, r.ue, r.ue+1)
	} else {
		ue := &m.edit.UEs[r.ue]
		ue.Subjects = slices.Delete(ue.Subjects, r.sub, r.sub+1)
	}
	m.current() // clamps the cursor
}

// askStatus asks before closing, publishing or reopening: on a stored
// curriculum without unsaved changes only.
func (m *curriculumScreen) askStatus(kind string) tea.Cmd {
	switch {
	case m.loaded == nil:
		m.err = m.c.T.T("cur.new.first")
		return nil
	case m.dirty:
		m.err = m.c.T.T("cur.save.first")
		return nil
	}
	m.asking, m.err = kind, ""
	if kind == "reopen" {
		m.reason.SetValue("")
		return m.reason.Focus()
	}
	return nil
}

func (m *curriculumScreen) askKey(msg tea.KeyMsg) tea.Cmd {
	kind := m.asking
	if kind == "reopen" {
		switch {
		case key.Matches(msg, m.keys.Cancel):
			m.asking = ""
			m.reason.Blur()
			return nil
		case key.Matches(msg, m.keys.Apply):
			m.asking = ""
			m.reason.Blur()
			return m.changeStatus(domain.ActionReopen, m.reason.Value())
		}
		var cmd tea.Cmd
		m.reason, cmd = m.reason.Update(msg)
		return cmd
	}
	m.asking = ""
	if !isYes(m.c.T, msg) {
		return nil
	}
	switch kind {
	case "leave":
		return m.leave()
	case "delete":
		if cur, ok := m.current(); ok {
			m.removeRow(cur)
			m.dirty = true
		}
	case "close":
		return m.changeStatus(domain.ActionClose, "")
	case "publish":
		return m.changeStatus(domain.ActionPublish, "")
	}
	return nil
}
