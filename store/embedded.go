package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// startTimeout bounds how long StartEmbedded waits for the listener (ctx
// may end the wait sooner).
const startTimeout = 15 * time.Second

// Embedded is a FerretDB server running inside this process on the SQLite
// handler, so the app works with no database server installed. It speaks
// the MongoDB wire protocol on 127.0.0.1 and Open connects to it like to
// any MongoDB server.
//
// Its data lives under dir/sqlite (one SQLite file per database) and its
// log in dir/ferretdb.log: FerretDB must never write to the terminal the
// UI draws on.
//
// Several Embedded servers can run in one process, each on its own
// directory (never two on one: each keeps its own view of the SQLite
// metadata). FerretDB's embedded package registers no Prometheus metrics
// globally, so the second one does not panic (TestEmbeddedTwoInstances).
// They must not be started concurrently, though: ferretdb.New writes a
// package-level version field of FerretDB without a lock.
type Embedded struct {
	uri     string
	cancel  context.CancelFunc
	done    chan struct{} // closed when Run has returned
	logFile *os.File

	closeOnce sync.Once
	closeErr  error
}

// StartEmbedded starts FerretDB with its data in dir (created 0700 if
// needed) and returns once it accepts connections. ctx bounds the start
// only; the server runs until Close.
func StartEmbedded(ctx context.Context, dir string) (*Embedded, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedded FerretDB: data directory %q: %w", dir, err)
	}
	// FerretDB reads SQLiteURL with url.Parse and uses the raw text as the
	// directory, so a '?' or '#' would silently cut the path short.
	if strings.ContainsAny(abs, "?#") {
		return nil, fmt.Errorf("embedded FerretDB: data directory %q may not contain '?' or '#'", abs)
	}
	sqliteDir := sqliteDirOf(abs)
	if err := os.MkdirAll(sqliteDir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded FerretDB: create data directory: %w", err)
	}
	if err := checkSQLiteFiles(sqliteDir, abs); err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(filepath.Join(abs, "ferretdb.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedded FerretDB: open log file: %w", err)
	}
	// Warn and above: FerretDB logs every connection at Info, which would
	// grow the file without telling anyone anything useful.
	logger := slog.New(&lazyHandler{base: slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelWarn})})

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:   "sqlite",
		SQLiteURL: "file:" + sqliteDir + "/",
		Logger:    logger,
	})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("embedded FerretDB: %w", err), logFile.Close())
	}

	// The server outlives ctx (which only bounds the start) but keeps its
	// values.
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	e := &Embedded{cancel: cancel, done: make(chan struct{}), logFile: logFile}
	go func() {
		defer close(e.done)
		// Run only ever returns nil, after ctx is cancelled.
		_ = f.Run(runCtx)
	}()

	// MongoDBURI reads the listener's address, which needs Run started.
	e.uri = f.MongoDBURI()
	u, err := url.Parse(e.uri)
	if err == nil {
		err = e.waitListening(ctx, u.Host)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("embedded FerretDB: %w", err), e.Close())
	}
	return e, nil
}

// waitListening polls until a TCP connection to addr succeeds, Run stops
// early, or the start times out.
func (e *Embedded) waitListening(ctx context.Context, addr string) error {
	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	var d net.Dialer
	for {
		dialCtx, dialCancel := context.WithTimeout(ctx, time.Second)
		conn, err := d.DialContext(dialCtx, "tcp", addr)
		dialCancel()
		if err == nil {
			return conn.Close()
		}
		select {
		case <-e.done:
			return fmt.Errorf("stopped before listening on %s (see ferretdb.log)", addr)
		case <-ctx.Done():
			return fmt.Errorf("not listening on %s: %w (last attempt: %w)", addr, ctx.Err(), err)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// sqliteDir is where the embedded FerretDB of data dir dir keeps its
// SQLite files, one per database.
func sqliteDirOf(dir string) string { return filepath.Join(dir, "sqlite") }

// URI is the MongoDB connection string of the server, e.g.
// "mongodb://127.0.0.1:40123/".
func (e *Embedded) URI() string { return e.uri }

// Close stops the server, waits until it has closed its SQLite databases
// and closes the log file. Close the Store first: FerretDB gives connected
// clients a few seconds to go away before it closes their connections, so
// a client left connected makes Close slower (never wrong). Calling Close
// again returns the first result.
func (e *Embedded) Close() error {
	e.closeOnce.Do(func() {
		e.cancel()
		<-e.done
		if err := e.logFile.Close(); err != nil {
			e.closeErr = fmt.Errorf("embedded FerretDB: close log file: %w", err)
		}
	})
	return e.closeErr
}

// lazyHandler defers WithAttrs and WithGroup until a record is actually
// written. FerretDB derives a logger with attributes for every SQL
// statement it runs, and slog's TextHandler formats those attributes
// eagerly: about a third of the CPU time of an insert went there, for
// records that are then dropped by the Warn level. Here deriving costs a
// slice append, and the formatting happens only for the rare record that
// passes the level.
type lazyHandler struct {
	base slog.Handler
	ops  []func(slog.Handler) slog.Handler // WithAttrs / WithGroup, in order
}

func (l *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return l.base.Enabled(ctx, level)
}

func (l *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	h := l.base
	for _, op := range l.ops {
		h = op(h)
	}
	return h.Handle(ctx, r)
}

func (l *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return l.with(func(h slog.Handler) slog.Handler { return h.WithAttrs(attrs) })
}

func (l *lazyHandler) WithGroup(name string) slog.Handler {
	return l.with(func(h slog.Handler) slog.Handler { return h.WithGroup(name) })
}

func (l *lazyHandler) with(op func(slog.Handler) slog.Handler) slog.Handler {
	// Clip so that two loggers derived from one never share a backing array.
	return &lazyHandler{base: l.base, ops: append(slices.Clip(l.ops), op)}
}
