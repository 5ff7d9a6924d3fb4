package cache_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scolarite/cache"
	"scolarite/cache/cachetest"
	"scolarite/domain"
)

func startEmbedded(t *testing.T, dir string) (*cache.Embedded, *cache.Cache) {
	t.Helper()
	e, err := cache.StartEmbedded(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	if !strings.HasPrefix(e.URL(), "redis://127.0.0.1:") || e.URL() != "redis://"+e.Addr() {
		t.Errorf("URL = %q, Addr = %q", e.URL(), e.Addr())
	}
	return e, cache.New(cachetest.Connect(t, e.URL()))
}

// TestEmbeddedSnapshotRoundTrip is "connexion rapide": a session saved
// before the application closes is there when it opens again, with the
// time it stayed closed counted against its TTL.
func TestEmbeddedSnapshotRoundTrip(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "data") // created by StartEmbedded
	e, c := startEmbedded(t, dir)
	ctx := t.Context()
	if err := c.Sessions().Save(ctx, "long-lived", session("u1"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := c.Sessions().Save(ctx, "short-lived", session("u1"), time.Second); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := c.Limiter().Fail(ctx, "awa", domain.MaxLoginFailures, domain.LoginLockDuration); err != nil {
			t.Fatal(err)
		}
	}
	for range domain.MaxOriginFailures {
		if _, err := c.Limiter().Fail(ctx, "origin:192.0.2.7", domain.MaxOriginFailures, domain.OriginLockDuration); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Views().Bump(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Views().Save(ctx, "roster", 1, roster(3)); err != nil {
		t.Fatal(err)
	}

	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	path := filepath.Join(dir, cache.SnapshotFile)
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("snapshot mode = %v, want 0600", info.Mode().Perm())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"long-lived", "short-lived", "user-sessions:u1", "login-fail:awa", "login-lock:origin:192.0.2.7"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("snapshot lacks %s", want)
		}
	}
	if strings.Contains(string(data), "view:") || strings.Contains(string(data), "gen:") {
		t.Error("snapshot holds views; they are rebuilt, not saved")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	time.Sleep(1100 * time.Millisecond) // the short session expires while closed

	_, c = startEmbedded(t, dir)
	s := c.Sessions()
	wantSession(t, s, "long-lived", session("u1"))
	wantNotFound(t, s, "short-lived")
	pttl, err := c.Client().PTTL(ctx, cache.DefaultPrefix+"session:long-lived").Result()
	if err != nil {
		t.Fatal(err)
	}
	within(t, "restored session TTL", pttl, 59*time.Minute, time.Hour-time.Second)
	if n, err := s.DeleteUser(ctx, "u1"); err != nil || n != 1 {
		t.Errorf("DeleteUser after restore = %d, %v; want 1 (the index came back too)", n, err)
	}
	if n, err := c.Limiter().Fail(ctx, "awa", domain.MaxLoginFailures, domain.LoginLockDuration); err != nil || n != 3 {
		t.Errorf("third failure after restore counted as %d, %v", n, err)
	}
	lockTTL, err := c.Client().PTTL(ctx, cache.DefaultPrefix+"login-fail:awa").Result()
	if err != nil {
		t.Fatal(err)
	}
	within(t, "restored failure counter TTL", lockTTL, domain.LoginLockDuration-time.Minute, domain.LoginLockDuration)
	// A restart does not lift a lock.
	left, err := c.Limiter().Locked(ctx, "origin:192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	within(t, "restored origin lock", left, domain.OriginLockDuration-time.Minute, domain.OriginLockDuration)
	if gen, err := c.Views().Generation(ctx); err != nil || gen != 0 {
		t.Errorf("Generation after restore = %d, %v; want 0 (views start over)", gen, err)
	}
	// Restored, then removed: a crash now must not bring back sessions
	// that are logged out during this run.
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("snapshot still there after restore: %v", err)
	}
}

// TestEmbeddedTTLRunsInRealTime: unlike a bare miniredis, keys expire as
// the wall clock moves, with nobody calling FastForward.
func TestEmbeddedTTLRunsInRealTime(t *testing.T) {
	t.Parallel()
	_, c := startEmbedded(t, "")
	s := c.Sessions()
	if err := s.Save(t.Context(), "h", session("u"), 600*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	wantSession(t, s, "h", session("u"))
	time.Sleep(300 * time.Millisecond)
	pttl, err := c.Client().PTTL(t.Context(), cache.DefaultPrefix+"session:h").Result()
	if err != nil {
		t.Fatal(err)
	}
	within(t, "TTL after 300 ms", pttl, 0, 400*time.Millisecond)
	time.Sleep(400 * time.Millisecond)
	wantNotFound(t, s, "h")
}

func TestEmbeddedWithoutDirKeepsNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e, c := startEmbedded(t, "")
	if err := c.Sessions().Save(t.Context(), "h", session("u"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written: %v", entries)
	}
}

func TestEmbeddedRefusesABadSnapshot(t *testing.T) {
	t.Parallel()
	for name, content := range map[string]string{
		"not json":        "{half a file",
		"unknown version": `{"version": 99, "keys": []}`,
		"unknown type":    `{"version": 1, "keys": [{"key": "scolarite:session:x", "type": "zset"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, cache.SnapshotFile)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			e, err := cache.StartEmbedded(dir)
			if err == nil {
				e.Close()
				t.Fatal("started on a bad snapshot")
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file: %v", err)
			}
			if _, err := os.Stat(path); err != nil {
				t.Errorf("the bad snapshot was not kept for inspection: %v", err)
			}
		})
	}
}
