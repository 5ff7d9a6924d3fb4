package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

// The dashboard's layout and drawing, apart from its behaviour in stats.go.
// Bars are lipgloss blocks: ntcharts' barchart needs bubblezone, a module
// this project does not require.

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
	if m.section == 5 {
		return head + "\n" + m.sectionBar() + "\n" + m.agesView(m.width)
	}
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
	return m.c.Styles.Plain.Width(w).MaxWidth(w).Render(s)
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
	if m.c.Ages != nil {
		names = append(names, "ages.sec")
	}
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
