package export

import (
	"context"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"time"

	"scolarite/domain"
)

// decisionOrder is the order decisions are counted in on the minutes.
var decisionOrder = [...]domain.Decision{domain.DecisionADM, domain.DecisionADC, domain.DecisionAJ, domain.DecisionDEF}

// MinutesFileName is the default file of the procès-verbal of a session
// of a class's semester, pv-CLASS-SEMESTER-sSESSION.pdf: the same from
// the command line (report pv) and the statistics screen (p).
func MinutesFileName(class, semester string, session int) string {
	return fmt.Sprintf("pv-%s-%s-s%d.pdf", class, semester, session)
}

// WriteMinutes writes the procès-verbal de délibération of a session of
// a class's semester (A4 landscape), the class's one document: the
// regulation's version; the key figures (students, with an average, the
// class's average, lowest, highest, below 10) and the distribution of
// the averages; the count and rate of each decision; every student with each UE's average and
// status, the semester's average, credits and decision, the jury's
// decisions with their reasons, and the jury's signature lines.
func WriteMinutes(ctx context.Context, res *domain.ClassResults, w io.Writer, opt ReportOptions) error {
	c := res.Curriculum
	l := opt.Lang
	printed := opt.now()
	d := newPDF(l, "L", l.t("pv.title")+" — "+c.Class+" "+c.Semester, printed)
	d.title(l.t("pv.title"), l.t("school")+" · "+l.t("pv.subtitle", c.Class, c.Semester, res.Session, c.Year, res.Regulation.Version))
	if c.Status == "" || c.Status == domain.SemesterOpen {
		d.banner(l.t("releve.provisional"))
	}
	figs := res.Figures()
	minutesFigures(d, figs)
	minutesCounts(d, res.Outcomes)
	d.section(l.t("pv.dist"), 55)
	d.distribution(figs.Distribution)
	d.section(l.t("pv.class"), 20)
	if err := minutesTable(ctx, d, res); err != nil {
		return err
	}
	minutesJury(d, res.Outcomes)
	minutesSignatures(d, printed)
	return d.output(w)
}

// minutesFigures boxes the key figures of the session's averages.
func minutesFigures(d *pdfDoc, f domain.ResultFigures) {
	l := d.lang
	avg := func(r *big.Rat) string { return l.mark(domain.FormatAverage(r, false)) }
	pass := new(big.Rat).SetFloat64(domain.PassMark)
	d.figures([]figure{
		{label: l.t("pv.students"), value: strconv.Itoa(f.Students)},
		{label: l.t("pv.graded"), value: strconv.Itoa(f.Graded)},
		{label: l.t("pv.classavg"), value: avg(f.Average), alert: f.Average != nil && f.Average.Cmp(pass) < 0},
		{label: l.t("col.min"), value: avg(f.Min)},
		{label: l.t("col.max"), value: avg(f.Max)},
		{label: l.t("col.below"), value: strconv.Itoa(f.Below), alert: f.Below > 0},
	})
}

// minutesCounts boxes each decision's count and rate, and the pass rate
// (ADM and ADC).
func minutesCounts(d *pdfDoc, outcomes []domain.SemesterOutcome) {
	l := d.lang
	counts := map[domain.Decision]int{}
	for _, o := range outcomes {
		counts[o.Decision]++
	}
	n := len(outcomes)
	rate := func(k int) string {
		if n == 0 {
			return l.t("none")
		}
		return l.num(float64(k)*100/float64(n), 1)
	}
	var fs []figure
	for _, dec := range decisionOrder {
		fs = append(fs, figure{label: l.t("pv.count." + string(dec)), value: l.t("pv.count", counts[dec], rate(counts[dec])),
			alert: !dec.Validated() && counts[dec] > 0})
	}
	passed := counts[domain.DecisionADM] + counts[domain.DecisionADC]
	fs = append(fs, figure{label: l.t("pv.passrate"), value: rate(passed) + pctSuffix(l)})
	d.figures(fs)
}

func pctSuffix(l Lang) string {
	if l == English {
		return "%"
	}
	return " %"
}

