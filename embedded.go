package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"scolarite/atomicfile"
	"scolarite/cache"
	"scolarite/store"
)

// One process at a time runs the embedded servers of a data dir: it holds
// an exclusive lock on <data-dir>/lock and writes their addresses to
// <data-dir>/servers.json. Any other process on the same data dir (the app
// open in one terminal, a CLI command in another) reads that file and
// connects to the same servers, so two FerretDB instances never write one
// SQLite directory. The lock dies with its process, so a crash leaves no
// stale owner; a process that joined notices the free lock, takes it and
// starts the servers itself (embedded_follow.go), so the others keep
// working when the owner exits.
const (
	lockFile    = "lock"
	serversFile = "servers.json"
	joinTimeout = 15 * time.Second
)

type serversInfo struct {
	PID      int    `json:"pid"`
	MongoURI string `json:"mongo_uri,omitempty"`
	RedisURL string `json:"redis_url,omitempty"`
}

// embedded is this process's share of a data dir's servers: it either runs
// them (it holds the lock) or follows the process that does.
type embedded struct {
	// serversInfo holds the addresses the clients were opened with. They
	// stay the clients' addresses for good; route maps them to wherever
	// the servers run now.
	serversInfo
	route *route

	dir                  string
	needMongo, needRedis bool
	log                  *slog.Logger
	lock                 *os.File // open for the whole life; flock held while owning

	mu      sync.Mutex
	current serversInfo  // the servers followed now
	owned   func() error // stops the servers this process runs; nil when following

	stopWatch context.CancelFunc
	watchDone chan struct{}
}

func shareEmbedded(ctx context.Context, dir string, needMongo, needRedis bool, log *slog.Logger) (*embedded, error) {
	lock, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open data dir lock: %w", err)
	}
	e := &embedded{dir: dir, needMongo: needMongo, needRedis: needRedis, log: log, lock: lock}
	if err := e.take(ctx); err != nil {
		lock.Close() // releases the lock if it was taken
		return nil, err
	}
	e.serversInfo = e.current
	e.route = newRoute(e.current)
	watchCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	e.stopWatch, e.watchDone = stop, make(chan struct{})
	go e.watch(watchCtx)
	return e, nil
}

// take runs the servers if the lock is free, or joins the process that
// holds it, waiting for it to finish starting them (or to exit, and then
// taking over).
func (e *embedded) take(ctx context.Context) error {
	deadline := time.Now().Add(joinTimeout)
	var last error
	for {
		owned, err := e.tryOwn(ctx)
		if err != nil || owned {
			return err
		}
		info, err := readServers(filepath.Join(e.dir, serversFile))
		if err == nil {
			err = info.check(e.needMongo, e.needRedis)
		}
		if err == nil {
			e.current = info
			return nil
		}
		last = err
		if time.Now().After(deadline) {
			return fmt.Errorf("the data dir %s is in use by another scolarite process whose servers do not answer (%v); wait for it to finish or stop it", e.dir, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// tryOwn takes the lock if it is free and starts the servers. It reports
// false, nil when another process holds the lock. On a start failure the
// lock is given back, so that another process may try.
func (e *embedded) tryOwn(ctx context.Context) (bool, error) {
	err := syscall.Flock(int(e.lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("lock data dir: %w", err)
	}
	info, stop, err := startEmbedded(ctx, e.dir, e.log)
	if err != nil {
		return false, errors.Join(err, syscall.Flock(int(e.lock.Fd()), syscall.LOCK_UN))
	}
	e.mu.Lock()
	e.current, e.owned = info, stop
	e.mu.Unlock()
	return true, nil
}

// startEmbedded starts the servers and publishes their addresses; stop
// unpublishes and stops them (the caller keeps the lock until then).
func startEmbedded(ctx context.Context, dir string, log *slog.Logger) (serversInfo, func() error, error) {
	mongo, err := store.StartEmbedded(ctx, dir)
	if err != nil {
		return serversInfo{}, nil, fmt.Errorf("start the embedded MongoDB server (FerretDB): %w", err)
	}
	redis, err := cache.StartEmbedded(dir)
	if err != nil {
		_ = mongo.Close()
		return serversInfo{}, nil, fmt.Errorf("start the embedded Redis server: %w", err)
	}
	info := serversInfo{PID: os.Getpid(), MongoURI: mongo.URI(), RedisURL: redis.URL()}
	path := filepath.Join(dir, serversFile)
	if err := writeFileAtomic(path, info); err != nil {
		return serversInfo{}, nil, errors.Join(err, redis.Close(), mongo.Close())
	}
	log.Info("embedded servers started", "mongo", info.MongoURI, "redis", info.RedisURL)
	return info, func() error {
		// Remove the address file first: a process that starts now must
		// wait for the lock, not join servers that are going away.
		return errors.Join(os.Remove(path), redis.Close(), mongo.Close())
	}, nil
}

// Close stops following, stops the servers if this process runs them and
// gives the lock back: a process that followed takes over now.
func (e *embedded) Close() error {
	e.stopWatch()
	<-e.watchDone
	e.mu.Lock()
	defer e.mu.Unlock()
	var errs []error
	if e.owned != nil {
		errs = append(errs, e.owned())
		e.owned = nil
	}
	return errors.Join(append(errs, e.lock.Close())...) // closing releases the lock
}

func readServers(path string) (serversInfo, error) {
	var info serversInfo
	b, err := os.ReadFile(path)
	if err != nil {
		return info, fmt.Errorf("read %s: %w", serversFile, err)
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("read %s: %w", serversFile, err)
	}
	return info, nil
}

// check verifies that the servers this process needs are listed and answer.
func (s serversInfo) check(needMongo, needRedis bool) error {
	for _, u := range []struct {
		need bool
		uri  string
		name string
	}{{needMongo, s.MongoURI, "MongoDB"}, {needRedis, s.RedisURL, "Redis"}} {
		if !u.need {
			continue
		}
		host, err := hostOf(u.uri)
		if err != nil {
			return fmt.Errorf("bad %s address in %s: %w", u.name, serversFile, err)
		}
		if host == "" {
			return fmt.Errorf("process %d runs no embedded %s", s.PID, u.name)
		}
		conn, err := net.DialTimeout("tcp", host, time.Second)
		if err != nil {
			return fmt.Errorf("embedded %s of process %d: %w", u.name, s.PID, err)
		}
		conn.Close()
	}
	return nil
}

// hostOf returns the host:port of a server address ("" for "").
func hostOf(uri string) (string, error) {
	if uri == "" {
		return "", nil
	}
	u, err := url.Parse(uri)
	if err != nil {
		return "", err
	}
	return u.Host, nil
}

func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(path, 0o600, func(w io.Writer) error { _, err := w.Write(b); return err })
}
