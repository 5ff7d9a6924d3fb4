package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var semestersText = map[string]text{
	"sem.view.semesters": {"Semestres", "Semesters"},
	"sem.view.free":      {"Notes libres (%d)", "Free grades (%d)"},
	"sem.toggle":         {"semestres ↔ notes libres", "semesters ↔ free grades"},
	"sem.prev":           {"semestre précédent", "previous semester"},
	"sem.next":           {"semestre suivant", "next semester"},
	"sem.status.open":    {"ouvert", "open"},
	"sem.status.closed":  {"clos", "closed"},
	"sem.status.pub":     {"publié", "published"},
	"sem.credits":        {"%d crédits", "%d credits"},
	"sem.average":        {"Moyenne du semestre : %s", "Semester average: %s"},
	"sem.unpublished":    {"résultats non publiés", "results not published"},
	"sem.outcome":        {"Résultats (session %d) : %s · %d/%d crédits", "Results (session %d): %s · %d/%d credits"},
	"sem.outcome.rank":   {"rang %d", "rank %d"},
	"sem.outcome.jury":   {" (jury)", " (jury)"},
	"sem.ue.unpublished": {"non publiée", "not published"},
	"sem.eval.hidden":    {"(non publiée)", "(not published)"},
	"sem.coef":           {"coef. %s", "coef. %s"},
	"sem.none":           {"Aucun semestre cette année : la classe %s n'a pas de curriculum.", "No semester this year: class %s has no curriculum."},
	"sem.col.item":       {"UE / matière / évaluation", "UE / subject / evaluation"},
	"sem.col.weight":     {"Coef./poids", "Coef./weight"},
	"sem.col.credits":    {"Crédits", "Credits"},
	"sem.col.average":    {"Moy./note", "Avg./mark"},
	"sem.col.note":       {"Remarque", "Note"},
}

type semestersKeys struct {
	list               listKeys
	Prev, Next, Toggle key.Binding
}

// semRow is one line of a semester: a UE, a subject of the UE above, or
// an evaluation of the subject above.
type semRow struct {
	ue   *domain.UEResult
	sub  *domain.SubjectResult
	mark *domain.EvaluationMark
}

// semesters is a student's results of the year, one semester at a time:
// its UEs, their subjects and each subject's evaluations, with the
// averages and credits of every level. It draws what the domain gave:
// for a student the domain already left out the unpublished evaluations
// and the UE and semester averages of an unpublished semester; this
// view only says so. The detail and "Mes notes" screens embed it.
type semesters struct {
	c       *Common
	keys    semestersKeys
	class   string
	list    []domain.SemesterResult
	pick    int
	rows    []semRow
	table   *table
	err     string
	loaded  bool
	width   int
	height  int
	shownAt string // the semester shown, kept across reloads
}

// Lines above the table: the semester line and the average line.
const semestersTop = 2

func newSemesters(c *Common) *semesters {
	t := c.T
	v := &semesters{c: c, keys: semestersKeys{
		list: newListKeys(t),
		Prev: key.NewBinding(key.WithKeys("["), key.WithHelp("[", t.T("sem.prev"))),
		Next: key.NewBinding(key.WithKeys("]"), key.WithHelp("]", t.T("sem.next"))),
		// The screens' switch between this view and the free grades.
		Toggle: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("sem.toggle"))),
	}}
	v.table = newTable([]column{
		{title: t.T("sem.col.item"), width: 16, grow: 3},
		{title: t.T("sem.col.weight"), width: 11},
		{title: t.T("sem.col.credits"), width: 7, right: true},
		{title: t.T("sem.col.average"), width: 9, right: true},
		{title: t.T("sem.col.note"), width: 13, grow: 1},
	}, v.cell)
	return v
}

