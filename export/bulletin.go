package export

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"scolarite/domain"
)

// Layout of a bulletin, in millimetres.
const (
	bulletinUERow  = 5.4  // a UE's row, at least
	bulletinSubRow = 4.6  // a subject's row, at least
	bulletinSignH  = 24.0 // place, date and the signature
)

// WriteBulletin writes a student's bulletin (report card) of a semester
// (A4 portrait): identity, year, semester and session; per UE its
// subjects with their coefficient, the student's average, the class's
// average, lowest and highest, and the teacher's remark in full; the
// semester's average, credits, decision, mention and rank; the absences;
// the overall remark; place, date and signature.
func WriteBulletin(b *domain.Bulletin, w io.Writer, opt ReportOptions) error {
	l := opt.Lang
	printed := opt.now()
	d := newPDF(l, "P", l.t("card.title")+" — "+b.Student.LastName+" "+b.Student.FirstName, printed)
	bulletin(d, b, printed)
	return d.output(w)
}

// WriteBulletins writes the bulletins of a class in one file, each from a
// new page.
func WriteBulletins(ctx context.Context, bs []*domain.Bulletin, w io.Writer, opt ReportOptions) error {
	if len(bs) == 0 {
		return domain.Invalid("bulletins", "there is none to write: the class has no student")
	}
	l := opt.Lang
	printed := opt.now()
	c := bs[0].Curriculum
	d := newPDF(l, "P", l.t("card.title")+" — "+c.Class+" "+c.Semester, printed)
	for i, b := range bs {
		if i%progressStep == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if i > 0 {
			d.AddPageFormat("P", d.GetPageSizeStr())
		}
		bulletin(d, b, printed)
	}
	return d.output(w)
}

// bulletin draws a bulletin from the top of a page.
func bulletin(d *pdfDoc, b *domain.Bulletin, printed time.Time) {
	l := d.lang
	c, st := b.Curriculum, b.Student
	session := c.CurrentSession()
	if b.Outcome.Session > 0 {
		session = b.Outcome.Session
	}
	docHeader(d, l.t("card.title"), c.Year, c.Semester, session)
	if c.Status == "" || c.Status == domain.SemesterOpen {
		d.banner(l.t("releve.provisional"))
	}
	birth := l.t("none")
	if !st.BirthDate.IsZero() {
		birth = l.day(st.BirthDate.Time())
	}
	studentBox(d, st.LastName+" "+st.FirstName, [][2]string{
		{l.t("card.number"), st.Number},
		{l.t("releve.birth"), birth},
		{l.t("card.class"), c.Class},
		{l.t("releve.yearlabel"), c.Year},
	})
	bulletinTable(d, b)
	d.Ln(2)
	bulletinSummary(d, b)
	bulletinClosing(d, b.Remark, printed)
}

// docHeader is the top of a results document: the school and the year,
// the title in capitals, the semester and session.
func docHeader(d *pdfDoc, title, year, semester string, session int) {
	l := d.lang
	w := d.width()
	d.font("B", 11)
	d.color(colPrimary)
	d.CellFormat(w/2, 6, l.t("school"), "", 0, "L", false, 0, "")
	d.font("", 10)
	d.color(colMuted)
	d.CellFormat(w/2, 6, l.t("releve.year", year), "", 1, "R", false, 0, "")
	d.Ln(2)
	d.font("B", 17)
	d.color(colPrimary)
	d.CellFormat(w, 8, strings.ToUpper(title), "", 1, "C", false, 0, "")
	sem := l.t("releve.semester", semester, session)
	if session == 2 {
		sem = l.t("releve.resit", semester, session)
	}
	d.font("", 11)
	d.color([3]int{})
	d.CellFormat(w, 6, sem, "", 1, "C", false, 0, "")
	d.Ln(2)
}

// bulletinCell is one cell of a bulletin's row.
type bulletinCell struct {
	text  string
	alert bool    // in the alert colour: a mark below 10, a UE not acquired
	muted bool    // the class's figures
	size  float64 // of the font, 0: the row's
}

