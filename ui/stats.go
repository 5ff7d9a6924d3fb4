package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

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
}

func newStatsKeys(t *Translator) statsKeys {
	return statsKeys{
		list:      newListKeys(t),
		NextClass: key.NewBinding(key.WithKeys("c", "]"), key.WithHelp("c/]", t.T("stats.key.class"))),
		PrevClass: key.NewBinding(key.WithKeys("["), key.WithHelp("[", t.T("stats.key.prev"))),
		Section:   key.NewBinding(key.WithKeys("1", "2", "3", "4"), key.WithHelp("1-4", t.T("stats.key.section"))),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("entrée", t.T("stats.key.open"))),
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
	section int      // 1 classes, 2 distribution, 3 top, 4 below
	top     *table
	below   *table
	loading bool
	err     string
	seq     int
	width   int
	height  int
}

type statsLoadedMsg struct {
	from *stats // another instance's late answer is dropped
	seq  int
	st   *domain.Stats
	err  error
}

func newStats(c *Common) screen {
	m := &stats{c: c, keys: newStatsKeys(c.T), section: 1}
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
		return statsLoadedMsg{from: m, seq: seq, st: st, err: err}
	}
}

func (m *stats) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
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
			switch msg.Button {
			case tea.MouseButtonWheelUp:
				l.Scroll(-3)
			case tea.MouseButtonWheelDown:
				l.Scroll(3)
			}
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

// Heights of the fixed parts: the two summary lines; in the grid the
// charts' row (title + at least 10 lines) and the top list (title, header,
// 10 rows).
const (
	statsHead    = 2
	statsListMin = 12
)

func (m *stats) chartRows() int {
	n := 10
	if m.st != nil {
		n = max(n, len(m.st.Classes))
	}
	return 1 + n
}

// wide reports whether the grid fits: two columns of at least 48 cells
// and every line of both rows.
func (m *stats) wide() bool {
	return m.width >= 100 && m.height >= statsHead+m.chartRows()+1+statsListMin
}

func (m *stats) SetSize(w, h int) {
	m.width, m.height = w, h
	m.layout()
}

func (m *stats) layout() {
	if m.wide() {
		left := (m.width - 2) / 2
		lists := m.height - statsHead - m.chartRows() - 1
		m.top.SetSize(left, statsListMin-1)
		m.below.SetSize(m.width-left-2, lists-1)
		return
	}
	body := max(2, m.height-statsHead-2) // section bar and title
	m.top.SetSize(m.width, body)
	m.below.SetSize(m.width, body)
}

func (m *stats) View() string {
	s := m.c.Styles
	if m.st == nil {
		if m.err != "" {
			return s.Error.Render(m.err)
		}
		return s.Muted.Render(m.c.T.T("loading"))
	}
	head := m.summary()
	if m.wide() {
		left := (m.width - 2) / 2
		right := m.width - left - 2
		charts := lipgloss.JoinHorizontal(lipgloss.Top,
			m.block(m.classChart(left, m.chartRows()-1), left), "  ",
			m.block(m.histogram(right), right))
		lists := lipgloss.JoinHorizontal(lipgloss.Top,
			m.block(m.topList(m.section != 4), left), "  ",
			m.block(m.belowList(m.section == 4), right))
		return head + "\n" + charts + "\n\n" + lists
	}
	body := ""
	switch m.section {
	case 1:
		body = m.classChart(m.width, m.height-statsHead-2)
	case 2:
		body = m.histogram(m.width)
	case 3:
		body = m.topList(true)
	default:
		body = m.belowList(true)
	}
	return head + "\n" + m.sectionBar() + "\n" + body
}

// block pads a section to its column's width so columns line up.
func (m *stats) block(s string, w int) string {
	return lipgloss.NewStyle().Width(w).MaxWidth(w).Render(s)
}

func (m *stats) summary() string {
	s, t := m.c.Styles, m.c.T
	scope := t.T("stats.scope.all")
	if m.class != "" {
		scope = t.T("stats.scope.class", m.class)
	}
	line := s.Title.Render(t.T("stats.scope", scope))
	if m.loading && m.st.Class != m.class {
		// Only a change of scope says so: feed reloads would flicker.
		line += "  " + s.Muted.Render(t.T("loading"))
	}
	avg := t.T("value.out_of_20", t.Average(m.st.Average))
	sum := t.T("stats.summary", avg, m.st.Students, m.st.Graded, len(m.st.Below))
	return fit(line, m.width, false) + "\n" + fit(s.Bold.Render(sum), m.width, false)
}

