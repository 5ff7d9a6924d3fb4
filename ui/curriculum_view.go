package ui

import (
	"strconv"
	"strings"

	"scolarite/domain"
)

// Column widths of the list.
const (
	curClassWidth  = 16
	curSemWidth    = 6
	curStatusWidth = 11
	curUEsWidth    = 5
	curCredWidth   = 12
)

// curCols are the tree's columns: UE code, title or subject, credits or
// coefficient, teachers.
func (m *curriculumScreen) curCols() [4]int {
	const code, weight = 12, 16
	teachers := 26
	if m.width < 100 {
		teachers = 18
	}
	return [4]int{code, max(m.width-code-weight-teachers-3, 16), weight, teachers}
}

// formCols are the tree columns a form's inputs stand in.
func formCols(kind curFormKind) []int {
	if kind == formSubject {
		return []int{1, 2, 3}
	}
	return []int{0, 1, 2}
}

// sizeForm fits the form's inputs to their columns.
func (m *curriculumScreen) sizeForm() {
	if m.form == nil {
		return
	}
	cols := m.curCols()
	for i := range m.form.inputs {
		w := 20
		if m.form.kind != formNewCurriculum {
			w = cols[formCols(m.form.kind)[i]]
		}
		if m.form.kind == formSubject && i == 0 {
			w -= len(curIndent)
		}
		m.form.inputs[i].Width = max(w-1, 1)
	}
}

// body is how many lines of the list or tree are shown: all but the
// title, the header and room for a question or a form under them.
func (m *curriculumScreen) body() int { return max(m.height-6, 3) }

// curIndent sets a subject under its UE.
const curIndent = "  "

func (m *curriculumScreen) View() string {
	m.sizeForm()
	if m.edit == nil {
		return m.listView()
	}
	return m.treeView()
}

func (m *curriculumScreen) listView() string {
	s, t := m.c.Styles, m.c.T
	year := ""
	if m.c.Curricula != nil {
		year = m.c.Curricula.CurrentYear()
	}
	lines := []string{s.Title.Render(fit(t.T("cur.title", year), m.width, false))}
	head := fit(t.T("cur.col.class"), curClassWidth, false) + " " + fit(t.T("cur.col.semester"), curSemWidth, false) + " " +
		fit(t.T("cur.col.status"), curStatusWidth, false) + " " + fit(t.T("cur.col.ues"), curUEsWidth, true) + " " +
		fit(t.T("cur.col.credits"), curCredWidth, true)
	lines = append(lines, s.Header.Render(fit(head, m.width, false)))
	if len(m.list) == 0 {
		lines = append(lines, s.Muted.Render(t.T("cur.none")))
	}
	body := max(m.height-len(lines)-3, 3) // room for the new-curriculum form
	top := max(0, m.pick-body+1)
	for i := top; i < min(len(m.list), top+body); i++ {
		c := m.list[i]
		credits := strconv.Itoa(c.Credits())
		if c.Credits() != 30 {
			credits += " " + t.T("cur.not30")
		}
		line := fit(domain.Escape(c.Class), curClassWidth, false) + " " + fit(c.Semester, curSemWidth, false) + " " +
			fit(statusText(t, c.Status), curStatusWidth, false) + " " + fit(strconv.Itoa(len(c.UEs)), curUEsWidth, true) + " " +
			fit(credits, curCredWidth, true)
		line = fit(line, m.width, false)
		switch {
		case i == m.pick:
			line = s.Selected.Render(line)
		case c.Credits() != 30:
			line = s.Warning.Render(line)
		}
		lines = append(lines, line)
	}
	if f := m.form; f != nil {
		lines = append(lines, s.Info.Render(fit(t.T("cur.ask.new", year), m.width, false)),
			fit(t.T("col.class")+" : "+f.inputs[0].View()+"  "+t.T("field.semester")+" : "+f.inputs[1].View(), m.width, false))
		if f.err != "" {
			lines = append(lines, s.Error.Render(fit(f.err, m.width, false)))
		}
	} else if m.err != "" {
		lines = append(lines, s.Error.Render(fit(m.err, m.width, false)))
	}
	return strings.Join(lines, "\n")
}

func statusText(t *Translator, st domain.SemesterStatus) string {
	if st == "" {
		st = domain.SemesterOpen
	}
	return t.T("cur.status." + string(st))
}

