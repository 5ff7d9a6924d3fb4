package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"scolarite/cli"
	"scolarite/domain"
)

// takeOverBound is how long a call made right after the owner exits may
// take: the follower's next look at the lock (followInterval), starting
// FerretDB and miniredis, and the drivers' reconnection. Measured at about
// 1 s on the 2-core CI machine; anything near the driver's 30 s server
// selection timeout means the clients did not follow.
const takeOverBound = 10 * time.Second

// The process that runs a data dir's servers exits while two others use
// them: one takes them over, the other follows it, and both go on reading
// and writing the same data with their clients as they were opened, their
// sessions included.
func TestJoinedProcessesTakeOverTheEmbeddedServers(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := cli.Config{DataDir: dir, Database: "scolarite", Region: domain.DefaultRegion}
	owner, err := openApp(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ownerOpen := true
	t.Cleanup(func() {
		if ownerOpen {
			_ = owner.Close()
		}
	})
	first := openTestApp(t, cfg)
	second := openTestApp(t, cfg)
	before := mustReadServers(t, dir)

	created, err := owner.Students.Create(ctx, admin, newStudent(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := owner.Auth.CreateUser(ctx, admin, domain.UserInput{Username: "secretariat", Password: "mot-de-passe-long", Role: string(domain.RoleAdmin)}); err != nil {
		t.Fatal(err)
	}
	login, err := first.Auth.Login(ctx, "secretariat", "mot-de-passe-long")
	if err != nil {
		t.Fatal(err)
	}

	// A screen's live updates, subscribed while the owner ran.
	feedCtx, stopFeed := context.WithCancel(ctx)
	defer stopFeed()
	changes, err := first.Feed.Subscribe(feedCtx)
	if err != nil {
		t.Fatal(err)
	}

	if err := owner.Close(); err != nil {
		t.Fatalf("close the owner: %v", err)
	}
	ownerOpen = false

	// The people at the other screens only notice a short wait, for a
	// write as for a read (the driver retries reads by itself, not writes
	// on a standalone server).
	start := time.Now()
	if _, err := second.Students.Create(ctx, admin, newStudent(2)); err != nil {
		t.Fatalf("write right after the owner exited: %v", err)
	}
	t.Logf("first write after the owner exited: %v", time.Since(start))
	for name, app := range map[string]*cli.App{"first": first, "second": second} {
		start := time.Now()
		got, err := app.Students.Get(ctx, admin, created.Number)
		if err != nil {
			t.Fatalf("%s: read after the owner exited: %v", name, err)
		}
		took := time.Since(start)
		t.Logf("%s: first read after the owner exited: %v", name, took)
		if took > takeOverBound {
			t.Fatalf("%s: the read took %v, want under %v", name, took, takeOverBound)
		}
		if got.FirstName != "Élève 1" {
			t.Fatalf("%s: read %+v, want the owner's student", name, got)
		}
	}
	after := mustReadServers(t, dir)
	if after.MongoURI == before.MongoURI || after.RedisURL == before.RedisURL {
		t.Fatalf("servers.json still names the old servers: before %+v, after %+v", before, after)
	}

	// Writes go on, and each sees the other's through the new servers
	// (the cache generation included).
	if _, err := first.Students.Roster(ctx, admin, domain.RosterQuery{}); err != nil {
		t.Fatal(err)
	}
	if _, err := second.Students.Create(ctx, admin, newStudent(3)); err != nil {
		t.Fatalf("write after the take-over: %v", err)
	}
	page, err := first.Students.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || page.Total != 3 {
		t.Fatalf("roster after the other's write: %d rows, %v; want 3", page.Total, err)
	}
	// The subscription moved to the new Redis with the rest (go-redis
	// subscribes again when it reconnects; changes published while it was
	// away are lost, so publish until one arrives).
	deadline := time.After(takeOverBound)
	for arrived := false; !arrived; {
		if err := second.Feed.Publish(ctx, domain.Change{Type: "student.updated", Actor: "test"}); err != nil {
			t.Logf("publish: %v", err)
		}
		select {
		case <-changes:
			arrived = true
		case <-time.After(200 * time.Millisecond):
		case <-deadline:
			t.Fatalf("no change arrived on the subscription after the take-over within %v", takeOverBound)
		}
	}
	// The owner saved the sessions when it closed; the new owner restored them.
	if _, err := first.Auth.Resume(ctx, login.Token); err != nil {
		t.Fatalf("the session did not survive the take-over: %v", err)
	}
}

func mustReadServers(t *testing.T, dir string) serversInfo {
	t.Helper()
	info, err := readServers(filepath.Join(dir, serversFile))
	if err != nil {
		t.Fatal(err)
	}
	if info.PID != os.Getpid() {
		t.Fatalf("servers.json names pid %d, want this test's %d", info.PID, os.Getpid())
	}
	return info
}
