package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// kcatPath finds kcat, the librdkafka command-line client (Debian package
// kcat): CI sets SCOLARITE_REQUIRE_KCAT=1 and installs it.
func kcatPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("kcat")
	if err != nil {
		if os.Getenv("SCOLARITE_REQUIRE_KCAT") == "1" {
			t.Fatal("kcat is required (SCOLARITE_REQUIRE_KCAT=1) but not on PATH")
		}
		t.Skip("kcat not on PATH (apt-get install kcat)")
	}
	return p
}

func kcat(t *testing.T, path, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("kcat %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// TestKcatInterop: an independent client (kcat, on librdkafka) writes
// messages in the school's old CSV and JSON formats, we publish our
// events, kcat reads our events back, the job analyses the topic, and
// the report's numbers are the ones computed by hand; kcat also reads the
// dead letters with their reason.
func TestKcatInterop(t *testing.T) { streamtest.Each(t, testKcatInterop) }

func testKcatInterop(t *testing.T, k streamtest.Kind) {
	bin := kcatPath(t)
	c := streamtest.New(t, k)
	cfg := testConfig(t, c)
	broker := cfg.Brokers[0]

	old := strings.Join([]string{
		"Ibou,Ndiaye,30,Gestion",
		" awa , diop , 22 , Informatique ",
		`{"first_name":"Fatou","last_name":"Sow","age":24,"major":"Informatique"}`,
		`{"first_name":"Moussa","last_name":"Fall","age":19,"major":"Gestion"}`,
		"ceci n'est pas un étudiant",
		`{"first_name":"X"`,
	}, "\n") + "\n"
	kcat(t, bin, old, "-P", "-b", broker, "-t", cfg.Topic)

	today := time.Now()
	born := func(age int) string { return today.AddDate(-age, 0, -1).Format(domain.DateLayout) }
	file := "number,first_name,last_name,birth_date,major,class\n" +
		"2026-00001,Ndèye,Diop," + born(21) + ",Informatique,L3-INFO\n" +
		"2026-00002,Jean,Gomis," + born(26) + ",Gestion,L2-GE\n"
	students, err := stream.ReadStudents(strings.NewReader(file), today)
	if err != nil {
		t.Fatal(err)
	}
	moved := students[1]
	moved.Message.Type, moved.Message.Major = domain.EventStudentUpdated, "Informatique"
	recs, err := stream.Records(cfg.Topic, append(students, moved))
	if err != nil {
		t.Fatal(err)
	}
	produce(t, cfg, recs...)

	// kcat reads our events: key = matricule, value = the documented JSON.
	lines := strings.Split(strings.TrimRight(kcat(t, bin, "", "-C", "-b", broker, "-t", cfg.Topic, "-o", "beginning", "-e", "-q", "-f", "%k\t%s\n"), "\n"), "\n")
	if len(lines) != 9 {
		t.Fatalf("kcat read %d messages, want 9:\n%s", len(lines), strings.Join(lines, "\n"))
	}
	var ours []string
	for _, l := range lines {
		key, value, _ := strings.Cut(l, "\t")
		if key == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(value), &m); err != nil {
			t.Fatalf("kcat gave %q (line %q): %v", value, l, err)
		}
		ours = append(ours, fmt.Sprintf("%s %v %v %v %v %v", key, m["type"], m["first_name"], m["age"], m["major"], m["class"]))
	}
	sort.Strings(ours)
	want := []string{
		"2026-00001 student.created Ndèye 21 Informatique L3-INFO",
		"2026-00002 student.created Jean 26 Gestion L2-GE",
		"2026-00002 student.updated Jean 26 Informatique L2-GE",
	}
	if strings.Join(ours, "\n") != strings.Join(want, "\n") {
		t.Fatalf("our events as kcat reads them:\n%s\nwant:\n%s", strings.Join(ours, "\n"), strings.Join(want, "\n"))
	}

	dir := t.TempDir()
	o := runOpts(t, cfg, dir)
	o.OutDir = filepath.Join(dir, "out")
	r := mustRun(t, o).Report
	// 9 read; 2 unreadable; Moussa (19) filtered; Jean counted once, in
	// Informatique after his update: Gestion {30}, Informatique {21, 22,
	// 24, 26}: mean 23.25, sample std sqrt(14.75/3), Q1 21.75, median 23,
	// Q3 24.5; overall (30+21+22+24+26)/5 = 24.6.
	if r.Read != 9 || r.Rejected != 2 || r.Filtered != 1 || r.Kept != 6 || r.Students != 5 || fmt.Sprintf("%.2f", *r.Mean) != "24.60" {
		t.Fatalf("counts: %s", totals(r))
	}
	md, err := os.ReadFile(filepath.Join(o.OutDir, ReportMarkdown))
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range []string{
		"| Gestion | 1 | 30,00 | — | 30 | 30,00 | 30,00 | 30,00 | 30 |",
		"| Informatique | 4 | 23,25 | 2,22 | 21 | 21,75 | 23,00 | 24,50 | 26 |",
		"Âge moyen global : 24,60 ans",
		"Messages : 9 lus, 2 rejetés, 1 filtrés, 6 retenus",
	} {
		if !strings.Contains(string(md), row) {
			t.Errorf("the report lacks %q:\n%s", row, md)
		}
	}

	// The transformed records, one per row through the records view.
	db := openDB(t, o.DBPath)
	var n int
	var names string
	if err := db.db.QueryRowContext(context.Background(), `SELECT COUNT(*), group_concat(first_name, ' ') FROM
		(SELECT first_name FROM records WHERE topic = ? ORDER BY first_name)`, cfg.Topic).Scan(&n, &names); err != nil {
		t.Fatal(err)
	}
	if n != 7 || names != "AWA FATOU IBOU JEAN JEAN MOUSSA NDÈYE" {
		t.Fatalf("records: %d, %s", n, names)
	}

	// kcat reads the dead letters and their reasons.
	dead := strings.TrimSpace(kcat(t, bin, "", "-C", "-b", broker, "-t", cfg.DLQTopic(), "-o", "beginning", "-e", "-q", "-f", "%h\t%s\n"))
	dl := strings.Split(dead, "\n")
	if len(dl) != 2 || !strings.Contains(dead, "reason=neither JSON nor CSV") || !strings.Contains(dead, "reason=invalid JSON") ||
		!strings.Contains(dead, "source_topic="+cfg.Topic) {
		t.Fatalf("dead letters:\n%s", dead)
	}
}
