package export

import (
	"context"
	"fmt"
	"io"

	"scolarite/domain"
)

// Layout of a relevé, in millimetres.
const (
	releveUERow   = 5.6
	releveSubRow  = 4.7
	releveSignH   = 30.0 // place, date, signature and the verification code
	releveSummary = 28.0 // the figures and the decision in words
)

// WriteTranscripts writes relevés de notes (A4 portrait), each from a new
// page: identity, year, class, semester and session; every UE with its
// subjects' coefficients and marks, its average and status; the
// semester's average, credits, decision and mention; place, date and
// signature; the verification code the domain computed. It prints what
// each relevé certifies and nothing else.
func WriteTranscripts(ctx context.Context, ts []domain.Transcript, w io.Writer, opt ReportOptions) error {
	if len(ts) == 0 {
		return domain.Invalid("relevés", "there is none to write")
	}
	l := opt.Lang
	title := l.t("releve.title")
	if len(ts) == 1 {
		title += " — " + ts[0].LastName + " " + ts[0].FirstName
	}
	printed := opt.now()
	d := newPDF(l, "P", title, printed)
	code := ts[0].Code // the footer's: the relevé being written
	d.SetFooterFunc(func() {
		_, h := d.GetPageSize()
		d.SetY(h - pdfBottom + 6)
		d.font("", 8)
		d.color(colMuted)
		half := d.width() / 2
		d.CellFormat(half, 5, l.t("school")+" — "+l.t("releve.footer", code), "", 0, "L", false, 0, "")
		d.CellFormat(half, 5, l.t("printed", l.day(printed)), "", 0, "R", false, 0, "")
		d.color([3]int{})
	})
	for i := range ts {
		if i%progressStep == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if i > 0 {
			d.AddPageFormat("P", d.GetPageSizeStr()) // the footer of the previous one first
			code = ts[i].Code
		}
		releve(d, &ts[i])
	}
	return d.output(w)
}

// releve draws one relevé from the top of a page.
func releve(d *pdfDoc, t *domain.Transcript) {
	l := d.lang
	docHeader(d, l.t("releve.title"), t.Year, t.Semester, t.Session)
	if t.Provisional {
		d.banner(l.t("releve.provisional"))
	}
	releveIdentity(d, t)
	releveTable(d, t)
	releveSummaryBox(d, t)
	releveSignature(d, t)
}

// banner is a band in the alert colours across the page.
func (d *pdfDoc) banner(text string) {
	x, y := d.GetXY()
	d.fill(colAlertBg)
	d.draw(colAlert)
	d.Rect(x, y, d.width(), 8, "FD")
	d.font("B", 10)
	d.color(colAlert)
	d.CellFormat(d.width(), 8, d.fit(text, d.width()), "", 1, "C", false, 0, "")
	d.color([3]int{})
	d.Ln(2)
}

// releveIdentity is the student: the name in full (wrapped, never cut),
// then matricule, birth date, class and year.
func releveIdentity(d *pdfDoc, t *domain.Transcript) {
	l := d.lang
	birth := l.t("none")
	if !t.BirthDate.IsZero() {
		birth = l.day(t.BirthDate.Time())
	}
	studentBox(d, t.LastName+" "+t.FirstName, [][2]string{
		{l.t("card.number"), t.Number},
		{l.t("releve.birth"), birth},
		{l.t("card.class"), t.Class},
		{l.t("releve.yearlabel"), t.Year},
	})
}

// studentBox is a student's name in full (wrapped, never cut) over the
// label / value pairs, on a shaded band.
func studentBox(d *pdfDoc, name string, pairs [][2]string) {
	x, y := d.GetXY()
	d.font("B", 13)
	lines := d.wrap(name, d.width()-8, 3)
	h := float64(len(lines))*6 + 2 + float64((len(pairs)+1)/2)*6.5 + 2
	d.fill(colZebra)
	d.Rect(x, y, d.width(), h, "F")
	d.fill(colPrimary)
	d.Rect(x, y, 1.5, h, "F")
	d.SetXY(x+4, y+1)
	for _, line := range lines {
		d.SetX(x + 4)
		d.CellFormat(d.width()-8, 6, line, "", 1, "L", false, 0, "")
	}
	d.Ln(1)
	d.SetX(x + 4)
	d.identity(pairs)
	d.SetXY(x, y+h+3)
}

