package store_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/store"
)

// A damaged SQLite file stops the start with a sentence naming the file
// and the last backup; the store never opens empty in its place.
func TestStartEmbeddedRefusesADamagedFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	e, err := store.StartEmbedded(ctx(t), dir)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t, e.URI())
	for i := range 50 {
		if err := s.Students().Insert(ctx(t), newStudent(100+i), domain.Trail{}); err != nil {
			t.Fatal(err)
		}
	}
	_ = s.Close(ctx(t))
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "sqlite", "scolarite.sqlite")
	good, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file + "-wal"); err == nil {
		t.Fatal("a WAL file is left after a clean stop; the size check would not apply")
	}
	for _, tc := range []struct {
		name   string
		damage []byte
		says   string
		backup bool
	}{
		{"cut in the middle", good[:len(good)/2], "cut short", false},
		{"only the header", good[:4096], "cut short", true},
		{"emptied", nil, "it is empty", true},
		{"overwritten", []byte(strings.Repeat("x", 8192)), "not an SQLite database", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(file, tc.damage, 0o600); err != nil {
				t.Fatal(err)
			}
			backups := filepath.Join(dir, "backups")
			_ = os.RemoveAll(backups)
			if tc.backup {
				_ = os.MkdirAll(backups, 0o700)
				for _, n := range []string{"scolarite-2026-12-01.tar.gz", "scolarite-2026-12-03.tar.gz"} {
					_ = os.WriteFile(filepath.Join(backups, n), []byte("x"), 0o600)
				}
			}
			e, err := store.StartEmbedded(ctx(t), dir)
			if err == nil {
				_ = e.Close()
				t.Fatal("a damaged file was opened")
			}
			msg := err.Error()
			if !strings.Contains(msg, file) || !strings.Contains(msg, tc.says) {
				t.Fatalf("%v: want the file and %q", err, tc.says)
			}
			if tc.backup && !strings.Contains(msg, "scolarite restore "+filepath.Join(backups, "scolarite-2026-12-03.tar.gz")) {
				t.Fatalf("%v: want the last backup named", err)
			}
			if !tc.backup && !strings.Contains(msg, "No backup was found") {
				t.Fatalf("%v: want the missing backup said", err)
			}
		})
	}
	// Put back, it opens with everything.
	if err := os.WriteFile(file, good, 0o600); err != nil {
		t.Fatal(err)
	}
	e = startEmbedded(t, dir)
	s = openStore(t, e.URI())
	if n, err := s.Students().Count(ctx(t)); err != nil || n != 50 {
		t.Fatalf("after putting the file back: %d students (%v)", n, err)
	}
}
