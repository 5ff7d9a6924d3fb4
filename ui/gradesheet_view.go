package ui

import (
	"strings"

	"scolarite/domain"
)

const (
	sheetNameWidth = 34
	sheetCellWidth = 9
)

func (m *gradeSheet) View() string {
	s, t := m.c.Styles, m.c.T
	if m.err != "" {
		return s.Error.Render(m.err)
	}
	if m.sheet == nil {
		return m.pickView()
	}
	sh := m.sheet
	lines := []string{s.Title.Render(fit(t.T("tab.gradesheet")+" · "+sh.Curriculum.Class+" · "+sh.Curriculum.Semester+" "+sh.Curriculum.Year+" · "+sh.Subject, m.width, false))}
	if sh.ReadOnly != "" {
		lines = append(lines, s.Warning.Render(fit(t.T("sheet.readonly", m.readOnlyReason()), m.width, false)))
	}
	if len(sh.Evaluations) == 0 {
		lines = append(lines, s.Muted.Render(t.T("sheet.noevaluations")))
	}
	head := fit(t.T("sheet.student"), sheetNameWidth, false)
	for i, e := range sh.Evaluations {
		title := string(e.Kind) + " " + t.Number(e.Weight, -1) + "%"
		if !e.Published {
			title += "*"
		}
		cell := fit(title, sheetCellWidth, true)
		if i == m.col {
			cell = s.Bold.Render(cell)
		}
		head += " " + cell
	}
	head += " " + fit(t.T("sheet.average"), sheetCellWidth, true)
	lines = append(lines, s.Header.Render(fit(head, m.width, false)))
	body := max(m.height-len(lines)-2, 3)
	if m.row < m.top {
		m.top = m.row
	}
	if m.row >= m.top+body {
		m.top = m.row - body + 1
	}
	for r := m.top; r < min(len(sh.Lines), m.top+body); r++ {
		lines = append(lines, fit(m.lineView(r), m.width, false))
	}
	footer := s.Muted.Render("* " + t.T("sheet.hidden.tag"))
	if len(sh.Lines) > 0 && sh.Lines[m.row].Remark != "" {
		footer = s.Muted.Render(fit("* "+t.T("sheet.hidden.tag")+" · "+t.T("sheet.remark.tag", sh.Lines[m.row].Remark), m.width, false))
	}
	if msg := m.errs[[2]int{m.row, m.col}]; msg != "" {
		footer = s.Error.Render(fit(msg, m.width, false))
	}
	switch m.asking {
	case "publish":
		e := sh.Evaluations[m.col]
		footer = s.Warning.Render(t.T("sheet.publish.ask", e.Title, t.Date(e.Date.Time())))
	case "new":
		footer = s.Info.Render(t.T("sheet.new.ask", m.answer+"▏"))
	case "remark":
		footer = s.Info.Render(fit(t.T("sheet.remark.ask", sh.Lines[m.row].Name, m.answer+"▏"), m.width, false))
	}
	return strings.Join(append(lines, footer), "\n")
}

// readOnlyReason says why the sheet takes no mark, in the screen's
// language: the semester's status when it is not open, else the domain's
// refusal.
func (m *gradeSheet) readOnlyReason() string {
	c := m.sheet.Curriculum
	if c.Status == domain.SemesterClosed || c.Status == domain.SemesterPublished {
		return m.c.T.T("sheet.locked", c.Semester, c.Class, m.c.T.T("cur.status."+string(c.Status)))
	}
	return m.sheet.ReadOnly
}

func (m *gradeSheet) lineView(r int) string {
	s, t, line := m.c.Styles, m.c.T, m.sheet.Lines[r]
	out := fit(line.Name+" ("+line.Number+")", sheetNameWidth, false)
	for c, mk := range line.Marks {
		text := markText(t, mk)
		if r == m.row && c == m.col && m.editing {
			text = m.buf + "▏"
		}
		cell := fit(text, sheetCellWidth, true)
		switch {
		case r == m.row && c == m.col:
			cell = s.Selected.Render(cell)
		case m.errs[[2]int{r, c}] != "":
			cell = s.Error.Render(cell)
		}
		out += " " + cell
	}
	average := line.Average
	if r == m.row && m.editing {
		average = m.typedAverage(line)
	}
	avg := fit(t.Average(average), sheetCellWidth, true)
	if average != nil && *average < domain.PassMark {
		avg = s.Warning.Render(avg)
	}
	return out + " " + avg
}

// typedAverage is the line's subject average with the mark being typed in
// its cell, before it is saved; the saved average while what is typed is
// not a valid mark (yet).
func (m *gradeSheet) typedAverage(line domain.SheetLine) *float64 {
	v, err := domain.ParseGradeValue(strings.TrimSpace(m.buf))
	if err != nil {
		return line.Average
	}
	return line.AverageWith(m.col, v)
}

// markText is a mark as the sheet shows it: the value, ABJ, ABI, or a dot.
func markText(t *Translator, mk domain.EvaluationMark) string {
	switch {
	case mk.Absent == domain.AbsentJustified:
		return "ABJ"
	case mk.Absent == domain.AbsentUnjustified:
		return "ABI"
	case mk.Value != nil:
		return t.Number(*mk.Value, -1)
	}
	return "·"
}
