package ui

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

// Column widths of the results table; the name takes what is left.
const (
	delibRankW     = 3
	delibCellW     = 6 // "12,50" and its marker
	delibCreditsW  = 5
	delibDecisionW = 10 // "ADM (jury)"
	delibMentionW  = 10
	delibShortW    = 5 // "AB", "TB", and the header "Ment."
	delibMinName   = 20
	delibNumberW   = 10 // a matricule, 2026-00042
)

// shortMentions abbreviate the mentions on a narrow terminal, the usual
// way (AB, B, TB).
var shortMentions = map[domain.Mention]string{
	domain.MentionPassable: "P", domain.MentionAssezBien: "AB", domain.MentionBien: "B",
	domain.MentionTresBien: "TB", domain.MentionExcellent: "E",
}

// delibLayout is the widths of the columns that depend on the terminal.
type delibLayout struct {
	name, mention int
	number        bool // the matricule fits beside the name
}

func (m *deliberation) layout() delibLayout {
	fixed := delibRankW + 1 + (len(m.res.Curriculum.UEs)+1)*(delibCellW+1) + delibCreditsW + 1 + delibDecisionW + 2
	l := delibLayout{mention: delibMentionW, name: m.width - fixed - delibMentionW}
	if l.name < delibMinName {
		l.mention, l.name = delibShortW, m.width-fixed-delibShortW
	}
	l.name = max(l.name, 8)
	l.number = l.name >= delibMinName+delibNumberW+1
	return l
}

func (m *deliberation) View() string {
	s := m.c.Styles
	switch {
	case m.err != "":
		return s.Error.Render(fit(m.err, m.width, false))
	case m.choice == nil:
		return m.pickView()
	case m.res == nil:
		return s.Muted.Render(m.c.T.T("loading"))
	}
	head := m.headLines()
	foot := m.footLines()
	body := max(m.height-len(head)-len(foot), 1)
	if m.cursor < m.top {
		m.top = m.cursor
	}
	if m.cursor >= m.top+body {
		m.top = m.cursor - body + 1
	}
	m.top = max(min(m.top, len(m.rows)-body), 0)
	lines := head
	switch {
	case len(m.res.Outcomes) == 0:
		lines = append(lines, s.Muted.Render(fit(m.c.T.T("delib.empty"), m.width, false)))
	case len(m.rows) == 0:
		lines = append(lines, s.Muted.Render(fit(m.c.T.T("delib.nomatch"), m.width, false)))
	}
	l := m.layout()
	for i := m.top; i < min(len(m.rows), m.top+body); i++ {
		lines = append(lines, m.rowView(l, i))
	}
	for len(lines) < m.height-len(foot) {
		lines = append(lines, "")
	}
	return strings.Join(append(lines, foot...), "\n")
}

// bodyHeight is the number of rows the table shows (for page keys).
func (m *deliberation) bodyHeight() int {
	if m.res == nil {
		return 1
	}
	return max(m.height-len(m.headLines())-len(m.footLines()), 1)
}

// headLines are the title, the counts and the columns' header.
func (m *deliberation) headLines() []string {
	s, t, res := m.c.Styles, m.c.T, m.res
	c := res.Curriculum
	title := t.T("delib.title", c.Class, c.Semester, c.Year, res.Session, res.Regulation.Version)
	var notes []string
	if m.c.Actor.Role != domain.RoleAdmin {
		notes = append(notes, t.T("delib.readonly"))
	}
	switch {
	case c.Status != domain.SemesterOpen:
		notes = append(notes, t.T("delib.frozen", statusText(t, c.Status)))
	case res.Session < c.CurrentSession():
		notes = append(notes, t.T("delib.frozen", t.T("delib.session.past")))
	}
	first := s.Title.Render(title)
	if len(notes) > 0 {
		first += s.Warning.Render(" · " + strings.Join(notes, " · "))
	}
	lines := []string{fit(first, m.width, false)}
	lines = append(lines, fit(m.summary(), m.width, false))
	l := m.layout()
	mentionHead := t.T("delib.mention")
	if l.mention < delibMentionW {
		mentionHead = t.T("delib.mention.short")
	}
	head := fit(t.T("delib.rank"), delibRankW, true) + " " + fit(t.T("delib.student"), l.name, false)
	for _, ue := range c.UEs {
		head += " " + fit(ue.Code, delibCellW, true)
	}
	head += " " + fit(t.T("delib.average"), delibCellW, true) + " " + fit(t.T("delib.credits"), delibCreditsW, true) +
		" " + fit(t.T("delib.decision"), delibDecisionW, false) + " " + fit(mentionHead, l.mention, false)
	return append(lines, s.Header.Render(fit(head, m.width, false)))
}

// summary counts the decisions of the whole class (not only the rows the
// filters keep), the rate of admitted, and the filters on.
func (m *deliberation) summary() string {
	t := m.c.T
	counts := map[domain.Decision]int{}
	for _, o := range m.res.Outcomes {
		counts[o.Decision]++
	}
	parts := make([]string, 0, 6)
	for _, d := range decisionFilters[1:] {
		parts = append(parts, fmt.Sprintf("%s %d", d, counts[d]))
	}
	if total := len(m.res.Outcomes); total > 0 {
		admitted := counts[domain.DecisionADM] + counts[domain.DecisionADC]
		parts = append(parts, t.T("delib.admitted", admitted, total, (admitted*100+total/2)/total))
	}
	var filters []string
	if d := decisionFilters[m.filter]; d != "" {
		filters = append(filters, string(d))
	}
	if m.barrier {
		filters = append(filters, t.T("delib.filter.bar"))
	}
	if len(filters) > 0 {
		parts = append(parts, t.T("delib.filter", strings.Join(filters, ", ")))
	}
	return strings.Join(parts, " · ")
}

