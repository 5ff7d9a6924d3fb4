package cache_test

import (
	"testing"
	"time"

	"scolarite/cache"
)

func locked(t *testing.T, l *cache.Limiter, user string) time.Duration {
	t.Helper()
	left, err := l.Locked(t.Context(), user)
	if err != nil {
		t.Fatalf("Locked(%s): %v", user, err)
	}
	return left
}

func fail(t *testing.T, l *cache.Limiter, user string, lock time.Duration) int {
	t.Helper()
	n, err := l.Fail(t.Context(), user, 5, lock)
	if err != nil {
		t.Fatalf("Fail(%s): %v", user, err)
	}
	return n
}

func TestLimiterLocksAfterFiveFailures(t *testing.T) {
	t.Parallel()
	const lock = 15 * time.Minute
	eachBackend(t, func(t *testing.T, e env) {
		l := e.c.Limiter()
		if left := locked(t, l, "awa.diop"); left != 0 {
			t.Errorf("locked before any failure: %v", left)
		}
		for i := 1; i <= 4; i++ {
			// Spellings differ: one counter per person, not per spelling.
			if n := fail(t, l, []string{"Awa.Diop", "awa.diop", "AWA.DIOP", " awa.diop"}[i-1], lock); n != i {
				t.Errorf("failure %d counted as %d", i, n)
			}
			if left := locked(t, l, "awa.diop"); left != 0 {
				t.Errorf("locked after %d failures: %v", i, left)
			}
		}
		if n := fail(t, l, "awa.diop", lock); n != 5 {
			t.Errorf("fifth failure counted as %d", n)
		}
		within(t, "lock after 5 failures", locked(t, l, "Awa.Diop"), lock-5*time.Second, lock)
		if left := locked(t, l, "someone.else"); left != 0 {
			t.Errorf("another user locked: %v", left)
		}

		if err := l.Reset(t.Context(), "AWA.diop"); err != nil {
			t.Fatal(err)
		}
		if left := locked(t, l, "awa.diop"); left != 0 {
			t.Errorf("locked after Reset: %v", left)
		}
		if n := fail(t, l, "awa.diop", lock); n != 1 {
			t.Errorf("first failure after Reset counted as %d", n)
		}
	})
}

// TestLimiterLockRunsFromTheLastAllowedFailure: the expiry set at the first
// failure is set again, in full, when the count reaches the max; and once
// it has run out, failures are forgotten.
func TestLimiterLockRunsFromTheLastAllowedFailure(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		l := e.c.Limiter()
		lock := e.pick(15*time.Minute, 3*time.Second)
		wait := lock / 2
		fail(t, l, "moussa", lock)
		pttl, err := e.rdb.PTTL(t.Context(), e.prefix+"login-fail:moussa").Result()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "counter TTL after the first failure", pttl, lock-lock/10, lock)

		e.advance(wait)
		for range 4 {
			fail(t, l, "moussa", lock)
		}
		// Without the reset the lock would have at most lock-wait left.
		within(t, "lock", locked(t, l, "moussa"), lock-wait/2, lock)

		e.advance(lock + lock/10)
		if left := locked(t, l, "moussa"); left != 0 {
			t.Errorf("still locked after the lock ran out: %v", left)
		}
		if n := fail(t, l, "moussa", lock); n != 1 {
			t.Errorf("failure after the lock counted as %d, want a fresh start", n)
		}
	})
}

// TestLimiterLocksAtTheMaxItIsGiven: Locked is not told the max, yet one
// Limiter locks each key at the max its failures were counted with (5 per
// account and 20 per origin in the domain), and a crash between counting
// and locking is made good by the next failure.
func TestLimiterLocksAtTheMaxItIsGiven(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		l := e.c.Limiter()
		for _, tc := range []struct {
			key string
			max int
		}{{"u", 3}, {"origin:192.0.2.7", 20}} {
			for i := 1; i <= tc.max; i++ {
				n, err := l.Fail(t.Context(), tc.key, tc.max, time.Minute)
				if err != nil || n != i {
					t.Fatalf("%s: failure %d counted as %d, %v", tc.key, i, n, err)
				}
				if left := locked(t, l, tc.key); (left > 0) != (i == tc.max) {
					t.Errorf("%s: after %d of %d failures, Locked = %v", tc.key, i, tc.max, left)
				}
			}
		}
		// The lock is lost (as if the process died between the two
		// writes): the next failure past the max sets it again.
		if err := e.rdb.Del(t.Context(), e.prefix+"login-lock:u").Err(); err != nil {
			t.Fatal(err)
		}
		if left := locked(t, l, "u"); left != 0 {
			t.Fatalf("locked without a lock key: %v", left)
		}
		if n, err := l.Fail(t.Context(), "u", 3, time.Minute); err != nil || n != 4 {
			t.Fatalf("failure past the max = %d, %v", n, err)
		}
		within(t, "lock set again", locked(t, l, "u"), time.Minute-5*time.Second, time.Minute)
		if _, err := l.Fail(t.Context(), "u", 0, time.Minute); err == nil {
			t.Error("Fail with max 0 succeeded")
		}
		if _, err := l.Fail(t.Context(), "u", 3, 0); err == nil {
			t.Error("Fail with no lock duration succeeded")
		}
	})
}
