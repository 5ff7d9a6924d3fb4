package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var myGradesText = map[string]text{
	"mygrades.title":      {"Mes notes", "My grades"},
	"mygrades.average":    {"Moyenne pondérée : %s", "Weighted average: %s"},
	"mygrades.rank":       {"rang %d sur %d", "rank %d of %d"},
	"mygrades.norank":     {"pas encore classé", "not ranked yet"},
	"mygrades.classavg":   {"moyenne de la classe : %s", "class average: %s"},
	"mygrades.none":       {"Aucune note pour l'instant.", "No grades yet."},
	"mygrades.count":      {"%d note(s)", "%d grade(s)"},
	"mygrades.hidden":     {"résultats non publiés", "results not published"},
	"mygrades.nostanding": {"rang : à la publication des résultats", "rank: once the results are published"},
	// A time layout: the date as each language writes it.
}

type myGradesKeys struct {
	list listKeys
	Card key.Binding
}

// myGrades is a student's own record, read-only: the domain lets a student
// read nothing else, so there is nothing to pick and nothing to edit.
type myGrades struct {
	c        *Common
	keys     myGradesKeys
	student  *domain.Student
	standing domain.Standing
	grades   []domain.Grade // the free grades (of no evaluation), newest first
	notices  []NotificationRow
	table    *table
	sems     *semesters // nil without curricula
	semView  bool       // the semesters are shown, not the free grades
	semSet   bool       // semView was chosen, at the first load
	err      string
	seq      int
	width    int
	height   int
}

type myGradesLoadedMsg struct {
	from     *myGrades
	seq      int
	student  *domain.Student
	standing domain.Standing
	notices  []NotificationRow
	err      error
	sems     []domain.SemesterResult
	semErr   error
}

func newMyGrades(c *Common) screen {
	m := &myGrades{c: c, keys: myGradesKeys{list: newListKeys(c.T),
		Card: key.NewBinding(key.WithKeys("b"), key.WithHelp("b", c.T.T("report.card.key")))}}
	t := c.T
	m.table = newTable([]column{
		{title: t.T("col.subject"), width: 12, grow: 2},
		{title: t.T("col.value"), width: 6, right: true},
		{title: t.T("col.coefficient"), width: 5, right: true},
		{title: t.T("col.date"), width: 10},
		{title: t.T("col.teacher"), width: 10, grow: 1},
	}, m.cell)
	if c.Curricula != nil {
		m.sems = newSemesters(c)
	}
	return m
}

func (m *myGrades) Init() tea.Cmd { return m.load() }

func (m *myGrades) load() tea.Cmd {
	m.seq++
	c, seq := m.c, m.seq
	return func() tea.Msg {
		st, err := c.Students.Get(c.Ctx, c.Actor, c.Actor.StudentID)
		if err != nil {
			return myGradesLoadedMsg{from: m, seq: seq, err: err}
		}
		standing, err := c.Students.Standing(c.Ctx, c.Actor, st)
		msg := myGradesLoadedMsg{from: m, seq: seq, student: st, standing: standing, notices: loadMyNotices(c), err: err}
		if c.Curricula != nil && err == nil {
			// The domain leaves out what a student may not see yet.
			msg.sems, msg.semErr = c.Curricula.Semesters(c.Ctx, c.Actor, st)
		}
		return msg
	}
}

func (m *myGrades) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case myGradesLoadedMsg:
		if msg.from != m || msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			m.err = ErrorText(m.c.T, msg.err)
			return m, func() tea.Msg { return failed(msg.err) }
		}
		m.student, m.standing, m.notices, m.err = msg.student, msg.standing, msg.notices, ""
		// The marks of evaluations are in the semesters, shown once
		// published; the table keeps the grades typed before curricula.
		m.grades = slices.DeleteFunc(slices.Clone(msg.student.Grades), func(g domain.Grade) bool { return g.EvaluationID != "" })
		slices.SortStableFunc(m.grades, func(a, b domain.Grade) int { return b.Date.Compare(a.Date) })
		m.table.SetRows(len(m.grades))
		if m.sems != nil {
			if msg.semErr != nil {
				m.sems.SetError(ErrorText(m.c.T, msg.semErr))
			} else {
				m.sems.Set(msg.student.Class, msg.sems)
			}
			if !m.semSet {
				m.semView, m.semSet = m.sems.Len() > 0, true
			}
		}
		m.resize() // the warning line comes and goes with the average
		if msg.semErr != nil {
			return m, func() tea.Msg { return failed(msg.semErr) }
		}
		return m, nil
	case changeMsg:
		// Only changes to this record: a reload on every classmate's grade
		// would make each logged-in student re-read the whole roster.
		if msg.change.StudentID != "" && msg.change.StudentID == m.c.Actor.StudentID {
			return m, m.load()
		}
		return m, nil
	case tea.MouseMsg:
		if m.semView {
			m.sems.HandleWheel(msg)
		} else {
			m.table.HandleWheel(msg)
		}
		return m, nil
	case tea.KeyMsg:
		switch {
		case key.Matches(msg, m.keys.Card) && m.student != nil:
			return m, cardDialog(m.c, m.student, m.sems.card(m.semView))
		case m.canSwitch() && key.Matches(msg, m.sems.keys.Toggle):
			m.semView = !m.semView
		case m.semView:
			m.sems.HandleKey(msg)
		default:
			m.table.HandleKey(msg, m.keys.list)
		}
	}
	return m, nil
}

