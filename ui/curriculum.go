package ui

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var curriculumText = map[string]text{
	"tab.curricula":        {"Maquettes", "Curricula"},
	"cur.title":            {"Maquettes %s", "Curricula %s"},
	"cur.none":             {"Aucune maquette cette année : n pour en créer une.", "No curriculum this year: n to create one."},
	"cur.col.class":        {"Classe", "Class"},
	"cur.col.semester":     {"Sem.", "Sem."},
	"cur.col.status":       {"État", "Status"},
	"cur.col.ues":          {"UE", "UEs"},
	"cur.col.credits":      {"Crédits", "Credits"},
	"cur.col.ue":           {"UE", "UE"},
	"cur.col.title":        {"Intitulé / matière", "Title / subject"},
	"cur.col.weight":       {"Crédits / coef.", "Credits / coef."},
	"cur.col.teachers":     {"Enseignants", "Teachers"},
	"cur.not30":            {"≠ 30", "≠ 30"},
	"cur.credits":          {"%d crédits", "%d credits"},
	"cur.coef":             {"coef. %s", "coef. %s"},
	"cur.status.open":      {"ouvert", "open"},
	"cur.status.closed":    {"clôturé", "closed"},
	"cur.status.published": {"publié", "published"},
	"cur.dirty":            {"● modifiée, non enregistrée (ctrl+s)", "● changed, not saved (ctrl+s)"},
	"cur.noues":            {"Aucune UE : n pour en ajouter une.", "No UE: n to add one."},
	"cur.readonly":         {"Lecture seule : %s %s est %s ; R pour le rouvrir (un motif est demandé).", "Read-only: %s %s is %s; R to reopen it (a reason is asked)."},
	"cur.reopened":         {"Rouvert : %s", "Reopened: %s"},
	"key.cur.open":         {"ouvrir", "open"},
	"key.cur.new":          {"nouvelle maquette", "new curriculum"},
	"key.cur.back":         {"retour aux maquettes", "back to the curricula"},
	"key.cur.addue":        {"ajouter une UE", "add a UE"},
	"key.cur.addsubject":   {"ajouter une matière à l'UE", "add a subject to the UE"},
	"key.cur.edit":         {"modifier la ligne", "edit the row"},
	"key.cur.delete":       {"supprimer la ligne", "delete the row"},
	"key.cur.teachers":     {"enseignants de la matière", "the subject's teachers"},
	"key.cur.save":         {"enregistrer la maquette", "save the curriculum"},
	"key.cur.close":        {"clôturer le semestre", "close the semester"},
	"key.cur.reopen":       {"rouvrir le semestre", "reopen the semester"},
	"key.cur.publish":      {"publier les résultats", "publish the results"},
	"key.cur.field":        {"champ suivant", "next field"},
	"key.cur.apply":        {"valider la ligne", "apply the row"},
	"cur.saved":            {"Maquette %s enregistrée.", "Curriculum %s saved."},
	"cur.changed":          {"%s : semestre %s.", "%s: semester %s."},
	"cur.conflict":         {"%s a été modifiée par quelqu'un d'autre depuis son ouverture : votre modification reste à l'écran, non enregistrée (échap puis rouvrir pour voir l'autre).", "%s was changed by someone else since it was opened: your edit stays on screen, not saved (esc then open again to see theirs)."},
	"cur.exists":           {"%s existe déjà : ouverte.", "%s already exists: opened."},
	"cur.ask.leave":        {"Abandonner les modifications non enregistrées ? (o/n)", "Discard the changes not saved? (y/n)"},
	"cur.ask.delete":       {"Supprimer l'UE %s et ses %d matière(s) ? (o/n)", "Delete UE %s and its %d subject(s)? (y/n)"},
	"cur.ask.close":        {"Clôturer %s ? Plus aucune note ne pourra changer. (o/n)", "Close %s? No grade can change any more. (y/n)"},
	"cur.ask.publish":      {"Publier les résultats de %s ? Les étudiants les verront. (o/n)", "Publish the results of %s? The students will see them. (y/n)"},
	"cur.ask.reopen":       {"Motif de la réouverture de %s (gardé dans le journal d'audit) : ", "Reason to reopen %s (kept in the audit log): "},
	"cur.ask.new":          {"Nouvelle maquette %s — classe, semestre (S1…S10) ; tab : champ suivant, entrée : créer", "New curriculum %s — class, semester (S1…S10); tab: next field, enter: create"},
	"cur.form.hint":        {"tab : champ suivant · entrée : valider · échap : annuler", "tab: next field · enter: apply · esc: cancel"},
	"cur.save.first":       {"Enregistrez ou abandonnez d'abord les modifications (ctrl+s, ou échap).", "Save or discard the changes first (ctrl+s, or esc)."},
	"cur.new.first":        {"Enregistrez d'abord la nouvelle maquette (ctrl+s).", "Save the new curriculum first (ctrl+s)."},
	"cur.ue.first":         {"Ajoutez d'abord une UE (n).", "Add a UE first (n)."},
	"cur.err.code":         {"Code de l'UE : est obligatoire", "UE code: is required"},
	"cur.err.credits":      {"Crédits : un nombre entier (saisi : %s)", "Credits: a whole number (got %s)"},
	"cur.err.nousers":      {"Enseignants : la liste des comptes n'a pas pu être lue", "Teachers: the list of accounts could not be read"},
	"cur.err.nouser":       {"Enseignants : aucun compte « %s »", "Teachers: no account “%s”"},
	"field.semester":       {"Semestre", "Semester"},
	"field.reason":         {"Motif", "Reason"},
	"cur.err.notteacher":   {"Enseignants : « %s » n'est pas un enseignant (%s)", "Teachers: “%s” is not a teacher (%s)"},
}

