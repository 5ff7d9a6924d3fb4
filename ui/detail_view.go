package ui

// The detail screen's drawing, key map and help (the model is in detail.go).

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"

	"scolarite/domain"
)

type detailKeys struct {
	list                                     listKeys
	Add, Edit, Remove, Back                  key.Binding
	EditStudent, DeleteStudent               key.Binding
	Card                                     key.Binding
	Save, Field, Cancel, Confirm, ConfirmNot key.Binding
}

func newDetailKeys(t *Translator) detailKeys {
	enter, esc := t.T("keyname.enter"), t.T("keyname.esc")
	return detailKeys{
		list:          newListKeys(t),
		Add:           key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t.T("detail.add"))),
		Edit:          key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp("e/"+enter, t.T("detail.edit"))),
		Remove:        key.NewBinding(key.WithKeys("d"), key.WithHelp("d", t.T("detail.remove"))),
		Back:          key.NewBinding(key.WithKeys("esc", "backspace"), key.WithHelp(esc, t.T("key.back"))),
		EditStudent:   key.NewBinding(key.WithKeys("E"), key.WithHelp("E", t.T("detail.editstudent"))),
		DeleteStudent: key.NewBinding(key.WithKeys("D"), key.WithHelp("D", t.T("detail.deletestudent"))),
		Card:          key.NewBinding(key.WithKeys("b"), key.WithHelp("b", t.T("report.card.key"))),
		Save:          key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("detail.save"))),
		Field:         key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", t.T("detail.field"))),
		Cancel:        key.NewBinding(key.WithKeys("esc"), key.WithHelp(esc, t.T("key.cancel"))),
		// Both languages' "yes", whatever the catalogue: a French user on
		// an English screen still types o.
		Confirm:    newYesKey(t),
		ConfirmNot: key.NewBinding(key.WithKeys("n"), key.WithHelp(t.T("no.key"), t.T("key.cancel"))),
	}
}

func (d *detail) cell(row, col int) string {
	g := d.st.Grades[d.free[row]]
	switch col {
	case 0:
		return g.Subject
	case 1:
		if d.mode == detailEditing && g.ID == d.gradeID {
			return d.inputs[inValue].View()
		}
		return d.c.T.Number(g.Value, -1)
	case 2:
		return d.c.T.Number(g.Coefficient, -1)
	case 3:
		return d.c.T.Date(g.Date)
	}
	return g.Teacher
}

// Lines around the table: title, three identity lines, the guardian line,
// average, warning, blank (or the switch between the semesters and the
// free grades); then the new-grade row and the message line. The
// guardian line is there ("–") even when none is recorded, so the table
// keeps one height whatever the student. The semesters take the table's
// place and the new-grade row's.
const detailTop, detailBottom = 8, 2

func (d *detail) SetSize(w, h int) {
	d.width, d.height = w, h
	d.table.SetSize(w, max(2, h-detailTop-detailBottom))
	// Only the subject scrolls within its column; the short number inputs
	// stay unpadded so that fit right-aligns them like the numbers above.
	d.inputs[inSubject].Width = max(1, d.table.widths[0]-1)
	if d.sems != nil {
		d.sems.SetSize(w, max(3, h-detailTop-detailBottom+1))
	}
}

func (d *detail) View() string {
	s, t := d.c.Styles, d.c.T
	if d.st == nil {
		if d.err != "" {
			return s.Error.Render(fit(d.err, d.width, false))
		}
		return s.Muted.Render(t.T("loading"))
	}
	st := d.st
	lines := make([]string, 0, detailTop+detailBottom+1)
	lines = append(lines, s.Title.Render(fit(st.FullName(), d.width, false)))
	vw := max(12, min(30, (d.width-32)/2))
	pair := func(l1, v1, l2, v2 string) string {
		return fit(s.Label.Render(fit(t.T(l1), 11, false))+" "+fit(v1, vw, false)+" "+
			s.Label.Render(fit(t.T(l2), 18, false))+" "+v2, d.width, false)
	}
	email, birth := orDash(st.Email), "–"
	if !st.BirthDate.IsZero() {
		birth = t.T("detail.age", t.Date(st.BirthDate.Time()), st.Age(domain.DateOf(d.now())))
	}
	lines = append(lines,
		pair("col.number", st.Number, "col.class", st.Class),
		pair("col.phone", d.c.phones().Display(st.Phone), "col.major", st.Major),
		pair("col.email", email, "col.birth_date", birth),
		fit(s.Label.Render(fit(t.T("col.guardian"), 11, false))+" "+guardianText(st, d.c.phones()), d.width, false))
	lines = append(lines, fit(d.averageLine(), d.width, false))
	warn := ""
	if st.Average != nil && *st.Average < domain.PassMark {
		warn = s.Warning.Render(t.T("warn.below"))
	}
	if !d.canSwitch() {
		lines = append(lines, warn, "", d.table.View(s), d.editorLine(), d.messageLine())
		return strings.Join(lines, "\n")
	}
	lines = append(lines, warn, fit(viewSwitch(d.c, d.semView, len(d.free)), d.width, false))
	if d.semView {
		lines = append(lines, d.sems.View(), d.messageLine())
	} else {
		lines = append(lines, d.table.View(s), d.editorLine(), d.messageLine())
	}
	return strings.Join(lines, "\n")
}

