package export

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"scolarite/domain"
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

// ClassReport writes the report of one class (A4 landscape): key figures,
// the distribution of averages, the top 10, the students below 10/20 and
// the whole class with one column per subject. The domain decides who may
// read it: an administrator, or a teacher of that class.
func ClassReport(ctx context.Context, r Reader, a domain.Actor, class string, w io.Writer, opt ReportOptions) error {
	class = strings.ToUpper(strings.TrimSpace(class))
	if class == "" {
		return domain.Invalid("class", "is required")
	}
	students, err := r.Students(ctx, a, domain.RosterQuery{Class: class, Sort: domain.SortAverage})
	if err != nil {
		return err
	}
	if len(students) == 0 {
		return domain.Errorf(domain.ENOTFOUND, "class %s has no student (or is not one of yours)", class)
	}
	st, err := r.Stats(ctx, a, class)
	if err != nil {
		return err
	}
	l := opt.Lang
	d := newPDF(l, "L", l.t("class.title", class), opt.now())
	d.title(l.t("class.title", class), majorsOf(students)+" · "+l.t("printed", l.day(opt.now())))
	var cs domain.ClassStats
	if len(st.Classes) > 0 {
		cs = st.Classes[0]
	}
	d.figures([]figure{
		{label: l.t("col.students"), value: strconv.Itoa(cs.Students)},
		{label: l.t("col.graded"), value: strconv.Itoa(cs.Graded)},
		{label: l.t("col.average"), value: l.avg(cs.Average), alert: cs.Average != nil && *cs.Average < domain.PassMark},
		{label: l.t("col.min"), value: l.avg(cs.Min)},
		{label: l.t("col.max"), value: l.avg(cs.Max)},
		{label: l.t("col.below"), value: strconv.Itoa(len(st.Below)), alert: len(st.Below) > 0},
	})
	d.section(l.t("class.dist"), 55)
	d.distribution(st.Distribution)

	d.section(l.t("class.top"), 20)
	top := d.newTable([]pdfCol{{l.t("col.rank"), 14, "R"}, {l.t("col.number"), 28, "L"}, {l.t("col.name"), 110, "L"}, {l.t("col.average"), 22, "R"}})
	for _, r := range st.Top {
		top.row([]string{strconv.Itoa(r.Rank), r.Number, r.LastName + " " + r.FirstName, l.avg(r.Average)}, rowNormal)
	}
	top.end()

	d.section(l.t("class.below"), 14)
	if len(st.Below) == 0 {
		d.para(l.t("class.nobelow"))
	} else {
		below := d.newTable([]pdfCol{{l.t("col.number"), 28, "L"}, {l.t("col.name"), 124, "L"}, {l.t("col.average"), 22, "R"}})
		for _, r := range st.Below {
			below.row([]string{r.Number, r.LastName + " " + r.FirstName, l.avg(r.Average)}, rowAlert)
		}
		below.end()
	}

	d.section(l.t("class.all"), 20)
	classTable(d, students)
	return d.output(w)
}

// classTable lists the class best first, ranked, with each subject's mean.
func classTable(d *pdfDoc, students []*domain.Student) {
	l := d.lang
	sh := newSheet(students, l)
	cols := []pdfCol{{l.t("col.rank"), 10, "R"}, {l.t("col.number"), 22, "L"}, {l.t("col.name"), 58, "L"}}
	// Subjects share what is left, never narrower than 14 mm; beyond
	// what fits, the table keeps the overall average only.
	subjects := sh.subjects
	room := d.width() - 90 - 20
	if n := int(room / 14); len(subjects) > n {
		subjects = subjects[:0]
	}
	for _, sc := range subjects {
		cols = append(cols, pdfCol{sc.header, room / float64(max(1, len(subjects))), "R"})
	}
	if len(subjects) == 0 {
		cols[2].w += room
	}
	cols = append(cols, pdfCol{l.t("col.average"), 20, "R"})
	t := d.newTable(cols)
	rows := make([]domain.RosterRow, 0, len(students))
	for _, s := range students {
		rows = append(rows, s.Row())
	}
	ranks := rankOf(rows)
	var means []*float64
	for i, s := range students {
		cells := []string{ranks[i], s.Number, s.LastName + " " + s.FirstName}
		means = sh.means(s, means)
		for j := range subjects {
			cells = append(cells, l.avg(means[j]))
		}
		cells = append(cells, l.avg(s.Average))
		style := rowNormal
		if s.Average != nil && *s.Average < domain.PassMark {
			style = rowAlert
		}
		t.row(cells, style)
	}
	t.end()
}

// rankOf ranks rows sorted best first (equal averages share a rank); no
// average, no rank.
func rankOf(rows []domain.RosterRow) []string {
	graded := 0
	for graded < len(rows) && rows[graded].Average != nil {
		graded++
	}
	out := make([]string, len(rows))
	for i, r := range domain.Rank(rows[:graded], 0) {
		out[i] = strconv.Itoa(r.Rank)
	}
	for i := graded; i < len(rows); i++ {
		out[i] = "–"
	}
	return out
}

// majorsOf names the majors of a class, most common first.
func majorsOf(students []*domain.Student) string {
	counts := map[string]int{}
	var order []string
	for _, s := range students {
		if counts[s.Major] == 0 {
			order = append(order, s.Major)
		}
		counts[s.Major]++
	}
	best := order[0]
	for _, m := range order {
		if counts[m] > counts[best] {
			best = m
		}
	}
	if len(order) > 1 {
		return best + ", …"
	}
	return best
}
