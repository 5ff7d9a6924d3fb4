package export

import (
	"context"
	"io"
	"slices"
	"strings"

	"scolarite/domain"
)

// BulletinSource builds a student's bulletin of a semester ("" year: the
// current one): the results service.
type BulletinSource interface {
	Bulletin(ctx context.Context, a domain.Actor, ref, semester, year string) (*domain.Bulletin, error)
}

// CardQuery is whose report card, of which semester: "" is the student's
// latest semester that has an average (for a student reading their own,
// the latest published).
type CardQuery struct {
	Student  string // matricule or phone
	Semester string
	Year     string // "": the current year (with Semester), or the term's
}

// ReportCard writes a student's report card (A4 portrait): the bulletin
// of a semester, or, for a student with no semester's average (a student
// reader: none published), the card of their free grades. It returns the
// bulletin written, nil for the free grades' card. src may be nil (no
// results: always the free grades). The domain decides who may read it:
// an administrator, a teacher of the class, or the student.
func ReportCard(ctx context.Context, r Reader, src BulletinSource, a domain.Actor, q CardQuery, w io.Writer, opt ReportOptions) (*domain.Bulletin, error) {
	st, err := r.Get(ctx, a, q.Student)
	if err != nil {
		return nil, err
	}
	if q.Semester != "" {
		if src == nil {
			return nil, domain.Errorf(domain.EUNAVAILABLE, "semester results are not available here")
		}
		b, err := src.Bulletin(ctx, a, st.Number, q.Semester, q.Year)
		if err != nil {
			return nil, err
		}
		return b, WriteBulletin(b, w, opt)
	}
	if src != nil {
		for _, term := range st.TermsLatestFirst() {
			b, err := src.Bulletin(ctx, a, st.Number, term.Semester, term.Year)
			switch code := domain.ErrorCode(err); {
			case err == nil:
				return b, WriteBulletin(b, w, opt)
			case code == domain.ENOTFOUND, code == domain.EFORBIDDEN && a.Role == domain.RoleStudent:
				continue // no curriculum (the class changed), or not published yet
			default:
				return nil, err
			}
		}
	}
	return nil, freeGradeCard(ctx, r, a, st, w, opt)
}

// freeGradeCard writes the report card of a student's free grades:
// identity, grades by subject with their coefficients, the weighted
// average, the rank in class, the class average and a remark.
func freeGradeCard(ctx context.Context, r Reader, a domain.Actor, st *domain.Student, w io.Writer, opt ReportOptions) error {
	standing, err := r.Standing(ctx, a, st)
	if err != nil {
		return err
	}
	l := opt.Lang
	d := newPDF(l, "P", l.t("card.title")+" — "+st.FullName(), opt.now())
	d.title(l.t("card.title"), l.t("school")+" · "+l.t("printed", l.day(opt.now())))
	birth := l.t("none")
	if !st.BirthDate.IsZero() {
		birth = l.day(st.BirthDate.Time())
	}
	// The name in full, wrapped if it must: a report card never cuts it.
	d.font("B", 13)
	d.MultiCell(d.width(), 6.5, st.LastName+" "+st.FirstName, "", "L", false)
	d.Ln(1)
	d.identity([][2]string{
		{l.t("card.number"), st.Number},
		{l.t("card.class"), st.Class},
		{l.t("card.major"), st.Major},
		{l.t("card.birth"), birth},
	})
	d.Ln(2)
	if len(st.Grades) == 0 {
		d.para(l.t("card.nogrades"))
	} else {
		gradesTable(d, st.Grades)
	}
	rank := l.t("card.unranked")
	if standing.Rank > 0 {
		rank = l.t("card.rankof", standing.Rank, standing.ClassSize)
	}
	d.Ln(2)
	d.figures([]figure{
		{label: l.t("card.average"), value: outOf20(l, st.Average), alert: st.Average != nil && *st.Average < domain.PassMark},
		{label: l.t("card.rank"), value: rank},
		{label: l.t("card.classavg"), value: outOf20(l, standing.ClassAverage)},
	})
	d.remark(st.Average)
	return d.output(w)
}

