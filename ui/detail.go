package ui

import (
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var detailText = map[string]text{
	"detail.add":            {"ajouter une note", "add a grade"},
	"detail.edit":           {"modifier la note", "edit the grade"},
	"detail.remove":         {"supprimer la note", "remove the grade"},
	"detail.editstudent":    {"modifier l'étudiant", "edit the student"},
	"detail.deletestudent":  {"supprimer l'étudiant", "delete the student"},
	"detail.save":           {"enregistrer", "save"},
	"detail.field":          {"champ suivant", "next field"},
	"detail.age":            {"%s (%d ans)", "%s (%d years old)"},
	"detail.average":        {"Moyenne : %s", "Average: %s"},
	"detail.rank":           {"Rang %d/%d", "Rank %d/%d"},
	"detail.unranked":       {"non classé", "not ranked"},
	"detail.classavg":       {"moyenne de la classe %s", "class average %s"},
	"detail.nogrades":       {"Aucune note pour l'instant.", "No grades yet."},
	"detail.nofree":         {"Aucune note libre (hors évaluations).", "No free grade (outside evaluations)."},
	"detail.saving":         {"Enregistrement…", "Saving…"},
	"detail.confirm.remove": {"Supprimer la note de %s (%s/20) ? (o/n)", "Remove the %s grade (%s/20)? (y/n)"},
	"detail.confirm.delete": {"Supprimer définitivement %s (%s) et toutes ses notes ? (o/n)", "Delete %s (%s) and all their grades for good? (y/n)"},
	"detail.added":          {"Note ajoutée : %s %s/20.", "Grade added: %s %s/20."},
	"detail.changed":        {"Note modifiée : %s %s/20.", "Grade changed: %s %s/20."},
	"detail.removed":        {"Note supprimée.", "Grade removed."},
	"detail.deleted":        {"Étudiant %s supprimé.", "Student %s deleted."},
}

// detailMode is what the keys currently drive: the grade table, an inline
// editor, or a yes/no question.
type detailMode int

const (
	detailBrowse   detailMode = iota
	detailAdding              // the new-grade row is open
	detailEditing             // the selected grade's value is open
	detailRemoving            // "remove this grade?" asked
	detailDeleting            // "delete this student?" asked
)

// Inputs of the inline editor; editing a grade uses only inValue.
const (
	inSubject = iota
	inValue
	inCoef
)

// detail is one student with an inline grade editor. Every write carries
// the version this screen loaded, so an edit made meanwhile by someone
// else is refused (and shown), never overwritten.
type detail struct {
	c        *Common
	keys     detailKeys
	ref      string
	st       *domain.Student // nil until loaded, or once gone
	standing domain.Standing
	ranked   bool // standing is known
	table    *table
	free     []int      // the table's rows: the grades of no evaluation
	sems     *semesters // nil without curricula
	semView  bool       // the semesters are shown, not the free grades
	semSet   bool       // semView was chosen, at the first load
	mode     detailMode
	inputs   [3]textinput.Model
	original [3]string // what the inputs opened with, for Dirty
	focus    int
	gradeID  string // the grade being edited or removed
	inputErr string // a refused value, kept next to the input
	err      string // conflict or load failure, until the next action
	busy     bool   // a write is under way: keys wait
	changed  bool   // something was written: the roster must reload
	stale    bool   // the feed announced a change while an edit was open
	started  bool
	loadSeq  int // drops superseded loads
	width    int
	height   int
	now      func() time.Time
}

type (
	// Each carries the screen that asked: a student opened after another
	// must never show the first one's answer (every detail counts its
	// loads from 1).
	detailLoadedMsg struct {
		from     *detail
		seq      int
		st       *domain.Student
		standing domain.Standing
		ranked   bool
		err      error
		sems     []domain.SemesterResult
		semErr   error
	}
	// detailSavedMsg is the outcome of a grade write.
	detailSavedMsg struct {
		from    *detail
		st      *domain.Student
		gradeID string // the grade to select afterwards
		note    string
		err     error
	}
	detailDeletedMsg struct {
		from   *detail
		number string
		err    error
	}
)

func newDetail(c *Common, ref string) screen {
	t := c.T
	d := &detail{c: c, ref: ref, now: time.Now}
	d.keys = newDetailKeys(t)
	for i := range d.inputs {
		d.inputs[i] = newInput(c.Styles, 60)
	}
	d.inputs[inValue].CharLimit, d.inputs[inCoef].CharLimit = 8, 8
	// The default coefficient is a placeholder, not text: typing 4 gives
	// 4, not 14, and an empty coefficient means 1 to the domain.
	d.inputs[inCoef].Placeholder = "1"
	d.inputs[inCoef].PlaceholderStyle = c.Styles.Muted
	d.table = newTable([]column{
		{title: t.T("col.subject"), width: 12, grow: 3},
		{title: t.T("col.value"), width: 8, right: true},
		{title: t.T("col.coefficient"), width: 6, right: true},
		{title: t.T("col.date"), width: 10},
		{title: t.T("col.teacher"), width: 10, grow: 1},
	}, d.cell)
	if c.Curricula != nil {
		d.sems = newSemesters(c)
	}
	return d
}

// Init loads the student. It runs again only when a sub-screen (the form)
// closed with reload, i.e. after a change: the roster must reload too.
func (d *detail) Init() tea.Cmd {
	if d.started {
		d.changed = true
	}
	d.started = true
	return d.load()
}

func (d *detail) load() tea.Cmd {
	d.loadSeq++
	d.stale = false
	seq, c, ref := d.loadSeq, d.c, d.ref
	if d.st != nil {
		ref = d.st.Number
	}
	return func() tea.Msg {
		st, err := c.Students.Get(c.Ctx, c.Actor, ref)
		if err != nil {
			return detailLoadedMsg{from: d, seq: seq, err: err}
		}
		standing, err := c.Students.Standing(c.Ctx, c.Actor, st)
		if err != nil {
			// The record is still worth showing without its rank.
			c.Log.Warn("standing unavailable", "student", st.Number, "err", err)
		}
		msg := detailLoadedMsg{from: d, seq: seq, st: st, standing: standing, ranked: err == nil}
		if c.Curricula != nil {
			msg.sems, msg.semErr = c.Curricula.Semesters(c.Ctx, c.Actor, st)
		}
		return msg
	}
}

func (d *detail) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case detailLoadedMsg:
		if msg.from != d {
			return d, nil
		}
		return d, d.loaded(msg)
	case detailSavedMsg:
		if msg.from != d {
			return d, nil
		}
		return d, d.saved(msg)
	case detailDeletedMsg:
		if msg.from != d {
			return d, nil
		}
		d.busy = false
		if msg.err != nil {
			return d, d.refused(msg.err)
		}
		return d, tea.Sequence(status(statusSuccess, d.c.T.T("detail.deleted", msg.number)),
			func() tea.Msg { return backMsg{reload: true} })
	case changeMsg:
		if d.st == nil || msg.change.StudentID != d.st.ID {
			return d, nil
		}
		if d.mode != detailBrowse || d.busy {
			d.stale = true // reloading now would pull the row from under the edit
			return d, nil
		}
		return d, d.load()
	case tea.MouseMsg:
		switch {
		case d.mode != detailBrowse:
		case d.semView:
			d.sems.HandleWheel(msg)
		default:
			d.table.HandleWheel(msg)
		}
		return d, nil
	case tea.KeyMsg:
		switch {
		case d.busy:
			return d, nil
		case d.mode == detailAdding || d.mode == detailEditing:
			return d, d.inputKey(msg)
		case d.mode != detailBrowse:
			return d, d.confirmKey(msg)
		}
		return d, d.browseKey(msg)
	}
	if d.mode == detailAdding || d.mode == detailEditing {
		var cmd tea.Cmd // e.g. the text of a paste
		d.inputs[d.focus], cmd = d.inputs[d.focus].Update(msg)
		return d, cmd
	}
	return d, nil
}

