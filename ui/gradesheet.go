package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var gradeSheetText = map[string]text{
	"tab.gradesheet":      {"Saisie des notes", "Grade sheet"},
	"sheet.pick":          {"Choisir une classe, un semestre et une matière", "Pick a class, a semester and a subject"},
	"sheet.none":          {"Aucune matière à noter cette année (curriculum import).", "No subject to grade this year (curriculum import)."},
	"sheet.open":          {"ouvrir", "open"},
	"sheet.back":          {"retour aux matières", "back to subjects"},
	"sheet.next.row":      {"étudiant suivant", "next student"},
	"sheet.next.col":      {"évaluation suivante", "next evaluation"},
	"sheet.prev.col":      {"évaluation précédente", "previous evaluation"},
	"sheet.absent":        {"absent justifié / injustifié", "absent justified / unjustified"},
	"sheet.clear":         {"effacer", "clear"},
	"sheet.undo":          {"annuler la dernière saisie", "undo the last saved cell"},
	"sheet.new":           {"nouvelle évaluation (cc 40)", "new evaluation (cc 40)"},
	"sheet.publish":       {"publier l'évaluation", "publish the evaluation"},
	"sheet.average":       {"Moy.", "Avg."},
	"sheet.student":       {"Étudiant", "Student"},
	"sheet.readonly":      {"Lecture seule : %s", "Read-only: %s"},
	"sheet.locked":        {"le semestre %s de %s est %s : aucune note ne peut changer avant qu'un administrateur le rouvre", "semester %s of %s is %s: no mark can change until an admin reopens it"},
	"sheet.conflict":      {"modifié par quelqu'un d'autre : rechargé", "changed by someone else: reloaded"},
	"sheet.cell.failed":   {"%s, %s : %s", "%s, %s: %s"},
	"sheet.saved":         {"%s : %s enregistré.", "%s: %s saved."},
	"sheet.published":     {"Évaluation « %s » publiée : les étudiants voient leurs notes.", "Evaluation “%s” published: the students see their marks."},
	"sheet.publish.ask":   {"Publier « %s » (%s) ? Les étudiants verront leurs notes. (o/n)", "Publish “%s” (%s)? The students will see their marks. (y/n)"},
	"sheet.new.ask":       {"Nouvelle évaluation (type et poids, ex. « cc 40 », « exam 60 ») : %s", "New evaluation (kind and weight, e.g. “cc 40”, “exam 60”): %s"},
	"sheet.pasted":        {"%d note(s) collée(s).", "%d mark(s) pasted."},
	"sheet.paste.bad":     {"Collage refusé, ligne %d : %s", "Paste refused, line %d: %s"},
	"sheet.paste.long":    {"Collage refusé : %d valeurs pour %d étudiants à partir du curseur", "Paste refused: %d values for %d students from the cursor"},
	"sheet.undone":        {"Saisie annulée.", "Last cell undone."},
	"sheet.noevaluations": {"Aucune évaluation : n pour en ajouter une.", "No evaluation: n to add one."},
	"sheet.published.tag": {"publiée", "published"},
	"sheet.hidden.tag":    {"non publiée", "not published"},
	"sheet.remark":        {"remarque (appréciation)", "remark"},
	"sheet.remark.ask":    {"Remarque sur %s (entrée : enregistrer, vide : effacer) : %s", "Remark on %s (enter: save, empty: remove): %s"},
	"sheet.remark.saved":  {"Remarque enregistrée pour %s.", "Remark saved for %s."},
	"sheet.remark.tag":    {"Remarque : %s", "Remark: %s"},
}

type gradeSheetKeys struct {
	list                              listKeys
	Open, Back, NextRow, NextCol      key.Binding
	PrevCol, Absent, Clear, Undo, New key.Binding
	Publish, Confirm, Remark, Help    key.Binding
	Filter, ClearFilter               key.Binding // the picker's
}

