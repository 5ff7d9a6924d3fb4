package export

import (
	"math"
	"slices"
	"strings"

	"scolarite/domain"
)

// sheet is the tabular form of students that CSV and Excel share: the
// identity columns, one column per subject holding the student's mean in
// that subject, then the overall average. The importer reads it back.
type sheet struct {
	lang     Lang
	subjects []subjectCol
	index    map[string]int // folded subject -> position in subjects
	sums     [][2]float64   // scratch of means
}

// subjectCol is one subject column. Its header names the coefficient when
// every exported grade of the subject has the same one other than 1, so an
// import into an empty store gives the grades their coefficients back.
type subjectCol struct {
	name   string
	coef   float64 // 0 when the grades' coefficients differ
	header string
}

// identityKeys are the identity columns, in file order.
var identityKeys = []string{"number", "last_name", "first_name", "phone", "email", "class", "major", "birth_date",
	"guardian_name", "guardian_phone", "guardian_email"}

func newSheet(students []*domain.Student, lang Lang) *sheet {
	s := &sheet{lang: lang, index: map[string]int{}}
	for _, st := range students {
		for _, g := range st.Grades {
			key := domain.Fold(g.Subject)
			i, ok := s.index[key]
			if !ok {
				s.index[key] = len(s.subjects)
				s.subjects = append(s.subjects, subjectCol{name: g.Subject, coef: g.Coefficient})
				continue
			}
			if s.subjects[i].coef != g.Coefficient {
				s.subjects[i].coef = 0
			}
		}
	}
	slices.SortFunc(s.subjects, func(a, b subjectCol) int { return strings.Compare(domain.Fold(a.name), domain.Fold(b.name)) })
	for i := range s.subjects {
		sc := &s.subjects[i]
		s.index[domain.Fold(sc.name)] = i
		sc.header = sc.name
		if sc.coef != 0 && sc.coef != 1 {
			sc.header = lang.t("coef.suffix", sc.name, lang.num(sc.coef, -1))
		}
	}
	return s
}

// headers are the column titles.
func (s *sheet) headers() []string {
	out := make([]string, 0, len(identityKeys)+len(s.subjects)+1)
	for _, k := range identityKeys {
		out = append(out, s.lang.t("col."+k))
	}
	for _, sc := range s.subjects {
		out = append(out, sc.header)
	}
	return append(out, s.lang.t("col.average"))
}

// identity returns the identity cells of st, in identityKeys order.
func identity(st *domain.Student) [11]string {
	birth := ""
	if !st.BirthDate.IsZero() {
		birth = st.BirthDate.String()
	}
	return [11]string{st.Number, st.LastName, st.FirstName, st.Phone, st.Email, st.Class, st.Major, birth,
		st.GuardianName, st.GuardianPhone, st.GuardianEmail}
}

// means returns st's mean per subject column (nil: no grade in it), reusing
// buf when it is large enough.
func (s *sheet) means(st *domain.Student, buf []*float64) []*float64 {
	buf = slices.Grow(buf[:0], len(s.subjects))[:len(s.subjects)]
	clear(buf)
	if len(st.Grades) == 0 {
		return buf
	}
	s.sums = slices.Grow(s.sums[:0], len(s.subjects))[:len(s.subjects)]
	sums := s.sums
	clear(sums)
	for _, g := range st.Grades {
		i := s.index[domain.Fold(g.Subject)]
		sums[i][0] += g.Value * g.Coefficient
		sums[i][1] += g.Coefficient
	}
	for i, sw := range sums {
		if sw[1] > 0 {
			v := round2(sw[0] / sw[1])
			buf[i] = &v
		}
	}
	return buf
}

// SubjectMean is the weighted mean of the grades of one subject (matched
// case- and accent-insensitively), rounded to two decimals as files show
// it, with how many grades it has; ok is false when there is none.
func SubjectMean(grades []domain.Grade, subject string) (mean float64, count int, ok bool) {
	key := domain.Fold(subject)
	var sum, weights float64
	for _, g := range grades {
		if domain.Fold(g.Subject) == key {
			sum += g.Value * g.Coefficient
			weights += g.Coefficient
			count++
		}
	}
	if count == 0 || weights == 0 {
		return 0, 0, false
	}
	return round2(sum / weights), count, true
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }
