package cache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/alicebob/miniredis/v2"
)

// SnapshotFile is the name of the file, in the data directory, that keeps
// sessions and log-in failures while the application is closed.
const SnapshotFile = "redis-snapshot.json"

// Embedded is an in-process Redis (miniredis) for the zero set-up default.
//
// Its TTLs run on the wall clock (miniredis ClockTTL), so sessions and
// locks expire in real time as on a real Redis. It keeps everything in
// memory; Close saves sessions and log-in failures to the data directory
// and the next StartEmbedded restores them, so that reopening the
// application resumes a session ("connexion rapide"). Views are not saved:
// they are rebuilt from MongoDB on the first read.
type Embedded struct {
	mr   *miniredis.Miniredis
	addr string
	path string // snapshot file; "" keeps nothing

	once     sync.Once
	closeErr error
}

// StartEmbedded starts the server on 127.0.0.1 and a free port, and
// restores the snapshot in dir (created 0700 if missing) if there is one.
// With dir "" nothing is restored or saved.
//
// The snapshot is deleted once restored: if the application then crashes
// before Close, sessions ended during that run (logouts, revocations) must
// not come back from an old snapshot. A crash costs a log-in, never a
// revoked session.
func StartEmbedded(dir string) (*Embedded, error) {
	e := &Embedded{mr: miniredis.NewMiniRedis()}
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("cache: embedded redis: %w", err)
		}
		e.path = filepath.Join(dir, SnapshotFile)
	}
	e.mr.ClockTTL(true)
	if e.path != "" {
		// Before the server listens, so no client sees a half-restored store.
		if err := restoreSnapshot(e.mr, e.path); err != nil {
			return nil, fmt.Errorf("cache: restore sessions from %s (delete the file to start without them): %w", e.path, err)
		}
	}
	if err := e.mr.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("cache: start embedded redis: %w", err)
	}
	e.addr = e.mr.Addr()
	if e.path != "" {
		if err := os.Remove(e.path); err != nil && !errors.Is(err, os.ErrNotExist) {
			e.mr.Close()
			return nil, fmt.Errorf("cache: remove restored snapshot: %w", err)
		}
	}
	return e, nil
}

// Addr returns host:port.
func (e *Embedded) Addr() string { return e.addr }

// URL returns the address for Connect: redis://127.0.0.1:port.
func (e *Embedded) URL() string { return "redis://" + e.addr }

// Close stops the server, then saves the snapshot. Stopping first means no
// client can change a session after it was saved. Calling Close again does
// nothing and returns the first result.
func (e *Embedded) Close() error {
	e.once.Do(func() {
		e.mr.Close()
		if e.path != "" {
			if err := writeSnapshot(e.mr, e.path); err != nil {
				e.closeErr = fmt.Errorf("cache: save sessions to %s: %w", e.path, err)
			}
		}
	})
	return e.closeErr
}