// minutesTable is one row per student, in the class's order.
func minutesTable(ctx context.Context, d *pdfDoc, res *domain.ClassResults) error {
	l := d.lang
	c := res.Curriculum
	cols := []pdfCol{{"N°", 8, "R"}, {l.t("col.number"), 21, "L"}, {l.t("col.name"), 50, "L"}}
	fixed := 8.0 + 21 + 50 + 16 + 15 + 24 + 20
	each := (d.width() - fixed) / float64(max(1, len(c.UEs)))
	withStatus := each >= 17
	for _, ue := range c.UEs {
		cols = append(cols, pdfCol{fmt.Sprintf("%s\n%d cr.", ue.Code, ue.Credits), each, "R"})
	}
	if len(c.UEs) == 0 {
		cols[2].w += d.width() - fixed
	}
	cols = append(cols, pdfCol{l.t("col.average"), 16, "R"}, pdfCol{l.t("pv.credits"), 15, "C"},
		pdfCol{l.t("releve.decision"), 24, "L"}, pdfCol{l.t("releve.mention"), 20, "L"})
	t := d.newTable(cols)
	if len(c.UEs) > 8 {
		t.size = 7.5
	}
	total := c.Credits()
	for i, o := range res.Outcomes {
		if i%progressStep == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		cells := []string{strconv.Itoa(i + 1), o.Number, o.LastName + " " + o.FirstName}
		alerts := make([]bool, 0, len(cols))
		alerts = append(alerts, false, false, false)
		for _, u := range o.UEs {
			cell := orNone(l, domain.FormatAverage(u.Average, l != English))
			if withStatus {
				cell += " " + string(u.Status)
			}
			cells = append(cells, cell)
			alerts = append(alerts, u.Status == domain.UENotAcquired)
		}
		decision := string(o.Decision)
		if o.Overridden() || len(o.Jury) > 0 {
			decision = l.t("releve.jury", decision)
		}
		cells = append(cells, orNone(l, domain.FormatAverage(o.Average, l != English)), fmt.Sprintf("%d/%d", o.Credits, total),
			decision, l.mention(o.Mention))
		failed := !o.Decision.Validated()
		alerts = append(alerts, failed, failed, failed, false)
		t.rowAlerts(cells, alerts)
	}
	t.end()
	return nil
}

func orNone(l Lang, s string) string {
	if s == "" {
		return l.t("none")
	}
	return s
}

// minutesJury lists the jury's decisions and points with their reasons,
// the reasons in full (wrapped).
func minutesJury(d *pdfDoc, outcomes []domain.SemesterOutcome) {
	l := d.lang
	d.section(l.t("pv.overrides"), 16)
	type line struct {
		o *domain.SemesterOutcome
		e domain.JuryEntry
	}
	var lines []line
	for i := range outcomes {
		for _, e := range outcomes[i].Jury {
			lines = append(lines, line{&outcomes[i], e})
		}
	}
	if len(lines) == 0 {
		d.para(l.t("pv.nooverride"))
		return
	}
	cols := []pdfCol{{l.t("col.number"), 22, "L"}, {l.t("col.name"), 56, "L"}, {l.t("pv.what"), 52, "L"},
		{l.t("pv.reason"), d.width() - 22 - 56 - 52 - 40, "L"}, {l.t("pv.by"), 40, "L"}}
	t := d.newTable(cols)
	for _, ln := range lines {
		e := ln.e
		what := l.t("pv.decision", e.Decision, ln.o.Computed)
		if e.Decision == "" {
			pts := l.num(e.Points, -1)
			what = l.t("pv.points.sem", pts)
			if e.UE != "" {
				what = l.t("pv.points.ue", pts, e.UE)
			}
		}
		t.wrapped([]string{ln.o.Number, ln.o.LastName + " " + ln.o.FirstName, what, e.Reason, e.By + ", " + l.day(e.At)}, 12)
	}
	t.end()
}

// minutesSignatures is the date, then a block per member of the jury:
// its president and four members, each with a line for the name and
// room to sign.
func minutesSignatures(d *pdfDoc, printed time.Time) {
	l := d.lang
	const h = 34.0
	d.need(h + 12)
	d.Ln(2)
	d.font("B", 12)
	d.color(colPrimary)
	d.CellFormat(d.width()/2, 7, l.t("pv.signatures"), "", 0, "L", false, 0, "")
	d.font("", 10)
	d.color([3]int{})
	d.CellFormat(d.width()/2, 7, l.t("pv.place", l.day(printed)), "", 1, "R", false, 0, "")
	d.Ln(2)
	x, y := d.GetXY()
	const n, gap = 5, 5.0
	w := (d.width() - gap*(n-1)) / n
	d.draw(colBorder)
	for i := range n {
		bx := x + float64(i)*(w+gap)
		d.Rect(bx, y, w, h, "D")
		d.SetXY(bx+2, y+2)
		d.font("B", 9)
		role := l.t("pv.member")
		if i == 0 {
			role = l.t("pv.president")
		}
		d.CellFormat(w-4, 5, d.fit(role, w-4), "", 2, "L", false, 0, "")
		d.SetX(bx + 2)
		d.font("", 8.5)
		d.color(colMuted)
		d.CellFormat(w-4, 6, l.t("pv.name"), "", 0, "L", false, 0, "")
		d.color([3]int{})
		d.Line(bx+14, y+12.5, bx+w-3, y+12.5)
	}
	d.SetXY(x, y+h+2)
}
