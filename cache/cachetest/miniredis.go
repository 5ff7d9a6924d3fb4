// Package cachetest starts Redis servers for tests: miniredis in-process,
// and a real redis-server from PATH (or the one named by REDIS_URL) for the
// behaviour only a real server shows: restarts, real time, real pub/sub.
package cachetest

import (
	"context"
	"testing"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"scolarite/cache"
)

// NewMiniredis starts a fresh miniredis for one test and returns it with a
// client; both are closed when the test ends. Its clock only moves with
// mr.FastForward, so TTL tests are exact and instant.
func NewMiniredis(tb testing.TB) (*miniredis.Miniredis, redis.UniversalClient) {
	tb.Helper()
	mr := miniredis.NewMiniRedis()
	if err := mr.StartAddr("127.0.0.1:0"); err != nil {
		tb.Fatalf("start miniredis: %v", err)
	}
	tb.Cleanup(mr.Close)
	return mr, Connect(tb, "redis://"+mr.Addr())
}

// Miniredis is NewMiniredis for tests that do not move the clock.
func Miniredis(tb testing.TB) redis.UniversalClient {
	tb.Helper()
	_, client := NewMiniredis(tb)
	return client
}

// Connect opens a client the way the application does (cache.Connect), so
// tests exercise the same timeouts and retries, and closes it at cleanup.
func Connect(tb testing.TB, url string) redis.UniversalClient {
	tb.Helper()
	client, err := cache.Connect(context.Background(), url)
	if err != nil {
		tb.Fatalf("connect to test redis: %v", err)
	}
	tb.Cleanup(func() { _ = client.Close() })
	return client
}
