package domain_test

import (
	"strings"
	"testing"

	"scolarite/domain"
)

// The semesters a report card may print: those with an average, the
// latest year first, S10 after S9.
func TestTermsLatestFirst(t *testing.T) {
	avg := 12.0
	for _, tc := range []struct {
		terms []domain.TermAverage
		want  string
	}{
		{nil, ""},
		{[]domain.TermAverage{{Year: "2026-2027", Semester: "S1"}}, ""},
		{[]domain.TermAverage{{Year: "2025-2026", Semester: "S2", Average: &avg}, {Year: "2026-2027", Semester: "S3", Average: &avg},
			{Year: "2026-2027", Semester: "S4"}}, "2026-2027 S3, 2025-2026 S2"},
		{[]domain.TermAverage{{Year: "2026-2027", Semester: "S9", Average: &avg}, {Year: "2026-2027", Semester: "S10", Average: &avg},
			{Year: "2026-2027", Semester: "S1", Average: &avg}}, "2026-2027 S10, 2026-2027 S9, 2026-2027 S1"},
	} {
		st := &domain.Student{Terms: tc.terms}
		var got []string
		for _, term := range st.TermsLatestFirst() {
			got = append(got, term.Year+" "+term.Semester)
		}
		if strings.Join(got, ", ") != tc.want {
			t.Errorf("%+v: %q, want %q", tc.terms, strings.Join(got, ", "), tc.want)
		}
	}
}
