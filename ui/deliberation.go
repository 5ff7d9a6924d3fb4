package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var deliberationText = map[string]text{
	"tab.deliberation":    {"Délibérations", "Deliberation"},
	"delib.pick":          {"Choisir une classe et un semestre · session %d (s : l'autre)", "Pick a class and a semester · session %d (s: the other)"},
	"delib.none":          {"Aucun semestre à délibérer cette année (curriculum import).", "No semester to deliberate this year (curriculum import)."},
	"delib.title":         {"Délibérations · %s %s %s · session %d · règlement v%d", "Deliberation · %s %s %s · session %d · regulation v%d"},
	"delib.readonly":      {"lecture seule", "read-only"},
	"delib.frozen":        {"%s : décisions figées", "%s: decisions frozen"},
	"delib.session.past":  {"session passée", "past session"},
	"delib.empty":         {"Aucun étudiant dans cette classe.", "No student in this class."},
	"delib.nomatch":       {"Aucun étudiant ne correspond au filtre.", "No student matches the filter."},
	"delib.rank":          {"Rg", "Rk"},
	"delib.student":       {"Étudiant", "Student"},
	"delib.average":       {"Moy.", "Avg."},
	"delib.credits":       {"Créd.", "Cred."},
	"delib.decision":      {"Décision", "Decision"},
	"delib.mention":       {"Mention", "Mention"},
	"delib.mention.short": {"Ment.", "Ment."},
	"delib.points.on":     {"+%s sur %s", "+%s on %s"},
	"delib.jury.entry":    {"jury : %s « %s »", "jury: %s “%s”"},
	"delib.jury":          {"jury", "jury"},
	"delib.admitted":      {"admis %d/%d (%d %%)", "admitted %d/%d (%d%%)"},
	"delib.filter":        {"filtre : %s", "filter: %s"},
	"delib.filter.bar":    {"sous la note plancher", "below the barrier"},
	"delib.legend":        {"* sous 10", "* below 10"},
	"delib.legend.bar":    {"! sous la note plancher (%s)", "! below the barrier (%s)"},
	"delib.legend.cap":    {"points de jury ≤ %s", "jury points ≤ %s"},
	"delib.missing":       {"sans note : %s", "no mark: %s"},
	"delib.ask.decision":  {"Décision du jury pour %s (%s → ADM, ADC, AJ ou DEF)", "The jury's decision for %s (%s → ADM, ADC, AJ or DEF)"},
	"delib.ask.points":    {"Points de jury pour %s (au plus %s par UE et pour le semestre)", "Jury points for %s (at most %s per UE and for the semester)"},
	"delib.ue.hint":       {"vide : le semestre", "empty: the semester"},
	"delib.decided":       {"%s : décision %s enregistrée.", "%s: decision %s recorded."},
	"delib.pointed":       {"%s : %s point(s) de jury sur %s enregistré(s).", "%s: %s jury point(s) on %s recorded."},
	"delib.semester":      {"le semestre", "the semester"},
	"key.delib.open":      {"ouvrir", "open"},
	"key.delib.detail":    {"fiche", "record"},
	"key.delib.back":      {"retour aux semestres", "back to semesters"},
	"key.delib.filter":    {"filtre décision", "decision filter"},
	"key.delib.barrier":   {"sous la note plancher", "below the barrier"},
	"key.delib.session":   {"session 1/2", "session 1/2"},
	"key.delib.sort":      {"tri nom/rang", "sort name/rank"},
	"key.delib.override":  {"changer la décision", "override the decision"},
	"key.delib.points":    {"points de jury", "jury points"},
	"key.delib.field":     {"champ suivant", "next field"},
	"key.delib.field.up":  {"champ précédent", "previous field"},
	"field.decision":      {"Décision", "Decision"},
	"field.points":        {"Points", "Points"},
	"field.ue":            {"UE", "UE"},
	"field.session":       {"Session", "Session"},
	// The domain's reasons about the jury, matched by their beginning.
	"reason.must be ADM, ADC, AJ or DEF":  {"doit être ADM, ADC, AJ ou DEF", "must be ADM, ADC, AJ or DEF"},
	"reason.must be a positive number":    {"doit être un nombre positif, par ex. 0,25", "must be a positive number such as 0,25"},
	"reason.is not a UE of":               {"n'est pas une UE de ce semestre", "is not a UE of this semester"},
	"reason.would make":                   {"dépasserait le plafond des points de jury du règlement", "would go over the regulation's cap on jury points"},
	"reason.give either a decision":       {"donnez une décision ou des points, pas les deux", "give either a decision or points, not both"},
	"reason.a decision is the semester's": {"une décision porte sur le semestre : pas d'UE", "a decision is the semester's: no UE"},
	"reason.must be 1 or 2":               {"doit être 1 ou 2", "must be 1 or 2"},
}