type curriculumKeys struct {
	list                                      listKeys
	Open, New, Back                           key.Binding
	AddUE, AddSubject, Edit, Delete, Teachers key.Binding
	Save, Close, Reopen, Publish              key.Binding
	Field, PrevField, Apply, Cancel, Confirm  key.Binding
}

func newCurriculumKeys(t *Translator) curriculumKeys {
	enter, esc := t.T("keyname.enter"), t.T("keyname.esc")
	return curriculumKeys{
		list:       newListKeys(t),
		Open:       key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("key.cur.open"))),
		New:        key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.T("key.cur.new"))),
		Back:       key.NewBinding(key.WithKeys("esc"), key.WithHelp(esc, t.T("key.cur.back"))),
		AddUE:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.T("key.cur.addue"))),
		AddSubject: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("key.cur.addsubject"))),
		Edit:       key.NewBinding(key.WithKeys("enter", "e"), key.WithHelp(enter+"/e", t.T("key.cur.edit"))),
		Delete:     key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d", t.T("key.cur.delete"))),
		Teachers:   key.NewBinding(key.WithKeys("t"), key.WithHelp("t", t.T("key.cur.teachers"))),
		Save:       key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", t.T("key.cur.save"))),
		Close:      key.NewBinding(key.WithKeys("C"), key.WithHelp("C", t.T("key.cur.close"))),
		Reopen:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", t.T("key.cur.reopen"))),
		Publish:    key.NewBinding(key.WithKeys("P"), key.WithHelp("P", t.T("key.cur.publish"))),
		Field:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", t.T("key.cur.field"))),
		PrevField:  key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", t.T("form.prev"))),
		Apply:      key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("key.cur.apply"))),
		Cancel:     key.NewBinding(key.WithKeys("esc"), key.WithHelp(esc, t.T("key.cancel"))),
		Confirm:    newYesKey(t),
	}
}

// curriculumScreen is "Maquettes" (admins): the curricula of the current
// year, then one of them as a tree of UEs and their subjects, edited in
// place on a copy. Saving sends the whole copy to the domain's import, so
// every check of a file import applies; a refusal leaves the copy on
// screen, unsaved. The semester is closed, reopened and published here.
type curriculumScreen struct {
	c    *Common
	keys curriculumKeys
	list []*domain.Curriculum
	pick int
	// users are the accounts' roles by user name (nil: not read).
	users map[string]domain.Role
	// loaded is the curriculum as stored (nil: a new one); edit the copy
	// being changed (nil: the list is shown).
	loaded *domain.Curriculum
	edit   *domain.Curriculum
	dirty  bool
	row    int
	top    int
	form   *curForm
	asking string // "leave", "delete", "close", "publish", "reopen"
	reason textinput.Model
	err    string // the last refusal, shown under the tree
	busy   bool
	seq    int
	width  int
	height int
}

