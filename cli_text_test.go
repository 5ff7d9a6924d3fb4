package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"scolarite/domain"
	"scolarite/export"
	"scolarite/store"
)

// Issue 10: a text field must not drive another person's terminal. These
// run the real binary: the domain refuses such characters, and what was
// stored before (planted here behind the domain's back) comes out escaped.

// Hostile texts of a student stored before the domain checked them.
const (
	evilLast     = "\x1b[2J\x1b[HL1"
	evilFirst    = "X\x1b]0;pwned\a"
	evilClass    = "L3\u009b5m"
	evilMajor    = "Info\u202ermatique"
	evilGuardian = "Ma\b\bmadou\x7f"
	evilSubject  = "Maths\x1b[5m"
)

// wantTerminalSafe fails when out holds a byte sequence a terminal would
// obey: a C0 control but LF, tab and CR before LF; DEL; a C1 control; a
// bidirectional formatting character; invalid UTF-8.
func wantTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: not valid UTF-8: %q", what, out)
	}
	if err := domain.CheckText(what, strings.ReplaceAll(out, "\r\n", "\n"), domain.MultiLine); err != nil {
		t.Errorf("%s: %v in %q", what, err, out)
	}
}

// plantStudent stores a student with hostile texts directly in the data
// dir's embedded store, as old data would be.
func plantStudent(t *testing.T, dir string) *domain.Student {
	t.Helper()
	ctx := context.Background()
	emb, err := shareEmbedded(ctx, dir, true, true, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	st, err := store.Open(ctx, emb.MongoURI, "scolarite")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close(ctx)
	now := time.Now().UTC().Truncate(time.Millisecond)
	avg := 12.0
	s := &domain.Student{Number: "2026-09001", LastName: evilLast, FirstName: evilFirst, Phone: "+221770009001",
		Class: evilClass, Major: evilMajor, BirthDate: domain.NewDate(2003, time.April, 5), GuardianName: evilGuardian,
		Grades:  []domain.Grade{{ID: "g1", Subject: evilSubject, Value: 12, Coefficient: 1, Date: now, Teacher: "prof\u2066"}},
		Average: &avg, Version: 1, CreatedAt: now, UpdatedAt: now}
	if err := st.Students().Insert(ctx, s, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestCLIRefusesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	r := scolarite(t, dir, "", "students", "add", "--last-name", "\x1b[31mRED", "--first-name", "X\x1b]0;pwned\a",
		"--phone", "77 123 45 67", "--class", "L3\u009b", "--major", "Info\u202e", "--birth-date", "2003-04-05")
	want := "scolarite: last_name: contains a control character (U+001B) at position 1; " +
		"first_name: contains a control character (U+001B) at position 2; " +
		"class: contains a control character (U+009B) at position 3; " +
		"major: contains a bidirectional formatting character (U+202E) at position 5\n"
	if r.code != 1 || r.stderr != want {
		t.Fatalf("exit %d, stderr %q; want exit 1, %q", r.code, r.stderr, want)
	}
	if out := mustRun(t, dir, "", "students", "list"); !strings.Contains(out, "0 shown of 0 matching, 0 in all") {
		t.Fatalf("a refused student was stored:\n%s", out)
	}
}

func TestCLIEscapesStoredText(t *testing.T) {
	dir := t.TempDir()
	addStudent(t, dir, "Diop", "Ndèye", "77 123 45 67", "L3-INFO")
	evil := plantStudent(t, dir)

	list := mustRun(t, dir, "", "students", "list")
	wantTerminalSafe(t, "students list", list)
	for _, w := range []string{`\u001b[2J\u001b[HL1`, `X\u001b]0;pwned\u0007`, `L3\u009b5m`, `Info\u202ermatique`, "Diop", "Ndèye"} {
		if !strings.Contains(list, w) {
			t.Errorf("students list lacks %q:\n%s", w, list)
		}
	}

	show := mustRun(t, dir, "", "students", "show", evil.Number)
	wantTerminalSafe(t, "students show", show)
	for _, w := range []string{`Ma\u0008\u0008madou\u007f`, `Maths\u001b[5m`, `prof\u2066`} {
		if !strings.Contains(show, w) {
			t.Errorf("students show lacks %q:\n%s", w, show)
		}
	}

	// JSON stays JSON, and decodes to the very texts stored.
	for _, args := range [][]string{{"students", "show", evil.Number, "--json"}, {"students", "list", "--json"}} {
		out := mustRun(t, dir, "", args...)
		wantTerminalSafe(t, strings.Join(args, " "), out)
		var got []export.StudentJSON
		if args[1] == "show" {
			var one export.StudentJSON
			if err := json.Unmarshal([]byte(out), &one); err != nil {
				t.Fatalf("%v: not JSON: %v\n%s", args, err, out)
			}
			got = append(got, one)
		} else if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: not JSON: %v\n%s", args, err, out)
		}
		found := false
		for _, s := range got {
			if s.Number != evil.Number {
				continue
			}
			found = true
			if s.LastName != evilLast || s.FirstName != evilFirst || s.Class != evilClass || s.Major != evilMajor ||
				s.GuardianName != evilGuardian || len(s.Grades) != 1 || s.Grades[0].Subject != evilSubject {
				t.Errorf("%v decodes to %+v, not the stored texts", args, s)
			}
		}
		if !found {
			t.Errorf("%v: %s missing", args, evil.Number)
		}
	}

	// A CSV on standard output keeps its CRLF line ends.
	csv := mustRun(t, dir, "", "export", "-o", "-", "--format", "csv")
	wantTerminalSafe(t, "export csv", csv)
	if !strings.Contains(csv, `\u001b[2J\u001b[HL1`) || strings.Count(csv, "\r\n") != 3 {
		t.Errorf("export to standard output:\n%q", csv)
	}
	// A binary file on a pipe is written as it is.
	if xlsx := mustRun(t, dir, "", "export", "-o", "-", "--format", "xlsx"); !strings.HasPrefix(xlsx, "PK\x03\x04") {
		t.Errorf("xlsx on standard output starts %q, want a zip", xlsx[:min(8, len(xlsx))])
	}

	// An error quoting what was typed.
	r := scolarite(t, dir, "", "students", "show", "2026-0\x1b[2J")
	wantTerminalSafe(t, "error", r.stderr)
	if r.code != 1 || !strings.Contains(r.stderr, `2026-0\u001b[2J`) {
		t.Errorf("exit %d, stderr %q; want the reference escaped", r.code, r.stderr)
	}

	// publish refuses such a field, naming the line and the field; the
	// analytics job still reads majors from Kafka (the store's, published
	// by the embedded mode), which it shows escaped.
	old := filepath.Join(dir, "old.csv")
	if err := os.WriteFile(old, []byte("first_name;last_name;age;major\nAwa;Ndiaye;35;Droit\x1b[5m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := scolarite(t, dir, "", "publish", old); r.code != 1 || !strings.Contains(r.stderr, `line 2: major: contains a control character (U+001B)`) {
		t.Errorf("publish of a control character: exit %d, stderr %q", r.code, r.stderr)
	}
	out := filepath.Join(dir, "rapport")
	text := mustRun(t, dir, "", "analytics", "--out", out)
	wantTerminalSafe(t, "analytics", text)
	for _, w := range []string{`Info\u202ermatique`} {
		if !strings.Contains(text, w) {
			t.Errorf("analytics lacks %q:\n%s", w, text)
		}
	}
	js := mustRun(t, dir, "", "analytics", "--out", out, "--json")
	wantTerminalSafe(t, "analytics --json", js)
	var rep domain.AgeReport
	if err := json.Unmarshal([]byte(js), &rep); err != nil {
		t.Fatalf("analytics --json: %v\n%s", err, js)
	}
	majors := map[string]bool{}
	for _, m := range rep.Majors {
		majors[m.Major] = true
	}
	if !majors[evilMajor] || majors["Droit\x1b[5m"] {
		t.Errorf("analytics --json majors %v, want the texts read", majors)
	}
}