type deliberationKeys struct {
	list                                 listKeys
	Open, Detail, Back, Filter, Barrier  key.Binding
	Session, Sort, Override, Points      key.Binding
	Rules                                key.Binding
	NextField, PrevField, Submit, Cancel key.Binding
}

func newDeliberationKeys(t *Translator) deliberationKeys {
	enter, esc := t.T("keyname.enter"), t.T("keyname.esc")
	return deliberationKeys{
		list:      newListKeys(t),
		Open:      key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("key.delib.open"))),
		Detail:    key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("key.delib.detail"))),
		Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp(esc, t.T("key.delib.back"))),
		Filter:    key.NewBinding(key.WithKeys("d"), key.WithHelp("d", t.T("key.delib.filter"))),
		Barrier:   key.NewBinding(key.WithKeys("b"), key.WithHelp("b", t.T("key.delib.barrier"))),
		Session:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("key.delib.session"))),
		Sort:      key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("key.delib.sort"))),
		Override:  key.NewBinding(key.WithKeys("o"), key.WithHelp("o", t.T("key.delib.override"))),
		Points:    key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.T("key.delib.points"))),
		Rules:     key.NewBinding(key.WithKeys("R"), key.WithHelp("R", t.T("key.rules.open"))),
		NextField: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", t.T("key.delib.field"))),
		PrevField: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("⇧tab/↑", t.T("key.delib.field.up"))),
		Submit:    key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("key.confirm"))),
		Cancel:    key.NewBinding(key.WithKeys("esc"), key.WithHelp(esc, t.T("key.cancel"))),
	}
}

// delibChoice is a semester the actor may read, and the session shown.
type delibChoice struct {
	class, semester, year string
	status                domain.SemesterStatus
	session               int
}

// decisionFilters is the order the filter key cycles through ("": all).
var decisionFilters = []domain.Decision{"", domain.DecisionADM, domain.DecisionADC, domain.DecisionAJ, domain.DecisionDEF}

// deliberation is "Délibérations": pick a class's semester and session,
// then every student's results as the jury sees them (UE averages, the
// semester's, credits, decision, mention, rank), filtered by decision or
// to the students below the barrier. Admins record the jury's decisions
// and points; teachers read the classes they read.
type deliberation struct {
	c       *Common
	keys    deliberationKeys
	choices []delibChoice
	pick    int
	session int          // the session the picker opens
	choice  *delibChoice // the session shown, nil on the picker
	res     *domain.ClassResults
	rows    []int // indices in res.Outcomes, as filtered and sorted
	cursor  int
	top     int
	filter  int  // index in decisionFilters
	barrier bool // below the barrier only
	byRank  bool
	prompt  *juryPrompt
	seq     int
	err     string
	width   int
	height  int
}

// juryPrompt is the question o or p asks on the last lines: a decision
// and a reason, or points, a UE and a reason.
type juryPrompt struct {
	points    bool
	studentID string
	number    string
	name      string
	current   domain.Decision
	labels    []string
	inputs    []textinput.Model
	focus     int
	err       string
	saving    bool
}

func newDeliberation(c *Common) screen {
	m := &deliberation{c: c, keys: newDeliberationKeys(c.T), session: 1}
	m.enableJury()
	m.keys.Rules.SetEnabled(c.Actor.Role == domain.RoleAdmin)
	return m
}

type (
	delibChoicesMsg struct {
		from    *deliberation
		choices []delibChoice
		err     error
	}
	delibLoadedMsg struct {
		from *deliberation
		seq  int
		res  *domain.ClassResults
		err  error
	}
	delibJuryMsg struct {
		from  *deliberation
		entry *domain.JuryEntry
		name  string
		err   error
	}
)

