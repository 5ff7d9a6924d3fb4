package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// An import killed with SIGKILL in the middle of writing leaves the store
// as it was: the next command (any command) rolls it back from its journal
// and says so, and the same file then imports whole.
func TestImportKilledIsRolledBack(t *testing.T) {
	const rows = 5000
	dir := t.TempDir()
	addStudent(t, dir, "Diop", "Awa", "77 100 00 01", "L1-INFO")
	var b strings.Builder
	b.WriteString("Nom;Prénom;Téléphone;Classe;Filière;Date de naissance\n")
	for i := range rows {
		fmt.Fprintf(&b, "Ndiaye;Élève %d;78 %07d;L2-INFO;Informatique;2004-05-06\n", i, 2000000+i)
	}
	file := filepath.Join(t.TempDir(), "inscrits.csv")
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	// A running process holds the embedded servers, as the application
	// would; the import joins them and dies alone.
	startNotifier(t, dir)

	count := func() int {
		var st struct {
			Students int `json:"students"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, dir, "", "stats", "--json")), &st); err != nil {
			t.Fatal(err)
		}
		return st.Students
	}
	imp := exec.Command(binary, "--data-dir", dir, "import", file)
	imp.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir)
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the import to write its first batch", func() bool { return count() > 1 })
	if err := imp.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = imp.Wait()

	r := scolarite(t, dir, "", "students", "list", "--json")
	if r.code != 0 || !strings.Contains(r.stderr, "was interrupted; it was rolled back") {
		t.Fatalf("the command after the kill: exit %d, stderr %q", r.code, r.stderr)
	}
	if n := count(); n != 1 {
		t.Fatalf("%d students after the roll-back, want the 1 there before", n)
	}
	if r := scolarite(t, dir, "", "stats"); strings.Contains(r.stderr, "rolled back") {
		t.Fatal("the roll-back was said twice")
	}
	out := mustRun(t, dir, "", "import", file)
	if !strings.Contains(out, fmt.Sprintf("added %d", rows)) {
		t.Fatalf("the file again: %q", out)
	}
	if n := count(); n != rows+1 {
		t.Fatalf("%d students after importing the file again, want %d", n, rows+1)
	}
}