// rowView is one student: rank, name, UE averages, the semester's,
// credits, decision and mention. Below 10 a number is marked * (warning
// style), below the barrier ! (error style): the marks say it without
// colours.
func (m *deliberation) rowView(l delibLayout, i int) string {
	s, t := m.c.Styles, m.c.T
	o := &m.res.Outcomes[m.rows[i]]
	sel := i == m.cursor
	style := func(st lipgloss.Style, text string) string {
		if sel {
			return text // the whole line takes the selection's style
		}
		return st.Render(text)
	}
	rank := "–"
	if o.Rank > 0 {
		rank = strconv.Itoa(o.Rank)
	}
	name := o.LastName + " " + o.FirstName
	if l.number {
		name = fit(name, l.name-delibNumberW-1, false) + " " + fit(o.Number, delibNumberW, false)
	}
	line := fit(rank, delibRankW, true) + " " + fit(name, l.name, false)
	comma := t.Lang() == French
	for _, u := range o.UEs {
		line += " " + m.averageCell(u.Average, u.BelowBarrier, comma, style)
	}
	line += " " + m.averageCell(o.Average, false, comma, style)
	line += " " + fit(fmt.Sprintf("%d/%d", o.Credits, m.res.Curriculum.Credits()), delibCreditsW, true)
	decision := string(o.Decision)
	if o.Overridden() || len(o.Jury) > 0 {
		decision += " (" + t.T("delib.jury") + ")"
	}
	dst := s.Warning
	switch {
	case o.Decision.Validated():
		dst = s.Success
	case o.Decision == domain.DecisionDEF:
		dst = s.Error
	}
	line += " " + style(dst, fit(decision, delibDecisionW, false))
	mention := string(o.Mention)
	if l.mention < delibMentionW {
		mention = shortMentions[o.Mention]
	}
	line += " " + fit(mention, l.mention, false)
	if sel {
		return s.Selected.Render(fit(line, m.width, false))
	}
	return fit(line, m.width, false)
}

// averageCell is an average with its marker: ! below the barrier, * below
// 10, – for none.
func (m *deliberation) averageCell(avg *big.Rat, belowBarrier, comma bool, style func(lipgloss.Style, string) string) string {
	if avg == nil {
		return fit("– ", delibCellW, true)
	}
	text := fit(domain.FormatAverage(avg, comma), delibCellW-1, true)
	switch {
	case belowBarrier:
		return style(m.c.Styles.Error, text+"!")
	case avg.Cmp(new(big.Rat).SetFloat64(domain.PassMark)) < 0:
		return style(m.c.Styles.Warning, text+"*")
	}
	return text + " "
}

// footLines are the selected student's jury entries or missing subjects
// and the legend, or the prompt of o and p.
func (m *deliberation) footLines() []string {
	s, t := m.c.Styles, m.c.T
	if p := m.prompt; p != nil {
		q := t.T("delib.ask.decision", p.name, p.current)
		if p.points {
			q = t.T("delib.ask.points", p.name, t.Number(m.res.Regulation.JuryPointsCap, 2))
		}
		lines := []string{s.Info.Render(fit(q, m.width, false))}
		for i, in := range p.inputs {
			label := p.labels[i] + " : "
			if t.Lang() == English {
				label = p.labels[i] + ": "
			}
			lst := s.Label
			if i == p.focus {
				lst = s.Bold
			}
			lines = append(lines, fit(lst.Render(label)+in.View(), m.width, false))
		}
		if p.err != "" {
			lines = append(lines, s.Error.Render(fit(p.err, m.width, false)))
		}
		return lines
	}
	var info string
	if o := m.selected(); o != nil {
		parts := []string{o.Number + " " + o.LastName + " " + o.FirstName}
		for _, j := range o.Jury {
			what := string(j.Decision)
			if j.Decision == "" {
				where := j.UE
				if where == "" {
					where = t.T("delib.semester")
				}
				what = t.T("delib.points.on", t.Number(j.Points, -1), where)
			}
			parts = append(parts, t.T("delib.jury.entry", what, j.Reason))
		}
		if len(o.Missing) > 0 {
			parts = append(parts, t.T("delib.missing", strings.Join(o.Missing, ", ")))
		}
		info = strings.Join(parts, " · ")
	}
	legend := []string{t.T("delib.legend")}
	reg := m.res.Regulation
	if reg.Barrier != nil {
		legend = append(legend, t.T("delib.legend.bar", t.Number(*reg.Barrier, -1)))
	}
	legend = append(legend, t.T("delib.legend.cap", t.Number(reg.JuryPointsCap, 2)))
	return []string{s.Muted.Render(fit(info, m.width, false)), s.Muted.Render(fit(strings.Join(legend, " · "), m.width, false))}
}

func (m *deliberation) pickView() string {
	s, t := m.c.Styles, m.c.T
	lines := []string{s.Title.Render(fit(t.T("delib.pick", m.session), m.width, false))}
	if len(m.choices) == 0 {
		return strings.Join(append(lines, s.Muted.Render(t.T("delib.none"))), "\n")
	}
	body := max(m.height-1, 1)
	top := max(0, m.pick-body+1)
	for i := top; i < min(len(m.choices), top+body); i++ {
		ch := m.choices[i]
		line := fit(fmt.Sprintf("%-10s %-4s %s  (%s)", ch.class, ch.semester, ch.year, statusText(t, ch.status)), m.width, false)
		if i == m.pick {
			line = s.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
