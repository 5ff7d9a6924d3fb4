package backup_test

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"scolarite/backup"
	"scolarite/store/storetest"
)

// fakeClock hands each wait of the runner to the test, which moves the
// time on and wakes it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	waits chan wait
}

type wait struct {
	d    time.Duration
	fire chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	w := wait{d: d, fire: make(chan time.Time, 1)}
	c.waits <- w
	return w.fire
}

// advance waits for the runner to wait, checks how long, and wakes it.
func (c *fakeClock) advance(t *testing.T, want time.Duration) {
	t.Helper()
	select {
	case w := <-c.waits:
		if w.d != want {
			t.Fatalf("the runner waits %v, want %v", w.d, want)
		}
		c.mu.Lock()
		c.now = c.now.Add(w.d)
		now := c.now
		c.mu.Unlock()
		w.fire <- now
	case <-time.After(time.Minute):
		t.Fatal("the runner did not wait for its next backup")
	}
}

func TestDailyWritesAndPrunes(t *testing.T) {
	st := storetest.Open(t)
	seed(t, service(st), 2)
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	// Older backups, a leftover of a killed run and someone's file.
	for _, name := range []string{"scolarite-20250101-020000.tar.gz", "scolarite-20250102-020000.tar.gz", "scolarite-20250103-020000.tar.gz.tmp", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	at, err := backup.ParseAt("02:00")
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	clock := &fakeClock{now: time.Date(2026, time.March, 3, 1, 30, 0, 0, time.Local), waits: make(chan wait)}
	d := &backup.Daily{
		Dir: dir, At: at, Keep: 3, Clock: clock, Log: slog.New(slog.NewTextHandler(&logs, nil)),
		Write: func(ctx context.Context, path string) (backup.Header, error) {
			return backup.WriteFile(ctx, st.Database(), path, backup.Options{})
		},
	}
	runCtx, cancel := context.WithCancel(ctx(t))
	done := make(chan struct{})
	go func() { defer close(done); d.Run(runCtx) }()
	defer func() { cancel(); <-done }()

	clock.advance(t, 30*time.Minute) // 01:30 → 02:00 the same day
	for range 3 {
		clock.advance(t, 24*time.Hour)
	}
	// The next wait is asked for once the fourth backup is written.
	select {
	case w := <-clock.waits:
		if w.d != 24*time.Hour {
			t.Fatalf("the runner waits %v after a backup, want 24h", w.d)
		}
	case <-time.After(time.Minute):
		t.Fatal("the runner did not wait again")
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"notes.txt", "scolarite-20260304-020000.tar.gz", "scolarite-20260305-020000.tar.gz", "scolarite-20260306-020000.tar.gz"}
	// Four written (3rd to 6th of March), the three newest kept, the old
	// ones and the leftover removed, the unrelated file left alone.
	if !slices.Equal(names, want) {
		t.Errorf("backups dir holds %v, want %v", names, want)
	}
	f, err := os.Open(filepath.Join(dir, want[len(want)-1]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	restored := storetest.Open(t)
	if _, err := backup.Restore(ctx(t), restored.Database(), f, backup.Options{}); err != nil {
		t.Fatalf("restore the newest daily backup: %v", err)
	}
	if n, _ := restored.Students().Count(ctx(t)); n != 2 {
		t.Errorf("the daily backup restores %d students, want 2", n)
	}
	if !bytes.Contains(logs.Bytes(), []byte("daily backup written")) || !bytes.Contains(logs.Bytes(), []byte("old backup removed")) {
		t.Errorf("log lacks the backups written and removed:\n%s", logs.String())
	}
}

func TestDailyNext(t *testing.T) {
	at, _ := backup.ParseAt("02:00")
	d := &backup.Daily{At: at}
	for _, tc := range []struct{ now, want time.Time }{
		{time.Date(2026, 3, 3, 1, 59, 59, 0, time.UTC), time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC)},
		{time.Date(2026, 3, 3, 2, 0, 0, 0, time.UTC), time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)},
		{time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 2, 0, 0, 0, time.UTC)},
	} {
		if got := d.Next(tc.now); !got.Equal(tc.want) {
			t.Errorf("Next(%v) = %v, want %v", tc.now, got, tc.want)
		}
	}
	for _, bad := range []string{"2h", "25:00", "", "02:00:00"} {
		if _, err := backup.ParseAt(bad); err == nil {
			t.Errorf("ParseAt(%q) accepted", bad)
		}
	}
}