func (m *curriculumScreen) treeView() string {
	s, t, c := m.c.Styles, m.c.T, m.edit
	title := t.T("tab.curricula") + " · " + domain.Escape(c.Class) + " · " + c.Semester + " " + c.Year + " · " +
		statusText(t, c.Status) + " · " + t.T("cur.credits", c.Credits())
	if c.Credits() != 30 {
		title += " " + t.T("cur.not30")
	}
	lines := []string{s.Title.Render(fit(title, m.width, false))}
	switch ro := m.readOnly(); {
	case ro != "":
		lines = append(lines, s.Warning.Render(fit(ro, m.width, false)))
	case m.dirty:
		lines = append(lines, s.Warning.Render(fit(t.T("cur.dirty"), m.width, false)))
	case c.Reason != "":
		lines = append(lines, s.Muted.Render(fit(t.T("cur.reopened", domain.Escape(c.Reason)), m.width, false)))
	}
	cols := m.curCols()
	head := []string{t.T("cur.col.ue"), t.T("cur.col.title"), t.T("cur.col.weight"), t.T("cur.col.teachers")}
	lines = append(lines, s.Header.Render(fit(m.joinCols(cols, head), m.width, false)))
	rows := m.rows()
	if len(rows) == 0 {
		lines = append(lines, s.Muted.Render(t.T("cur.noues")))
	}
	footer := m.footer()
	body := max(m.height-len(lines)-len(footer), 3)
	if m.row < m.top {
		m.top = m.row
	}
	if m.row >= m.top+body {
		m.top = m.row - body + 1
	}
	for i := m.top; i < min(len(rows), m.top+body); i++ {
		lines = append(lines, m.rowView(i, rows[i]))
	}
	return strings.Join(append(lines, footer...), "\n")
}

func (m *curriculumScreen) joinCols(widths [4]int, cells []string) string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = fit(c, widths[i], false)
	}
	return strings.Join(out, " ")
}

func (m *curriculumScreen) rowView(i int, r curRow) string {
	s, t, cols := m.c.Styles, m.c.T, m.curCols()
	ue := m.edit.UEs[r.ue]
	var cells []string
	if r.sub < 0 {
		cells = []string{domain.Escape(ue.Code), domain.Escape(ue.Title), t.T("cur.credits", ue.Credits), ""}
	} else {
		sub := ue.Subjects[r.sub]
		cells = []string{"", curIndent + domain.Escape(sub.Name), t.T("cur.coef", t.Number(sub.Coefficient, -1)),
			domain.Escape(strings.Join(sub.Teachers, ", "))}
	}
	if f := m.form; f != nil && f.at == r {
		for k, col := range formCols(f.kind) {
			cells[col] = f.inputs[k].View()
		}
		if f.kind == formSubject {
			cells[1] = curIndent + cells[1]
		}
		return fit(m.joinCols(cols, cells), m.width, false)
	}
	line := fit(m.joinCols(cols, cells), m.width, false)
	switch {
	case i == m.row:
		return s.Selected.Render(line)
	case r.sub < 0:
		return s.Bold.Render(line)
	}
	return line
}

// footer is the question asked, the form's hint and problem, or the last
// refusal.
func (m *curriculumScreen) footer() []string {
	s, t, c := m.c.Styles, m.c.T, m.edit
	w := m.width
	switch m.asking {
	case "leave":
		return []string{s.Warning.Render(fit(t.T("cur.ask.leave"), w, false))}
	case "delete":
		if cur, ok := m.current(); ok {
			ue := c.UEs[cur.ue]
			return []string{s.Warning.Render(fit(t.T("cur.ask.delete", domain.Escape(ue.Code), len(ue.Subjects)), w, false))}
		}
	case "close", "publish":
		return []string{s.Warning.Render(fit(t.T("cur.ask."+m.asking, domain.Escape(c.Key())), w, false))}
	case "reopen":
		return []string{fit(s.Info.Render(t.T("cur.ask.reopen", domain.Escape(c.Key())))+m.reason.View(), w, false)}
	}
	var out []string
	if m.busy {
		return []string{s.Info.Render(fit(t.T("form.saving"), w, false))}
	}
	if m.form != nil {
		out = append(out, s.Muted.Render(fit(t.T("cur.form.hint"), w, false)))
		if m.form.err != "" {
			out = append(out, s.Error.Render(fit(m.form.err, w, false)))
		}
		return out
	}
	if m.err != "" {
		// Every problem of a refused save: wrapped, at most 4 lines.
		wrapped := strings.Split(s.Error.Width(max(w, 1)).Render(m.err), "\n")
		out = append(out, wrapped[:min(len(wrapped), 4)]...)
	}
	return out
}
