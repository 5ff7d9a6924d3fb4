package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

func (m *gradeSheet) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case sheetChoicesMsg:
		if msg.from != m {
			return m, nil
		}
		if msg.err != nil {
			m.err = ErrorText(m.c.T, msg.err)
			return m, nil
		}
		m.choices = msg.choices
		return m, nil
	case sheetLoadedMsg:
		if msg.from != m || msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			return m, func() tea.Msg { return failed(msg.err) }
		}
		same := m.sheet != nil && m.sheet.Subject == msg.sheet.Subject && m.sheet.Curriculum.Key() == msg.sheet.Curriculum.Key()
		m.sheet = msg.sheet
		if !same { // a reload of the same sheet keeps its undo and cursor
			m.row, m.col, m.top, m.undo = 0, 0, 0, nil
			m.errs = map[[2]int]string{}
		}
		m.move(0, 0)
		return m, nil
	case sheetSavedMsg:
		return m, m.saved(msg)
	case sheetEvalMsg:
		if msg.from != m {
			return m, nil
		}
		if msg.err != nil {
			return m, func() tea.Msg { return failed(msg.err) }
		}
		if msg.published {
			for i := range m.sheet.Evaluations {
				if m.sheet.Evaluations[i].ID == msg.eval.ID {
					m.sheet.Evaluations[i] = *msg.eval
				}
			}
			return m, status(statusSuccess, m.c.T.T("sheet.published", msg.eval.Title))
		}
		m.sheet.WithEvaluation(*msg.eval)
		m.col = len(m.sheet.Evaluations) - 1
		return m, nil
	case changeMsg:
		// A student of this sheet changed (someone else's mark, or this
		// sheet's own save): read that student again (one record, not the
		// class) and update their line alone, so the cursor and the cell
		// being typed stay where the teacher is.
		if m.sheet != nil && m.lineOf(msg.change.StudentID) >= 0 {
			c, sh, id := m.c, m.sheet, msg.change.StudentID
			return m, func() tea.Msg {
				st, err := c.Students.SheetStudent(c.Ctx, c.Actor, sh, id)
				return sheetStudentMsg{from: m, sheet: sh, id: id, student: st, err: err}
			}
		}
		return m, nil
	case sheetStudentMsg:
		return m, m.restudent(msg)
	case sheetRemarkMsg:
		if msg.from != m || msg.sheet != m.sheet {
			return m, nil
		}
		if msg.err != nil {
			return m, status(statusError, ErrorText(m.c.T, msg.err))
		}
		if row := m.lineOf(msg.student.ID); row >= 0 && msg.student.Version > m.sheet.Lines[row].Version {
			m.sheet.Lines[row] = m.sheet.Line(msg.student)
		}
		return m, status(statusSuccess, m.c.T.T("sheet.remark.saved", msg.student.FullName()))
	case sheetCursorMsg:
		if msg.from == m {
			m.row, m.col = msg.row, msg.col
			m.move(0, 0)
		}
		return m, nil
	case tea.KeyMsg:
		if m.sheet == nil {
			return m, m.pickKey(msg)
		}
		return m, m.sheetKey(msg)
	}
	return m, nil
}

// sheetCursorMsg puts the cursor back after a reload.
type sheetCursorMsg struct {
	from     *gradeSheet
	row, col int
}

// sheetStudentMsg is a student of the sheet read again.
type sheetStudentMsg struct {
	from    *gradeSheet
	sheet   *domain.Sheet
	id      string
	student *domain.Student // nil: no longer in the class
	err     error
}

// lineOf is the row of a student, or -1.
func (m *gradeSheet) lineOf(id string) int {
	for i, l := range m.sheet.Lines {
		if l.StudentID == id {
			return i
		}
	}
	return -1
}

// restudent puts a student read again in their line, unless the line is
// already as new (this sheet's save came back first); the cell being
// typed keeps the mark the teacher saw: its save checks that mark, and a
// change there is a conflict shown then. A student who left the class
// makes the whole sheet read again, keeping the cursor.
func (m *gradeSheet) restudent(msg sheetStudentMsg) tea.Cmd {
	if msg.from != m || msg.sheet != m.sheet {
		return nil
	}
	if msg.err != nil {
		return func() tea.Msg { return failed(msg.err) }
	}
	row := m.lineOf(msg.id)
	switch {
	case row < 0:
		return nil
	case msg.student != nil:
		if msg.student.Version <= m.sheet.Lines[row].Version {
			return nil
		}
		line := m.sheet.Line(msg.student)
		if m.editing && row == m.row {
			line.Marks[m.col] = m.sheet.Lines[row].Marks[m.col]
		}
		m.sheet.Lines[row] = line
		return nil
	}
	row, col := m.row, m.col
	ch := sheetChoice{m.sheet.Curriculum.Class, m.sheet.Curriculum.Semester, m.sheet.Subject}
	return tea.Sequence(m.load(ch), func() tea.Msg { return sheetCursorMsg{from: m, row: row, col: col} })
}

