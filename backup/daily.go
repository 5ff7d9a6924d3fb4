package backup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Clock is the time the daily runner sees; tests give a fake one.
type Clock interface {
	Now() time.Time
	// After sends once d has passed.
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the real time.
type SystemClock struct{}

func (SystemClock) Now() time.Time                         { return time.Now() }
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// File names of the daily backups: the local time of the run, so that
// they sort by name in time order.
const (
	filePrefix = "scolarite-"
	fileSuffix = ".tar.gz"
	fileStamp  = "20060102-150405"
)

// Daily writes a backup into Dir every day at At (hours and minutes after
// local midnight) and keeps the Keep newest.
type Daily struct {
	Dir   string
	At    time.Duration
	Keep  int
	Write func(ctx context.Context, path string) (Header, error)
	Clock Clock
	Log   *slog.Logger
}

// ParseAt reads a time of day written "HH:MM" (24-hour, local time).
func ParseAt(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return 0, fmt.Errorf("backup time %q is not a time of day written HH:MM (e.g. 02:00)", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// Next returns the first instant at or after now's minute that is At past
// a local midnight. time.Date normalises the days that a change of
// daylight-saving time makes shorter or longer.
func (d *Daily) Next(now time.Time) time.Time {
	y, m, day := now.Date()
	h, min := int(d.At/time.Hour), int(d.At%time.Hour/time.Minute)
	next := time.Date(y, m, day, h, min, 0, 0, now.Location())
	if !next.After(now) {
		next = time.Date(y, m, day+1, h, min, 0, 0, now.Location())
	}
	return next
}

// Run writes the daily backups until ctx ends. A failed backup is logged
// and tried again the next day, like a successful one.
func (d *Daily) Run(ctx context.Context) {
	for {
		now := d.Clock.Now()
		next := d.Next(now)
		d.Log.Info("next daily backup", "at", next, "dir", d.Dir, "keep", d.Keep)
		select {
		case <-ctx.Done():
			return
		case <-d.Clock.After(next.Sub(now)):
		}
		if _, err := d.Once(ctx); err != nil && ctx.Err() == nil {
			d.Log.Error("daily backup failed", "dir", d.Dir, "err", err)
		}
	}
}

// Once writes one backup now, then removes the oldest beyond Keep and the
// temporary files that a killed run left. It returns the new file's path.
func (d *Daily) Once(ctx context.Context) (string, error) {
	if err := os.MkdirAll(d.Dir, 0o700); err != nil {
		return "", fmt.Errorf("daily backup: %w", err)
	}
	start := d.Clock.Now()
	path := filepath.Join(d.Dir, filePrefix+start.Format(fileStamp)+fileSuffix)
	h, err := d.Write(ctx, path)
	if err != nil {
		return "", err
	}
	counts := make([]any, 0, 2*len(h.Collections))
	for _, c := range h.Collections {
		counts = append(counts, c.Name, c.Count)
	}
	d.Log.Info("daily backup written", append([]any{"file", path, "quiet", h.Quiet, "passes", h.Passes,
		"took", d.Clock.Now().Sub(start).Round(time.Millisecond)}, counts...)...)
	removed, err := d.prune()
	for _, p := range removed {
		d.Log.Info("old backup removed", "file", p)
	}
	if err != nil {
		d.Log.Error("pruning old backups failed", "dir", d.Dir, "err", err)
	}
	return path, nil
}

// prune removes the backups beyond the Keep newest, and leftover
// temporary files.
func (d *Daily) prune() ([]string, error) {
	entries, err := os.ReadDir(d.Dir)
	if err != nil {
		return nil, fmt.Errorf("daily backup: %w", err)
	}
	var backups, removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		switch {
		case !e.Type().IsRegular() || !strings.HasPrefix(strings.TrimPrefix(name, "."), filePrefix):
		case strings.HasSuffix(name, fileSuffix):
			backups = append(backups, name)
		case strings.HasSuffix(name, ".tmp"): // a killed run's, or an older version's
			if err := os.Remove(filepath.Join(d.Dir, name)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	slices.Sort(backups)
	for len(backups) > max(d.Keep, 1) {
		p := filepath.Join(d.Dir, backups[0])
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
		} else {
			removed = append(removed, p)
		}
		backups = backups[1:]
	}
	return removed, errors.Join(errs...)
}
