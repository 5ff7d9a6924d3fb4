package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var statsText = map[string]text{
	"stats.scope.all":   {"toutes les classes", "all classes"},
	"stats.scope.class": {"classe %s", "class %s"},
	"stats.scope":       {"Périmètre : %s", "Scope: %s"},
	"stats.summary":     {"Moyenne générale %s · %d étudiants · %d notés · %d sous 10/20", "Overall average %s · %d students · %d graded · %d below 10/20"},
	"stats.sec.classes": {"Classes", "Classes"},
	"stats.sec.dist":    {"Répartition", "Distribution"},
	"stats.sec.top":     {"Top 10", "Top 10"},
	"stats.sec.below":   {"Sous 10/20", "Below 10/20"},
	"stats.t.classes":   {"Moyenne par classe (sur 20)", "Average per class (out of 20)"},
	"stats.t.dist":      {"Répartition des moyennes (nombre d'étudiants)", "Distribution of averages (number of students)"},
	"stats.t.top":       {"Les 10 meilleures moyennes", "The 10 best averages"},
	"stats.t.below":     {"%d étudiant(s) sous 10/20", "%d student(s) below 10/20"},
	"stats.col.name":    {"Nom et prénom", "Name"},
	"stats.none":        {"Aucune moyenne dans ce périmètre.", "No average in this scope."},
	"stats.more":        {"… et %d de plus", "… and %d more"},
	"stats.key.class":   {"classe suivante", "next class"},
	"stats.key.prev":    {"classe précédente", "previous class"},
	"stats.key.section": {"section", "section"},
	"stats.key.open":    {"ouvrir l'étudiant", "open student"},
}

type statsKeys struct {
	list                       listKeys
	NextClass, PrevClass, Open key.Binding
	Section                    key.Binding
	Report                     key.Binding
	Ages                       key.Binding // 5: the analytics job's table (stats_ages.go)
}

func newStatsKeys(c *Common) statsKeys {
	t := c.T
	return statsKeys{
		Ages:      newAgesKey(c),
		list:      newListKeys(t),
		NextClass: key.NewBinding(key.WithKeys("c", "]"), key.WithHelp("c/]", t.T("stats.key.class"))),
		PrevClass: key.NewBinding(key.WithKeys("["), key.WithHelp("[", t.T("stats.key.prev"))),
		Section:   key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", t.T("stats.key.section"))),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("entrée", t.T("stats.key.open"))),
		Report:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.T("report.key"))),
	}
}

// stats is the dashboard. When the terminal is large enough the four
// sections sit in a 2×2 grid; otherwise one section at a time fills the
// screen, switched with 1..4, because stacking them at 80×24 left every
// list too short to read.
type stats struct {
	c       *Common
	keys    statsKeys
	st      *domain.Stats
	classes []string // the classes of the last unscoped load, for `c`
	class   string   // "" = all
	// term is the class's current semester, whose procès-verbal p
	// prints; termErr says why there is none (no curriculum).
	term    *domain.Curriculum
	termErr error
	section int // 1 classes, 2 distribution, 3 top, 4 below, 5 ages
	ages    agesSection
	top     *table
	below   *table
	loading bool
	err     string
	seq     int
	width   int
	height  int
}

type statsLoadedMsg struct {
	from    *stats // another instance's late answer is dropped
	seq     int
	st      *domain.Stats
	err     error
	term    *domain.Curriculum
	termErr error
}

func newStats(c *Common) screen {
	m := &stats{c: c, keys: newStatsKeys(c), section: 1}
	t := c.T
	m.top = newTable([]column{
		{title: t.T("col.rank"), width: 4, right: true},
		{title: t.T("col.number"), width: 10},
		{title: t.T("stats.col.name"), width: 10, grow: 1},
		{title: t.T("col.class"), width: 7},
		{title: t.T("col.average"), width: 7, right: true},
	}, m.topCell)
	m.below = newTable([]column{
		{title: t.T("col.number"), width: 10},
		{title: t.T("stats.col.name"), width: 10, grow: 1},
		{title: t.T("col.class"), width: 7},
		{title: t.T("col.average"), width: 7, right: true},
	}, m.belowCell)
	return m
}

func (m *stats) Init() tea.Cmd { return m.load() }

