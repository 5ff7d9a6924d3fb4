package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// column of a table: a minimum width, and a share of the spare width.
type column struct {
	title string
	width int
	grow  int // share of the width left over; 0 = fixed
	right bool
}

// table draws only the rows that fit on screen, so 100,000 rows cost what
// 30 do. Rows come from a cell function; the model keeps the data.
type table struct {
	cols     []column
	widths   []int
	rows     int
	cell     func(row, col int) string
	cursor   int
	offset   int
	height   int // rows shown, header excluded
	width    int
	sortCol  int // -1: none marked
	sortDesc bool
}

func newTable(cols []column, cell func(row, col int) string) *table {
	return &table{cols: cols, cell: cell, sortCol: -1}
}

// SetSize fits the table into width × height (header included).
func (t *table) SetSize(width, height int) {
	t.width, t.height = width, max(1, height-1)
	t.layout()
	t.clamp()
}

// SetRows sets how many rows there are, keeping the cursor in range.
func (t *table) SetRows(n int) {
	t.rows = n
	t.clamp()
}

func (t *table) layout() {
	t.widths = make([]int, len(t.cols))
	used, grow := 0, 0
	for i, c := range t.cols {
		t.widths[i] = c.width
		used += c.width + 1
		grow += c.grow
	}
	spare := t.width - used
	for i, c := range t.cols {
		if spare > 0 && grow > 0 && c.grow > 0 {
			t.widths[i] += spare * c.grow / grow
		}
	}
}

func (t *table) clamp() {
	t.cursor = max(0, min(t.cursor, t.rows-1))
	if t.cursor < t.offset {
		t.offset = t.cursor
	}
	if t.cursor >= t.offset+t.height {
		t.offset = t.cursor - t.height + 1
	}
	t.offset = max(0, min(t.offset, t.rows-t.height))
}

// Move shifts the cursor by delta rows.
func (t *table) Move(delta int) {
	t.cursor += delta
	t.clamp()
}

// wheelRows is how far one notch of the mouse wheel scrolls a table.
const wheelRows = 3

// HandleWheel scrolls on a wheel notch and reports whether msg was one.
func (t *table) HandleWheel(msg tea.MouseMsg) bool {
	switch msg.Button {
	case tea.MouseButtonWheelUp:
		t.Scroll(-wheelRows)
	case tea.MouseButtonWheelDown:
		t.Scroll(wheelRows)
	default:
		return false
	}
	return true
}

// Scroll moves the window (mouse wheel) and drags the cursor along.
func (t *table) Scroll(delta int) {
	t.offset = max(0, min(t.offset+delta, t.rows-t.height))
	t.cursor = max(t.offset, min(t.cursor, t.offset+t.height-1))
	t.clamp()
}

// Cursor returns the selected row, or -1 when empty.
func (t *table) Cursor() int {
	if t.rows == 0 {
		return -1
	}
	return t.cursor
}

// HandleKey moves with the list keys; false when the key is not one.
func (t *table) HandleKey(msg tea.KeyMsg, k listKeys) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.Move(-1)
	case key.Matches(msg, k.Down):
		t.Move(1)
	case key.Matches(msg, k.PageUp):
		t.Move(-t.height)
	case key.Matches(msg, k.PageDown):
		t.Move(t.height)
	case key.Matches(msg, k.Top):
		t.Move(-t.rows)
	case key.Matches(msg, k.Bottom):
		t.Move(t.rows)
	default:
		return false
	}
	return true
}

// ColumnAt returns the column under screen column x, or -1.
func (t *table) ColumnAt(x int) int {
	pos := 0
	for i, w := range t.widths {
		if x >= pos && x < pos+w {
			return i
		}
		pos += w + 1
	}
	return -1
}

// View renders the header and the visible rows.
func (t *table) View(s Styles) string {
	var b strings.Builder
	header := make([]string, len(t.cols))
	for i, c := range t.cols {
		title := c.title
		if i == t.sortCol {
			if t.sortDesc {
				title += " ↓"
			} else {
				title += " ↑"
			}
		}
		header[i] = fit(title, t.widths[i], c.right)
	}
	b.WriteString(s.Header.Render(strings.Join(header, " ")))
	end := min(t.rows, t.offset+t.height)
	cells := make([]string, len(t.cols))
	for r := t.offset; r < end; r++ {
		for i, c := range t.cols {
			cells[i] = fit(t.cell(r, i), t.widths[i], c.right)
		}
		line := strings.Join(cells, " ")
		b.WriteByte('\n')
		if r == t.cursor {
			b.WriteString(s.Selected.Render(fit(line, t.width, false)))
		} else {
			b.WriteString(line)
		}
	}
	return b.String()
}

// fit pads or truncates s to exactly width cells.
func fit(s string, width int, right bool) string {
	if width <= 0 {
		return ""
	}
	w := lipgloss.Width(s)
	if w > width {
		return ansi.Truncate(s, width, "…")
	}
	pad := strings.Repeat(" ", width-w)
	if right {
		return pad + s
	}
	return s + pad
}
