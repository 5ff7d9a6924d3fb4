package ui

import (
	"strings"
	"testing"

	"scolarite/domain"
)

// yearCurricula gives the current year; the table asks nothing else of
// the curricula (the other methods panic: the embedded nil interface).
type yearCurricula struct {
	Curricula
	year string
}

func (c yearCurricula) CurrentYear() string { return c.year }

// semesterRoster is sampleRoster with semester averages: S1 and S3 of the
// current year, S5 of the year before.
func semesterRoster() []domain.RosterRow {
	rows := sampleRoster()
	term := func(year, sem string, v float64) domain.TermAverage {
		return domain.TermAverage{Year: year, Semester: sem, Average: avg(v)}
	}
	const y = "2026-2027"
	rows[0].Terms = []domain.TermAverage{term(y, "S1", 12), term(y, "S3", 9)} // 2026-00001, overall 14.5
	rows[1].Terms = []domain.TermAverage{term(y, "S3", 16)}                   // 2026-00002, overall 8
	rows[2].Terms = []domain.TermAverage{term(y, "S1", 10)}                   // 2026-00003, overall 17.25
	rows[3].Terms = []domain.TermAverage{term(y, "S3", 11), term("2025-2026", "S5", 13)}
	return rows
}

func semesterStudents(t *testing.T, f *rosterStudents, year string) *students {
	t.Helper()
	c := testCommon(f, adminActor)
	if year != "" {
		c.Curricula = yearCurricula{year: year}
	}
	s := newStudents(c)
	s.SetSize(100, 20)
	run(s, s.Init())
	return s
}

// headerLine is the table's first line.
func headerLine(s *students) string { return strings.SplitN(s.View(), "\n", 2)[0] }

func statusOf(s *students) string {
	lines := strings.Split(s.View(), "\n")
	return lines[len(lines)-1]
}

// `]` and `[` step round the overall average and the current year's
// semesters; the column's title, the averages shown, the order (sorted by
// average) and the status line follow.
func TestStudentsSemesterSelector(t *testing.T) {
	s := semesterStudents(t, &rosterStudents{rows: semesterRoster(), online: true}, "2026-2027")
	if !s.keys.Semester.Enabled() || strings.Join(s.semesters, ",") != "S1,S3" {
		t.Fatalf("semesters %v, key enabled %v; want S1,S3 (S5 is of another year)", s.semesters, s.keys.Semester.Enabled())
	}
	steps := []struct {
		key, header, status, order string
		cells                      []string
	}{
		{"", "Moyenne ↓", "moyenne : générale", "2026-00003,2026-00001,2026-00002,2026-00004", []string{"17,25", "14,50", "8,00"}},
		{"]", "Moy. S1 ↓", "moyenne : S1 2026-2027", "2026-00001,2026-00003,2026-00002,2026-00004", []string{"12,00", "10,00"}},
		{"]", "Moy. S3 ↓", "moyenne : S3 2026-2027", "2026-00002,2026-00004,2026-00001,2026-00003", []string{"16,00", "11,00", "9,00"}},
		{"]", "Moyenne ↓", "moyenne : générale", "2026-00003,2026-00001,2026-00002,2026-00004", []string{"17,25"}},
		{"[", "Moy. S3 ↓", "moyenne : S3 2026-2027", "2026-00002,2026-00004,2026-00001,2026-00003", []string{"16,00"}},
		// reversed: worst first, still those without an S3 average last
		{"r", "Moy. S3 ↑", "moyenne : S3 2026-2027", "2026-00001,2026-00004,2026-00002,2026-00003", []string{"9,00"}},
	}
	for _, st := range steps {
		if st.key != "" {
			keys(s, st.key)
		}
		if h := headerLine(s); !strings.Contains(h, st.header) {
			t.Errorf("after %q: header %q lacks %q", st.key, h, st.header)
		}
		if got := statusOf(s); !strings.Contains(got, st.status) {
			t.Errorf("after %q: status %q lacks %q", st.key, got, st.status)
		}
		if got := strings.Join(numbersShown(s), ","); got != st.order {
			t.Errorf("after %q: order %s, want %s", st.key, got, st.order)
		}
		mustContain(t, s.View(), st.cells...)
	}
	// The S3 column shows no overall average: 17,25 is 2026-00003's.
	mustNotContain(t, s.View(), "17,25", "14,50")

	// Sorted by name, a step keeps the order and changes the column.
	keys(s, "s", "s") // grades, then back to the first column: matricule
	before := strings.Join(numbersShown(s), ",")
	keys(s, "]")
	if got := strings.Join(numbersShown(s), ","); got != before || s.semester != "" {
		t.Errorf("sorted by matricule, a step reordered %s → %s (semester %q)", before, got, s.semester)
	}

	// The help names the key.
	found := false
	for _, col := range s.FullHelp() {
		for _, b := range col {
			found = found || b.Enabled() && b.Help().Key == "[ ]"
		}
	}
	if !found {
		t.Error("the help does not show the semester key")
	}
}

// A reload that no longer holds the semester shown goes back to the
// overall average; without semesters (or without curricula) the key is
// off and the status line says nothing of them.
func TestStudentsSemesterSelectorWithout(t *testing.T) {
	f := &rosterStudents{rows: semesterRoster(), online: true}
	s := semesterStudents(t, f, "2026-2027")
	keys(s, "]", "]")
	if s.semester != "S3" {
		t.Fatalf("semester %q, want S3", s.semester)
	}
	f.rows = sampleRoster() // no terms any more
	run(s, s.load())
	if s.semester != "" || s.keys.Semester.Enabled() || strings.Contains(headerLine(s), "Moy.") || strings.Contains(statusOf(s), "moyenne :") {
		t.Errorf("after a reload without S3: semester %q, key %v, header %q, status %q", s.semester, s.keys.Semester.Enabled(), headerLine(s), statusOf(s))
	}

	for _, year := range []string{"", "2030-2031"} {
		s := semesterStudents(t, &rosterStudents{rows: semesterRoster(), online: true}, year)
		keys(s, "]")
		if s.semester != "" || s.keys.Semester.Enabled() || strings.Contains(headerLine(s), "Moy.") {
			t.Errorf("year %q: semester %q, key %v, header %q", year, s.semester, s.keys.Semester.Enabled(), headerLine(s))
		}
	}
}