func (m *myGrades) cell(row, col int) string {
	g, t := m.grades[row], m.c.T
	switch col {
	case 0:
		return g.Subject
	case 1:
		return t.Number(g.Value, -1)
	case 2:
		return t.Number(g.Coefficient, -1)
	case 3:
		return t.Date(g.Date)
	}
	return g.Teacher
}

// canSwitch reports whether both views have something to show: the
// semesters of a curriculum, and free grades.
func (m *myGrades) canSwitch() bool {
	return m.sems != nil && m.sems.Len() > 0 && len(m.grades) > 0
}

// below reports the warning case: an average, under the pass mark.
func (m *myGrades) below() bool {
	avg, _ := m.average()
	return avg != nil && *avg < domain.PassMark
}

// average is the record's average as the student may see it: the
// domain gives a student their record with the averages of unpublished
// semesters left out (their terms without an average), and no average
// while the latest semester's results are not published (hidden).
func (m *myGrades) average() (avg *float64, hidden bool) {
	if m.student == nil {
		return nil, false
	}
	if m.student.Average == nil && slices.ContainsFunc(m.student.Terms, func(t domain.TermAverage) bool { return t.Average == nil }) {
		return nil, true
	}
	return m.student.Average, false
}

// standingHidden reports that the rank and the class average are not
// shown: they are drawn from every classmate's latest semester average,
// which may be of a semester whose results are not published yet.
func (m *myGrades) standingHidden() bool {
	if m.sems == nil {
		return false
	}
	for _, r := range m.sems.list {
		if !r.ResultsPublished() {
			return true
		}
	}
	return false
}

// resize gives the table (or the semesters) what the lines above leave:
// title, average, the warning when shown, and the count of grades (or
// the switch between the views).
func (m *myGrades) resize() {
	head := 3 + len(myNoticesLines(m.c, m.notices, m.width))
	if m.below() {
		head++
	}
	m.table.SetSize(m.width, max(2, m.height-head))
	if m.sems != nil {
		m.sems.SetSize(m.width, max(3, m.height-head))
	}
}

func (m *myGrades) SetSize(w, h int) {
	m.width, m.height = w, h
	m.resize()
}

func (m *myGrades) View() string {
	s, t := m.c.Styles, m.c.T
	if m.student == nil {
		if m.err != "" {
			return s.Error.Render(m.err)
		}
		return s.Muted.Render(t.T("loading"))
	}
	st := m.student
	title := t.T("mygrades.title") + " · " + st.FullName() + " · " + st.Number + " · " + st.Class
	shown, hidden := m.average()
	avg := t.T("mygrades.average", t.T("value.out_of_20", t.Average(shown)))
	if hidden {
		avg = t.T("mygrades.average", t.T("mygrades.hidden"))
	}
	rank := t.T("mygrades.norank")
	if m.standing.Rank > 0 {
		rank = t.T("mygrades.rank", m.standing.Rank, m.standing.ClassSize)
	}
	classAvg := t.T("mygrades.classavg", t.T("value.out_of_20", t.Average(m.standing.ClassAverage)))
	standing := s.Bold.Render(avg) + " · " + rank + " · " + classAvg
	if m.standingHidden() {
		standing = s.Bold.Render(avg) + " · " + s.Muted.Render(t.T("mygrades.nostanding"))
	}
	lines := []string{
		s.Title.Render(fit(title, m.width, false)),
		fit(standing, m.width, false),
	}
	if m.below() {
		lines = append(lines, s.Warning.Render(fit("⚠ "+t.T("warn.below"), m.width, false)))
	}
	if m.canSwitch() {
		lines = append(lines, fit(viewSwitch(m.c, m.semView, len(m.grades)), m.width, false))
	}
	if m.semView {
		lines = append(lines, m.sems.View())
		return strings.Join(append(lines, myNoticesLines(m.c, m.notices, m.width)...), "\n")
	}
	if len(m.grades) == 0 {
		lines = append(lines, "", s.Muted.Render(t.T("mygrades.none")))
		return strings.Join(append(lines, myNoticesLines(m.c, m.notices, m.width)...), "\n")
	}
	if !m.canSwitch() {
		lines = append(lines, s.Muted.Render(t.T("mygrades.count", len(m.grades))))
	}
	lines = append(lines, m.table.View(s))
	return strings.Join(append(lines, myNoticesLines(m.c, m.notices, m.width)...), "\n")
}

func (m *myGrades) Capturing() bool { return false }
func (m *myGrades) Dirty() bool     { return false }
func (m *myGrades) ShortHelp() []key.Binding {
	out := []key.Binding{m.keys.list.Up, m.keys.list.Down}
	if m.canSwitch() {
		out = append(out, m.sems.keys.Toggle)
	}
	if m.semView {
		out = append(out, m.sems.bindings()...)
	}
	return append(out, m.keys.Card)
}
func (m *myGrades) FullHelp() [][]key.Binding {
	return [][]key.Binding{m.keys.list.bindings(), m.ShortHelp()[2:]}
}