// Init lists the semesters and, back from a student's record, reads the
// results shown again.
func (m *deliberation) Init() tea.Cmd {
	if m.choice != nil {
		return tea.Batch(m.loadChoices(), m.load())
	}
	return m.loadChoices()
}

func (m *deliberation) loadChoices() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		if c.Curricula == nil || c.Results == nil {
			return delibChoicesMsg{from: m}
		}
		list, err := c.Curricula.List(c.Ctx, c.Actor, "", "")
		out := make([]delibChoice, 0, len(list))
		for _, cur := range list {
			out = append(out, delibChoice{class: cur.Class, semester: cur.Semester, year: cur.Year, status: cur.Status})
		}
		return delibChoicesMsg{from: m, choices: out, err: err}
	}
}

// load reads the results of the session chosen.
func (m *deliberation) load() tea.Cmd {
	m.seq++
	c, seq, ch := m.c, m.seq, *m.choice
	return func() tea.Msg {
		res, err := c.Results.Results(c.Ctx, c.Actor, ch.class, ch.semester, ch.year, ch.session)
		return delibLoadedMsg{from: m, seq: seq, res: res, err: err}
	}
}

// save records what the prompt holds through the domain, which checks
// it (a reason, the decision's code, the points' cap).
func (m *deliberation) save() tea.Cmd {
	p, c, ch := m.prompt, m.c, *m.choice
	in := domain.JuryInput{Student: p.number, Semester: ch.semester, Year: ch.year, Session: ch.session}
	if p.points {
		in.Points, in.UE, in.Reason = p.inputs[0].Value(), p.inputs[1].Value(), p.inputs[2].Value()
	} else {
		in.Decision, in.Reason = p.inputs[0].Value(), p.inputs[1].Value()
	}
	p.saving = true
	name := p.name
	return func() tea.Msg {
		e, err := c.Results.Override(c.Ctx, c.Actor, in)
		return delibJuryMsg{from: m, entry: e, name: name, err: err}
	}
}

// mayDecide: an admin, on a semester still open (closing it freezes the
// jury's decisions).
func (m *deliberation) mayDecide() bool {
	return m.c.Actor.Role == domain.RoleAdmin && m.res != nil && m.res.Curriculum.Status == domain.SemesterOpen &&
		m.res.Session == m.res.Curriculum.CurrentSession()
}

// Capturing: the prompt takes every key.
func (m *deliberation) Capturing() bool { return m.prompt != nil }

// Dirty: something typed in the prompt and not saved.
func (m *deliberation) Dirty() bool {
	if m.prompt == nil {
		return false
	}
	for _, in := range m.prompt.inputs {
		if in.Value() != "" {
			return true
		}
	}
	return false
}

func (m *deliberation) SetSize(w, h int) { m.width, m.height = w, h }

func (m *deliberation) ShortHelp() []key.Binding {
	switch {
	case m.prompt != nil:
		return []key.Binding{m.keys.NextField, m.keys.Submit, m.keys.Cancel}
	case m.res == nil:
		return []key.Binding{m.keys.list.Up, m.keys.list.Down, m.keys.Open, m.keys.Session, m.keys.Rules}
	}
	return []key.Binding{m.keys.Override, m.keys.Points, m.keys.Detail, m.keys.Filter, m.keys.Barrier, m.keys.Session, m.keys.Back}
}

func (m *deliberation) FullHelp() [][]key.Binding {
	switch {
	case m.prompt != nil:
		return [][]key.Binding{{m.keys.NextField, m.keys.PrevField, m.keys.Submit, m.keys.Cancel}}
	case m.res == nil:
		return [][]key.Binding{m.keys.list.bindings(), {m.keys.Open, m.keys.Session, m.keys.Rules}}
	}
	return [][]key.Binding{m.keys.list.bindings(), {m.keys.Detail, m.keys.Override, m.keys.Points, m.keys.Back},
		{m.keys.Filter, m.keys.Barrier, m.keys.Session, m.keys.Sort}}
}

// enableJury offers o and p only to whom may use them, where they may
// (called with every reading of the results).
func (m *deliberation) enableJury() {
	on := m.mayDecide()
	m.keys.Override.SetEnabled(on)
	m.keys.Points.SetEnabled(on)
}