func (d *detail) loaded(msg detailLoadedMsg) tea.Cmd {
	if msg.seq != d.loadSeq {
		return nil // a newer load or write already answered
	}
	if msg.err != nil {
		d.err = ErrorText(d.c.T, msg.err)
		if code := domain.ErrorCode(msg.err); code == domain.ENOTFOUND || code == domain.EFORBIDDEN {
			d.st = nil // gone or out of reach: offer nothing on it
			d.close()
		}
		return func() tea.Msg { return failed(msg.err) }
	}
	d.standing, d.ranked = msg.standing, msg.ranked
	d.show(msg.st)
	if d.sems != nil {
		if msg.semErr != nil {
			d.sems.SetError(ErrorText(d.c.T, msg.semErr))
		} else {
			d.sems.Set(msg.st.Class, msg.sems)
		}
		if !d.semSet {
			// A class with a curriculum opens on its semesters.
			d.semView, d.semSet = d.sems.Len() > 0, true
		}
	}
	if d.mode == detailEditing && d.st.GradeByID(d.gradeID) < 0 {
		d.close() // the grade was removed meanwhile
	}
	if msg.semErr != nil {
		return func() tea.Msg { return failed(msg.semErr) }
	}
	return nil
}

func (d *detail) show(st *domain.Student) {
	d.st = st
	d.free = d.free[:0]
	for i, g := range st.Grades {
		if g.EvaluationID == "" {
			d.free = append(d.free, i)
		}
	}
	d.table.SetRows(len(d.free))
}

