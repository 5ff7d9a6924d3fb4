package domain_test

import (
	"slices"
	"testing"

	"scolarite/domain"
)

func termRows() []domain.RosterRow {
	f := func(v float64) *float64 { return &v }
	return []domain.RosterRow{
		{Number: "1", LastName: "Diop", Average: f(15), Terms: []domain.TermAverage{
			{Year: "2026-2027", Semester: "S3", Average: f(9)}, {Year: "2026-2027", Semester: "S10", Average: f(15)}}},
		{Number: "2", LastName: "Fall", Average: f(8), Terms: []domain.TermAverage{
			{Year: "2026-2027", Semester: "S3", Average: f(14)}, {Year: "2025-2026", Semester: "S1", Average: f(8)}}},
		{Number: "3", LastName: "Sarr", Average: f(12)}, // free grades only
		{Number: "4", LastName: "Ba", Terms: []domain.TermAverage{
			{Year: "2026-2027", Semester: "S3", Average: f(11)}, {Year: "2026-2027", Semester: "S2"}, // marked nowhere yet
			{Year: "2026-2027", Semester: "s4\x1b[2J", Average: f(3)}}}, // not a semester name
	}
}

// The selector steps through the semesters of the current year that have
// an average, in their order (S3 before S10), and nothing else.
func TestRosterSemesters(t *testing.T) {
	rows := termRows()
	for _, tt := range []struct {
		year string
		want []string
	}{
		{"2026-2027", []string{"S3", "S10"}},
		{"2025-2026", []string{"S1"}},
		{"2027-2028", nil},
	} {
		if got := domain.RosterSemesters(rows, tt.year); !slices.Equal(got, tt.want) {
			t.Errorf("RosterSemesters(%s) = %v, want %v", tt.year, got, tt.want)
		}
	}
}

// Sorting by average sorts by the semester shown; rows without an
// average there come last either way; other columns ignore it.
func TestSortOrderShown(t *testing.T) {
	rows := termRows()
	numbers := func(idx []int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, rows[i].Number)
		}
		return out
	}
	s3 := domain.Shown{Year: "2026-2027", Semester: "S3"}
	for _, tt := range []struct {
		name  string
		key   domain.SortKey
		asc   bool
		shown domain.Shown
		want  []string
	}{
		{"general, best first", domain.SortAverage, false, domain.Shown{}, []string{"1", "3", "2", "4"}},
		{"S3, best first", domain.SortAverage, false, s3, []string{"2", "4", "1", "3"}},
		{"S3, worst first", domain.SortAverage, true, s3, []string{"1", "4", "2", "3"}},
		{"S10", domain.SortAverage, false, domain.Shown{Year: "2026-2027", Semester: "S10"}, []string{"1", "2", "3", "4"}},
		{"S3 of another year", domain.SortAverage, false, domain.Shown{Year: "2025-2026", Semester: "S3"}, []string{"1", "2", "3", "4"}},
		{"by name, S3 shown", domain.SortLastName, true, s3, []string{"4", "1", "2", "3"}},
	} {
		got := numbers(domain.SortOrderShown(rows, tt.key, tt.asc, tt.shown))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if got := numbers(domain.SortOrder(rows, domain.SortAverage, false)); !slices.Equal(got, []string{"1", "3", "2", "4"}) {
		t.Errorf("SortOrder by average = %v", got)
	}
}

func TestShownAverage(t *testing.T) {
	rows := termRows()
	for _, tt := range []struct {
		row   int
		shown domain.Shown
		want  *float64
	}{
		{0, domain.Shown{}, rows[0].Average},
		{0, domain.Shown{Year: "2026-2027", Semester: "S3"}, rows[0].Terms[0].Average},
		{1, domain.Shown{Year: "2026-2027", Semester: "S1"}, nil},
		{2, domain.Shown{Year: "2026-2027", Semester: "S3"}, nil},
		{3, domain.Shown{Year: "2026-2027", Semester: "S2"}, nil},
	} {
		if got := tt.shown.Average(&rows[tt.row]); got != tt.want {
			t.Errorf("row %d, %+v: %v, want %v", tt.row, tt.shown, got, tt.want)
		}
	}
}

// A student's table row carries their semester averages, a copy.
func TestStudentRowCarriesTerms(t *testing.T) {
	avg := 12.0
	st := &domain.Student{Number: "1", Terms: []domain.TermAverage{{Year: "2026-2027", Semester: "S3", Average: &avg}}}
	r := st.Row()
	if len(r.Terms) != 1 || r.TermAverage("2026-2027", "S3") != &avg {
		t.Fatalf("row terms %+v", r.Terms)
	}
	st.Terms[0].Semester = "S4"
	if r.Terms[0].Semester != "S3" {
		t.Error("the row shares the student's terms")
	}
}
