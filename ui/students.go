package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var studentsText = map[string]text{
	"students.filter":    {"filtrer", "filter"},
	"students.clear":     {"effacer le filtre", "clear filter"},
	"students.sort":      {"trier (colonne suivante)", "sort (next column)"},
	"students.reverse":   {"inverser l'ordre", "reverse order"},
	"students.open":      {"ouvrir", "open"},
	"students.new":       {"nouvel étudiant", "new student"},
	"students.edit":      {"modifier", "edit"},
	"students.delete":    {"supprimer", "delete"},
	"students.reload":    {"recharger", "reload"},
	"students.rows":      {"lignes %d–%d sur %d", "rows %d–%d of %d"},
	"students.none":      {"aucune ligne sur %d", "no rows of %d"},
	"students.matching":  {"%d correspondent sur %d", "%d matching of %d"},
	"students.sorted":    {"tri : %s %s", "sort: %s %s"},
	"students.filtering": {"filtre : « %s »", "filter: “%s”"},
	"students.confirm":   {"Supprimer %s (%s) ? (o/n)", "Delete %s (%s)? (y/n)"},
	"students.deleted":   {"Étudiant %s supprimé.", "Student %s deleted."},
	"students.empty":     {"Aucun étudiant à afficher.", "No students to show."},
	"students.semester":  {"semestre affiché", "semester shown"},
	"students.avgsem":    {"Moy. %s", "Avg. %s"},
	"students.shown":     {"moyenne : %s", "average: %s"},
	"students.overall":   {"générale", "overall"},
}

// rosterColumns are the table's columns, in the order `s` walks them.
var rosterColumns = []struct {
	key   domain.SortKey
	width int
	grow  int
	right bool
}{
	{domain.SortNumber, 10, 0, false},
	{domain.SortLastName, 9, 3, false},
	{domain.SortFirstName, 9, 3, false},
	{domain.SortPhone, 13, 1, false}, // "+33 6 12 34 56 78" needs 17
	{domain.SortClass, 7, 1, false},
	{domain.SortMajor, 8, 2, false},
	{domain.SortAverage, 10, 0, true}, // "Moy. S10 ↓"
	{domain.SortGrades, 6, 0, true},
}

// averageCol is the average's column in rosterColumns.
const averageCol = 6

type studentsKeys struct {
	list                                    listKeys
	Filter, Clear, Sort, Reverse, Open      key.Binding
	New, Edit, Delete, Reload, Confirm, Esc key.Binding
	Export, Import                          key.Binding
	// Semester steps the average shown: `]` forward, `[` back.
	Semester key.Binding
}

// students is the roster table: the whole visible roster is loaded once,
// then filtered and sorted in memory as one types, and only the rows on
// screen are drawn.
type students struct {
	c      *Common
	keys   studentsKeys
	table  *table
	filter textinput.Model

	rows   []domain.RosterRow // everything the actor may see, sorted
	search []string           // rows[i].SearchKey(), computed off the UI loop
	digits []string           // rows[i]'s phone digits
	view   []int              // indices into rows that pass the filter

	// The semester selector: the current year's semesters the rows hold
	// averages of, and the one shown ("": the overall average).
	year      string
	semesters []string
	semester  string

	sortCol  int
	sortAsc  bool
	loading  bool
	online   bool
	confirm  *domain.RosterRow // awaiting "delete?" answer
	width    int
	height   int
	loadSeq  int // drops superseded loads
	keepOn   string
	canAdmin bool
}

// rosterLoadedMsg carries a loaded roster with its search keys.
type rosterLoadedMsg struct {
	from      *students // a new students screen (after a log-in) counts from 1 again
	seq       int
	page      domain.RosterPage
	search    []string
	digits    []string
	semesters []string // domain.RosterSemesters of the current year
}

