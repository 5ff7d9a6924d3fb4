package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// servedBinary is the real `scolarite serve` on a demo store in a child
// process, with an admin whose key the benchmark clients hold.
type servedBinary struct {
	addr string
	pid  int
	key  gossh.Signer
}

func startServedBinary(b *testing.B) *servedBinary {
	b.Helper()
	dir := b.TempDir()
	mustRun(b, dir, "", "seed-demo")
	key := newSigner(b)
	keyFile := filepath.Join(dir, "bench.pub")
	if err := os.WriteFile(keyFile, []byte(authorizedLine(key)+"\n"), 0o600); err != nil {
		b.Fatal(err)
	}
	mustRun(b, dir, "bench-secret-1\n", "users", "add", "--username", "bench", "--role", "admin", "--password-stdin")
	mustRun(b, dir, "", "users", "keys", "add", "bench", "--key-file", keyFile)
	addr := freeAddr(b)
	cmd := exec.Command(binary, "--data-dir", dir, "serve", "--listen", addr, "--max-per-address", "1000", "--max-connections", "1000")
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir, "SCOLARITE_NOTIFY=off")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	waitListening(b, addr)
	return &servedBinary{addr: addr, pid: cmd.Process.Pid, key: key}
}

// rss is the server's resident memory in bytes.
func (s *servedBinary) rss(b *testing.B) int64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	b.Fatal("no VmRSS")
	return 0
}

// openTable connects n clients with the admin's key, each on the students
// table.
func (s *servedBinary) openTable(b *testing.B, n int) []*sshScreen {
	b.Helper()
	screens := make([]*sshScreen, n)
	for i := range screens {
		screens[i] = openScreen(b, s.addr, withKey(s.key), 120, 35, "fr_SN.UTF-8")
	}
	for _, scr := range screens {
		scr.waitFor(2*time.Minute, "sur 300")
	}
	return screens
}

// BenchmarkServeKeyLatency: 100 sessions open on one server, all typing in
// their table's filter at once (about 8 keys a second each); the latency is
// from a key's press to the first frame that shows it. Goal: p95 under
// 50 ms on the 2-core machine with the embedded default.
func BenchmarkServeKeyLatency(b *testing.B) {
	const sessions, keys = 100, 12
	srv := startServedBinary(b)
	screens := srv.openTable(b, sessions)
	b.ResetTimer()
	var all []time.Duration
	for range b.N {
		var (
			mu        sync.Mutex
			latencies []time.Duration
			wg        sync.WaitGroup
		)
		for i, scr := range screens {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 1200 * time.Microsecond) // spread the sessions over a key's interval
				scr.send("/")
				typed := ""
				for k := range keys {
					// "/ x…" is nowhere else on the screen ("/ f" would be
					// the help line's "/ filtrer").
					next := rune('a' + (i+k)%26)
					if k == 0 {
						next = 'x'
					}
					typed += string(next)
					start := time.Now()
					scr.send(typed[len(typed)-1:])
					if !scr.waitShown("/ " + typed) {
						return
					}
					d := time.Since(start)
					mu.Lock()
					latencies = append(latencies, d)
					mu.Unlock()
					time.Sleep(max(0, 120*time.Millisecond-d))
				}
				scr.send("\x1b") // clear the filter for the next round
			})
		}
		wg.Wait()
		if len(latencies) != sessions*keys {
			b.Fatalf("%d of %d key presses were shown", len(latencies), sessions*keys)
		}
		all = append(all, latencies...)
		time.Sleep(300 * time.Millisecond)
	}
	b.StopTimer()
	slices.Sort(all)
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(all[len(all)*95/100].Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(all[len(all)-1].Microseconds())/1000, "max-ms")
}

// BenchmarkServeIdleSessionMemory: the server's resident memory per idle
// session, logged in on the students table. Goal: under 4 MB.
func BenchmarkServeIdleSessionMemory(b *testing.B) {
	const sessions = 100
	srv := startServedBinary(b)
	warm := srv.openTable(b, 5) // the store's first reads and caches are not a session's cost
	time.Sleep(2 * time.Second)
	before := srv.rss(b)
	b.ResetTimer()
	for range b.N {
		screens := srv.openTable(b, sessions)
		time.Sleep(3 * time.Second)
		after := srv.rss(b)
		b.ReportMetric(float64(after-before)/sessions/(1<<20), "MB/session")
		for _, s := range screens {
			s.close()
		}
	}
	_ = warm
}
