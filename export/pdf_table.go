package export

// pdfCol is one column of a PDF table: a title, a width in millimetres
// and an alignment ("L", "R" or "C").
type pdfCol struct {
	title string
	w     float64
	align string
}

// pdfTable draws rows that never overflow their cells (long text is
// shortened with an ellipsis) and that go on over as many pages as needed,
// the header repeated at the top of each.
type pdfTable struct {
	d      *pdfDoc
	cols   []pdfCol
	size   float64 // font size of the rows
	rowH   float64
	rows   int // drawn so far, for the zebra stripes
	drawn  bool
	width  float64
	titles [][]string // wrapped header titles
}

// rowStyle marks a row: normal, bold (a total) or alerting (below 10).
type rowStyle int

const (
	rowNormal rowStyle = iota
	rowBold
	rowAlert
)

// newTable lays cols out; widths are scaled down to the page width when
// they add up to more.
func (d *pdfDoc) newTable(cols []pdfCol) *pdfTable {
	var total float64
	for _, c := range cols {
		total += c.w
	}
	if total > d.width() {
		scale := d.width() / total
		for i := range cols {
			cols[i].w *= scale
		}
		total = d.width()
	}
	t := &pdfTable{d: d, cols: cols, size: pdfBodySize, rowH: pdfRowH, width: total}
	d.font("B", t.size)
	for _, c := range cols {
		t.titles = append(t.titles, d.wrap(c.title, c.w, 3))
	}
	return t
}

func (t *pdfTable) headerH() float64 {
	lines := 1
	for _, l := range t.titles {
		lines = max(lines, len(l))
	}
	return float64(lines)*pdfHeadLine + 2
}

// header draws the column titles on a filled band.
func (t *pdfTable) header() {
	d := t.d
	h := t.headerH()
	x, y := d.GetXY()
	d.fill(colPrimary)
	d.Rect(x, y, t.width, h, "F")
	d.font("B", t.size)
	d.SetTextColor(255, 255, 255)
	cx := x
	for i, c := range t.cols {
		ty := y + (h-float64(len(t.titles[i]))*pdfHeadLine)/2
		for _, line := range t.titles[i] {
			d.SetXY(cx, ty)
			d.CellFormat(c.w, pdfHeadLine, line, "", 0, c.align, false, 0, "")
			ty += pdfHeadLine
		}
		cx += c.w
	}
	d.color([3]int{})
	d.SetXY(x, y+h)
	t.drawn = true
}

// row draws one row, starting a new page (and repeating the header) when
// it would not fit.
func (t *pdfTable) row(cells []string, style rowStyle) {
	d := t.d
	t.start(t.rowH)
	fontStyle := ""
	if style == rowBold {
		fontStyle = "B"
	}
	d.font(fontStyle, t.size)
	fill := t.rows%2 == 1
	d.fill(colZebra)
	if style == rowAlert {
		d.fill(colAlertBg)
		d.color(colAlert)
		fill = true
	}
	for i, c := range t.cols {
		text := ""
		if i < len(cells) {
			text = d.fit(cells[i], c.w)
		}
		d.CellFormat(c.w, t.rowH, text, "", 0, c.align, fill, 0, "")
	}
	d.color([3]int{})
	d.Ln(t.rowH)
	t.rows++
}

// end draws the rule under the table.
func (t *pdfTable) end() {
	d := t.d
	if !t.drawn {
		return
	}
	x, y := d.GetXY()
	d.draw(colBorder)
	d.Line(x, y, x+t.width, y)
	d.Ln(2)
}

// rowAlerts draws a row whose cells marked in alerts are in the alert
// colour, the others as a normal row.
func (t *pdfTable) rowAlerts(cells []string, alerts []bool) {
	d := t.d
	t.start(t.rowH)
	d.font("", t.size)
	d.fill(colZebra)
	for i, c := range t.cols {
		text := ""
		if i < len(cells) {
			text = d.fit(cells[i], c.w)
		}
		d.color([3]int{})
		if i < len(alerts) && alerts[i] {
			d.color(colAlert)
		}
		d.CellFormat(c.w, t.rowH, text, "", 0, c.align, t.rows%2 == 1, 0, "")
	}
	d.color([3]int{})
	d.Ln(t.rowH)
	t.rows++
}

// wrapped draws a row whose cells wrap over up to maxLines lines (the
// last one shortened with an ellipsis), the row as tall as its longest
// cell.
func (t *pdfTable) wrapped(cells []string, maxLines int) {
	d := t.d
	const lineH = 4.5
	d.font("", t.size)
	lines := make([][]string, len(t.cols))
	n := 1
	for i, c := range t.cols {
		if i < len(cells) {
			lines[i] = d.wrap(cells[i], c.w, maxLines)
		}
		n = max(n, len(lines[i]))
	}
	h := max(t.rowH, float64(n)*lineH+1.5)
	t.start(h)
	d.font("", t.size)
	x, y := d.GetXY()
	if t.rows%2 == 1 {
		d.fill(colZebra)
		d.Rect(x, y, t.width, h, "F")
	}
	cx := x
	for i, c := range t.cols {
		for k, line := range lines[i] {
			d.SetXY(cx, y+0.75+float64(k)*lineH)
			d.CellFormat(c.w, lineH, line, "", 0, c.align, false, 0, "")
		}
		cx += c.w
	}
	d.SetXY(x, y+h)
	t.rows++
}

// start draws the header before the first row, and starts a new page
// (the header repeated) when a row h high would not fit.
func (t *pdfTable) start(h float64) {
	d := t.d
	if t.drawn && d.room() >= h {
		return
	}
	if t.drawn {
		d.AddPageFormat(d.orientation, d.GetPageSizeStr())
	} else {
		d.need(t.headerH() + 2*h)
	}
	t.header()
}
