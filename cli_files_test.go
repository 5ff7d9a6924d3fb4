package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// export, import and report, driven through the binary on the embedded
// store, as the office would use them.
func TestCLIExportImportReport(t *testing.T) {
	dir := t.TempDir()
	files := t.TempDir()
	mustRun(t, dir, "", "seed-demo", "--students", "60")
	path := func(name string) string { return filepath.Join(files, name) }

	out := mustRun(t, dir, "", "export", "-o", path("all.csv"), "--separator", ";", "--bom")
	if !strings.Contains(out, "exported 60 student(s)") {
		t.Fatalf("export: %s", out)
	}
	csv, _ := os.ReadFile(path("all.csv"))
	if !bytes.HasPrefix(csv, []byte("\uFEFFMatricule;Nom;Prénom;Téléphone")) {
		t.Fatalf("CSV starts %q", csv[:40])
	}
	mustRun(t, dir, "", "export", "-o", path("l3.xlsx"), "--class", "L3-INFO", "--sort", "last_name", "--asc")
	mustRun(t, dir, "", "export", "-o", path("liste.pdf"), "--search", "a")
	if pdf, _ := os.ReadFile(path("liste.pdf")); !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("liste.pdf is not a PDF")
	}
	// JSON export: the same objects as students list --json.
	exported := mustRun(t, dir, "", "export", "-o", "-", "--format", "json", "--class", "L2-GC")
	listed := mustRun(t, dir, "", "students", "list", "--json", "--class", "L2-GC")
	if exported != listed {
		t.Fatalf("export --format json differs from students list --json")
	}
	var arr []map[string]any
	if err := json.Unmarshal([]byte(exported), &arr); err != nil || len(arr) == 0 {
		t.Fatalf("JSON export: %d, %v", len(arr), err)
	}

	// The exporter's files import back unchanged.
	for _, f := range []string{"all.csv", "l3.xlsx"} {
		r := scolarite(t, dir, "", "import", path(f), "--update")
		if r.code != 0 || !strings.Contains(r.stdout, "added 0, updated 0, unchanged") || !strings.HasSuffix(strings.TrimSpace(r.stdout), "rejected 0") {
			t.Fatalf("re-import %s: exit %d\n%s%s", f, r.code, r.stdout, r.stderr)
		}
	}
	// Without --update every row is a duplicate: exit 1, nothing written.
	r := scolarite(t, dir, "", "import", path("l3.xlsx"))
	if r.code != 1 || !strings.Contains(r.stderr, "line 2, column Téléphone: is already used by student") ||
		!strings.Contains(r.stdout, "added 0, updated 0, unchanged 0, rejected 6") || !strings.Contains(r.stderr, "--update updates those students") {
		t.Fatalf("duplicate import: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// A file with one good and one bad row.
	bad := "Nom,Prénom,Téléphone,Classe,Filière,Date de naissance,Maths\n" +
		"Diop,Awa,77 999 00 11,L1-INFO,Informatique,05/04/2005,12\n" +
		"Fall,,77 999 00 12,L1-INFO,Informatique,05/04/2005,23\n"
	if err := os.WriteFile(path("new.csv"), []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	r = scolarite(t, dir, "", "import", path("new.csv"), "--dry-run")
	if r.code != 1 || !strings.Contains(r.stderr, "line 3, column Prénom: is required") || !strings.Contains(r.stderr, "line 3, column Maths: must be between 0 and 20 (got 23)") {
		t.Fatalf("dry run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = scolarite(t, dir, "", "import", path("new.csv"), "--skip-invalid")
	if r.code != 1 || !strings.Contains(r.stdout, "added 1, updated 0, unchanged 0, rejected 1") {
		t.Fatalf("skip invalid: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := scolarite(t, dir, "", "import", path("missing.csv")); r.code != 1 || !strings.Contains(r.stderr, "no such file") {
		t.Fatalf("missing file: %d %s", r.code, r.stderr)
	}

	// Reports.
	for _, tc := range []struct {
		pdf  string
		args []string
	}{
		{"bulletin.pdf", []string{"report", "student", "2026-00001", "--lang", "en"}},
		{"ecole.pdf", []string{"report", "school"}},
	} {
		if out := mustRun(t, dir, "", append(tc.args, "-o", path(tc.pdf))...); !strings.Contains(out, "wrote ") {
			t.Fatalf("%v: %s", tc.args, out)
		}
		if pdf, _ := os.ReadFile(path(tc.pdf)); !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("%v wrote no PDF", tc.args)
		}
	}
	// The class's document is the procès-verbal of its current semester:
	// L3's S5, where the demo has evaluations but no mark yet (its
	// students' grades are free grades), so everyone is DEF.
	if out := mustRun(t, dir, "", "report", "class", "L3-INFO", "-o", path("classe.pdf")); !regexp.MustCompile(`wrote .*classe.pdf: minutes of L3-INFO S5 session 1, \d+ student\(s\)`).MatchString(out) {
		t.Errorf("report class: %q", out)
	}
	pdfCheck(t, path("classe.pdf"), "Procès-verbal de délibération", "L3-INFO · semestre S5 · session 1", "Avec une moyenne", "Répartition des moyennes",
		"DEF · défaillants", "Signatures du jury")
	if r := scolarite(t, dir, "", "report", "class", "M2-NONE", "-o", path("x.pdf")); r.code != 1 || !strings.Contains(r.stderr, "class M2-NONE has no student") {
		t.Fatalf("empty class: %d %s", r.code, r.stderr)
	}
	if _, err := os.Stat(path("x.pdf")); !os.IsNotExist(err) {
		t.Error("a failed report left a file")
	}
	// Usage errors: exit 2.
	for _, args := range [][]string{
		{"export"},
		{"export", "-o", path("a.doc")},
		{"export", "-o", path("a.xlsx"), "--bom"},
		{"export", "-o", path("a.csv"), "--separator", "|"},
		{"report", "school"},
	} {
		if r := scolarite(t, dir, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
}
