package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"scolarite/cache"
	"scolarite/store"
)

// One process at a time runs the embedded servers of a data dir: it holds
// an exclusive lock on <data-dir>/lock and writes their addresses to
// <data-dir>/servers.json. Any other process on the same data dir (the app
// open in one terminal, a CLI command in another) reads that file and
// connects to the same servers, so two FerretDB instances never write one
// SQLite directory. The lock dies with its process, so a crash leaves no
// stale owner.
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

type embedded struct {
	serversInfo
	close func() error
}

func (e *embedded) Close() error { return e.close() }

func shareEmbedded(ctx context.Context, dir string, needMongo, needRedis bool, log *slog.Logger) (*embedded, error) {
	lock, err := os.OpenFile(filepath.Join(dir, lockFile), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open data dir lock: %w", err)
	}
	err = syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		lock.Close()
		return joinEmbedded(ctx, dir, needMongo, needRedis)
	}
	if err != nil {
		lock.Close()
		return nil, fmt.Errorf("lock data dir: %w", err)
	}
	e, err := startEmbedded(ctx, dir, lock, log)
	if err != nil {
		lock.Close() // releases the lock
		return nil, err
	}
	return e, nil
}

func startEmbedded(ctx context.Context, dir string, lock *os.File, log *slog.Logger) (*embedded, error) {
	mongo, err := store.StartEmbedded(ctx, dir)
	if err != nil {
		return nil, fmt.Errorf("start the embedded MongoDB server (FerretDB): %w", err)
	}
	redis, err := cache.StartEmbedded(dir)
	if err != nil {
		_ = mongo.Close()
		return nil, fmt.Errorf("start the embedded Redis server: %w", err)
	}
	info := serversInfo{PID: os.Getpid(), MongoURI: mongo.URI(), RedisURL: redis.URL()}
	path := filepath.Join(dir, serversFile)
	if err := writeFileAtomic(path, info); err != nil {
		_ = redis.Close()
		_ = mongo.Close()
		return nil, err
	}
	log.Info("embedded servers started", "mongo", info.MongoURI, "redis", info.RedisURL)
	return &embedded{serversInfo: info, close: func() error {
		// Remove the address file first: a process that starts now must
		// wait for the lock, not join servers that are going away.
		errs := []error{os.Remove(path), redis.Close(), mongo.Close(), lock.Close()}
		return errors.Join(errs...)
	}}, nil
}

// joinEmbedded connects to the servers of the process holding the lock,
// waiting for it to finish starting them.
func joinEmbedded(ctx context.Context, dir string, needMongo, needRedis bool) (*embedded, error) {
	deadline := time.Now().Add(joinTimeout)
	var last error
	for {
		info, err := readServers(filepath.Join(dir, serversFile))
		if err == nil {
			err = info.check(needMongo, needRedis)
		}
		if err == nil {
			return &embedded{serversInfo: info, close: func() error { return nil }}, nil
		}
		last = err
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("the data dir %s is in use by another scolarite process whose servers do not answer (%v); wait for it to finish or stop it", dir, last)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
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
		if u.uri == "" {
			return fmt.Errorf("process %d runs no embedded %s", s.PID, u.name)
		}
		parsed, err := url.Parse(u.uri)
		if err != nil {
			return fmt.Errorf("bad %s address in %s: %w", u.name, serversFile, err)
		}
		conn, err := net.DialTimeout("tcp", parsed.Host, time.Second)
		if err != nil {
			return fmt.Errorf("embedded %s of process %d: %w", u.name, s.PID, err)
		}
		conn.Close()
	}
	return nil
}

func writeFileAtomic(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", filepath.Base(path), err)
	}
	return nil
}