// curRow is a line of the tree: a UE (sub -1) or one of its subjects.
type curRow struct{ ue, sub int }

func newCurriculum(c *Common) screen {
	return &curriculumScreen{c: c, keys: newCurriculumKeys(c.T), reason: newInput(c.Styles, 200)}
}

type (
	curListMsg struct {
		from *curriculumScreen
		seq  int
		list []*domain.Curriculum
		err  error
	}
	curUsersMsg struct {
		from  *curriculumScreen
		users map[string]domain.Role
	}
	// curSavedMsg is the outcome of a save or a status change: the
	// curriculum as stored now, or why it was refused.
	curSavedMsg struct {
		from *curriculumScreen
		cur  *domain.Curriculum
		act  domain.SemesterAction // "" for a save
		err  error
	}
)

func (m *curriculumScreen) Init() tea.Cmd { return tea.Batch(m.loadList(), m.loadUsers()) }

func (m *curriculumScreen) loadList() tea.Cmd {
	m.seq++
	c, seq := m.c, m.seq
	return func() tea.Msg {
		list, err := c.Curricula.List(c.Ctx, c.Actor, "", "")
		slices.SortFunc(list, func(a, b *domain.Curriculum) int {
			return cmp.Or(cmp.Compare(a.Class, b.Class), cmp.Compare(semesterNumber(a.Semester), semesterNumber(b.Semester)))
		})
		return curListMsg{from: m, seq: seq, list: list, err: err}
	}
}

// semesterNumber orders S2 before S10.
func semesterNumber(s string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(s, "S"))
	return n
}

// loadUsers reads the accounts once, to check the teachers named on a
// subject; without them no teacher can be assigned (the form says so).
func (m *curriculumScreen) loadUsers() tea.Cmd {
	c := m.c
	if c.Auth == nil {
		return nil
	}
	return func() tea.Msg {
		list, err := c.Auth.Users(c.Ctx, c.Actor)
		if err != nil {
			c.Log.Warn("curricula: read the accounts", "err", err)
			return curUsersMsg{from: m}
		}
		users := make(map[string]domain.Role, len(list))
		for _, u := range list {
			users[strings.ToLower(u.Username)] = u.Role
		}
		return curUsersMsg{from: m, users: users}
	}
}

// save sends the edited copy to the import, unless the stored one changed
// since it was opened (the import replaces whatever is stored: it must not
// overwrite someone else's change unseen). The copy on screen is never
// the one the domain normalises.
func (m *curriculumScreen) save() tea.Cmd {
	c, loaded, work := m.c, m.loaded, m.edit.Clone()
	m.busy, m.err = true, ""
	return func() tea.Msg {
		now, err := c.Curricula.Get(c.Ctx, c.Actor, work.Class, work.Semester, work.Year)
		switch {
		case err != nil && domain.ErrorCode(err) != domain.ENOTFOUND:
			return curSavedMsg{from: m, err: err}
		case err == nil && (loaded == nil || now.Version != loaded.Version) && now.Status == domain.SemesterOpen:
			return curSavedMsg{from: m, err: errStale}
		}
		// A semester closed meanwhile: the import says so in its words.
		if _, _, err := c.Curricula.Import(c.Ctx, c.Actor, []*domain.Curriculum{work}); err != nil {
			return curSavedMsg{from: m, err: err}
		}
		now, err = c.Curricula.Get(c.Ctx, c.Actor, work.Class, work.Semester, work.Year)
		return curSavedMsg{from: m, cur: now, err: err}
	}
}

// errStale: the stored curriculum is no longer the one the edit started
// from.
var errStale = errors.New("curriculum changed since it was opened")

func (m *curriculumScreen) changeStatus(act domain.SemesterAction, reason string) tea.Cmd {
	c, cur := m.c, m.edit
	m.busy, m.err = true, ""
	return func() tea.Msg {
		now, err := c.Curricula.ChangeStatus(c.Ctx, c.Actor, cur.Class, cur.Semester, cur.Year, act, reason)
		return curSavedMsg{from: m, cur: now, act: act, err: err}
	}
}

