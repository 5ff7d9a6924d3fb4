package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"scolarite/pdffont"
)

// Colours of documents, the application's primary blue and its alerts.
var (
	colPrimary = [3]int{31, 78, 121}
	colZebra   = [3]int{236, 242, 248}
	colAlert   = [3]int{176, 0, 32}
	colAlertBg = [3]int{253, 231, 233}
	colOKBg    = [3]int{230, 243, 231}
	colMuted   = [3]int{107, 107, 107}
	colBorder  = [3]int{160, 160, 160}
)

// Layout of documents, in millimetres and points.
const (
	pdfMargin   = 15.0
	pdfBottom   = 16.0 // room kept for the footer
	pdfRowH     = 6.0
	pdfHeadLine = 4.2
	pdfBodySize = 9.0
)

// ReportOptions tune a PDF report.
type ReportOptions struct {
	Lang Lang
	// Now dates the document (default time.Now).
	Now func() time.Time
}

func (o ReportOptions) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

// pdfDoc is a document with the embedded font, a footer on every page and
// page breaks handled by its callers, so that tables repeat their header.
type pdfDoc struct {
	*fpdf.Fpdf
	lang        Lang
	orientation string
}

// newPDF starts a document in orientation "P" or "L", dated printed.
func newPDF(lang Lang, orientation, title string, printed time.Time) *pdfDoc {
	f := fpdf.New(orientation, "mm", "A4", "")
	pdffont.Register(f)
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(false, pdfBottom)
	f.SetCreationDate(printed)
	f.SetModificationDate(printed)
	f.SetTitle(title, true)
	f.SetCreator("Scolarité", true)
	f.AliasNbPages("{nb}")
	d := &pdfDoc{Fpdf: f, lang: lang, orientation: orientation}
	footer := lang.t("school") + " — " + lang.t("printed", lang.day(printed))
	f.SetFooterFunc(func() {
		_, h := f.GetPageSize()
		f.SetY(h - pdfBottom + 6)
		d.font("", 8)
		d.color(colMuted)
		w := d.width()
		f.CellFormat(w/2, 5, footer, "", 0, "L", false, 0, "")
		f.CellFormat(w/2, 5, lang.t("page", f.PageNo()), "", 0, "R", false, 0, "")
		d.color([3]int{})
	})
	f.AddPage()
	return d
}

// font selects the embedded font: style "" or "B".
func (d *pdfDoc) font(style string, size float64) { d.SetFont(pdffont.Family, style, size) }

func (d *pdfDoc) color(c [3]int) { d.SetTextColor(c[0], c[1], c[2]) }
func (d *pdfDoc) fill(c [3]int)  { d.SetFillColor(c[0], c[1], c[2]) }
func (d *pdfDoc) draw(c [3]int)  { d.SetDrawColor(c[0], c[1], c[2]) }

// width is the width between the margins.
func (d *pdfDoc) width() float64 {
	w, _ := d.GetPageSize()
	l, _, r, _ := d.GetMargins()
	return w - l - r
}

// room is the height left on the page above the footer.
func (d *pdfDoc) room() float64 {
	_, h := d.GetPageSize()
	return h - pdfBottom - d.GetY()
}

// need starts a new page unless h millimetres are left; reports whether
// it did.
func (d *pdfDoc) need(h float64) bool {
	if d.room() >= h {
		return false
	}
	d.AddPageFormat(d.orientation, d.GetPageSizeStr())
	return true
}

// GetPageSizeStr is A4, the only size documents use.
func (d *pdfDoc) GetPageSizeStr() fpdf.SizeType {
	w, h := d.GetPageSize()
	if d.orientation == "L" {
		return fpdf.SizeType{Wd: h, Ht: w}
	}
	return fpdf.SizeType{Wd: w, Ht: h}
}

// fit shortens s with an ellipsis until it fits w millimetres in the
// current font (cell padding included), so no text leaves its cell.
func (d *pdfDoc) fit(s string, w float64) string {
	avail := w - 2*d.GetCellMargin()
	if d.GetStringWidth(s) <= avail {
		return s
	}
	const ell = "…"
	runes := []rune(s)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.GetStringWidth(strings.TrimSpace(string(runes[:mid]))+ell) <= avail {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 {
		return ""
	}
	return strings.TrimSpace(string(runes[:lo])) + ell
}

// wrap cuts s into at most maxLines lines of width w, the last one
// shortened with an ellipsis if the text goes on.
func (d *pdfDoc) wrap(s string, w float64, maxLines int) []string {
	lines := d.SplitText(s, w)
	if len(lines) <= maxLines {
		return lines
	}
	rest := strings.Join(lines[maxLines-1:], " ")
	lines = lines[:maxLines]
	lines[maxLines-1] = d.fit(rest+" …", w)
	return lines
}

// title writes the document's title and a muted subtitle.
func (d *pdfDoc) title(title, subtitle string) {
	d.font("B", 16)
	d.color(colPrimary)
	d.MultiCell(d.width(), 8, title, "", "L", false)
	d.color([3]int{})
	if subtitle != "" {
		d.font("", 10)
		d.color(colMuted)
		d.MultiCell(d.width(), 5, subtitle, "", "L", false)
		d.color([3]int{})
	}
	d.Ln(3)
}

// section writes a section heading, keeping it with at least keep
// millimetres of what follows.
func (d *pdfDoc) section(text string, keep float64) {
	d.need(9 + keep)
	d.Ln(2)
	d.font("B", 12)
	d.color(colPrimary)
	d.CellFormat(d.width(), 7, d.fit(text, d.width()), "", 1, "L", false, 0, "")
	d.color([3]int{})
}

// para writes a paragraph of wrapped text.
func (d *pdfDoc) para(text string) {
	d.font("", pdfBodySize+1)
	d.need(6)
	d.MultiCell(d.width(), 5, text, "", "L", false)
}

// output writes the document, or the first error met while building it.
func (d *pdfDoc) output(w io.Writer) error {
	if err := d.Error(); err != nil {
		return fmt.Errorf("build PDF: %w", err)
	}
	if err := d.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}