// saved shows the outcome of a cell's save: the student's line as stored
// now, or the reason it was refused, in the cell.
func (m *gradeSheet) saved(msg sheetSavedMsg) tea.Cmd {
	if msg.from != m || m.sheet == nil || msg.row >= len(m.sheet.Lines) {
		return nil
	}
	cell := [2]int{msg.row, msg.col}
	if msg.student != nil && msg.student.Version >= m.sheet.Lines[msg.row].Version {
		m.sheet.Lines[msg.row] = m.sheet.Line(msg.student)
	}
	if msg.err != nil {
		m.errs[cell] = ErrorText(m.c.T, msg.err)
		if domain.ErrorCode(msg.err) == domain.ECONFLICT {
			m.errs[cell] = m.c.T.T("sheet.conflict")
		}
		// The cursor has usually moved on: say it on the status line too,
		// naming the cell.
		return status(statusError, m.c.T.T("sheet.cell.failed", m.sheet.Lines[msg.row].Name,
			msg.before.Evaluation.Title, m.errs[cell]))
	}
	delete(m.errs, cell)
	if !msg.undoing {
		m.undo = append(m.undo, sheetUndo{row: msg.row, col: msg.col, before: msg.before})
	}
	return nil
}

func (m *gradeSheet) sheetKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case m.asking != "":
		return m.answerKey(msg)
	case m.absent:
		m.absent = false
		kind := map[string]string{"j": "justified", "i": "unjustified"}[msg.String()]
		if kind == "" || m.sheet.ReadOnly != "" || len(m.sheet.Evaluations) == 0 {
			return nil
		}
		// Saved, then down to the next student, as enter after a mark:
		// absences are marked in the same pass as the marks.
		m.editing, m.buf = false, ""
		row, col := m.row, m.col
		m.move(1, 0)
		return m.save(row, col, domain.MarkInput{Absent: kind}, false)
	case msg.Paste:
		return m.paste(string(msg.Runes))
	case key.Matches(msg, m.keys.Help) && !m.editing:
		return func() tea.Msg { return showHelpMsg{} }
	case key.Matches(msg, m.keys.NextRow):
		return m.leave(1, 0)
	case key.Matches(msg, m.keys.NextCol):
		return m.leave(0, 1)
	case key.Matches(msg, m.keys.PrevCol):
		return m.leave(0, -1)
	case msg.String() == "up":
		return m.leave(-1, 0)
	case key.Matches(msg, m.keys.Back):
		if m.editing {
			m.editing, m.buf = false, ""
			return nil
		}
		m.sheet = nil
		return nil
	}
	if m.sheet.ReadOnly != "" || len(m.sheet.Evaluations) == 0 {
		if key.Matches(msg, m.keys.New) && m.sheet.ReadOnly == "" {
			m.asking, m.answer = "new", ""
		}
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Clear):
		if m.editing && m.buf != "" {
			m.buf = m.buf[:len(m.buf)-1]
			return nil
		}
		m.editing, m.buf = false, ""
		return m.save(m.row, m.col, domain.MarkInput{}, false)
	case m.editing:
		return m.typed(msg)
	case key.Matches(msg, m.keys.Absent):
		m.absent = true
	case key.Matches(msg, m.keys.Undo):
		return m.undoLast()
	case key.Matches(msg, m.keys.New):
		m.asking, m.answer = "new", ""
	case key.Matches(msg, m.keys.Remark):
		m.asking, m.answer = "remark", m.sheet.Lines[m.row].Remark
	case key.Matches(msg, m.keys.Publish):
		if !m.sheet.Evaluations[m.col].Published {
			m.asking = "publish"
		}
	default:
		return m.typed(msg)
	}
	return nil
}

// typed adds a character of a mark to the cell: digits and one decimal
// separator.
func (m *gradeSheet) typed(msg tea.KeyMsg) tea.Cmd {
	s := msg.String()
	if len(s) == 1 && (s[0] >= '0' && s[0] <= '9' || s == "," || s == ".") && len(m.buf) < 6 {
		m.editing = true
		m.buf += s
		delete(m.errs, [2]int{m.row, m.col})
	}
	return nil
}