// curError is a refusal in words: every problem of an import with the
// domain's reason, a conflict's own message (a semester already closed),
// else as everywhere.
func curError(t *Translator, err error) string {
	var be *domain.BatchError
	var e *domain.Error
	switch {
	case errors.As(err, &be):
		parts := make([]string, 0, len(be.Problems))
		for _, p := range be.Problems {
			parts = append(parts, curProblemText(t, p.Problem))
		}
		return domain.Escape(strings.Join(parts, " · "))
	case errors.As(err, &e) && e.Code == domain.EINVALID && len(e.Problems) > 0:
		parts := make([]string, 0, len(e.Problems))
		for _, p := range e.Problems {
			parts = append(parts, curProblemText(t, p))
		}
		return domain.Escape(strings.Join(parts, " · "))
	case errors.As(err, &e) && e.Code == domain.ECONFLICT && len(e.Problems) == 0 && e.Message != "":
		return domain.Escape(e.Message)
	}
	return ErrorText(t, err)
}

// curProblemText names the field as the catalogue does when it knows it
// ("Coefficient"), else as the domain does ("subject Maths coefficient").
func curProblemText(t *Translator, p domain.Problem) string {
	field := p.Field
	if _, ok := t.messages["field."+field]; ok {
		field = t.T("field." + field)
	}
	return field + " : " + Reason(t, p)
}

// rows lists the tree's lines in order.
func (m *curriculumScreen) rows() []curRow {
	if m.edit == nil {
		return nil
	}
	var out []curRow
	for i, ue := range m.edit.UEs {
		out = append(out, curRow{i, -1})
		for j := range ue.Subjects {
			out = append(out, curRow{i, j})
		}
	}
	return out
}

// current is the line under the cursor (ok false: no line).
func (m *curriculumScreen) current() (curRow, bool) {
	rows := m.rows()
	if len(rows) == 0 {
		return curRow{-1, -1}, false
	}
	m.row = min(max(m.row, 0), len(rows)-1)
	return rows[m.row], true
}

// rowOf puts the cursor on a line.
func (m *curriculumScreen) rowOf(r curRow) {
	for i, x := range m.rows() {
		if x == r {
			m.row = i
			return
		}
	}
}

// readOnly says why the open curriculum cannot change ("" when it can).
func (m *curriculumScreen) readOnly() string {
	if m.edit == nil || m.edit.Status == "" || m.edit.Status == domain.SemesterOpen {
		return ""
	}
	t := m.c.T
	return t.T("cur.readonly", m.edit.Class, m.edit.Semester, t.T("cur.status."+string(m.edit.Status)))
}

// Capturing: a form or a question takes every key, and so does a changed
// curriculum (tab must not switch screens and lose it; esc asks first).
func (m *curriculumScreen) Capturing() bool {
	return m.form != nil || m.asking != "" || (m.edit != nil && m.dirty)
}

func (m *curriculumScreen) Dirty() bool      { return m.dirty || (m.form != nil && m.form.changed()) }
func (m *curriculumScreen) SetSize(w, h int) { m.width, m.height = w, h }

func (m *curriculumScreen) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.form != nil:
		return []key.Binding{k.Field, k.Apply, k.Cancel}
	case m.asking == "reopen":
		return []key.Binding{k.Apply, k.Cancel}
	case m.asking != "":
		return []key.Binding{k.Confirm}
	case m.edit == nil:
		return []key.Binding{k.list.Up, k.list.Down, k.Open, k.New}
	case m.readOnly() != "":
		return []key.Binding{k.list.Up, k.list.Down, k.Reopen, k.Publish, k.Back}
	}
	return []key.Binding{k.AddUE, k.AddSubject, k.Edit, k.Delete, k.Teachers, k.Save, k.Back}
}

func (m *curriculumScreen) FullHelp() [][]key.Binding {
	k := m.keys
	if m.edit == nil {
		return [][]key.Binding{k.list.bindings(), {k.Open, k.New}}
	}
	return [][]key.Binding{k.list.bindings(), {k.AddUE, k.AddSubject, k.Edit, k.Delete, k.Teachers, k.Save},
		{k.Close, k.Reopen, k.Publish, k.Back, k.Field, k.Apply, k.Cancel}}
}
