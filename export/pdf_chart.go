package export

import (
	"strconv"

	"scolarite/domain"
)

// figure is one key number of a report, shown in a box.
type figure struct {
	label, value string
	alert        bool
}

// figures draws key numbers side by side in boxes.
func (d *pdfDoc) figures(fs []figure) {
	const h = 16.0
	d.need(h + 2)
	x, y := d.GetXY()
	gap := 4.0
	w := (d.width() - gap*float64(len(fs)-1)) / float64(len(fs))
	for i, f := range fs {
		bx := x + float64(i)*(w+gap)
		d.fill(colZebra)
		if f.alert {
			d.fill(colAlertBg)
		}
		d.draw(colBorder)
		d.Rect(bx, y, w, h, "FD")
		d.SetXY(bx, y+1.5)
		d.font("", 8)
		d.color(colMuted)
		d.CellFormat(w, 4, d.fit(f.label, w), "", 0, "C", false, 0, "")
		d.SetXY(bx, y+6)
		d.font("B", 14)
		d.color(colPrimary)
		if f.alert {
			d.color(colAlert)
		}
		d.CellFormat(w, 8, d.fit(f.value, w), "", 0, "C", false, 0, "")
	}
	d.color([3]int{})
	d.SetXY(x, y+h+3)
}

// distribution draws the number of students per band of two points (0–2
// … 18–20) as bars; bands below the pass mark in the alert colour.
func (d *pdfDoc) distribution(counts [10]int) {
	const h, axis = 48.0, 6.0
	d.need(h + axis + 4)
	x, y := d.GetXY()
	w := d.width()
	peak := 1
	for _, c := range counts {
		peak = max(peak, c)
	}
	slot := w / 10
	barW := slot * 0.7
	plotH := h - 6 // room for the count above the tallest bar
	d.draw(colBorder)
	d.Line(x, y+h, x+w, y+h)
	for i, c := range counts {
		bx := x + float64(i)*slot + (slot-barW)/2
		bh := plotH * float64(c) / float64(peak)
		if float64(i*2) < domain.PassMark {
			d.fill(colAlert)
		} else {
			d.fill(colPrimary)
		}
		if c > 0 {
			d.Rect(bx, y+h-bh, barW, bh, "F")
		}
		d.font("B", 8)
		d.SetXY(bx-2, y+h-bh-5)
		d.CellFormat(barW+4, 5, strconv.Itoa(c), "", 0, "C", false, 0, "")
		d.font("", 8)
		d.color(colMuted)
		d.SetXY(x+float64(i)*slot, y+h+0.5)
		d.CellFormat(slot, 5, strconv.Itoa(i*2)+"–"+strconv.Itoa(i*2+2), "", 0, "C", false, 0, "")
		d.color([3]int{})
	}
	d.SetXY(x, y+h+axis+2)
}

// bars draws one horizontal bar per label for a value out of 20, with
// the pass mark drawn across; a missing value draws no bar.
func (d *pdfDoc) bars(labels []string, values []*float64) {
	const rowH, labelW, valueW = 6.0, 32.0, 16.0
	x := d.GetX()
	plotW := d.width() - labelW - valueW
	for i, label := range labels {
		if d.need(rowH) {
			x = d.GetX()
		}
		y := d.GetY()
		d.font("", 8)
		d.CellFormat(labelW, rowH, d.fit(label, labelW), "", 0, "L", false, 0, "")
		if v := values[i]; v != nil {
			d.fill(colPrimary)
			if *v < domain.PassMark {
				d.fill(colAlert)
			}
			d.Rect(x+labelW, y+1, plotW**v/domain.MaxGrade, rowH-2, "F")
		}
		d.draw(colMuted)
		px := x + labelW + plotW*domain.PassMark/domain.MaxGrade
		d.SetDashPattern([]float64{0.8, 0.8}, 0)
		d.Line(px, y, px, y+rowH)
		d.SetDashPattern(nil, 0)
		d.SetXY(x+labelW+plotW, y)
		d.font("B", 8)
		d.CellFormat(valueW, rowH, d.lang.avg(values[i]), "", 0, "R", false, 0, "")
		d.SetXY(x, y+rowH)
	}
	d.Ln(2)
}