// bulletinTable lists the UEs, each followed by its subjects; a row is as
// tall as its longest text (a remark is never cut), and the table goes
// on to the next page, header repeated, when it must.
func bulletinTable(d *pdfDoc, b *domain.Bulletin) {
	l := d.lang
	tab := d.newTable([]pdfCol{{l.t("releve.unit"), 48, "L"}, {l.t("col.coef"), 10, "C"}, {l.t("bulletin.mark"), 15, "R"},
		{l.t("bulletin.class"), 15, "R"}, {l.t("col.min"), 12, "R"}, {l.t("col.max"), 12, "R"}, {l.t("bulletin.remark"), 68, "L"}})
	tab.size = 8.5
	k := 0
	for i, ue := range b.Curriculum.UEs {
		var out *domain.UEOutcome
		if i < len(b.Outcome.UEs) {
			out = &b.Outcome.UEs[i]
		}
		status, avg, failed := "", l.t("none"), false
		if out != nil {
			avg = l.rat(out.Average)
			status = l.t("bulletin.ue", out.Status, out.Earned, ue.Credits)
			failed = out.Status == domain.UENotAcquired
		}
		// A UE starts on the page that has room for it with a subject.
		if tab.drawn && d.room() < bulletinUERow+bulletinSubRow {
			d.AddPageFormat("P", d.GetPageSizeStr())
			tab.header()
		}
		bulletinRow(d, tab, []bulletinCell{{text: ue.Code + "  " + ue.Title}, {}, {text: avg, alert: failed}, {}, {}, {}, {text: status, alert: failed}}, true)
		for ; k < len(b.Subjects) && b.Subjects[k].UE == ue.Code; k++ {
			s := b.Subjects[k]
			below := s.Average != nil && s.Average.Cmp(big.NewRat(10, 1)) < 0
			bulletinRow(d, tab, []bulletinCell{{text: "    " + s.Subject}, {text: l.num(s.Coefficient, -1)}, {text: l.rat(s.Average), alert: below},
				{text: l.rat(s.ClassAverage), muted: true}, {text: l.rat(s.Min), muted: true}, {text: l.rat(s.Max), muted: true},
				{text: s.Remark, size: 7.5}}, false)
		}
	}
	tab.end()
}

// bulletinRow draws a UE's row (bold, shaded, its first cell over the
// coefficient's column too) or a subject's, every cell wrapped whole.
func bulletinRow(d *pdfDoc, tab *pdfTable, cells []bulletinCell, ue bool) {
	style, size, minH := "", tab.size, bulletinSubRow
	if ue {
		style, size, minH = "B", 9, bulletinUERow
	}
	widths := make([]float64, len(tab.cols))
	for i, c := range tab.cols {
		widths[i] = c.w
	}
	if ue { // the UE's code and title span the coefficient's column
		widths[0], widths[1] = widths[0]+widths[1], 0
	}
	lines := make([][]string, len(cells))
	h := minH
	for i := range cells {
		c := &cells[i]
		if c.size == 0 {
			c.size = size
		}
		if widths[i] > 0 && c.text != "" {
			d.font(style, c.size)
			lines[i] = d.SplitText(c.text, widths[i]-2*d.GetCellMargin())
		}
		h = max(h, float64(len(lines[i]))*lineHeight(c.size)+1.2)
	}
	tab.start(h)
	x, y := d.GetXY()
	if ue {
		d.fill(colZebra)
		d.Rect(x, y, tab.width, h, "F")
	}
	cx := x
	for i, c := range tab.cols {
		cell := cells[i]
		d.font(style, cell.size)
		d.color([3]int{})
		switch {
		case cell.alert:
			d.color(colAlert)
		case cell.muted:
			d.color(colMuted)
		case ue && i == len(tab.cols)-1:
			d.color(colPrimary)
		}
		lh := lineHeight(cell.size)
		top := y + (h-float64(len(lines[i]))*lh)/2 // one line: centred; more: from the top
		if len(lines[i]) > 1 {
			top = y + 0.6
		}
		for k, line := range lines[i] {
			d.SetXY(cx, top+float64(k)*lh)
			d.CellFormat(widths[i], lh, line, "", 0, c.align, false, 0, "")
		}
		cx += widths[i]
	}
	d.color([3]int{})
	d.draw(colBorder)
	if ue {
		d.Line(x, y+h, x+tab.width, y+h)
	} else {
		d.SetLineWidth(0.1)
		d.Line(x+widths[0]*0.1, y+h, x+tab.width, y+h)
		d.SetLineWidth(0.2)
	}
	d.SetXY(x, y+h)
	tab.rows++
}

// lineHeight is the height of a line of text of size points, in mm.
func lineHeight(size float64) float64 { return size * 0.42 }

