package ui

import (
	"fmt"
	"strings"

	"scolarite/domain"
)

// The students table's drawing: cells, the filter line and the status line.

func (s *students) cell(row, col int) string {
	r := &s.rows[s.view[row]]
	switch rosterColumns[col].key {
	case domain.SortNumber:
		return r.Number
	case domain.SortLastName:
		return r.LastName
	case domain.SortFirstName:
		return r.FirstName
	case domain.SortPhone:
		return s.c.phones().Display(r.Phone)
	case domain.SortClass:
		return r.Class
	case domain.SortMajor:
		return r.Major
	case domain.SortAverage:
		return s.c.T.Average(s.shown().Average(r))
	default:
		return fmt.Sprint(r.GradeCount)
	}
}

func (s *students) filterLines() int {
	if s.filter.Focused() || s.filter.Value() != "" {
		return 1
	}
	return 0
}

func (s *students) View() string {
	st := s.c.Styles
	s.table.SetSize(s.width, s.height-1-s.filterLines())
	var b strings.Builder
	if s.filterLines() > 0 {
		b.WriteString(s.filter.View() + "\n")
	}
	switch {
	case s.loading:
		b.WriteString(st.Muted.Render(s.c.T.T("loading")))
	case len(s.rows) == 0:
		b.WriteString(st.Muted.Render(s.c.T.T("students.empty")))
	default:
		b.WriteString(s.table.View(st))
	}
	lines := strings.Count(b.String(), "\n") + 1
	b.WriteString(strings.Repeat("\n", max(0, s.height-lines)))
	b.WriteString(s.statusLine())
	return b.String()
}

// statusLine says which rows are shown of how many, the sort, the filter
// and whether the cache answered.
func (s *students) statusLine() string {
	t, st := s.c.T, s.c.Styles
	if s.confirm != nil {
		return st.Warning.Render(t.T("students.confirm", s.confirm.Number, s.confirm.LastName+" "+s.confirm.FirstName))
	}
	var parts []string
	if len(s.view) == 0 {
		parts = append(parts, t.T("students.none", len(s.rows)))
	} else {
		first := s.table.offset + 1
		last := min(len(s.view), s.table.offset+s.table.height)
		parts = append(parts, t.T("students.rows", first, last, len(s.view)))
	}
	if s.filter.Value() != "" {
		parts = append(parts, t.T("students.matching", len(s.view), len(s.rows)), t.T("students.filtering", s.filter.Value()))
	}
	arrow := "↑"
	if !s.sortAsc {
		arrow = "↓"
	}
	parts = append(parts, t.T("students.sorted", strings.ToLower(t.T("col."+string(rosterColumns[s.sortCol].key))), arrow))
	if len(s.semesters) > 0 {
		shown := t.T("students.overall")
		if s.semester != "" {
			shown = s.semester + " " + s.year
		}
		parts = append(parts, t.T("students.shown", shown))
	}
	cache := st.Success.Render(t.T("cache.online"))
	if !s.online {
		cache = st.Warning.Render(t.T("cache.offline"))
	}
	return st.StatusBar.Render(strings.Join(parts, " · ")+" · ") + cache
}