func (d *detail) averageLine() string {
	s, t, st := d.c.Styles, d.c.T, d.st
	avg := "–"
	if st.Average != nil {
		avg = t.T("value.out_of_20", t.Average(st.Average))
	}
	parts := []string{s.Bold.Render(t.T("detail.average", avg))}
	if d.ranked {
		if d.standing.Rank > 0 {
			parts = append(parts, t.T("detail.rank", d.standing.Rank, d.standing.ClassSize))
		} else {
			parts = append(parts, t.T("detail.unranked"))
		}
		if d.standing.ClassAverage != nil {
			parts = append(parts, s.Muted.Render(t.T("detail.classavg", t.T("value.out_of_20", t.Average(d.standing.ClassAverage)))))
		}
	}
	return strings.Join(parts, " · ")
}

// editorLine is the new-grade row, aligned under the table's columns.
func (d *detail) editorLine() string {
	if d.mode != detailAdding {
		return ""
	}
	cells := make([]string, len(d.table.widths))
	for i, w := range d.table.widths {
		if i < len(d.inputs) {
			cells[i] = fit(d.inputs[i].View(), w, d.table.cols[i].right)
		} else {
			cells[i] = strings.Repeat(" ", w)
		}
	}
	return fit(strings.Join(cells, " "), d.width, false)
}

func (d *detail) messageLine() string {
	s, t := d.c.Styles, d.c.T
	var line string
	switch {
	case d.busy:
		line = s.Muted.Render(t.T("detail.saving"))
	case d.inputErr != "":
		line = s.FieldError.Render(d.inputErr)
	case d.mode == detailRemoving:
		if i := d.st.GradeByID(d.gradeID); i >= 0 {
			g := d.st.Grades[i]
			line = s.Warning.Render(t.T("detail.confirm.remove", g.Subject, t.Number(g.Value, -1)))
		}
	case d.mode == detailDeleting:
		line = s.Warning.Render(t.T("detail.confirm.delete", d.st.FullName(), d.st.Number))
	case d.err != "":
		line = s.Error.Render(d.err)
	case d.semView:
	case len(d.st.Grades) == 0:
		line = s.Muted.Render(t.T("detail.nogrades"))
	case len(d.free) == 0:
		line = s.Muted.Render(t.T("detail.nofree"))
	}
	return fit(line, d.width, false)
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// Capturing: an open editor takes every key, and so does a question, so
// that q or ? answer "no" rather than quit or open the help.
func (d *detail) Capturing() bool { return d.mode != detailBrowse }

func (d *detail) Dirty() bool {
	if d.mode != detailAdding && d.mode != detailEditing {
		return false
	}
	for i := range d.inputs {
		if d.inputs[i].Value() != d.original[i] {
			return true
		}
	}
	return false
}

func (d *detail) ShortHelp() []key.Binding {
	k := d.keys
	switch d.mode {
	case detailAdding:
		return []key.Binding{k.Field, k.Save, k.Cancel}
	case detailEditing:
		return []key.Binding{k.Save, k.Cancel}
	case detailRemoving, detailDeleting:
		return []key.Binding{k.Confirm, k.ConfirmNot}
	}
	var out []key.Binding
	if d.canSwitch() {
		out = append(out, d.sems.keys.Toggle)
	}
	if d.semView {
		out = append(out, d.sems.bindings()...)
	} else {
		if d.may(domain.OpAddGrade) {
			out = append(out, k.Add)
		}
		if d.may(domain.OpChangeGrade) {
			out = append(out, k.Edit)
		}
		if d.may(domain.OpRemoveGrade) {
			out = append(out, k.Remove)
		}
	}
	if d.may(domain.OpUpdateStudent) {
		out = append(out, k.EditStudent)
	}
	if d.may(domain.OpDeleteStudent) {
		out = append(out, k.DeleteStudent)
	}
	if d.may(domain.OpReadStudent) {
		out = append(out, k.Card)
	}
	return append(out, k.Back)
}

func (d *detail) FullHelp() [][]key.Binding {
	if d.mode != detailBrowse {
		return [][]key.Binding{d.ShortHelp()}
	}
	return [][]key.Binding{d.keys.list.bindings(), d.ShortHelp()}
}

// guardianText is the guardian contact on one line: name, phone (as the
// office writes it), e-mail, whichever are recorded, or "–".
func guardianText(st *domain.Student, phones domain.PhoneParser) string {
	var parts []string
	for _, v := range []string{st.GuardianName, phones.Display(st.GuardianPhone), st.GuardianEmail} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if len(parts) == 0 {
		return "–"
	}
	return strings.Join(parts, " · ")
}