func newStudents(c *Common) *students {
	t := c.T
	f := newInput(c.Styles, 60)
	f.Prompt = "/ "
	s := &students{c: c, filter: f, sortCol: averageCol, canAdmin: c.Actor.Role == domain.RoleAdmin, online: true, loading: true}
	if c.Curricula != nil {
		s.year = c.Curricula.CurrentYear()
	}
	s.keys = studentsKeys{
		list:    newListKeys(t),
		Filter:  key.NewBinding(key.WithKeys("/"), key.WithHelp("/", t.T("students.filter"))),
		Clear:   key.NewBinding(key.WithKeys("esc"), key.WithHelp(t.T("keyname.esc"), t.T("students.clear"))),
		Sort:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("students.sort"))),
		Reverse: key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("students.reverse"))),
		Open:    key.NewBinding(key.WithKeys("enter"), key.WithHelp(t.T("keyname.enter"), t.T("students.open"))),
		New:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.T("students.new"))),
		Edit:    key.NewBinding(key.WithKeys("e"), key.WithHelp("e", t.T("students.edit"))),
		Delete:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", t.T("students.delete"))),
		Reload:  key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", t.T("students.reload"))),
		Export:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", t.T("export.key"))),
		Import:  key.NewBinding(key.WithKeys("i"), key.WithHelp("i", t.T("import.key"))),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp(t.T("keyname.enter"), t.T("key.confirm"))),
		Esc:     key.NewBinding(key.WithKeys("esc"), key.WithHelp(t.T("keyname.esc"), t.T("key.cancel"))),
		Semester: key.NewBinding(key.WithKeys("]", "["), key.WithHelp("[ ]", t.T("students.semester")),
			key.WithDisabled()), // until a load finds semesters
	}
	s.keys.New.SetEnabled(s.canAdmin)
	s.keys.Edit.SetEnabled(s.canAdmin)
	s.keys.Delete.SetEnabled(s.canAdmin)
	s.keys.Import.SetEnabled(s.canAdmin)
	cols := make([]column, len(rosterColumns))
	for i, rc := range rosterColumns {
		cols[i] = column{title: t.T("col." + string(rc.key)), width: rc.width, grow: rc.grow, right: rc.right}
	}
	s.table = newTable(cols, s.cell)
	s.table.sortCol, s.table.sortDesc = s.sortCol, !s.sortAsc
	return s
}

func (s *students) Init() tea.Cmd { return s.load() }

// load fetches the roster and prepares the search keys in a command, so
// the UI loop never computes 100,000 keys.
func (s *students) load() tea.Cmd {
	s.loadSeq++
	seq, c, year := s.loadSeq, s.c, s.year
	return func() tea.Msg {
		page, err := c.Students.Roster(c.Ctx, c.Actor, domain.RosterQuery{})
		if err != nil {
			return failed(err)
		}
		search, digits := make([]string, len(page.Rows)), make([]string, len(page.Rows))
		for i := range page.Rows {
			search[i], digits[i] = page.Rows[i].SearchKey(), domain.Digits(page.Rows[i].Phone)
		}
		var semesters []string
		if year != "" {
			semesters = domain.RosterSemesters(page.Rows, year)
		}
		return rosterLoadedMsg{from: s, seq: seq, page: page, search: search, digits: digits, semesters: semesters}
	}
}

func (s *students) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case rosterLoadedMsg:
		if msg.from != s || msg.seq != s.loadSeq {
			return s, nil
		}
		s.loading, s.online = false, msg.page.CacheOnline
		s.rows, s.search, s.digits = msg.page.Rows, msg.search, msg.digits
		s.semesters = msg.semesters
		s.keys.Semester.SetEnabled(len(s.semesters) > 0)
		if !slices.Contains(s.semesters, s.semester) {
			s.semester = "" // its averages are gone: back to the overall one
		}
		s.showAverageTitle()
		s.resort()
		return s, nil
	case changeMsg:
		s.keepOn = s.selectedNumber()
		return s, s.load()
	case studentDeletedMsg:
		return s, tea.Batch(status(statusSuccess, s.c.T.T("students.deleted", msg.number)), s.load())
	case tea.MouseMsg:
		return s, s.mouse(msg)
	case tea.KeyMsg:
		return s, s.key(msg)
	}
	return s, nil
}

type studentDeletedMsg struct{ number string }

func (s *students) key(msg tea.KeyMsg) tea.Cmd {
	k := s.keys
	if s.confirm != nil {
		r := *s.confirm
		s.confirm = nil
		if isYes(s.c.T, msg) || key.Matches(msg, k.Confirm) {
			return s.delete(r)
		}
		return nil
	}
	if s.filter.Focused() {
		switch {
		case key.Matches(msg, k.Clear):
			s.filter.SetValue("")
			s.filter.Blur()
			s.applyFilter()
		case key.Matches(msg, k.Open):
			s.filter.Blur()
		default:
			var cmd tea.Cmd
			s.filter, cmd = s.filter.Update(msg)
			s.applyFilter()
			return cmd
		}
		return nil
	}
	if s.table.HandleKey(msg, k.list) {
		return nil
	}
	switch {
	case key.Matches(msg, k.Filter):
		s.filter.Focus()
		return nil
	case key.Matches(msg, k.Clear) && s.filter.Value() != "":
		s.filter.SetValue("")
		s.applyFilter()
	case key.Matches(msg, k.Sort):
		s.sortBy((s.sortCol + 1) % len(rosterColumns))
	case key.Matches(msg, k.Reverse):
		s.sortAsc = !s.sortAsc
		s.resort()
	case key.Matches(msg, k.Semester):
		s.stepSemester(msg.String() == "[")
	case key.Matches(msg, k.Export):
		return exportDialog(s)
	case key.Matches(msg, k.Import):
		return importDialog(s.c)
	case key.Matches(msg, k.Reload):
		return s.load()
	case key.Matches(msg, k.Open):
		if r := s.selected(); r != nil {
			return func() tea.Msg { return openStudentMsg{ref: r.Number} }
		}
	case key.Matches(msg, k.New):
		return func() tea.Msg { return openFormMsg{} }
	case key.Matches(msg, k.Edit):
		if r := s.selected(); r != nil {
			c, number := s.c, r.Number
			return func() tea.Msg {
				st, err := c.Students.Get(c.Ctx, c.Actor, number)
				if err != nil {
					return failed(err)
				}
				return openFormMsg{student: st}
			}
		}
	case key.Matches(msg, k.Delete):
		if r := s.selected(); r != nil {
			row := *r
			s.confirm = &row
		}
	}
	return nil
}

