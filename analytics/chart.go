package analytics

import (
	"fmt"
	"image/color"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"scolarite/domain"
)

// Chart size and the box colour (the application's blue).
const (
	chartWidth  = 20 * vg.Centimeter
	chartHeight = 11 * vg.Centimeter
)

var boxFill = color.RGBA{R: 0x9e, G: 0xc5, B: 0xfe, A: 0xff}

// WriteChart draws one box per major (Tukey's schematic plot: box from Q1
// to Q3, median line, whiskers to the furthest age within 1.5 IQR, the
// ages beyond as points) from the exact figures of r, as a PNG; engine,
// when not "", is named in the title.
func WriteChart(w io.Writer, r *domain.AgeReport, p *Partial, engine string) error {
	pl := plot.New()
	pl.Title.Text = fmt.Sprintf("Âge par filière (étudiants de plus de %d ans)", r.MinAge)
	if engine != "" {
		pl.Title.Text += " — " + engine
	}
	pl.Y.Label.Text = "Âge (ans)"
	pl.X.Label.Text = "Filière"
	pl.Y.Tick.Marker = plot.DefaultTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	pl.Add(grid)
	names := make([]string, 0, len(r.Majors))
	for i, m := range r.Majors {
		box, err := boxFor(i, m, p.Majors[m.Major], r.MinAge)
		if err != nil {
			return fmt.Errorf("chart %s: %w", m.Major, err)
		}
		pl.Add(box)
		names = append(names, fmt.Sprintf("%s\n(n = %s)", m.Major, count(m.Students)))
	}
	if len(names) == 0 {
		pl.Title.Text += " : aucun étudiant"
		pl.Y.Min, pl.Y.Max = float64(r.MinAge), float64(r.MinAge+10)
	} else {
		pl.NominalX(names...)
		// Room around the first and last boxes, and above and below.
		pl.X.Min, pl.X.Max = -0.6, float64(len(names))-0.4
		pl.Y.Min, pl.Y.Max = pl.Y.Min-1, pl.Y.Max+1
	}
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(chartWidth, chartHeight), vgimg.UseDPI(150))}
	pl.Draw(draw.New(c))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("write chart: %w", err)
	}
	return nil
}

// boxFor builds the box of one major. gonum computes Tukey's hinges from
// the values it is given; the box is made from the distinct ages and then
// given the exact quartiles of the table, so chart and table agree.
func boxFor(x int, m domain.MajorAges, h *Hist, minAge int) (*plotter.BoxPlot, error) {
	var distinct plotter.Values
	if h != nil {
		for age, n := range h {
			if n > 0 && age > minAge {
				distinct = append(distinct, float64(age))
			}
		}
	}
	if len(distinct) == 0 {
		distinct = plotter.Values{m.Median}
	}
	box, err := plotter.NewBoxPlot(vg.Points(36), float64(x), distinct)
	if err != nil {
		return nil, err
	}
	box.Median, box.Quartile1, box.Quartile3, box.Min, box.Max = m.Median, m.Q1, m.Q3, m.Min, m.Max
	iqr := m.Q3 - m.Q1
	low, high := m.Q1-1.5*iqr, m.Q3+1.5*iqr
	box.AdjLow, box.AdjHigh, box.Outside = math.Inf(1), math.Inf(-1), nil
	for i, v := range box.Values {
		if v < low || v > high {
			box.Outside = append(box.Outside, i)
			continue
		}
		box.AdjLow, box.AdjHigh = min(box.AdjLow, v), max(box.AdjHigh, v)
	}
	box.FillColor = boxFill
	box.MedianStyle.Width = vg.Points(2)
	return box, nil
}
