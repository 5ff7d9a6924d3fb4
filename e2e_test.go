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

func runTmuxScript(t *testing.T, script string) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("SCOLARITE_REQUIRE_TMUX") == "1" {
			t.Fatal("tmux is required (SCOLARITE_REQUIRE_TMUX=1) but not on PATH")
		}
		t.Skip("tmux not on PATH")
	}
	cmd := exec.Command("bash", script)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("end-to-end script %s failed: %v", script, err)
	}
}