// bulletinSummary is the semester: average, credits, decision, mention
// and rank in boxes, then the decision in words and the absences.
func bulletinSummary(d *pdfDoc, b *domain.Bulletin) {
	l := d.lang
	o := &b.Outcome
	_, lines, _ := closingLines(d, b.Remark)
	d.need(16 + 3 + 8 + closingHeight(lines)) // kept with the remark and the signature
	decision, words := l.t("none"), l.t("none")
	if o.Decision != "" {
		decision, words = string(o.Decision), l.decision(o.Decision)
		if o.Overridden() || len(o.Jury) > 0 {
			decision, words = l.t("releve.jury", decision), l.t("releve.jury", words)
		}
	}
	avg := l.rat(o.Average)
	if o.Average != nil {
		avg += "/20"
	}
	rank := l.t("card.unranked")
	if o.Rank > 0 {
		rank = fmt.Sprintf("%d / %d", o.Rank, b.ClassSize)
	}
	failed := o.Decision != "" && !o.Decision.Validated()
	d.figures([]figure{
		{label: l.t("releve.average"), value: avg, alert: failed},
		{label: l.t("releve.earned"), value: fmt.Sprintf("%d/%d", o.Credits, b.Curriculum.Credits()), alert: failed},
		{label: l.t("releve.decision"), value: decision, alert: failed},
		{label: l.t("releve.mention"), value: l.mention(o.Mention)},
		{label: l.t("card.rank"), value: rank},
	})
	half := d.width() / 2
	d.font("B", 10)
	if failed {
		d.color(colAlert)
	}
	d.CellFormat(half, 6, d.fit(l.t("releve.decided", words), half), "", 0, "L", false, 0, "")
	d.color([3]int{})
	d.font("", 10)
	d.CellFormat(half, 6, d.fit(l.t("bulletin.absences", b.Justified, b.Unjustified), half), "", 1, "R", false, 0, "")
	d.Ln(2)
}

// bulletinClosing is the overall remark in a band (wrapped whole) on
// the left, and the place, date and signature on the right.
func bulletinClosing(d *pdfDoc, remark string, printed time.Time) {
	l := d.lang
	w, lines, fg := closingLines(d, remark)
	h := closingHeight(lines)
	d.need(h)
	x, y := d.GetXY()
	box := 6 + float64(len(lines))*closingLine + 2
	d.fill(colZebra)
	d.Rect(x, y, w, box, "F")
	d.fill(colPrimary)
	d.Rect(x, y, 1.5, box, "F")
	d.SetXY(x+5, y+1)
	d.font("B", 9)
	d.color(colPrimary)
	d.CellFormat(w-8, 5, l.t("bulletin.overall"), "", 2, "L", false, 0, "")
	d.font("", 9.5)
	d.color(fg)
	for _, line := range lines {
		d.SetX(x + 5)
		d.CellFormat(w-8, closingLine, line, "", 2, "L", false, 0, "")
	}
	d.color([3]int{})
	const gap = 6.0
	d.SetXY(x+w+gap, y)
	signBlock(d, d.width()-w-gap, printed)
	d.SetXY(x, y+h)
}

const closingLine = 4.6

// closingLines are the overall remark's lines (a muted word when there is
// none) in the band's width w.
func closingLines(d *pdfDoc, remark string) (w float64, lines []string, fg [3]int) {
	if strings.TrimSpace(remark) == "" {
		remark, fg = d.lang.t("bulletin.noremark"), colMuted
	}
	w = d.width() * 0.6
	d.font("", 9.5)
	return w, d.SplitText(remark, w-8), fg
}

// closingHeight is how tall the remark and the signature are.
func closingHeight(lines []string) float64 {
	return max(6+float64(len(lines))*closingLine+2, bulletinSignH)
}

// signature is the place and date, and the signature block, on the
// right half of the page.
func signature(d *pdfDoc, at time.Time) {
	x := d.GetX()
	d.SetX(x + d.width()/2)
	signBlock(d, d.width()/2, at)
	d.SetX(x)
}

// signBlock writes the place and date and the signer's title, centred in
// w millimetres from the current position.
func signBlock(d *pdfDoc, w float64, at time.Time) {
	l := d.lang
	x := d.GetX()
	d.font("", 10)
	d.CellFormat(w, 6, d.fit(l.t("releve.place", l.day(at)), w), "", 2, "C", false, 0, "")
	d.SetX(x)
	d.font("B", 10)
	d.CellFormat(w, 6, d.fit(l.t("releve.signer"), w), "", 2, "C", false, 0, "")
}

// rat writes an exact average as displayed: 2 decimals, half up, a
// decimal comma in French; a dash for none.
func (l Lang) rat(v *big.Rat) string { return l.mark(domain.FormatAverage(v, false)) }
