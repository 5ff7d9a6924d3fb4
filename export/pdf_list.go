package export

import (
	"context"
	"io"
	"strconv"
	"strings"

	"scolarite/domain"
)

// WritePDF writes students as a printable list (A4 landscape): the
// table's columns, with what was selected (class, search, sort) under the
// title. Rows whose average is below 10/20 are marked.
func WritePDF(ctx context.Context, students []*domain.Student, w io.Writer, opt Options) error {
	l := opt.Lang
	d := newPDF(l, "L", l.t("list.title"), opt.now())
	d.title(l.t("list.title"), listSubtitle(l, opt.Query, len(students)))
	t := d.newTable([]pdfCol{
		{"N°", 9, "R"}, {l.t("col.number"), 22, "L"}, {l.t("col.last_name"), 38, "L"},
		{l.t("col.first_name"), 38, "L"}, {l.t("col.phone"), 28, "L"}, {l.t("col.class"), 20, "L"},
		{l.t("col.major"), 36, "L"}, {l.t("col.grades"), 12, "R"}, {l.t("col.average"), 17, "R"},
	})
	for i, s := range students {
		if err := opt.step(ctx, students, i); err != nil {
			return err
		}
		style := rowNormal
		if s.Average != nil && *s.Average < domain.PassMark {
			style = rowAlert
		}
		t.row([]string{strconv.Itoa(i + 1), s.Number, s.LastName, s.FirstName, s.Phone, s.Class, s.Major,
			strconv.Itoa(len(s.Grades)), l.avg(s.Average)}, style)
	}
	t.end()
	opt.progress(len(students), len(students))
	return d.output(w)
}

// listSubtitle says how many students and what selected them.
func listSubtitle(l Lang, q domain.RosterQuery, n int) string {
	parts := []string{l.t("list.count", n)}
	if c := strings.TrimSpace(q.Class); c != "" {
		parts = append(parts, l.t("list.class", strings.ToUpper(c)))
	} else {
		parts = append(parts, l.t("list.all"))
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		parts = append(parts, l.t("list.search", s))
	}
	key := q.Sort
	if key == "" {
		key = domain.SortAverage
	}
	dir := l.t("sort.desc")
	if q.Order.Ascending(key) {
		dir = l.t("sort.asc")
	}
	name := map[domain.SortKey]string{domain.SortGrades: "col.grades"}[key]
	if name == "" {
		name = "col." + string(key)
	}
	parts = append(parts, l.t("list.sort", strings.ToLower(l.t(name)), dir))
	return strings.Join(parts, " · ")
}
