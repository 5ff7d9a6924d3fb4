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
	if !t.drawn || d.room() < t.rowH {
		if t.drawn {
			d.AddPageFormat(d.orientation, d.GetPageSizeStr())
		} else {
			d.need(t.headerH() + 2*t.rowH)
		}
		t.header()
	}
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