func newGradeSheetKeys(t *Translator) gradeSheetKeys {
	return gradeSheetKeys{
		list:    newListKeys(t),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("entrée", t.T("sheet.open"))),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("échap", t.T("sheet.back"))),
		NextRow: key.NewBinding(key.WithKeys("enter", "down"), key.WithHelp("entrée/↓", t.T("sheet.next.row"))),
		NextCol: key.NewBinding(key.WithKeys("tab", "right"), key.WithHelp("tab/→", t.T("sheet.next.col"))),
		PrevCol: key.NewBinding(key.WithKeys("shift+tab", "left"), key.WithHelp("⇧tab/←", t.T("sheet.prev.col"))),
		Absent:  key.NewBinding(key.WithKeys("a"), key.WithHelp("a j/i", t.T("sheet.absent"))),
		Clear:   key.NewBinding(key.WithKeys("backspace", "delete"), key.WithHelp("⌫", t.T("sheet.clear"))),
		Undo:    key.NewBinding(key.WithKeys("u"), key.WithHelp("u", t.T("sheet.undo"))),
		New:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.T("sheet.new"))),
		Publish: key.NewBinding(key.WithKeys("P"), key.WithHelp("P", t.T("sheet.publish"))),
		Confirm: newYesKey(t),
		Remark:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("sheet.remark"))),
		// The sheet takes every key; "?" opens the application's help.
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.T("key.help"))),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", t.T("sheet.filter"))),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("échap", t.T("sheet.filter.clear"))),
	}
}

// sheetChoice is one subject the actor may grade.
type sheetChoice struct{ class, semester, subject string }

// gradeSheet is "Saisie des notes": pick a subject of a class's semester,
// then mark the whole class, one cell per student and evaluation. Each
// cell is saved when left, pinned to the student's version the sheet
// holds, so another person's edit is shown, never overwritten.
type gradeSheet struct {
	c       *Common
	keys    gradeSheetKeys
	choices []sheetChoice
	pick    int
	filter  string // the picker's filter (gradesheet_pick.go)
	// filtering: the filter is being typed (every key is the picker's)
	filtering bool
	sheet     *domain.Sheet
	row       int
	col       int
	top       int
	buf       string // what is being typed in the cell
	editing   bool
	absent    bool   // 'a' was pressed: j or i follows
	asking    string // "publish" or "new": a question on the last line
	answer    string // the typed answer to "new"
	errs      map[[2]int]string
	undo      []sheetUndo
	seq       int
	err       string
	width     int
	height    int
}

// sheetUndo is a saved cell and what it held before.
type sheetUndo struct {
	row, col int
	before   domain.EvaluationMark
}

func newGradeSheet(c *Common) screen {
	return &gradeSheet{c: c, keys: newGradeSheetKeys(c.T), errs: map[[2]int]string{}}
}

func (m *gradeSheet) Init() tea.Cmd { return m.loadChoices() }

type (
	sheetChoicesMsg struct {
		from    *gradeSheet
		choices []sheetChoice
		err     error
	}
	sheetLoadedMsg struct {
		from  *gradeSheet
		seq   int
		sheet *domain.Sheet
		err   error
	}
	sheetSavedMsg struct {
		from     *gradeSheet
		row, col int
		student  *domain.Student
		before   domain.EvaluationMark
		undoing  bool
		err      error
	}
	sheetRemarkMsg struct {
		from    *gradeSheet
		sheet   *domain.Sheet
		student *domain.Student
		err     error
	}
	sheetEvalMsg struct {
		from      *gradeSheet
		eval      *domain.Evaluation
		published bool
		err       error
	}
)

func (m *gradeSheet) loadChoices() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		if c.Curricula == nil {
			return sheetChoicesMsg{from: m}
		}
		list, err := c.Curricula.List(c.Ctx, c.Actor, "", "")
		var out []sheetChoice
		for _, cur := range list {
			for _, ue := range cur.UEs {
				for _, s := range ue.Subjects {
					if c.Actor.Role == domain.RoleAdmin || cur.Teaches(c.Actor, s.Name) {
						out = append(out, sheetChoice{cur.Class, cur.Semester, s.Name})
					}
				}
			}
		}
		return sheetChoicesMsg{from: m, choices: out, err: err}
	}
}

