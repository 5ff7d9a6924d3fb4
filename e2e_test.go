package main

import (
	"os"
	"os/exec"
	"testing"
)

// TestTUIEndToEnd runs scripts/e2e-tui.sh: the real binary in tmux, logged
// in as each role. It needs tmux; CI installs it and sets
// SCOLARITE_REQUIRE_TMUX=1 so that it never skips there.
func TestTUIEndToEnd(t *testing.T) { runTmuxScript(t, "scripts/e2e-tui.sh") }

// TestTUITakeOverEndToEnd runs scripts/e2e-takeover.sh: two applications
// on one data dir, the first quits, the second takes the embedded servers
// over and goes on, with nothing written over its screen.
func TestTUITakeOverEndToEnd(t *testing.T) { runTmuxScript(t, "scripts/e2e-takeover.sh") }

// TestGradeSheetEndToEnd runs scripts/e2e-gradesheet.sh: a teacher marks
// a class's exam in the grade sheet (typed, then pasted), meets a mark
// changed meanwhile, publishes; the student then sees their mark.
func TestGradeSheetEndToEnd(t *testing.T) { runTmuxScript(t, "scripts/e2e-gradesheet.sh") }

// TestResultsEndToEnd runs scripts/e2e-results.sh: a class marked by
// files, closed, its results, the resit session, a jury decision, the
// publication, the deliberation screen and the student's result.
func TestResultsEndToEnd(t *testing.T) { runTmuxScript(t, "scripts/e2e-results.sh") }

// TestServeOpenSSHEndToEnd runs scripts/e2e-ssh.sh: `scolarite serve` on a
// fresh data dir and the real OpenSSH client in tmux, with a password, with
// a registered key, in English, after the key's removal, and SIGTERM. It
// needs ssh too; CI installs openssh-client and sets SCOLARITE_REQUIRE_SSH=1.
func TestServeOpenSSHEndToEnd(t *testing.T) {
	require(t, "ssh", "SCOLARITE_REQUIRE_SSH")
	require(t, "ssh-keygen", "SCOLARITE_REQUIRE_SSH")
	runTmuxScript(t, "scripts/e2e-ssh.sh")
}

func runTmuxScript(t *testing.T, script string) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	require(t, "tmux", "SCOLARITE_REQUIRE_TMUX")
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("end-to-end script %s failed: %v", script, err)
	}
}

// require skips the test when a program is missing, unless the variable
// says it must be there (CI sets it).
func require(t *testing.T, program, variable string) {
	t.Helper()
	if _, err := exec.LookPath(program); err != nil {
		if os.Getenv(variable) == "1" {
			t.Fatalf("%s is required (%s=1) but not on PATH", program, variable)
		}
		t.Skipf("%s not on PATH", program)
	}
}
