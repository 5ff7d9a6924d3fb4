package export

import (
	"context"
	"io"
	"strconv"

	"scolarite/domain"
)

// SchoolReport writes the whole-school summary (A4 portrait): the key
// figures, one line and one bar per class, and the overall top 10. It
// covers what the actor may see: the whole school for an administrator,
// their classes for a teacher.
func SchoolReport(ctx context.Context, r Reader, a domain.Actor, w io.Writer, opt ReportOptions) error {
	st, err := r.Stats(ctx, a, "")
	if err != nil {
		return err
	}
	l := opt.Lang
	d := newPDF(l, "P", l.t("school.title"), opt.now())
	d.title(l.t("school.title"), l.t("school")+" · "+l.t("printed", l.day(opt.now())))
	d.figures([]figure{
		{label: l.t("col.students"), value: strconv.Itoa(st.Students)},
		{label: l.t("col.graded"), value: strconv.Itoa(st.Graded)},
		{label: l.t("col.average"), value: l.avg(st.Average), alert: st.Average != nil && *st.Average < domain.PassMark},
		{label: l.t("col.below"), value: strconv.Itoa(len(st.Below)), alert: len(st.Below) > 0},
	})

	below := map[string]int{}
	for _, r := range st.Below {
		below[r.Class]++
	}
	d.section(l.t("school.classes"), 20)
	t := d.newTable([]pdfCol{{l.t("col.class"), 30, "L"}, {l.t("col.students"), 18, "R"}, {l.t("col.graded"), 18, "R"},
		{l.t("col.average"), 22, "R"}, {l.t("col.min"), 18, "R"}, {l.t("col.max"), 18, "R"}, {l.t("col.below"), 18, "R"}})
	labels := make([]string, 0, len(st.Classes))
	values := make([]*float64, 0, len(st.Classes))
	for _, c := range st.Classes {
		style := rowNormal
		if c.Average != nil && *c.Average < domain.PassMark {
			style = rowAlert
		}
		t.row([]string{c.Class, strconv.Itoa(c.Students), strconv.Itoa(c.Graded), l.avg(c.Average),
			l.avg(c.Min), l.avg(c.Max), strconv.Itoa(below[c.Class])}, style)
		labels, values = append(labels, c.Class), append(values, c.Average)
	}
	t.row([]string{l.t("card.total"), strconv.Itoa(st.Students), strconv.Itoa(st.Graded), l.avg(st.Average),
		"", "", strconv.Itoa(len(st.Below))}, rowBold)
	t.end()
	d.Ln(2)
	d.bars(labels, values)

	d.section(l.t("school.top"), 20)
	top := d.newTable([]pdfCol{{l.t("col.rank"), 14, "R"}, {l.t("col.number"), 26, "L"}, {l.t("col.name"), 80, "L"},
		{l.t("col.class"), 26, "L"}, {l.t("col.average"), 20, "R"}})
	for _, r := range st.Top {
		top.row([]string{strconv.Itoa(r.Rank), r.Number, r.LastName + " " + r.FirstName, r.Class, l.avg(r.Average)}, rowNormal)
	}
	top.end()
	return d.output(w)
}
