package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

// The dashboard's fifth section: the latest per-major age table of the
// analytics job (`scolarite analytics`), read from analytics.db through
// Common.Ages. Without it (nil) the section does not exist.

var statsAgesText = map[string]text{
	"ages.sec":       {"Âges", "Ages"},
	"ages.key":       {"âges par filière", "ages per major"},
	"ages.title":     {"Âge par filière : analyse du flux d'événements du %s", "Age per major: event stream analysis of %s"},
	"ages.summary":   {"%d étudiant(s) de plus de %d ans · âge moyen %s", "%d student(s) older than %d · mean age %s"},
	"ages.messages":  {"%d message(s) lu(s) · %d rejeté(s) · %d filtré(s) par l'âge", "%d message(s) read · %d rejected · %d filtered out by age"},
	"ages.none":      {"Aucune analyse pour l'instant : lancez « scolarite analytics ».", "No analysis yet: run 'scolarite analytics'."},
	"ages.empty":     {"Aucun étudiant retenu.", "No student kept."},
	"ages.col.major": {"Filière", "Major"},
	"ages.col.n":     {"Effectif", "Students"},
	"ages.col.mean":  {"Moyenne", "Mean"},
	"ages.col.std":   {"Éc.-type", "Std dev"},
	"ages.col.med":   {"Médiane", "Median"},
}

// agesSection is what the section shows.
type agesSection struct {
	report *domain.AgeReport
	err    string
	loaded bool
}

type agesLoadedMsg struct {
	from   *stats
	report *domain.AgeReport
	err    error
}

func newAgesKey(c *Common) key.Binding {
	k := key.NewBinding(key.WithKeys("5"), key.WithHelp("5", c.T.T("ages.key")))
	k.SetEnabled(c.Ages != nil)
	return k
}

// showAges opens the section and reads the latest table (the job may
// have run since).
func (m *stats) showAges() tea.Cmd {
	m.section = 5
	if m.c.Ages == nil {
		return nil
	}
	c := m.c
	return func() tea.Msg {
		r, err := c.Ages.Latest(c.Ctx)
		return agesLoadedMsg{from: m, report: r, err: err}
	}
}

func (m *stats) agesLoaded(msg agesLoadedMsg) {
	if msg.from != m {
		return
	}
	m.ages = agesSection{report: msg.report, loaded: true}
	if msg.err != nil {
		m.ages.err = ErrorText(m.c.T, msg.err)
	}
}

// agesView draws the table at width w.
func (m *stats) agesView(w int) string {
	s, t := m.c.Styles, m.c.T
	a := m.ages
	switch {
	case a.err != "":
		return s.Error.Render(fit(a.err, w, false))
	case !a.loaded:
		return s.Muted.Render(t.T("loading"))
	case a.report == nil:
		return s.Muted.Render(fit(t.T("ages.none"), w, false))
	}
	r := a.report
	lines := []string{
		s.Header.Render(fit(t.T("ages.title", t.Date(r.GeneratedAt.Local())+" "+r.GeneratedAt.Local().Format("15:04")), w, false)),
		fit(t.T("ages.summary", r.Students, r.MinAge, ageNum(t, r.Mean)), w, false),
		s.Muted.Render(fit(t.T("ages.messages", r.Read, r.Rejected, r.Filtered), w, false)),
		"",
	}
	if len(r.Majors) == 0 {
		return strings.Join(append(lines, s.Muted.Render(t.T("ages.empty"))), "\n")
	}
	cols := []string{t.T("ages.col.n"), t.T("ages.col.mean"), t.T("ages.col.std"), "Min", "Q1", t.T("ages.col.med"), "Q3", "Max"}
	widths := make([]int, len(cols))
	rest := 0
	for i, c := range cols {
		widths[i] = max(6, lipgloss.Width(c)+1)
		rest += widths[i]
	}
	majorW := max(8, w-rest)
	head := fit(t.T("ages.col.major"), majorW, false)
	for i, c := range cols {
		head += fit(c, widths[i], true)
	}
	lines = append(lines, s.Header.Render(fit(head, w, false)))
	for _, mj := range r.Majors {
		row := fit(mj.Major, majorW, false) + fit(fmt.Sprint(mj.Students), widths[0], true)
		for i, v := range []*float64{&mj.Mean, mj.Std, &mj.Min, &mj.Q1, &mj.Median, &mj.Q3, &mj.Max} {
			row += fit(ageNum(t, v), widths[i+1], true)
		}
		lines = append(lines, fit(row, w, false))
	}
	return strings.Join(lines, "\n")
}

// ageNum writes an age with one decimal ("—" when unknown).
func ageNum(t *Translator, v *float64) string {
	if v == nil {
		return "—"
	}
	return t.Number(*v, 1)
}