// freeRow is the table row of a grade, or -1.
func (d *detail) freeRow(gradeID string) int {
	i := d.st.GradeByID(gradeID)
	for row, g := range d.free {
		if g == i {
			return row
		}
	}
	return -1
}

// canSwitch reports whether there are semesters to switch to and from.
func (d *detail) canSwitch() bool { return d.sems != nil && d.sems.Len() > 0 }

// may reports whether the actor may do op on this student: the screen
// offers only that (the domain refuses the rest anyway).
func (d *detail) may(op domain.Op) bool {
	return d.st != nil && domain.Authorize(d.c.Actor, op, d.st.Class, d.st.ID) == nil
}

func (d *detail) selected() *domain.Grade {
	if d.st == nil || d.table.Cursor() < 0 {
		return nil
	}
	return &d.st.Grades[d.free[d.table.Cursor()]]
}

func (d *detail) browseKey(msg tea.KeyMsg) tea.Cmd {
	k := d.keys
	switch {
	case key.Matches(msg, k.Back):
		reload := d.changed
		return func() tea.Msg { return backMsg{reload: reload} }
	case d.canSwitch() && key.Matches(msg, d.sems.keys.Toggle):
		d.semView = !d.semView
	case d.semView && d.sems.HandleKey(msg):
	case !d.semView && d.table.HandleKey(msg, k.list):
	case d.semView && (key.Matches(msg, k.Add) || key.Matches(msg, k.Edit) || key.Matches(msg, k.Remove)):
		// The free grades' keys: not while the semesters are shown.
	case key.Matches(msg, k.Add) && d.may(domain.OpAddGrade):
		return d.open(detailAdding, [3]string{}, inSubject)
	case key.Matches(msg, k.Edit) && d.may(domain.OpChangeGrade) && d.selected() != nil:
		g := d.selected()
		d.gradeID = g.ID
		return d.open(detailEditing, [3]string{"", d.c.T.Number(g.Value, -1), ""}, inValue)
	case key.Matches(msg, k.Remove) && d.may(domain.OpRemoveGrade) && d.selected() != nil:
		d.gradeID, d.mode, d.err = d.selected().ID, detailRemoving, ""
	case key.Matches(msg, k.EditStudent) && d.may(domain.OpUpdateStudent):
		st := d.st
		return func() tea.Msg { return openFormMsg{student: st} }
	case key.Matches(msg, k.DeleteStudent) && d.may(domain.OpDeleteStudent):
		d.mode, d.err = detailDeleting, ""
	case key.Matches(msg, k.Card) && d.st != nil:
		return cardDialog(d.c, d.st, d.sems.card(d.semView))
	}
	return nil
}