func (m *gradeSheet) load(ch sheetChoice) tea.Cmd {
	m.seq++
	c, seq := m.c, m.seq
	return func() tea.Msg {
		sh, err := c.Students.Sheet(c.Ctx, c.Actor, ch.class, ch.semester, c.Curricula.CurrentYear(), ch.subject)
		return sheetLoadedMsg{from: m, seq: seq, sheet: sh, err: err}
	}
}

// save writes the mark of a cell (empty input: removes it), only if the
// cell still holds what the sheet showed (domain MarkCell): two teachers
// of one class, or two cells of one student saved in a row, never refuse
// each other, while a cell someone else changed meanwhile is shown with
// their mark, not overwritten.
func (m *gradeSheet) save(row, col int, in domain.MarkInput, undoing bool) tea.Cmd {
	c, line, before := m.c, m.sheet.Lines[row], m.sheet.Lines[row].Marks[col]
	return func() tea.Msg {
		st, err := c.Students.MarkCell(c.Ctx, c.Actor, line.StudentID, before.Evaluation.ID, before, in)
		return sheetSavedMsg{from: m, row: row, col: col, student: st, before: before, undoing: undoing, err: err}
	}
}

// markInput is what the buffer of a cell means.
func (m *gradeSheet) markInput() domain.MarkInput {
	return domain.MarkInput{Value: strings.TrimSpace(m.buf)}
}

// commit saves the cell being typed, if any, and leaves edit mode; ok is
// false when the value is refused: the cursor then stays on the cell,
// which shows the reason and keeps what was typed.
func (m *gradeSheet) commit() (cmd tea.Cmd, ok bool) {
	if !m.editing {
		return nil, true
	}
	in := m.markInput()
	if _, err := domain.ParseGradeValue(in.Value); in.Value != "" && err != nil {
		m.errs[[2]int{m.row, m.col}] = ErrorText(m.c.T, err)
		return nil, false
	}
	m.editing, m.buf = false, ""
	return m.save(m.row, m.col, in, false), true
}

// leave commits the cell and, if it was accepted, moves by (dr, dc).
func (m *gradeSheet) leave(dr, dc int) tea.Cmd {
	cmd, ok := m.commit()
	if ok {
		m.move(dr, dc)
	}
	return cmd
}

func (m *gradeSheet) move(dr, dc int) {
	if m.sheet == nil {
		return
	}
	m.row = min(max(m.row+dr, 0), max(len(m.sheet.Lines)-1, 0))
	m.col = min(max(m.col+dc, 0), max(len(m.sheet.Evaluations)-1, 0))
}

// Capturing: an open sheet takes every key (tab moves between its
// evaluations), and so does the picker's filter while it is typed; esc
// goes back to the subjects, where tab changes screens.
func (m *gradeSheet) Capturing() bool { return m.sheet != nil || m.filtering }
func (m *gradeSheet) Dirty() bool     { return m.editing }

func (m *gradeSheet) SetSize(w, h int) { m.width, m.height = w, h }

func (m *gradeSheet) ShortHelp() []key.Binding {
	if m.sheet == nil {
		return []key.Binding{m.keys.list.Up, m.keys.list.Down, m.keys.Open, m.keys.Filter}
	}
	// The help key first: the line is cut on a narrow terminal.
	return []key.Binding{m.keys.Help, m.keys.NextRow, m.keys.NextCol, m.keys.Absent, m.keys.Undo, m.keys.New, m.keys.Publish, m.keys.Remark, m.keys.Back}
}

// FullHelp is the keys of the picker, or of the open sheet (two columns,
// so that they fit 80 columns).
func (m *gradeSheet) FullHelp() [][]key.Binding {
	if m.sheet == nil {
		return [][]key.Binding{m.keys.list.bindings(), {m.keys.Open, m.keys.Filter, m.keys.ClearFilter}}
	}
	return [][]key.Binding{{m.keys.NextRow, m.keys.NextCol, m.keys.PrevCol, m.keys.Absent, m.keys.Clear},
		{m.keys.Undo, m.keys.New, m.keys.Publish, m.keys.Remark, m.keys.Back, m.keys.Help}}
}