func (s *students) delete(r domain.RosterRow) tea.Cmd {
	c := s.c
	return func() tea.Msg {
		if err := c.Students.Delete(c.Ctx, c.Actor, r.Number, 0); err != nil {
			return failed(err)
		}
		return studentDeletedMsg{number: r.Number}
	}
}

func (s *students) mouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case s.table.HandleWheel(msg):
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft:
		// The screen starts below the root's one-line header.
		y := msg.Y - 1 - s.filterLines()
		if y == 0 {
			if col := s.table.ColumnAt(msg.X); col >= 0 {
				if col == s.sortCol {
					s.sortAsc = !s.sortAsc
					s.resort()
				} else {
					s.sortBy(col)
				}
			}
		} else if y > 0 {
			s.table.Move(s.table.offset + y - 1 - s.table.cursor)
		}
	}
	return nil
}

// sortBy switches to a column in its natural order.
func (s *students) sortBy(col int) {
	s.sortCol = col
	s.sortAsc = domain.OrderNatural.Ascending(rosterColumns[col].key)
	s.resort()
}

// resort orders rows (with their keys) and reapplies the filter.
func (s *students) resort() {
	keep := s.keepOn
	if keep == "" {
		keep = s.selectedNumber()
	}
	s.keepOn = ""
	idx := domain.SortOrderShown(s.rows, rosterColumns[s.sortCol].key, s.sortAsc, s.shown())
	rows, search, digits := make([]domain.RosterRow, len(idx)), make([]string, len(idx)), make([]string, len(idx))
	for i, j := range idx {
		rows[i], search[i], digits[i] = s.rows[j], s.search[j], s.digits[j]
	}
	s.rows, s.search, s.digits = rows, search, digits
	s.table.sortCol, s.table.sortDesc = s.sortCol, !s.sortAsc
	s.applyFilter()
	s.selectNumber(keep)
}

// applyFilter recomputes the visible rows from the filter text: a plain
// substring over prepared keys, so one keystroke over 100,000 rows is cheap.
func (s *students) applyFilter() {
	m := domain.NewMatcher(s.filter.Value(), s.c.Students.Phones())
	s.view = s.view[:0]
	for i := range s.rows {
		if m.MatchKey(s.search[i], s.digits[i]) {
			s.view = append(s.view, i)
		}
	}
	s.table.SetRows(len(s.view))
}

func (s *students) selected() *domain.RosterRow {
	if i := s.table.Cursor(); i >= 0 {
		return &s.rows[s.view[i]]
	}
	return nil
}

func (s *students) selectedNumber() string {
	if r := s.selected(); r != nil {
		return r.Number
	}
	return ""
}

func (s *students) selectNumber(number string) {
	if number == "" {
		return
	}
	for i, j := range s.view {
		if s.rows[j].Number == number {
			s.table.Move(i - s.table.cursor)
			return
		}
	}
}

func (s *students) SetSize(w, h int) {
	s.width, s.height = w, h
	s.table.SetSize(w, h-1-s.filterLines())
}

func (s *students) Capturing() bool { return s.filter.Focused() || s.confirm != nil }
func (s *students) Dirty() bool     { return false }

func (s *students) ShortHelp() []key.Binding {
	k := s.keys
	if s.filter.Focused() {
		return []key.Binding{k.Clear, k.Open}
	}
	return []key.Binding{k.Filter, k.Sort, k.Reverse, k.Semester, k.Open, k.New}
}

func (s *students) FullHelp() [][]key.Binding {
	k := s.keys
	return [][]key.Binding{k.list.bindings(), {k.Filter, k.Clear, k.Sort, k.Reverse, k.Semester}, {k.Open, k.New, k.Edit, k.Delete, k.Reload, k.Export, k.Import}}
}