// releveTable lists the UEs, each followed by its subjects; it goes on
// to the next page, header repeated, when a relevé is that long.
func releveTable(d *pdfDoc, t *domain.Transcript) {
	l := d.lang
	tab := d.newTable([]pdfCol{{l.t("releve.code"), 20, "L"}, {l.t("releve.unit"), 86, "L"}, {l.t("releve.credits"), 16, "C"},
		{l.t("col.coef"), 14, "C"}, {l.t("releve.mark"), 22, "R"}, {l.t("releve.status"), 22, "C"}})
	tab.header()
	resit := false
	for _, ue := range t.UEs {
		// A UE starts on the page that has room for it with a subject.
		if d.room() < releveUERow+releveSubRow {
			d.AddPageFormat("P", d.GetPageSizeStr())
			tab.header()
		}
		status := string(ue.Status)
		cells := []string{ue.Code, ue.Title, fmt.Sprint(ue.Credits), "", l.mark(ue.Average), status}
		releveRow(d, tab, cells, releveUERow, true, ue.Status == domain.UENotAcquired)
		for _, s := range ue.Subjects {
			if d.room() < releveSubRow {
				d.AddPageFormat("P", d.GetPageSizeStr())
				tab.header()
			}
			mark := l.mark(s.Average)
			if s.Resit {
				mark, resit = "* "+mark, true
			}
			releveRow(d, tab, []string{"", s.Name, "", l.num(s.Coefficient, -1), mark, ""}, releveSubRow, false, false)
		}
	}
	tab.end()
	d.font("", 7.5)
	d.color(colMuted)
	legend := l.t("releve.legend")
	if resit {
		legend += l.t("releve.legendresit")
	}
	d.CellFormat(d.width(), 4, d.fit(legend, d.width()), "", 1, "L", false, 0, "")
	d.color([3]int{})
	d.Ln(2)
}

// releveRow draws a UE's row (bold, shaded, its status coloured) or a
// subject's (indented).
func releveRow(d *pdfDoc, tab *pdfTable, cells []string, h float64, ue, failed bool) {
	style, size := "", 8.5
	if ue {
		style, size = "B", 9
		x, y := d.GetXY()
		d.fill(colZebra)
		d.Rect(x, y, tab.width, h, "F")
	}
	d.font(style, size)
	for i, c := range tab.cols {
		text := cells[i]
		if i == 1 && !ue {
			text = "    " + text
		}
		d.color([3]int{})
		if i == len(tab.cols)-1 && ue {
			d.color(colPrimary)
			if failed {
				d.color(colAlert)
			}
		}
		d.CellFormat(c.w, h, d.fit(text, c.w), "", 0, c.align, false, 0, "")
	}
	d.color([3]int{})
	if ue {
		y := d.GetY()
		d.draw(colBorder)
		d.Line(d.lMargin(), y, d.lMargin()+tab.width, y)
	}
	d.Ln(h)
}

func (d *pdfDoc) lMargin() float64 {
	l, _, _, _ := d.GetMargins()
	return l
}

// releveSummaryBox is the semester: average, credits, decision, mention,
// and the decision in words.
func releveSummaryBox(d *pdfDoc, t *domain.Transcript) {
	l := d.lang
	if d.room() < releveSummary+releveSignH {
		d.AddPageFormat("P", d.GetPageSizeStr())
	}
	decision := string(t.Decision)
	words := l.decision(t.Decision)
	if t.Jury {
		decision = l.t("releve.jury", decision)
		words = l.t("releve.jury", words)
	}
	avg := l.mark(t.Average)
	if t.Average != "" {
		avg += "/20"
	}
	failed := !t.Decision.Validated()
	d.figures([]figure{
		{label: l.t("releve.average"), value: avg, alert: failed},
		{label: l.t("releve.earned"), value: fmt.Sprintf("%d/%d", t.Credits, t.TotalCredits), alert: failed},
		{label: l.t("releve.decision"), value: decision, alert: failed},
		{label: l.t("releve.mention"), value: l.mention(t.Mention)},
	})
	d.font("B", 10)
	if failed {
		d.color(colAlert)
	}
	d.CellFormat(d.width(), 6, d.fit(l.t("releve.decided", words), d.width()), "", 1, "L", false, 0, "")
	d.color([3]int{})
	d.Ln(3)
}

// releveSignature is the place and date with the signature block on the
// right, the verification code on the left.
func releveSignature(d *pdfDoc, t *domain.Transcript) {
	l := d.lang
	x, y := d.GetXY()
	half := d.width() / 2
	// The code, in a box.
	d.draw(colPrimary)
	d.SetLineWidth(0.4)
	d.Rect(x, y, half-10, 22, "D")
	d.SetLineWidth(0.2)
	d.SetXY(x+3, y+2)
	d.font("", 8)
	d.color(colMuted)
	d.CellFormat(half-16, 4, l.t("releve.verify"), "", 2, "L", false, 0, "")
	d.SetX(x + 3)
	d.font("B", 16)
	d.color(colPrimary)
	d.CellFormat(half-16, 9, t.Code, "", 2, "L", false, 0, "")
	d.SetX(x + 3)
	d.font("", 7.5)
	d.color(colMuted)
	d.CellFormat(half-16, 5, d.fit(l.t("releve.verifyhow", t.Code), half-16), "", 0, "L", false, 0, "")
	// Place, date and the signature.
	d.color([3]int{})
	d.SetXY(x, y)
	signature(d, t.IssuedAt)
	d.SetXY(x, y+releveSignH)
}