// Set shows a student's semesters (of class, named when there are none).
// The semester shown stays the same across reloads; the first time, it
// is the latest with a mark, else the latest with an evaluation.
func (v *semesters) Set(class string, list []domain.SemesterResult) {
	v.class, v.list, v.err, v.loaded = class, list, "", true
	v.pick = -1
	for i, r := range list {
		if r.Semester == v.shownAt && v.shownAt != "" {
			v.pick = i
		}
	}
	if v.pick < 0 {
		v.pick = defaultSemester(list)
	}
	v.rebuild()
}

// SetError shows why the semesters could not be read.
func (v *semesters) SetError(msg string) { v.err, v.loaded = msg, true }

// Len is how many semesters there are.
func (v *semesters) Len() int { return len(v.list) }

func defaultSemester(list []domain.SemesterResult) int {
	marked, evaluated := -1, -1
	for i, r := range list {
		for _, ue := range r.UEs {
			for _, sub := range ue.Subjects {
				for _, m := range sub.Marks {
					evaluated = i
					if m.Value != nil || m.Absent != "" {
						marked = i
					}
				}
			}
		}
	}
	switch {
	case marked >= 0:
		return marked
	case evaluated >= 0:
		return evaluated
	}
	return 0
}

// rebuild lays the semester shown out in rows.
func (v *semesters) rebuild() {
	v.rows = v.rows[:0]
	if v.pick < 0 || v.pick >= len(v.list) {
		v.table.SetRows(0)
		return
	}
	r := &v.list[v.pick]
	v.shownAt = r.Semester
	for i := range r.UEs {
		ue := &r.UEs[i]
		v.rows = append(v.rows, semRow{ue: ue})
		for j := range ue.Subjects {
			sub := &ue.Subjects[j]
			v.rows = append(v.rows, semRow{ue: ue, sub: sub})
			for k := range sub.Marks {
				v.rows = append(v.rows, semRow{ue: ue, sub: sub, mark: &sub.Marks[k]})
			}
		}
	}
	v.table.SetRows(len(v.rows))
}

// shown is the semester on screen, or nil.
func (v *semesters) shown() *domain.SemesterResult {
	if v.pick < 0 || v.pick >= len(v.list) {
		return nil
	}
	return &v.list[v.pick]
}

// card is the semester a report card prints: the one shown (when the
// view is on screen), unless its results are withheld from the reader.
// nil leaves it to the report card: the latest semester with an average
// (a student's latest published), else the free grades.
func (v *semesters) card(onScreen bool) *domain.SemesterResult {
	if v == nil || !onScreen {
		return nil
	}
	r := v.shown()
	if r == nil || v.hidden(r) {
		return nil
	}
	return r
}

// hidden reports that the UE and semester averages of r are withheld:
// the reader is a student and r's results are not published.
func (v *semesters) hidden(r *domain.SemesterResult) bool {
	return v.c.Actor.Role == domain.RoleStudent && !r.ResultsPublished()
}

// HandleKey moves between semesters and scrolls; false when the key is
// none of the view's.
func (v *semesters) HandleKey(msg tea.KeyMsg) bool {
	switch {
	case key.Matches(msg, v.keys.Prev):
		v.step(-1)
	case key.Matches(msg, v.keys.Next):
		v.step(1)
	default:
		return v.table.HandleKey(msg, v.keys.list)
	}
	return true
}

func (v *semesters) step(delta int) {
	if len(v.list) == 0 {
		return
	}
	p := min(max(v.pick+delta, 0), len(v.list)-1)
	if p != v.pick {
		v.pick = p
		v.table.Move(-v.table.rows) // a new semester starts at its top
		v.rebuild()
	}
}

// HandleWheel scrolls on a wheel notch.
func (v *semesters) HandleWheel(msg tea.MouseMsg) { v.table.HandleWheel(msg) }

func (v *semesters) SetSize(w, h int) {
	v.width, v.height = w, h
	v.table.SetSize(w, max(2, h-semestersTop))
}

// bindings are the keys the view adds to its screen's help.
func (v *semesters) bindings() []key.Binding { return []key.Binding{v.keys.Prev, v.keys.Next} }