func outOf20(l Lang, v *float64) string {
	if v == nil {
		return l.t("none")
	}
	return l.avg(v) + "/20"
}

// identity draws label / value pairs, two per line.
func (d *pdfDoc) identity(pairs [][2]string) {
	const labelW, rowH = 34.0, 6.5
	half := d.width() / 2
	x := d.GetX()
	for i, p := range pairs {
		if i%2 == 0 {
			d.need(rowH)
			d.SetX(x)
		}
		d.font("", 9)
		d.color(colMuted)
		d.CellFormat(labelW, rowH, d.fit(p[0], labelW), "", 0, "L", false, 0, "")
		d.font("B", 10)
		d.color([3]int{})
		ln := 0
		if i%2 == 1 || i == len(pairs)-1 {
			ln = 1
		}
		d.CellFormat(half-labelW, rowH, d.fit(p[1], half-labelW), "", ln, "L", false, 0, "")
	}
}

// gradesTable groups grades by subject: each value, the subject's total
// coefficient, its weighted mean and points (mean × coefficient), then a
// total whose points over coefficients is the overall average.
func gradesTable(d *pdfDoc, grades []domain.Grade) {
	l := d.lang
	type subject struct {
		name   string
		values []string
		sum    float64
		coef   float64
	}
	var subjects []*subject
	index := map[string]*subject{}
	for _, g := range grades {
		key := domain.Fold(g.Subject)
		s := index[key]
		if s == nil {
			s = &subject{name: g.Subject}
			index[key] = s
			subjects = append(subjects, s)
		}
		s.values = append(s.values, l.num(g.Value, -1))
		s.sum += g.Value * g.Coefficient
		s.coef += g.Coefficient
	}
	slices.SortFunc(subjects, func(a, b *subject) int { return strings.Compare(domain.Fold(a.name), domain.Fold(b.name)) })
	t := d.newTable([]pdfCol{{l.t("col.subject"), 60, "L"}, {l.t("col.values"), 50, "L"},
		{l.t("col.coef"), 16, "R"}, {l.t("col.subjavg"), 22, "R"}, {l.t("col.points"), 22, "R"}})
	var coefs, points float64
	for _, s := range subjects {
		mean := s.sum / s.coef
		style := rowNormal
		if mean < domain.PassMark {
			style = rowAlert
		}
		t.row([]string{s.name, strings.Join(s.values, " · "), l.num(s.coef, -1), l.num(mean, 2), l.num(s.sum, 2)}, style)
		coefs += s.coef
		points += s.sum
	}
	t.row([]string{l.t("card.total"), "", l.num(coefs, -1), l.avg(domain.WeightedAverage(grades)), l.num(points, 2)}, rowBold)
	t.end()
}

// remark is the band under a report card: an alert below the pass mark,
// the usual French mentions above it.
func (d *pdfDoc) remark(avg *float64) {
	l := d.lang
	key, bg, fg := "remark.none", colZebra, colMuted
	if avg != nil {
		v := *avg
		bg, fg = colOKBg, [3]int{27, 110, 32}
		switch {
		case v < domain.PassMark:
			key, bg, fg = "remark.alert", colAlertBg, colAlert
		case v < 12:
			key = "remark.pass"
		case v < 14:
			key = "remark.fair"
		case v < 16:
			key = "remark.good"
		case v < 18:
			key = "remark.verygood"
		default:
			key = "remark.excel"
		}
	}
	d.need(14)
	d.Ln(2)
	x, y := d.GetXY()
	d.fill(bg)
	d.Rect(x, y, d.width(), 12, "F")
	d.fill(fg)
	d.Rect(x, y, 2, 12, "F")
	d.SetXY(x+5, y)
	d.font("B", 12)
	d.color(fg)
	d.CellFormat(d.width()-6, 12, d.fit(l.t(key), d.width()-6), "", 1, "L", false, 0, "")
	d.color([3]int{})
}