func (m *gradeSheet) answerKey(msg tea.KeyMsg) tea.Cmd {
	ask := m.asking
	switch ask {
	case "publish":
		m.asking = ""
		if !isYes(m.c.T, msg) {
			return nil
		}
		c, id := m.c, m.sheet.Evaluations[m.col].ID
		return func() tea.Msg {
			e, err := c.Curricula.PublishEvaluation(c.Ctx, c.Actor, id)
			return sheetEvalMsg{from: m, eval: e, published: true, err: err}
		}
	case "remark":
		return m.remarkKey(msg)
	default: // "new": kind and weight
		switch msg.Type {
		case tea.KeyEsc:
			m.asking = ""
		case tea.KeyBackspace:
			if m.answer != "" {
				m.answer = m.answer[:len(m.answer)-1]
			}
		case tea.KeyEnter:
			m.asking = ""
			kind, weight, _ := strings.Cut(strings.TrimSpace(m.answer), " ")
			c, sh := m.c, m.sheet
			in := domain.EvaluationInput{Class: sh.Curriculum.Class, Semester: sh.Curriculum.Semester, Year: sh.Curriculum.Year,
				Subject: sh.Subject, Kind: kind, Weight: strings.TrimSpace(weight)}
			return func() tea.Msg {
				e, err := c.Curricula.AddEvaluation(c.Ctx, c.Actor, in)
				return sheetEvalMsg{from: m, eval: e, err: err}
			}
		case tea.KeyRunes, tea.KeySpace:
			if len(m.answer) < 20 {
				m.answer += string(msg.Runes)
			}
		}
	}
	return nil
}

// undoLast puts back what the last saved cell held.
func (m *gradeSheet) undoLast() tea.Cmd {
	if len(m.undo) == 0 {
		return nil
	}
	u := m.undo[len(m.undo)-1]
	m.undo = m.undo[:len(m.undo)-1]
	in := domain.MarkInput{Absent: string(u.before.Absent), Comment: u.before.Comment}
	if u.before.Value != nil {
		in.Value = m.c.T.Number(*u.before.Value, -1)
	}
	m.row, m.col = u.row, u.col
	return tea.Batch(m.save(u.row, u.col, in, true), status(statusInfo, m.c.T.T("sheet.undone")))
}

// paste fills the column down from the cursor with one value per line,
// every value checked before any is saved.
func (m *gradeSheet) paste(text string) tea.Cmd {
	if m.sheet.ReadOnly != "" || len(m.sheet.Evaluations) == 0 {
		return nil
	}
	// Terminals send a pasted line break as CR (xterm, tmux), CRLF or LF.
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) > len(m.sheet.Lines)-m.row {
		return status(statusError, m.c.T.T("sheet.paste.long", len(lines), len(m.sheet.Lines)-m.row))
	}
	ins := make([]domain.MarkInput, len(lines))
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if a, err := domain.ParseAbsence(l); err == nil && a != "" && len(l) <= 3 {
			ins[i] = domain.MarkInput{Absent: string(a)}
			continue
		}
		if _, err := domain.ParseGradeValue(l); err != nil {
			return status(statusError, m.c.T.T("sheet.paste.bad", i+1, ErrorText(m.c.T, err)))
		}
		ins[i] = domain.MarkInput{Value: l}
	}
	m.editing, m.buf = false, ""
	cmds := make([]tea.Cmd, 0, len(ins)+1)
	for i, in := range ins {
		cmds = append(cmds, m.save(m.row+i, m.col, in, false))
	}
	cmds = append(cmds, status(statusSuccess, m.c.T.T("sheet.pasted", len(ins))))
	m.row = min(m.row+len(ins), len(m.sheet.Lines)-1)
	return tea.Sequence(cmds...)
}

// remarkKey types the remark on the student under the cursor; enter
// saves it (empty: removes it), esc gives up.
func (m *gradeSheet) remarkKey(msg tea.KeyMsg) tea.Cmd {
	switch msg.Type {
	case tea.KeyEsc:
		m.asking = ""
	case tea.KeyBackspace:
		if r := []rune(m.answer); len(r) > 0 {
			m.answer = string(r[:len(r)-1])
		}
	case tea.KeyEnter:
		m.asking = ""
		c, sh, line, text := m.c, m.sheet, m.sheet.Lines[m.row], m.answer
		return func() tea.Msg {
			st, err := c.Students.SetRemark(c.Ctx, c.Actor, line.StudentID, sh.Curriculum.Semester, sh.Curriculum.Year, sh.Subject, text)
			return sheetRemarkMsg{from: m, sheet: sh, student: st, err: err}
		}
	case tea.KeyRunes, tea.KeySpace:
		if len([]rune(m.answer)) < 300 {
			m.answer += string(msg.Runes)
		}
	}
	return nil
}
