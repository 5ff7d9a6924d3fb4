package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// The detail screen's inline grade editor and its yes/no questions: the
// keys while editing, saving through the domain, and what a refusal shows.

func (d *detail) open(mode detailMode, values [3]string, focus int) tea.Cmd {
	d.mode, d.original, d.inputErr, d.err = mode, values, "", ""
	for i := range d.inputs {
		d.inputs[i].SetValue(values[i])
		d.inputs[i].CursorEnd()
	}
	return d.focusInput(focus)
}

func (d *detail) focusInput(i int) tea.Cmd {
	d.inputs[d.focus].Blur()
	d.focus = i
	return d.inputs[i].Focus()
}

// close leaves any editor or question.
func (d *detail) close() {
	d.mode, d.inputErr, d.gradeID = detailBrowse, "", ""
	d.inputs[d.focus].Blur()
}

func (d *detail) inputKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, d.keys.Cancel):
		d.close()
		if d.stale {
			return d.load()
		}
		return nil
	case key.Matches(msg, d.keys.Save):
		return d.save()
	case d.mode == detailAdding && key.Matches(msg, d.keys.Field):
		step := 1
		if msg.String() == "shift+tab" {
			step = len(d.inputs) - 1
		}
		return d.focusInput((d.focus + step) % len(d.inputs))
	}
	var cmd tea.Cmd
	d.inputs[d.focus], cmd = d.inputs[d.focus].Update(msg)
	return cmd
}

func (d *detail) confirmKey(msg tea.KeyMsg) tea.Cmd {
	mode, id := d.mode, d.gradeID
	d.close()
	if !key.Matches(msg, d.keys.Confirm) {
		if d.stale {
			return d.load()
		}
		return nil
	}
	c, ref, version := d.c, d.st.Number, d.st.Version
	d.busy = true
	if mode == detailDeleting {
		return func() tea.Msg {
			return detailDeletedMsg{from: d, number: ref, err: c.Students.Delete(c.Ctx, c.Actor, ref, version)}
		}
	}
	return func() tea.Msg {
		st, err := c.Students.RemoveGrade(c.Ctx, c.Actor, ref, version, id)
		return detailSavedMsg{from: d, st: st, note: c.T.T("detail.removed"), err: err}
	}
}

// save writes the open editor with the version this screen shows; the
// domain validates the text, so "21" and "abc" come back as EINVALID.
func (d *detail) save() tea.Cmd {
	c, ref, version := d.c, d.st.Number, d.st.Version
	d.busy, d.err = true, ""
	if d.mode == detailAdding {
		in := domain.GradeInput{Subject: d.inputs[inSubject].Value(), Value: d.inputs[inValue].Value(), Coefficient: d.inputs[inCoef].Value()}
		return func() tea.Msg {
			st, g, err := c.Students.AddGrade(c.Ctx, c.Actor, ref, version, in)
			if err != nil {
				return detailSavedMsg{from: d, err: err}
			}
			return detailSavedMsg{from: d, st: st, gradeID: g.ID, note: c.T.T("detail.added", g.Subject, c.T.Number(g.Value, -1))}
		}
	}
	id, value := d.gradeID, d.inputs[inValue].Value()
	return func() tea.Msg {
		st, err := c.Students.SetGrade(c.Ctx, c.Actor, ref, version, id, value)
		if err != nil {
			return detailSavedMsg{from: d, err: err}
		}
		g := st.Grades[st.GradeByID(id)]
		return detailSavedMsg{from: d, st: st, gradeID: id, note: c.T.T("detail.changed", g.Subject, c.T.Number(g.Value, -1))}
	}
}

func (d *detail) saved(msg detailSavedMsg) tea.Cmd {
	d.busy = false
	if msg.err != nil {
		return d.refused(msg.err)
	}
	d.changed = true
	d.close()
	// The returned record is shown at once (the new average); the reload
	// only refreshes the rank, which depends on the classmates.
	d.show(msg.st)
	if row := d.freeRow(msg.gradeID); row >= 0 {
		d.table.Move(row - d.table.Cursor())
	}
	return tea.Batch(status(statusSuccess, msg.note), d.load())
}

// refused shows why a write failed. A bad value stays in its input with
// the reason; a conflict reloads and says so, and the person decides
// again on fresh data (never a silent retry).
func (d *detail) refused(err error) tea.Cmd {
	switch domain.ErrorCode(err) {
	case domain.EINVALID:
		if d.mode == detailAdding || d.mode == detailEditing {
			d.inputErr = ErrorText(d.c.T, err)
			return nil
		}
	case domain.ECONFLICT:
		d.err = ErrorText(d.c.T, err)
		// A new grade overwrites nothing, so its row stays open for
		// another try; an edited value must first be seen as it is now.
		if d.mode != detailAdding {
			d.close()
		}
		d.inputErr = ""
		return d.load()
	}
	d.err = ErrorText(d.c.T, err)
	d.close()
	return func() tea.Msg { return failed(err) }
}
