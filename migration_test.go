package main

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// A store written by the version before curricula (testdata/store-v1: two
// students, three free grades with coefficients, made with that version's
// binary) opens with every grade kept and every average unchanged, and
// its students can then be marked in evaluations.
func TestStoreOfThePreviousVersionOpens(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "sqlite"), 0o700); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open("testdata/store-v1.sqlite.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.OpenFile(filepath.Join(dir, "sqlite", "scolarite.sqlite"), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, zr); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}

	type shown struct {
		Average *float64 `json:"average"`
		Grades  []struct {
			Subject     string  `json:"subject"`
			Value       float64 `json:"value"`
			Coefficient float64 `json:"coefficient"`
		} `json:"grades"`
		Semesters []json.RawMessage `json:"semesters"`
	}
	show := func(number string) shown {
		var s shown
		if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "show", number, "--json", "--year", "2026-2027")), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	for _, tt := range []struct {
		number string
		grades int
		avg    float64
	}{{"2026-00001", 2, 11}, {"2026-00002", 1, 15.25}} {
		s := show(tt.number)
		if len(s.Grades) != tt.grades || s.Average == nil || *s.Average != tt.avg || s.Semesters == nil {
			t.Errorf("%s: %d grades, average %v, semesters %v; want %d grades, average %v, semesters []", tt.number, len(s.Grades), s.Average, s.Semesters, tt.grades, tt.avg)
		}
	}
	if g := show("2026-00001").Grades[0]; g.Subject != "Maths" || g.Value != 12.5 || g.Coefficient != 2 {
		t.Errorf("first grade = %+v", g)
	}
	// The old store takes the new structure.
	mustRun(t, dir, "", "curriculum", "import", writeFile(t, "ue.csv", curriculumCSV), "--year", "2026-2027")
	if s := show("2026-00002"); len(s.Semesters) != 0 || *s.Average != 15.25 {
		t.Errorf("L2-INFO has no curriculum: semesters %d, average %v", len(s.Semesters), *s.Average)
	}
	if s := show("2026-00001"); len(s.Semesters) != 1 || *s.Average != 11 {
		t.Errorf("L1-INFO before any mark: %d semesters, average %v (the free grades' 11)", len(s.Semesters), *s.Average)
	}
}
