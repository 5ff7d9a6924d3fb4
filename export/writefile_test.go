package export_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"scolarite/export"
)

// A killed export leaves its temporary file; the next export to the same
// path removes it, but not one an export running now is writing.
func TestWriteFileRemovesAbandonedTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "classe.csv")
	abandoned := filepath.Join(dir, ".classe.csv.123.tmp")
	running := filepath.Join(dir, ".classe.csv.456.tmp")
	other := filepath.Join(dir, ".autre.csv.789.tmp")
	for _, f := range []string{abandoned, running, other} {
		if err := os.WriteFile(f, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-10 * time.Minute)
	for _, f := range []string{abandoned, other} {
		if err := os.Chtimes(f, old, old); err != nil {
			t.Fatal(err)
		}
	}
	if err := export.WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "ok\n"); return err }); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{abandoned: false, running: true, other: true, path: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}
