package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"scolarite/atomicfile"
	"strings"
	"time"

	"github.com/alicebob/miniredis/v2"
)

// snapshotVersion changes when the file format does; an unknown version is
// refused rather than half-read.
const snapshotVersion = 1

type snapshot struct {
	Version int           `json:"version"`
	SavedAt time.Time     `json:"saved_at"`
	Keys    []snapshotKey `json:"keys"`
}

// snapshotKey is one string or set. ExpiresAt is absolute, so the time the
// application stayed closed counts against the TTL, as it would on a real
// Redis: an idle session of 12 hours is gone after a night.
type snapshotKey struct {
	Key       string     `json:"key"`
	Type      string     `json:"type"` // "string" or "set"
	Value     string     `json:"value,omitempty"`
	Members   []string   `json:"members,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"` // nil: no TTL
}

// kept reports whether key is worth keeping across restarts: sessions,
// their per-user index, the log-in failure counters and locks (a restart
// must not lift a lock). Views and the generation are cheap to rebuild.
// Embedded stores hold keys under DefaultPrefix.
func kept(key string) bool {
	for _, p := range [...]string{
		DefaultPrefix + "session:",
		DefaultPrefix + "user-sessions:",
		DefaultPrefix + "login-fail:",
		DefaultPrefix + "login-lock:",
	} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// writeSnapshot saves the kept keys of a stopped mr to path, atomically: a
// crash while writing leaves the previous file or none, never half a file.
func writeSnapshot(mr *miniredis.Miniredis, path string) error {
	// Keys() moves the clock (expiring what is due); then freeze it so the
	// TTLs read below all refer to the same instant.
	keys := mr.Keys()
	mr.ClockTTL(false)
	now := time.Now()
	snap := snapshot{Version: snapshotVersion, SavedAt: now.UTC(), Keys: []snapshotKey{}}
	for _, k := range keys {
		if !kept(k) {
			continue
		}
		sk := snapshotKey{Key: k, Type: mr.Type(k)}
		var err error
		switch sk.Type {
		case "string":
			sk.Value, err = mr.Get(k)
		case "set":
			sk.Members, err = mr.Members(k)
		default:
			continue // not a type this package writes under these prefixes
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", k, err)
		}
		if ttl := mr.TTL(k); ttl > 0 {
			at := now.Add(ttl).UTC()
			sk.ExpiresAt = &at
		}
		snap.Keys = append(snap.Keys, sk)
	}
	data, err := json.MarshalIndent(snap, "", "  ")
	if err != nil {
		return err
	}
	// Session hashes are credentials of a kind: only the user may read them.
	return atomicfile.Write(path, 0o600, func(w io.Writer) error { _, err := w.Write(data); return err })
}

// restoreSnapshot loads path into mr, skipping keys that expired while the
// application was closed. A missing file is not an error.
func restoreSnapshot(mr *miniredis.Miniredis, path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var snap snapshot
	if err := json.Unmarshal(data, &snap); err != nil {
		return err
	}
	if snap.Version != snapshotVersion {
		return fmt.Errorf("unknown snapshot version %d", snap.Version)
	}
	now := time.Now()
	for _, k := range snap.Keys {
		if !kept(k.Key) {
			continue // only what writeSnapshot would have written
		}
		var ttl time.Duration
		if k.ExpiresAt != nil {
			if ttl = k.ExpiresAt.Sub(now); ttl <= 0 {
				continue
			}
		}
		switch k.Type {
		case "string":
			err = mr.Set(k.Key, k.Value)
		case "set":
			if len(k.Members) == 0 {
				continue
			}
			_, err = mr.SetAdd(k.Key, k.Members...)
		default:
			err = fmt.Errorf("key %s has unknown type %q", k.Key, k.Type)
		}
		if err != nil {
			return err
		}
		if ttl > 0 {
			mr.SetTTL(k.Key, ttl)
		}
	}
	return nil
}
