package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"scolarite/store/storetest"
)

// These tests drive the real binary, as an operator's script would.

var binary string

func TestMain(m *testing.M) {
	if dir := os.Getenv(trailChildEnv); dir != "" {
		os.Exit(trailChild(dir))
	}
	dir, err := os.MkdirTemp("", "scolarite-bin")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "scolarite")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		panic("build scolarite: " + err.Error() + "\n" + string(out))
	}
	code := storetest.Run(m)
	for _, f := range scaleCleanup {
		f()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

type result struct {
	code           int
	stdout, stderr string
}

// scolarite runs the binary on dataDir with stdin and returns its result.
func scolarite(t testing.TB, dataDir, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"--data-dir", dataDir}, args...)...)
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dataDir)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run scolarite %v: %v", args, err)
	}
	return result{code, out.String(), errb.String()}
}

func mustRun(t testing.TB, dataDir, stdin string, args ...string) string {
	t.Helper()
	r := scolarite(t, dataDir, stdin, args...)
	if r.code != 0 {
		t.Fatalf("scolarite %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r.stdout
}

func addStudent(t *testing.T, dir, last, first, phone, class string) string {
	t.Helper()
	out := mustRun(t, dir, "", "students", "add", "--last-name", last, "--first-name", first, "--phone", phone,
		"--class", class, "--major", "Informatique", "--birth-date", "2003-04-05")
	number := strings.TrimSpace(out)
	if !regexp.MustCompile(`^\d{4}-\d{5}$`).MatchString(number) {
		t.Fatalf("students add printed %q, want a matricule", out)
	}
	return number
}

func TestCLIStudentsAndGrades(t *testing.T) {
	dir := t.TempDir()
	ndeye := addStudent(t, dir, "Diop", "Ndèye", "77 123 45 67", "L3-INFO")
	moussa := addStudent(t, dir, "Fall", "Moussa", "+221 78 000 11 22", "L2-INFO")

	// The same phone written another way is refused, naming the holder.
	r := scolarite(t, dir, "", "students", "add", "--last-name", "Sow", "--first-name", "Awa", "--phone", "00221771234567",
		"--class", "L3-INFO", "--major", "Informatique", "--birth-date", "2003-01-01")
	if r.code != 1 || !strings.Contains(r.stderr, "phone") || !strings.Contains(r.stderr, ndeye) {
		t.Fatalf("duplicate phone: exit %d, stderr %q; want exit 1 naming phone and %s", r.code, r.stderr, ndeye)
	}

	for _, tc := range []struct {
		name  string
		args  []string
		code  int
		field string
	}{
		{"grade above 20", []string{"grades", "add", ndeye, "--subject", "Maths", "--value", "21"}, 1, "value"},
		{"grade not a number", []string{"grades", "add", ndeye, "--subject", "Maths", "--value", "abc"}, 1, "value"},
		{"zero coefficient", []string{"grades", "add", ndeye, "--subject", "Maths", "--value", "12", "--coefficient", "0"}, 1, "coefficient"},
		{"unknown student", []string{"grades", "add", "2026-99999", "--subject", "Maths", "--value", "12"}, 1, "2026-99999"},
		{"bad birth date", []string{"students", "add", "--last-name", "A", "--first-name", "B", "--phone", "770000009", "--class", "X", "--major", "Y", "--birth-date", "2023-02-30"}, 1, "birth_date"},
		{"unknown flag", []string{"students", "list", "--colour"}, 2, "colour"},
		{"bad sort", []string{"students", "list", "--sort", "age"}, 2, "sort"},
		{"missing argument", []string{"students", "show"}, 2, "ID"},
		{"unknown command", []string{"teachers"}, 2, "teachers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scolarite(t, dir, "", tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.field) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q", r.code, r.stderr, tc.code, tc.field)
			}
		})
	}

	out := mustRun(t, dir, "", "grades", "add", ndeye, "--subject", "Maths", "--value", "12,5", "--coefficient", "2")
	gradeID := strings.Fields(out)[0]
	mustRun(t, dir, "", "grades", "add", ndeye, "--subject", "Anglais", "--value", "15.5")
	if out := mustRun(t, dir, "", "grades", "set", ndeye, gradeID, "--value", "14"); !strings.Contains(out, "14.50") {
		t.Fatalf("grades set printed %q, want the new average 14.50 ((14×2+15.5)/3)", out)
	}
	mustRun(t, dir, "", "grades", "add", moussa, "--subject", "Maths", "--value", "8")

	var list []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0]["number"] != ndeye || list[1]["number"] != moussa {
		t.Fatalf("list --json order: %v; want %s (14.5) before %s (8)", list, ndeye, moussa)
	}
	for _, field := range []string{"number", "last_name", "first_name", "phone", "class", "major", "birth_date", "average", "grades"} {
		if _, ok := list[0][field]; !ok {
			t.Errorf("list --json lacks %q", field)
		}
	}
	if list[0]["birth_date"] != "2003-04-05" || list[0]["phone"] != "+221771234567" {
		t.Errorf("birth_date %v, phone %v", list[0]["birth_date"], list[0]["phone"])
	}

	var shown map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "show", "+221 78 000 11 22", "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	if shown["number"] != moussa || shown["average"] != 8.0 {
		t.Fatalf("show by phone: %v", shown)
	}

	for _, tc := range []struct{ search, want string }{
		{"ndeye", ndeye}, {"NDÈYE", ndeye}, {"77 123", ndeye}, {"00221 78", moussa}, {"l2-info", moussa},
		{".*", ""}, {"$where", ""}, {`{"$gt":""}`, ""},
	} {
		out := mustRun(t, dir, "", "students", "list", "--search", tc.search)
		got := regexp.MustCompile(`\d{4}-\d{5}`).FindAllString(out, -1)
		want := []string{}
		if tc.want != "" {
			want = []string{tc.want}
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("search %q found %v, want %v", tc.search, got, want)
		}
	}

	var stats struct {
		Average *float64 `json:"average"`
		Top     []struct {
			Rank   int    `json:"rank"`
			Number string `json:"number"`
		} `json:"top"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "stats", "--json")), &stats); err != nil {
		t.Fatal(err)
	}
	if stats.Average == nil || *stats.Average != 11.25 || len(stats.Top) != 2 || stats.Top[0].Number != ndeye {
		t.Fatalf("stats: %+v", stats)
	}

	mustRun(t, dir, "", "grades", "remove", moussa, strings.Fields(mustRun(t, dir, "", "grades", "add", moussa, "--subject", "X", "--value", "1"))[0])
	mustRun(t, dir, "", "students", "delete", moussa)
	if r := scolarite(t, dir, "", "students", "show", moussa); r.code != 1 || !strings.Contains(r.stderr, "not found") {
		t.Fatalf("show deleted: exit %d %q", r.code, r.stderr)
	}
}

func TestCLIUsers(t *testing.T) {
	dir := t.TempDir()
	number := addStudent(t, dir, "Ba", "Aïssatou", "76 555 44 33", "L3-GC")
	const pw = "s3cret-Passw0rd"
	mustRun(t, dir, pw+"\n", "users", "add", "--username", "aissatou", "--role", "student", "--student", number, "--password-stdin")
	mustRun(t, dir, pw+"\n", "users", "add", "--username", "prof", "--role", "teacher", "--classes", "L3-GC,l2-gc", "--password-stdin")
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		msg   string
	}{
		{"no password flag", []string{"users", "add", "--username", "x1x", "--role", "admin"}, pw, 2, "--password-stdin"},
		{"short password", []string{"users", "add", "--username", "x1x", "--role", "admin", "--password-stdin"}, "short\n", 1, "password"},
		{"taken username", []string{"users", "add", "--username", "prof", "--role", "admin", "--password-stdin"}, pw, 1, "username"},
		{"bad role", []string{"users", "add", "--username", "x1x", "--role", "boss", "--password-stdin"}, pw, 1, "role"},
		{"student unknown", []string{"users", "add", "--username", "x1x", "--role", "student", "--student", "2026-99999", "--password-stdin"}, pw, 1, "student"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scolarite(t, dir, tc.stdin, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) || strings.Contains(r.stderr, pw) {
				t.Fatalf("exit %d, stderr %q; want exit %d mentioning %q and never the password", r.code, r.stderr, tc.code, tc.msg)
			}
		})
	}
	out := mustRun(t, dir, "", "users", "list", "--json")
	if strings.Contains(out, "password") || strings.Contains(out, "$2a$") {
		t.Fatalf("users list --json shows a password or hash: %s", out)
	}
	var users []map[string]any
	if err := json.Unmarshal([]byte(out), &users); err != nil || len(users) != 2 {
		t.Fatalf("users list --json: %v %s", err, out)
	}
	mustRun(t, dir, "n3w-Passw0rd\n", "users", "passwd", "prof", "--password-stdin")
	mustRun(t, dir, "", "users", "disable", "prof")
	if out := mustRun(t, dir, "", "users", "list"); !strings.Contains(out, "disabled") {
		t.Fatalf("users list after disable: %s", out)
	}
	if out := mustRun(t, dir, "", "users", "revoke", "aissatou"); !strings.Contains(out, "0 session") {
		t.Fatalf("revoke: %s", out)
	}
	if r := scolarite(t, dir, "", "users", "disable", "nobody"); r.code != 1 {
		t.Fatalf("disable unknown user: exit %d", r.code)
	}
	log, err := os.ReadFile(filepath.Join(dir, "scolarite.log"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(log), pw) || strings.Contains(string(log), "n3w-Passw0rd") {
		t.Fatal("a password reached the log file")
	}
}

func TestCLISeedDemo(t *testing.T) {
	dir := t.TempDir()
	out := mustRun(t, dir, "", "seed-demo", "--students", "40")
	for _, want := range []string{"40 demo students", "admin", "prof", "etudiant", "password"} {
		if !strings.Contains(out, want) {
			t.Errorf("seed-demo output lacks %q:\n%s", want, out)
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "list", "--json")), &list); err != nil || len(list) != 40 {
		t.Fatalf("after seed: %d students, %v", len(list), err)
	}
	classes := map[any]bool{}
	for _, s := range list {
		classes[s["class"]] = true
		if grades, _ := s["grades"].([]any); len(grades) == 0 {
			t.Errorf("demo student %v has no grades", s["number"])
		}
	}
	if len(classes) < 8 {
		t.Errorf("demo spans %d classes, want about 10", len(classes))
	}
	checkDemoMarks(t, dir, list)
	if r := scolarite(t, dir, "", "seed-demo"); r.code != 1 || !strings.Contains(r.stderr, "already holds 40") {
		t.Fatalf("second seed-demo: exit %d %q", r.code, r.stderr)
	}

	// Accounts alone are data too.
	other := t.TempDir()
	mustRun(t, other, "s3cret-Passw0rd\n", "users", "add", "--username", "chef", "--role", "admin", "--password-stdin")
	if r := scolarite(t, other, "", "seed-demo"); r.code != 1 || !strings.Contains(r.stderr, "1 accounts") {
		t.Fatalf("seed-demo on a store with an account: exit %d %q", r.code, r.stderr)
	}
}
