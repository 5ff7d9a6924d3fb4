package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var rulesText = map[string]text{
	"rules.title":        {"Règlement des résultats · version %d", "Results regulation · version %d"},
	"rules.changed":      {"modifié le %s par %s", "changed on %s by %s"},
	"rules.barrier":      {"Note plancher d'une UE (vide : aucune)", "UE barrier (empty: none)"},
	"rules.cap":          {"Points de jury au plus (par UE, par semestre)", "Jury points at most (per UE, per semester)"},
	"rules.ajac":         {"Crédits de l'année pour AJAC", "Year's credits for AJAC"},
	"rules.compensation": {"Compensation entre les semestres d'une année (o/n)", "Compensation between a year's semesters (y/n)"},
	"rules.saved":        {"Règlement enregistré : version %d. Les résultats le suivent dès maintenant.", "Regulation saved: version %d. Results follow it from now on."},
	"rules.bad.number":   {"%s : un nombre est attendu (reçu « %s »)", "%s: a number is expected (got “%s”)"},
	"rules.bad.yesno":    {"%s : o ou n (reçu « %s »)", "%s: y or n (got “%s”)"},
	"rules.hint":         {"Les résultats nomment la version du règlement qui les a calculés.", "Results name the version of the regulation that computed them."},
	"key.rules.save":     {"enregistrer", "save"},
	"key.rules.field":    {"champ suivant", "next field"},
	"key.rules.back":     {"retour", "back"},
	"key.rules.open":     {"règlement", "regulation"},
	"rules.yes":          {"o", "y"},
	"rules.no":           {"n", "n"},
}

type rulesKeys struct {
	Save, Next, Prev, Back key.Binding
}

// rules is the regulation the results follow (admins): its values, edited
// in place and saved as a new version.
type rules struct {
	c      *Common
	keys   rulesKeys
	reg    *domain.Regulation
	inputs []textinput.Model
	focus  int
	err    string
	width  int
	height int
}

type rulesLoadedMsg struct {
	from *rules
	reg  domain.Regulation
	err  error
}

type rulesSavedMsg struct {
	from *rules
	reg  domain.Regulation
	err  error
}

func newRules(c *Common) screen {
	t := c.T
	m := &rules{c: c, keys: rulesKeys{
		Save: key.NewBinding(key.WithKeys("enter", "ctrl+s"), key.WithHelp(t.T("keyname.enter"), t.T("key.rules.save"))),
		Next: key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", t.T("key.rules.field"))),
		Prev: key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("⇧tab/↑", "↑")),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp(t.T("keyname.esc"), t.T("key.rules.back"))),
	}}
	for range 4 {
		m.inputs = append(m.inputs, newInput(c.Styles, 6))
	}
	return m
}

func (m *rules) Init() tea.Cmd {
	c := m.c
	return func() tea.Msg {
		reg, err := c.Results.Regulation(c.Ctx)
		return rulesLoadedMsg{from: m, reg: reg, err: err}
	}
}

func (m *rules) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case rulesLoadedMsg:
		if msg.from != m {
			return m, nil
		}
		if msg.err != nil {
			m.err = ErrorText(m.c.T, msg.err)
			return m, nil
		}
		m.fill(msg.reg)
		return m, m.inputs[0].Focus()
	case rulesSavedMsg:
		if msg.from != m {
			return m, nil
		}
		if msg.err != nil {
			m.err = ErrorText(m.c.T, msg.err)
			return m, nil
		}
		m.fill(msg.reg)
		return m, status(statusSuccess, m.c.T.T("rules.saved", msg.reg.Version))
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *rules) key(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Back):
		return func() tea.Msg { return backMsg{} }
	case m.reg == nil:
		return nil
	case key.Matches(msg, m.keys.Save):
		return m.save()
	case key.Matches(msg, m.keys.Next):
		return m.move(1)
	case key.Matches(msg, m.keys.Prev):
		return m.move(-1)
	}
	var cmd tea.Cmd
	m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg)
	m.err = ""
	return cmd
}

