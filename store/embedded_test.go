package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/store"
)

// startEmbedded starts a FerretDB in dir and stops it when the test ends
// (before t.TempDir removes the directory: clean-ups run last first).
func startEmbedded(t *testing.T, dir string) *store.Embedded {
	t.Helper()
	e, err := store.StartEmbedded(ctx(t), dir)
	if err != nil {
		t.Fatalf("StartEmbedded(%s): %v", dir, err)
	}
	t.Cleanup(func() {
		if err := e.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

func openStore(t *testing.T, uri string) *store.Store {
	t.Helper()
	s, err := store.Open(ctx(t), uri, "scolarite")
	if err != nil {
		t.Fatalf("Open(%s): %v", uri, err)
	}
	return s
}

func TestEmbeddedKeepsDataAcrossRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(dir, "ferretdb.log"))
			t.Logf("ferretdb.log:\n%s", b)
		}
	})
	st := newStudent(1)
	st.FirstName = "Ndèye"

	e := startEmbedded(t, dir)
	s := openStore(t, e.URI())
	if err := s.Students().Insert(ctx(t), st, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}

	info, err := os.Stat(filepath.Join(dir, "sqlite"))
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("sqlite directory: %v, %v; want mode 0700", info, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ferretdb.log")); err != nil {
		t.Errorf("ferretdb.log: %v", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "sqlite", "*.sqlite")); len(files) == 0 {
		t.Errorf("no SQLite database file under %s/sqlite", dir)
	}

	e2 := startEmbedded(t, dir)
	s2 := openStore(t, e2.URI())
	t.Cleanup(func() { _ = s2.Close(context.Background()) })
	got, err := s2.Students().ByNumber(ctx(t), st.Number)
	if err != nil {
		t.Fatalf("after restart: %v", err)
	}
	mustEqual(t, "student after restart", got, st)
}

// TestEmbeddedTwoInstances: two servers in one process (different data
// directories) both work; FerretDB registers no global metrics that would
// make the second one panic.
func TestEmbeddedTwoInstances(t *testing.T) {
	a := startEmbedded(t, t.TempDir())
	b := startEmbedded(t, t.TempDir())
	if a.URI() == b.URI() {
		t.Fatalf("both servers at %s", a.URI())
	}
	for i, uri := range []string{a.URI(), b.URI()} {
		s := openStore(t, uri)
		t.Cleanup(func() { _ = s.Close(context.Background()) })
		if err := s.Students().Insert(ctx(t), newStudent(i+1), domain.Trail{}); err != nil {
			t.Fatalf("server %d: %v", i, err)
		}
		if n, err := s.Students().Count(ctx(t)); err != nil || n != 1 {
			t.Fatalf("server %d holds %d students (%v), want 1: the two share data", i, n, err)
		}
	}
}

func TestStartEmbeddedBadDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if e, err := store.StartEmbedded(ctx(t), file); err == nil {
		_ = e.Close()
		t.Fatal("StartEmbedded on a regular file succeeded")
	}
}

func TestOpenUnreachable(t *testing.T) {
	c, cancel := context.WithTimeout(ctx(t), 500*time.Millisecond)
	defer cancel()
	s, err := store.Open(c, "mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=200", "scolarite")
	if err == nil {
		_ = s.Close(context.Background())
		t.Fatal("Open of a closed port succeeded")
	}
	if domain.ErrorCode(err) != domain.EINTERNAL {
		t.Errorf("code = %q, want internal (%v)", domain.ErrorCode(err), err)
	}
}
