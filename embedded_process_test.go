package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"scolarite/cli"
	"scolarite/domain"
)

// The same take-over between real processes: the owner is killed (no
// clean exit: its lock is dropped by the kernel, servers.json stays
// behind), or the process that takes over is the real binary.

// lockedBuffer collects a child's output while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startNotifier runs "scolarite notify run" on dir, a command that keeps
// its back-ends open until it is signalled, and waits until it has them.
func startNotifier(t *testing.T, dir string) (*exec.Cmd, *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(binary, "--data-dir", dir, "notify", "run")
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir)
	stderr := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	waitFor(t, "the notifier to open its back-ends", func() bool {
		return strings.Contains(stderr.String(), "scolarite: notifications:")
	})
	return cmd, stderr
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitForWithin(t, 30*time.Second, what, cond)
}

// waitForWithin is waitFor with its own limit.
func waitForWithin(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func serversPID(dir string) int {
	info, err := readServers(filepath.Join(dir, serversFile))
	if err != nil {
		return 0
	}
	return info.PID
}

func TestTakeOverAfterTheOwnerIsKilled(t *testing.T) {
	dir := t.TempDir()
	owner, _ := startNotifier(t, dir)
	if pid := serversPID(dir); pid != owner.Process.Pid {
		t.Fatalf("servers.json names pid %d, want the notifier's %d", pid, owner.Process.Pid)
	}
	ctx := context.Background()
	app := openTestApp(t, cli.Config{DataDir: dir, Database: "scolarite", Region: domain.DefaultRegion})
	created, err := app.Students.Create(ctx, admin, newStudent(1))
	if err != nil {
		t.Fatal(err)
	}

	if err := owner.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = owner.Wait()
	start := time.Now()
	if _, err := app.Students.Get(ctx, admin, created.Number); err != nil {
		t.Fatalf("read after the owner was killed: %v", err)
	}
	if took := time.Since(start); took > takeOverBound {
		t.Fatalf("the read took %v, want under %v", took, takeOverBound)
	}
	if pid := serversPID(dir); pid != os.Getpid() {
		t.Fatalf("servers.json names pid %d, want this process (%d), which took over", pid, os.Getpid())
	}
	page, err := app.Students.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || page.Total != 1 {
		t.Fatalf("roster after the take-over: %d rows, %v; want 1", page.Total, err)
	}
}

func TestRealProcessTakesOverAndWritesNothingOnTheTerminal(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	owner, err := openApp(ctx, cli.Config{DataDir: dir, Database: "scolarite", Region: domain.DefaultRegion})
	if err != nil {
		t.Fatal(err)
	}
	created, err := owner.Students.Create(ctx, admin, newStudent(1))
	if err != nil {
		_ = owner.Close()
		t.Fatal(err)
	}
	follower, output := startNotifier(t, dir)
	if err := owner.Close(); err != nil {
		t.Fatalf("close the owner: %v", err)
	}

	waitFor(t, "the notifier to take the servers over", func() bool { return serversPID(dir) == follower.Process.Pid })
	// A command started now joins the new owner and sees the data.
	if out := mustRun(t, dir, "", "students", "show", created.Number); !strings.Contains(out, "Élève 1") {
		t.Fatalf("students show after the take-over printed %q", out)
	}
	// Let its clients' connections to the old servers fail and be retried
	// for a while, as they would under a screen.
	time.Sleep(2 * time.Second)
	if err := follower.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := follower.Wait(); err != nil {
		t.Fatalf("the notifier did not stop cleanly: %v\n%s", err, output)
	}
	// Only our own lines: no library (go-redis's pool, the drivers) wrote
	// to the terminal.
	for line := range strings.SplitSeq(strings.TrimSpace(output.String()), "\n") {
		if !strings.HasPrefix(line, "scolarite: ") {
			t.Errorf("a line on the terminal that is not ours: %q", line)
		}
	}
}

// go-redis prints its pool's dial failures on standard error unless told
// otherwise; under the application that is over the screen. They go to the
// log file.
func TestUnreachableRedisWritesNothingOnTheTerminal(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(binary, "--data-dir", dir, "students", "list")
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=redis://127.0.0.1:1", "HOME="+dir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("students list with Redis down: %v\n%s", err, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Fatalf("something wrote on the terminal: %q", stderr.String())
	}
	log, err := os.ReadFile(filepath.Join(dir, "scolarite.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "redis client: ") || !strings.Contains(string(log), "failed to dial") {
		t.Fatalf("go-redis's dial failures are not in the log file:\n%s", log)
	}
}