func (m *rules) move(delta int) tea.Cmd {
	m.inputs[m.focus].Blur()
	m.focus = (m.focus + delta + len(m.inputs)) % len(m.inputs)
	return m.inputs[m.focus].Focus()
}

// fill shows reg in the fields.
func (m *rules) fill(reg domain.Regulation) {
	t := m.c.T
	m.reg = &reg
	barrier := ""
	if reg.Barrier != nil {
		barrier = t.Number(*reg.Barrier, -1)
	}
	yes := map[bool]string{true: t.T("rules.yes"), false: t.T("rules.no")}[reg.YearCompensation]
	for i, v := range []string{barrier, t.Number(reg.JuryPointsCap, -1), strconv.Itoa(reg.AJACCredits), yes} {
		m.inputs[i].SetValue(v)
	}
}

// save reads the fields (each refused in words, naming it) and writes
// them as the next version; the domain checks the values.
func (m *rules) save() tea.Cmd {
	t := m.c.T
	r := *m.reg
	labels := []string{t.T("rules.barrier"), t.T("rules.cap"), t.T("rules.ajac"), t.T("rules.compensation")}
	value := func(i int) string { return strings.TrimSpace(m.inputs[i].Value()) }
	if v := value(0); v == "" {
		r.Barrier = nil
	} else if f, err := domain.ParseGradeValue(v); err == nil {
		r.Barrier = &f
	} else {
		m.err = t.T("rules.bad.number", labels[0], v)
		return nil
	}
	f, err := domain.ParseGradeValue(value(1))
	if err != nil {
		m.err = t.T("rules.bad.number", labels[1], value(1))
		return nil
	}
	r.JuryPointsCap = f
	n, err := strconv.Atoi(value(2))
	if err != nil {
		m.err = t.T("rules.bad.number", labels[2], value(2))
		return nil
	}
	r.AJACCredits = n
	switch strings.ToLower(value(3)) {
	case "o", "oui", "y", "yes":
		r.YearCompensation = true
	case "n", "non", "no":
		r.YearCompensation = false
	default:
		m.err = t.T("rules.bad.yesno", labels[3], value(3))
		return nil
	}
	c := m.c
	return func() tea.Msg {
		saved, err := c.Results.SetRegulation(c.Ctx, c.Actor, r)
		return rulesSavedMsg{from: m, reg: saved, err: err}
	}
}

func (m *rules) View() string {
	s, t := m.c.Styles, m.c.T
	if m.reg == nil {
		if m.err != "" {
			return s.Error.Render(fit(m.err, m.width, false))
		}
		return s.Muted.Render(t.T("loading"))
	}
	lines := []string{s.Bold.Render(t.T("rules.title", m.reg.Version))}
	if m.reg.ChangedBy != "" {
		lines = append(lines, s.Muted.Render(t.T("rules.changed", t.Date(m.reg.ChangedAt), m.reg.ChangedBy)))
	}
	lines = append(lines, "")
	for i, label := range []string{t.T("rules.barrier"), t.T("rules.cap"), t.T("rules.ajac"), t.T("rules.compensation")} {
		lines = append(lines, fit(label, m.width, false), "  "+m.inputs[i].View())
	}
	lines = append(lines, "", s.Muted.Render(fit(t.T("rules.hint"), m.width, false)))
	if m.err != "" {
		lines = append(lines, s.Error.Render(fit(m.err, m.width, false)))
	}
	return strings.Join(lines, "\n")
}

func (m *rules) SetSize(w, h int) { m.width, m.height = w, h }
func (m *rules) Capturing() bool  { return m.reg != nil }
func (m *rules) Dirty() bool      { return false }

func (m *rules) ShortHelp() []key.Binding {
	return []key.Binding{m.keys.Save, m.keys.Next, m.keys.Back}
}

func (m *rules) FullHelp() [][]key.Binding {
	return [][]key.Binding{{m.keys.Save, m.keys.Next, m.keys.Prev, m.keys.Back}}
}