func (m *stats) sectionBar() string {
	s := m.c.Styles
	names := []string{"stats.sec.classes", "stats.sec.dist", "stats.sec.top", "stats.sec.below"}
	parts := make([]string, len(names))
	for i, n := range names {
		style := s.Tab
		if m.section == i+1 {
			style = s.ActiveTab
		}
		parts[i] = style.Render(fmt.Sprintf("%d %s", i+1, m.c.T.T(n)))
	}
	return fit(strings.Join(parts, ""), m.width, false)
}

// classChart draws one bar per class, scaled 0–20, below the pass mark in
// the warning style; rows bounds the lines after the title.
func (m *stats) classChart(w, rows int) string {
	s, t := m.c.Styles, m.c.T
	lines := []string{s.Header.Render(fit(t.T("stats.t.classes"), w, false))}
	labelW := 5
	for _, cs := range m.st.Classes {
		labelW = max(labelW, min(12, lipgloss.Width(cs.Class)))
	}
	barW := max(1, w-labelW-8)
	for i, cs := range m.st.Classes {
		if i == rows-1 && len(m.st.Classes) > rows {
			lines = append(lines, s.Muted.Render(t.T("stats.more", len(m.st.Classes)-i)))
			break
		}
		style := s.Info
		if cs.Average != nil && *cs.Average < domain.PassMark {
			style = s.Warning
		}
		v := 0.0
		if cs.Average != nil {
			v = *cs.Average
		}
		lines = append(lines, fit(cs.Class, labelW, false)+" "+
			style.Render(fit(bar(v, domain.MaxGrade, barW), barW, false))+" "+fit(t.Average(cs.Average), 6, true))
	}
	return strings.Join(lines, "\n")
}

// histogram draws the ten buckets 0–2 … 18–20 as horizontal bars scaled to
// the fullest bucket.
func (m *stats) histogram(w int) string {
	s, t := m.c.Styles, m.c.T
	lines := []string{s.Header.Render(fit(t.T("stats.t.dist"), w, false))}
	most := 0
	for _, n := range m.st.Distribution {
		most = max(most, n)
	}
	countW := len(fmt.Sprint(most))
	barW := max(1, w-6-2-countW)
	for i, n := range m.st.Distribution {
		style := s.Info
		if float64(2*i) < domain.PassMark {
			style = s.Warning
		}
		b := ""
		if most > 0 {
			b = bar(float64(n), float64(most), barW)
		}
		lines = append(lines, fit(fmt.Sprintf("%d–%d", 2*i, 2*i+2), 5, true)+" "+
			style.Render(fit(b, barW, false))+" "+fit(fmt.Sprint(n), countW, true))
	}
	return strings.Join(lines, "\n")
}

func (m *stats) topList(focused bool) string {
	return m.list(m.c.T.T("stats.t.top"), m.top, focused, len(m.st.Top))
}

func (m *stats) belowList(focused bool) string {
	return m.list(m.c.T.T("stats.t.below", len(m.st.Below)), m.below, focused, len(m.st.Below))
}

func (m *stats) list(title string, t *table, focused bool, n int) string {
	s := m.c.Styles
	titleStyle, rows := s.Header, s
	if !focused {
		// The cursor of a list the keys do not move would mislead.
		titleStyle, rows.Selected = s.Muted, s.Cell
	}
	out := titleStyle.Render(fit(title, t.width, false)) + "\n"
	if n == 0 {
		return out + s.Muted.Render(m.c.T.T("stats.none"))
	}
	return out + t.View(rows)
}

// bar is value/full of width cells in eighth-cell steps.
func bar(value, full float64, width int) string {
	if full <= 0 || value <= 0 || width <= 0 {
		return ""
	}
	eighths := int(min(value/full, 1)*float64(width)*8 + 0.5)
	out := strings.Repeat("█", eighths/8)
	if rest := eighths % 8; rest > 0 {
		out += string([]rune("▏▎▍▌▋▊▉")[rest-1])
	}
	return out
}

func (m *stats) Capturing() bool { return false }
func (m *stats) Dirty() bool     { return false }

func (m *stats) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.NextClass, m.keys.Section, m.keys.Open}
}

func (m *stats) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{m.keys.NextClass, m.keys.PrevClass, m.keys.Section, m.keys.Open},
		m.keys.list.bindings(),
	}
}
