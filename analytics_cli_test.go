package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"scolarite/analytics"
	"scolarite/domain"
)

// TestCLIAnalyticsEmbedded: with no Kafka configured, publish goes to the
// embedded broker of the data dir, and analytics publishes the store's
// students to it and analyses everything; running it again counts each
// student once.
func TestCLIAnalyticsEmbedded(t *testing.T) {
	dir := t.TempDir()
	for i, phone := range []string{"77 100 00 01", "77 100 00 02", "77 100 00 03"} {
		addStudent(t, dir, "Diop", string(rune('A'+i))+"wa", phone, "L3-INFO") // born 2003-04-05
	}
	csv := filepath.Join(dir, "droit.csv")
	if err := os.WriteFile(csv, []byte("first_name;last_name;age;major;class\nAwa;Ndiaye;35;Droit;M1\nIbou;Sarr;19;Droit;L1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, dir, "", "publish", csv); !strings.Contains(out, "published 2 student.created event(s)") || !strings.Contains(out, "embedded broker") {
		t.Fatalf("publish: %s", out)
	}
	out := filepath.Join(dir, "rapport")
	var r domain.AgeReport
	for run := 1; run <= 2; run++ {
		if err := json.Unmarshal([]byte(mustRun(t, dir, "", "analytics", "--out", out, "--json")), &r); err != nil {
			t.Fatal(err)
		}
		age := domain.NewDate(2003, time.April, 5).AgeOn(domain.DateOf(time.Now()))
		if r.Students != 4 || len(r.Majors) != 2 || r.Majors[0].Major != "Droit" || r.Majors[0].Students != 1 ||
			r.Majors[1].Major != "Informatique" || r.Majors[1].Students != 3 || r.Majors[1].Median != float64(age) {
			t.Fatalf("run %d: %+v", run, r)
		}
		if want := int64(2 + 3*run); r.Read != want {
			t.Fatalf("run %d read %d messages, want %d", run, r.Read, want)
		}
	}
	for _, f := range []string{analytics.ChartFile, analytics.ReportMarkdown, analytics.ReportPDF} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if latest, err := (analytics.Reader{Path: filepath.Join(dir, analytics.DBFile)}).Latest(context.Background()); err != nil || latest == nil || latest.Students != 4 {
		t.Fatalf("the dashboard's table: %+v, %v", latest, err)
	}
	text := mustRun(t, dir, "", "analytics", "--out", out, "--min-age", "18")
	for _, want := range []string{"5 student(s) older than 18", "Droit", "Informatique", "wrote " + filepath.Join(out, analytics.ReportPDF)} {
		if !strings.Contains(text, want) {
			t.Fatalf("analytics output lacks %q:\n%s", want, text)
		}
	}
}

func TestCLIAnalyticsUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"analytics", "--follow", "--until-idle"},
		{"analytics", "--max-messages", "5", "--follow"},
		{"analytics", "--min-age", "-1"},
		{"analytics", "--brokers", "k:9092", "--sasl-mechanism", "GSSAPI", "--sasl-user", "u"},
		{"relay"},
		{"publish"},
	} {
		if r := scolarite(t, dir, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage)\n%s", args, r.code, r.stderr)
		}
	}
	if r := scolarite(t, dir, "", "publish", filepath.Join(dir, "missing.csv")); r.code != 1 {
		t.Errorf("publish of a missing file: exit %d, want 1", r.code)
	}
}

// TestCLIRelay: `scolarite relay` publishes the outbox to a SASL cluster
// given by the environment, never printing the password, and stops
// cleanly on SIGTERM.
func TestCLIRelay(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "student-events"),
		kfake.EnableSASL(), kfake.Superuser("SCRAM-SHA-256", "scolarite", "mot-de-passe-secret"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dir := t.TempDir()
	number := addStudent(t, dir, "Diop", "Ndèye", "77 123 45 67", "L3-INFO")
	cmd := exec.Command(binary, "--data-dir", dir, "relay")
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir, "KAFKA_BROKERS="+c.ListenAddrs()[0],
		"KAFKA_SASL_MECHANISM=SCRAM-SHA-256", "KAFKA_SASL_USER=scolarite", "KAFKA_SASL_PASSWORD=mot-de-passe-secret")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics("student-events"),
		kgo.SASL(scramAuth("scolarite", "mot-de-passe-secret")))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var got *kgo.Record
	for got == nil && ctx.Err() == nil {
		f := cl.PollFetches(ctx)
		f.EachRecord(func(r *kgo.Record) { got = r })
	}
	if got == nil || string(got.Key) != number || !strings.Contains(string(got.Value), `"type":"student.created"`) {
		t.Fatalf("record %v", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("relay after SIGTERM: %v\n%s", err, stderr.String())
	}
	if strings.Contains(stderr.String(), "mot-de-passe-secret") || !strings.Contains(stderr.String(), "password ***") {
		t.Fatalf("relay output: %s", stderr.String())
	}
}

func scramAuth(user, pass string) sasl.Mechanism {
	return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism()
}
