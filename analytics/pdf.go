package analytics

import (
	"bytes"
	"fmt"
	"io"

	"codeberg.org/go-pdf/fpdf"

	"scolarite/pdffont"
)

const pdfFont = pdffont.Family

// WritePDF writes the same report as WriteMarkdown as an A4 PDF; chart is
// the PNG to place under the results (nil: none).
func WritePDF(w io.Writer, d *Document, chart []byte) error {
	if err := d.check(); err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdffont.Register(pdf)
	pdf.SetTitle(reportTitle, true)
	pdf.SetCreator("scolarite analytics", true)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		pdf.SetFont(pdfFont, "", 8)
		pdf.SetTextColor(120, 120, 120)
		pdf.CellFormat(0, 5, fmt.Sprintf("ÉSP 221 · Scolarité · page %d / {nb}", pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	left, _, rightM, _ := pdf.GetMargins()
	width := pageW - left - rightM

	pdf.SetFont(pdfFont, "B", 16)
	pdf.SetTextColor(20, 40, 90)
	pdf.MultiCell(width, 8, reportTitle, "", "L", false)
	pdf.Ln(2)
	for _, s := range d.sections() {
		if pdf.GetY() > 250 {
			pdf.AddPage()
		}
		pdf.SetFont(pdfFont, "B", 12)
		pdf.SetTextColor(20, 40, 90)
		pdf.Ln(3)
		pdf.CellFormat(width, 7, s.title, "B", 1, "L", false, 0, "")
		pdf.Ln(1)
		pdf.SetFont(pdfFont, "", 9.5)
		pdf.SetTextColor(0, 0, 0)
		for _, l := range s.lines {
			if s.list {
				pdf.CellFormat(5, 5, "•", "", 0, "L", false, 0, "")
				pdf.MultiCell(width-5, 5, l, "", "L", false)
			} else {
				pdf.MultiCell(width, 5, l, "", "L", false)
			}
		}
		if len(s.table) > 0 {
			pdfTable(pdf, s.table, s.right, width)
		}
		if s.image != "" && len(chart) > 0 {
			pdfImage(pdf, s.image, chart, width)
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// pdfTable draws rows with a shaded header; the first column takes the
// room the others leave.
func pdfTable(pdf *fpdf.Fpdf, rows [][]string, right []bool, width float64) {
	cols := len(rows[0])
	widths := make([]float64, cols)
	if cols == 2 {
		widths[0], widths[1] = width*0.32, width*0.68
	} else {
		// A number column is as wide as its widest cell in the header's
		// bold face ("Écart-type" on one line), at least 16.5 mm.
		pdf.SetFont(pdfFont, "B", 8.5)
		rest := 0.0
		for j := 1; j < cols; j++ {
			widths[j] = 16.5
			for _, row := range rows {
				widths[j] = max(widths[j], pdf.GetStringWidth(row[j])+4)
			}
			rest += widths[j]
		}
		widths[0] = width - rest
	}
	for i, row := range rows {
		style, fill := "", false
		if i == 0 {
			style, fill = "B", true
			pdf.SetFillColor(225, 232, 245)
		}
		pdf.SetFont(pdfFont, style, 8.5)
		lines := 1
		for j, c := range row {
			lines = max(lines, len(pdf.SplitText(c, widths[j]-2)))
		}
		h := 5.5 * float64(lines)
		if pdf.GetY()+h > 275 {
			pdf.AddPage()
		}
		x, y := pdf.GetX(), pdf.GetY()
		for j, c := range row {
			align := "L"
			if j < len(right) && right[j] {
				align = "R"
			}
			pdf.SetXY(x, y)
			pdf.Rect(x, y, widths[j], h, map[bool]string{true: "FD", false: "D"}[fill])
			pdf.MultiCell(widths[j], 5.5, c, "", align, false)
			x += widths[j]
		}
		pdf.SetXY(x-width, y+h)
	}
}

func pdfImage(pdf *fpdf.Fpdf, name string, png []byte, width float64) {
	opts := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
	info := pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(png))
	if info == nil {
		return
	}
	h := width * info.Height() / info.Width()
	if pdf.GetY()+h+4 > 275 {
		pdf.AddPage()
	}
	pdf.Ln(4)
	pdf.ImageOptions(name, pdf.GetX(), pdf.GetY(), width, h, true, opts, 0, "")
}
