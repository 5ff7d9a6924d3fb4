package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLIBackupRestore(t *testing.T) {
	dir := t.TempDir()
	ndeye := addStudent(t, dir, "Diop", "Ndèye", "77 123 45 67", "L3-INFO")
	addStudent(t, dir, "Fall", "Moussa", "+221 78 000 11 22", "L2-INFO")
	mustRun(t, dir, "", "grades", "add", ndeye, "--subject", "Maths", "--value", "12,5", "--coefficient", "2")
	want := mustRun(t, dir, "", "students", "list", "--json")

	file := filepath.Join(t.TempDir(), "f.tar.gz")
	if r := scolarite(t, dir, "", "backup"); r.code != 2 || !strings.Contains(r.stderr, "-o FILE") {
		t.Errorf("backup without -o: exit %d, stderr %q; want exit 2 asking for -o FILE", r.code, r.stderr)
	}
	out := mustRun(t, dir, "", "backup", "-o", file)
	if !strings.Contains(out, "students 2") {
		t.Errorf("backup printed %q, want the count of students", out)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v; want 0600", err, fi.Mode())
	}

	fresh := t.TempDir()
	if out := mustRun(t, fresh, "", "restore", file); !strings.Contains(out, "students 2") {
		t.Errorf("restore printed %q, want the count of students", out)
	}
	if got := mustRun(t, fresh, "", "students", "list", "--json"); got != want {
		t.Errorf("students after restore:\n%s\nwant\n%s", got, want)
	}

	// A second restore meets a store with data; a cut file is refused.
	r := scolarite(t, fresh, "", "restore", file)
	if r.code != 1 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("restore into a non-empty store: exit %d, stderr %q; want exit 1 saying the store is not empty", r.code, r.stderr)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.tar.gz")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	r = scolarite(t, empty, "", "restore", cut)
	if r.code != 1 || !strings.Contains(r.stderr, "damaged") || !strings.Contains(r.stderr, "nothing was written") {
		t.Errorf("restore of a cut file: exit %d, stderr %q; want exit 1 saying it is damaged", r.code, r.stderr)
	}
	if got := mustRun(t, empty, "", "students", "list", "--json"); strings.Contains(got, "Diop") {
		t.Errorf("a refused restore left students: %s", got)
	}
}

func TestCLIServeBackupSettings(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--backup-at", "2h"}, "--backup-at"},
		{[]string{"serve", "--backup-at", "25:00"}, "--backup-at"},
		{[]string{"serve", "--backup-keep", "0"}, "--backup-keep"},
	} {
		r := scolarite(t, dir, "", tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s", tc.args, r.code, r.stderr, tc.want)
		}
	}
}
