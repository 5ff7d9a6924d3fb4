// Package storetest gives tests a store.Store on a fresh database of a
// real MongoDB-protocol server: the server named by MONGODB_URI when it is
// set, otherwise an embedded FerretDB started once per test binary, on
// first use, in a temporary directory.
//
// A package whose tests use it should call Main from TestMain, so that the
// embedded server is stopped and its directory removed when the tests end:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"scolarite/store"
)

// opTimeout bounds the set-up and clean-up of one test database, so a
// server that hangs fails the test instead of the whole binary timing out.
const opTimeout = 30 * time.Second

// shared is the one server of this test binary. Package state is
// acceptable here, in a test helper: the point is to start FerretDB once
// (about a second, and a SQLite directory) rather than once per test.
var shared struct {
	once     sync.Once
	uri      string
	err      error
	embedded *store.Embedded
	dir      string
}

func start() {
	if uri := os.Getenv("MONGODB_URI"); uri != "" {
		shared.uri = uri
		return
	}
	dir, err := os.MkdirTemp("", "scolarite-storetest-")
	if err != nil {
		shared.err = fmt.Errorf("storetest: temporary directory: %w", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	e, err := store.StartEmbedded(ctx, dir)
	if err != nil {
		shared.err = fmt.Errorf("storetest: %w (log in %s)", err, dir)
		return
	}
	shared.uri, shared.embedded, shared.dir = e.URI(), e, dir
}

// URI returns the connection string of the test server, starting the
// embedded one if needed.
func URI(t testing.TB) string {
	t.Helper()
	shared.once.Do(start)
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.uri
}

// Options are the store.Open options for the test server: on the embedded
// FerretDB, its data dir, so that tests run with the _id index the
// application's embedded store has.
func Options() []store.Option {
	if shared.embedded != nil {
		return []store.Option{store.WithEmbeddedDir(shared.dir)}
	}
	return nil
}

// Open returns a Store on a new database with a unique name; the database
// is dropped and the store closed when the test ends. Tests that use
// different databases may run in parallel.
func Open(t testing.TB) *store.Store {
	t.Helper()
	uri := URI(t)
	name := DatabaseName(t)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	s, err := store.Open(ctx, uri, name, Options()...)
	if err != nil {
		t.Fatalf("storetest: open database %s: %v", name, err)
	}
	t.Cleanup(func() {
		// Not t.Context(): it is already cancelled when clean-ups run.
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := s.Database().Drop(ctx); err != nil {
			t.Errorf("storetest: drop database %s: %v", name, err)
		}
		if err := s.Close(ctx); err != nil {
			t.Errorf("storetest: close store: %v", err)
		}
	})
	return s
}

// DatabaseName returns a database name unique to this call: a readable
// part from the test name (to find it on a shared server) and a random
// part (so reruns and parallel test binaries never meet). It fits the
// 63-character, [A-Za-z0-9_-] names both MongoDB and FerretDB accept.
func DatabaseName(t testing.TB) string {
	var b strings.Builder
	for _, r := range t.Name() {
		switch {
		case b.Len() >= 40:
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	suffix := make([]byte, 6)
	_, _ = rand.Read(suffix) // crypto/rand.Read never fails
	return "test_" + b.String() + "_" + hex.EncodeToString(suffix)
}

// Main runs the tests, then stops the embedded server (if one was
// started) and removes its directory, and exits with the tests' status.
func Main(m *testing.M) { os.Exit(Run(m)) }

// Run is Main without the exit, for a TestMain with its own clean-up.
func Run(m *testing.M) int {
	code := m.Run()
	if shared.embedded != nil {
		if err := shared.embedded.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "storetest:", err)
		}
		if err := os.RemoveAll(shared.dir); err != nil {
			fmt.Fprintln(os.Stderr, "storetest:", err)
		}
	}
	return code
}
