package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// The grade sheet's picker: one line per class, semester and subject the
// user may grade, in that order; "/" narrows it to the lines holding every
// word typed ("l2-info s3", "algo"), accents and case ignored.

var gradeSheetPickText = map[string]text{
	"sheet.filter":       {"filtrer (classe, semestre, matière)", "filter (class, semester, subject)"},
	"sheet.filtering":    {"filtre : « %s » · %d sur %d", "filter: “%s” · %d of %d"},
	"sheet.filter.none":  {"Aucune matière ne correspond au filtre (échap l'efface).", "No subject matches the filter (esc clears it)."},
	"sheet.filter.clear": {"effacer le filtre", "clear the filter"},
}

// visible is the picker's lines under the filter.
func (m *gradeSheet) visible() []sheetChoice {
	words := strings.Fields(domain.Fold(m.filter))
	if len(words) == 0 {
		return m.choices
	}
	var out []sheetChoice
	for _, ch := range m.choices {
		label := domain.Fold(ch.class + " " + ch.semester + " " + ch.subject)
		match := true
		for _, w := range words {
			if !strings.Contains(label, w) {
				match = false
				break
			}
		}
		if match {
			out = append(out, ch)
		}
	}
	return out
}

// pickPage is how many subjects the picker shows at once.
func (m *gradeSheet) pickPage() int { return max(m.height-2, 3) }

func (m *gradeSheet) pickKey(msg tea.KeyMsg) tea.Cmd {
	if m.filtering {
		switch msg.Type {
		case tea.KeyEsc:
			m.filter, m.filtering, m.pick = "", false, 0
		case tea.KeyEnter:
			m.filtering = false
		case tea.KeyBackspace:
			if r := []rune(m.filter); len(r) > 0 {
				m.filter, m.pick = string(r[:len(r)-1]), 0
			}
		case tea.KeyRunes, tea.KeySpace:
			if len([]rune(m.filter)) < 60 {
				m.filter, m.pick = m.filter+string(msg.Runes), 0
			}
		case tea.KeyUp, tea.KeyDown:
			m.filtering = false
			return m.pickKey(msg)
		}
		return nil
	}
	shown := m.visible()
	last := max(len(shown)-1, 0)
	switch {
	case key.Matches(msg, m.keys.Filter):
		m.filtering = true
	case key.Matches(msg, m.keys.ClearFilter) && m.filter != "":
		m.filter, m.pick = "", 0
	case key.Matches(msg, m.keys.list.Up):
		m.pick = max(m.pick-1, 0)
	case key.Matches(msg, m.keys.list.Down):
		m.pick = min(m.pick+1, last)
	case key.Matches(msg, m.keys.list.PageUp):
		m.pick = max(m.pick-m.pickPage(), 0)
	case key.Matches(msg, m.keys.list.PageDown):
		m.pick = min(m.pick+m.pickPage(), last)
	case key.Matches(msg, m.keys.list.Top):
		m.pick = 0
	case key.Matches(msg, m.keys.list.Bottom):
		m.pick = last
	case key.Matches(msg, m.keys.Open) && m.pick < len(shown):
		return m.load(shown[m.pick])
	}
	return nil
}

func (m *gradeSheet) pickView() string {
	s, t := m.c.Styles, m.c.T
	lines := []string{s.Title.Render(t.T("sheet.pick"))}
	if len(m.choices) == 0 {
		return strings.Join(append(lines, s.Muted.Render(t.T("sheet.none"))), "\n")
	}
	shown := m.visible()
	if m.filter != "" || m.filtering {
		cursor := ""
		if m.filtering {
			cursor = "▏"
		}
		lines = append(lines, s.Info.Render(fit(t.T("sheet.filtering", m.filter+cursor, len(shown), len(m.choices)), m.width, false)))
	}
	if len(shown) == 0 {
		return strings.Join(append(lines, s.Muted.Render(t.T("sheet.filter.none"))), "\n")
	}
	body := m.pickPage() - (len(lines) - 1) // the filter's line
	top := max(0, m.pick-body+1)
	for i := top; i < min(len(shown), top+body); i++ {
		ch := shown[i]
		line := fit(ch.class+"  "+ch.semester+"  "+ch.subject, m.width, false)
		if i == m.pick {
			line = s.Selected.Render(line)
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}
