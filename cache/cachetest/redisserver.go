package cachetest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/cache"
)

const (
	startTimeout = 10 * time.Second
	stopTimeout  = 10 * time.Second
)

// RedisServer is a redis-server process owned by one test, without
// persistence, on 127.0.0.1 and a port of its own.
type RedisServer struct {
	tb   testing.TB
	bin  string
	dir  string
	port int

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
}

// StartRedisServer starts redis-server from PATH and stops it when the test
// ends. Without redis-server the test is skipped, or fails when
// SCOLARITE_REQUIRE_REDIS=1 (as in CI, where skipping would hide a gap).
func StartRedisServer(tb testing.TB) *RedisServer {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("SCOLARITE_REQUIRE_REDIS") == "1" {
			tb.Fatalf("redis-server is not on PATH and SCOLARITE_REQUIRE_REDIS=1")
		}
		tb.Skip("redis-server is not on PATH (install it, or set SCOLARITE_REQUIRE_REDIS=1 to make this a failure)")
	}
	s := &RedisServer{tb: tb, bin: bin, dir: tb.TempDir(), port: freePort(tb)}
	s.start()
	tb.Cleanup(s.Stop)
	return s
}

// Addr returns 127.0.0.1:port; it stays the same across Restart.
func (s *RedisServer) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL returns redis://127.0.0.1:port.
func (s *RedisServer) URL() string { return "redis://" + s.Addr() }

// Client returns a client opened with cache.Connect, closed at cleanup.
func (s *RedisServer) Client(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	return Connect(tb, s.URL())
}

// Stop ends the server (SIGTERM, then SIGKILL after 10 s) and waits for it.
// Stopping a stopped server does nothing.
func (s *RedisServer) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		_ = s.cmd.Process.Kill()
	}
	select {
	case <-s.exited:
	case <-time.After(stopTimeout):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// Restart stops the server and starts a new, empty one on the same port,
// as after a crash of a Redis without persistence.
func (s *RedisServer) Restart() {
	s.tb.Helper()
	s.Stop()
	s.start()
}

func (s *RedisServer) start() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	logFile := filepath.Join(s.dir, "redis.log")
	cmd := exec.Command(s.bin,
		"--save", "", "--appendonly", "no",
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1",
		"--dir", s.dir, "--logfile", logFile, "--daemonize", "no")
	if err := cmd.Start(); err != nil {
		s.tb.Fatalf("start redis-server: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	s.cmd, s.exited = cmd, exited

	deadline := time.Now().Add(startTimeout)
	for {
		if pong(s.Addr()) {
			return
		}
		select {
		case <-exited:
			s.cmd = nil
			s.tb.Fatalf("redis-server exited at start:\n%s", tail(logFile))
		default:
		}
		if time.Now().After(deadline) {
			s.tb.Fatalf("redis-server did not answer within %s:\n%s", startTimeout, tail(logFile))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pong reports whether a Redis at addr answers PING.
func pong(addr string) bool {
	conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(500 * time.Millisecond))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// freePort asks the kernel for a port nobody uses. Another process could
// take it before redis-server binds it; on a test machine that is rare, and
// the start then fails loudly.
func freePort(tb testing.TB) int {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("find a free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	if len(data) > 2000 {
		data = data[len(data)-2000:]
	}
	return string(data)
}

// RealRedis returns the address of a real Redis and the key prefix the
// test must use. With REDIS_URL set it is that shared server, the prefix is
// unique to the test, and its keys are deleted at cleanup; otherwise it is a
// fresh redis-server (see StartRedisServer) and cache.DefaultPrefix. Tests
// that stop or restart the server need StartRedisServer itself.
func RealRedis(tb testing.TB) (url, prefix string) {
	tb.Helper()
	url = os.Getenv("REDIS_URL")
	if url == "" {
		return StartRedisServer(tb).URL(), cache.DefaultPrefix
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix = "scolarite-test-" + hex.EncodeToString(b[:]) + ":"
	client := Connect(tb, url)
	tb.Cleanup(func() { deletePrefix(tb, client, prefix) })
	return url, prefix
}

// deletePrefix removes every key under prefix (runs before the client is
// closed: cleanups run last-registered first).
func deletePrefix(tb testing.TB, client redis.UniversalClient, prefix string) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	iter := client.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	for iter.Next(ctx) {
		if err := client.Del(ctx, iter.Val()).Err(); err != nil && !errors.Is(err, redis.Nil) {
			tb.Logf("clean test keys: %v", err)
			return
		}
	}
	if err := iter.Err(); err != nil {
		tb.Logf("clean test keys: %v", err)
	}
}