// load asks for the figures of the current scope; a newer load supersedes.
func (m *stats) load() tea.Cmd {
	m.seq++
	m.loading = true
	c, seq, class := m.c, m.seq, m.class
	return func() tea.Msg {
		st, err := c.Students.Stats(c.Ctx, c.Actor, class)
		msg := statsLoadedMsg{from: m, seq: seq, st: st, err: err}
		if err == nil && class != "" && c.Results != nil {
			msg.term, msg.termErr = c.Results.ClassSemester(c.Ctx, c.Actor, class, "")
		}
		return msg
	}
}

func (m *stats) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case agesLoadedMsg:
		m.agesLoaded(msg)
		return m, nil
	case statsLoadedMsg:
		if msg.from != m || msg.seq != m.seq {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			m.err = ErrorText(m.c.T, msg.err)
			return m, func() tea.Msg { return failed(msg.err) }
		}
		m.st, m.err = msg.st, ""
		m.term, m.termErr = msg.term, msg.termErr
		if msg.st.Class == "" {
			m.classes = m.classes[:0]
			for _, cs := range msg.st.Classes {
				m.classes = append(m.classes, cs.Class)
			}
		}
		m.top.SetRows(len(m.st.Top))
		m.below.SetRows(len(m.st.Below))
		m.layout()
		return m, nil
	case changeMsg:
		// Account changes do not move any figure.
		if msg.change.Type == "user.changed" {
			return m, nil
		}
		return m, m.load()
	case tea.MouseMsg:
		if l := m.activeList(); l != nil {
			l.HandleWheel(msg)
		}
		return m, nil
	case tea.KeyMsg:
		return m, m.handleKey(msg)
	}
	return m, nil
}

func (m *stats) handleKey(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.NextClass):
		return m.cycle(1)
	case key.Matches(msg, m.keys.PrevClass):
		return m.cycle(-1)
	case key.Matches(msg, m.keys.Section):
		m.section = int(msg.Runes[0] - '0')
		return nil
	case key.Matches(msg, m.keys.Ages):
		return m.showAges()
	case key.Matches(msg, m.keys.Report):
		return reportDialog(m.c, m.class, m.term, m.termErr)
	case key.Matches(msg, m.keys.Open):
		l, rows := m.activeList(), m.activeRefs()
		if l == nil || l.Cursor() < 0 {
			return nil
		}
		ref := rows[l.Cursor()]
		return func() tea.Msg { return openStudentMsg{ref: ref} }
	}
	if l := m.activeList(); l != nil {
		l.HandleKey(msg, m.keys.list)
	}
	return nil
}

// cycle moves the scope through "all" and each class of the last
// unscoped figures, wrapping around.
func (m *stats) cycle(delta int) tea.Cmd {
	n := len(m.classes) + 1 // position 0 is "all"
	pos := 0
	for i, c := range m.classes {
		if c == m.class {
			pos = i + 1
		}
	}
	pos = (pos + delta + n) % n
	m.class = ""
	if pos > 0 {
		m.class = m.classes[pos-1]
	}
	return m.load()
}

// activeList is the list that takes the cursor keys and enter: in the grid
// the below list when section 4 is picked, else the top list; alone, the
// list of the section shown, if it is one.
func (m *stats) activeList() *table {
	switch {
	case m.section == 5:
		return nil
	case m.section == 4:
		return m.below
	case m.section == 3 || m.wide():
		return m.top
	}
	return nil
}

func (m *stats) activeRefs() []string {
	var refs []string
	if m.st == nil {
		return refs
	}
	if m.activeList() == m.below {
		for _, r := range m.st.Below {
			refs = append(refs, r.Number)
		}
		return refs
	}
	for _, r := range m.st.Top {
		refs = append(refs, r.Number)
	}
	return refs
}

func (m *stats) topCell(row, col int) string {
	r := m.st.Top[row]
	switch col {
	case 0:
		return fmt.Sprint(r.Rank)
	case 1:
		return r.Number
	case 2:
		return r.LastName + " " + r.FirstName
	case 3:
		return r.Class
	}
	return m.c.T.Average(r.Average)
}

func (m *stats) belowCell(row, col int) string {
	r := m.st.Below[row]
	return [...]string{r.Number, r.LastName + " " + r.FirstName, r.Class, m.c.T.Average(r.Average)}[col]
}

func (m *stats) Capturing() bool { return false }
func (m *stats) Dirty() bool     { return false }

func (m *stats) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.NextClass, m.keys.Section, m.keys.Ages, m.keys.Open}
}

func (m *stats) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.NextClass, m.keys.PrevClass, m.keys.Section, m.keys.Ages, m.keys.Open, m.keys.Report},
		m.keys.list.bindings(),
	}
}
