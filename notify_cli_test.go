package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// notifyEnv runs the binary with extra environment (the notifier's
// settings), nothing inherited from the caller's SMTP_URL and friends.
func notifyEnv(dataDir string, extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "SMTP_URL", "SMTP_FROM", "SMS_PROVIDER", "SMS_FROM", "NOTIFY_STAFF", "NOTIFY_LANG", "TWILIO_AUTH_TOKEN":
			continue
		}
		env = append(env, kv)
	}
	return append(append(env, "MONGODB_URI=", "REDIS_URL=", "HOME="+dataDir), extra...)
}

func notifyCounts(t *testing.T, dir string) map[string]int {
	t.Helper()
	var counts map[string]int
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "notify", "status", "--json")), &counts); err != nil {
		t.Fatal(err)
	}
	return counts
}

func TestCLINotifyOnce(t *testing.T) {
	dir := t.TempDir()
	number := strings.TrimSpace(mustRun(t, dir, "", "students", "add", "--last-name", "Diop", "--first-name", "Ndèye",
		"--phone", "77 123 45 67", "--email", "ndeye.diop@esp221.sn", "--class", "L3-INFO", "--major", "Informatique",
		"--birth-date", "2003-04-05"))
	mustRun(t, dir, "", "grades", "add", number, "--subject", "Mathématiques", "--value", "14")
	mustRun(t, dir, "", "grades", "add", number, "--subject", "Physique", "--value", "2", "--coefficient", "3") // 5: below 10

	cmd := exec.Command(binary, "--data-dir", dir, "notify", "run", "--once", "--staff", "direction@esp221.sn")
	cmd.Env = notifyEnv(dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("notify run --once: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "e-mail written to "+filepath.Join(dir, "notifications", "mail.mbox")) {
		t.Errorf("no description of the configuration: %s", out)
	}
	// Two grades and one alert, by e-mail and SMS, and the alert to staff.
	if c := notifyCounts(t, dir); c["sent"] != 7 || c["pending"] != 0 || c["failed"] != 0 {
		t.Errorf("status %v", c)
	}
	sms, _ := os.ReadFile(filepath.Join(dir, "notifications", "sms.log"))
	if n := strings.Count(string(sms), "\n"); n != 3 || !strings.Contains(string(sms), "nouvelle note en Physique : 2/20 (coef. 3). Votre moyenne : 5/20.") {
		t.Errorf("sms.log (%d lines):\n%s", n, sms)
	}
	mbox, _ := os.ReadFile(filepath.Join(dir, "notifications", "mail.mbox"))
	if strings.Count(string(mbox), "\nFrom scolarite ")+1 != 4 || !strings.Contains(string(mbox), "To: <direction@esp221.sn>") {
		t.Errorf("mail.mbox:\n%s", mbox)
	}
	// Nothing more on a second pass.
	cmd = exec.Command(binary, "--data-dir", dir, "notify", "run", "--once")
	cmd.Env = notifyEnv(dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("second pass: %v\n%s", err, out)
	}
	if c := notifyCounts(t, dir); c["sent"] != 7 {
		t.Errorf("second pass: %v", c)
	}
}

// The daemon keeps a message pending while its SMTP server is down, never
// shows the password, and stops cleanly on SIGTERM.
func TestCLINotifyDaemon(t *testing.T) {
	dir := t.TempDir()
	number := strings.TrimSpace(mustRun(t, dir, "", "students", "add", "--last-name", "Fall", "--first-name", "Awa",
		"--phone", "77 765 43 21", "--email", "awa.fall@esp221.sn", "--class", "L3-INFO", "--major", "Informatique",
		"--birth-date", "2003-04-05"))
	const secret = "Sup3r-S3cret"
	daemon := exec.Command(binary, "--data-dir", dir, "notify", "run")
	daemon.Env = notifyEnv(dir, "SMTP_URL=smtp://scolarite:"+secret+"@127.0.0.1:1", "SMS_PROVIDER=off")
	var stderr bytes.Buffer
	daemon.Stdout, daemon.Stderr = &stderr, &stderr
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- daemon.Wait() }()
	t.Cleanup(func() { _ = daemon.Process.Kill() })

	mustRun(t, dir, "", "grades", "add", number, "--subject", "Anglais", "--value", "15") // joins the daemon's servers
	deadline := time.Now().Add(20 * time.Second)
	for notifyCounts(t, dir)["pending"] != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the daemon did not create the record: %v\n%s", notifyCounts(t, dir), stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(500 * time.Millisecond) // let it try and fail once
	if err := daemon.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("daemon exit: %v\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the daemon did not stop on SIGTERM")
	}
	logText, _ := os.ReadFile(filepath.Join(dir, "scolarite.log"))
	for what, text := range map[string]string{"output": stderr.String(), "log": string(logText)} {
		if strings.Contains(text, secret) {
			t.Errorf("the SMTP password appears in the %s:\n%s", what, text)
		}
	}
	if !strings.Contains(stderr.String(), "smtp://scolarite:xxxxx@127.0.0.1:1") {
		t.Errorf("output: %s", stderr.String())
	}
	if !strings.Contains(string(logText), "notification will be retried") {
		t.Errorf("no retry in the log:\n%s", logText)
	}
}
