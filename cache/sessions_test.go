package cache_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"scolarite/cache"
	"scolarite/domain"
)

func session(userID string) domain.Session {
	at := time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)
	return domain.Session{UserID: userID, Username: "user-" + userID, Role: domain.RoleTeacher,
		CreatedAt: at, ExpiresAt: at.Add(12 * time.Hour)}
}

func wantNotFound(t *testing.T, s *cache.Sessions, hash string) {
	t.Helper()
	got, err := s.Get(t.Context(), hash)
	if domain.ErrorCode(err) != domain.ENOTFOUND || got != nil {
		t.Errorf("Get(%s) = %v, %v; want ENOTFOUND", hash, got, err)
	}
}

func wantSession(t *testing.T, s *cache.Sessions, hash string, want domain.Session) {
	t.Helper()
	got, err := s.Get(t.Context(), hash)
	if err != nil {
		t.Errorf("Get(%s): %v", hash, err)
		return
	}
	if !reflect.DeepEqual(*got, want) {
		t.Errorf("Get(%s) = %+v, want %+v", hash, *got, want)
	}
}

func TestSessionsSaveGetDelete(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, s := t.Context(), e.c.Sessions()
		wantNotFound(t, s, "h1")
		if err := s.Save(ctx, "h1", session("u1"), time.Hour); err != nil {
			t.Fatal(err)
		}
		wantSession(t, s, "h1", session("u1"))
		// The raw JSON is what the architecture promises (user, role, expiry).
		raw, err := e.rdb.Get(ctx, e.prefix+"session:h1").Result()
		if err != nil || !containsAll(raw, `"user_id":"u1"`, `"role":"teacher"`, `"expires_at":"2026-03-14T21:30:00Z"`) {
			t.Errorf("stored session = %s, %v", raw, err)
		}
		index := e.prefix + "user-sessions:u1"
		if in, err := e.rdb.SIsMember(ctx, index, "h1").Result(); err != nil || !in {
			t.Errorf("h1 in the user's index = %v, %v; want true", in, err)
		}

		if err := s.Delete(ctx, "h1"); err != nil {
			t.Fatal(err)
		}
		wantNotFound(t, s, "h1")
		if in, err := e.rdb.SIsMember(ctx, index, "h1").Result(); err != nil || in {
			t.Errorf("h1 in the user's index after Delete = %v, %v; want false", in, err)
		}
		if err := s.Delete(ctx, "h1"); err != nil {
			t.Errorf("deleting a deleted session: %v", err)
		}
	})
}

func TestSessionsDeleteUser(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, s := t.Context(), e.c.Sessions()
		for _, h := range []string{"a1", "a2", "a3"} {
			if err := s.Save(ctx, h, session("alice"), time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Save(ctx, "b1", session("bob"), time.Hour); err != nil {
			t.Fatal(err)
		}
		// a3 expired on its own: its index entry is dead and not counted.
		if err := e.rdb.Del(ctx, e.prefix+"session:a3").Err(); err != nil {
			t.Fatal(err)
		}

		n, err := s.DeleteUser(ctx, "alice")
		if err != nil || n != 2 {
			t.Errorf("DeleteUser(alice) = %d, %v; want 2", n, err)
		}
		wantNotFound(t, s, "a1")
		wantNotFound(t, s, "a2")
		wantSession(t, s, "b1", session("bob"))
		if n, err := e.rdb.SCard(ctx, e.prefix+"user-sessions:alice").Result(); err != nil || n != 0 {
			t.Errorf("alice's index has %d entries, %v; want 0", n, err)
		}
		for _, user := range []string{"alice", "nobody"} {
			if n, err := s.DeleteUser(ctx, user); err != nil || n != 0 {
				t.Errorf("DeleteUser(%s) again = %d, %v; want 0", user, n, err)
			}
		}
	})
}

// TestSessionsSlidingTTL saves at 0 and at step, then reads at 2×step (past
// the first TTL, before the second) and at 3×step (past both).
func TestSessionsSlidingTTL(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, s := t.Context(), e.c.Sessions()
		ttl := e.pick(12*time.Hour, 2*time.Second)
		step := ttl * 6 / 10
		if err := s.Save(ctx, "h", session("u"), ttl); err != nil {
			t.Fatal(err)
		}
		pttl, err := e.rdb.PTTL(ctx, e.prefix+"session:h").Result()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "session TTL", pttl, ttl-ttl/10, ttl)
		indexTTL, err := e.rdb.PTTL(ctx, e.prefix+"user-sessions:u").Result()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "index TTL", indexTTL, ttl-ttl/10, ttl)

		e.advance(step)
		if err := s.Save(ctx, "h", session("u"), ttl); err != nil {
			t.Fatal(err)
		}
		e.advance(step)
		wantSession(t, s, "h", session("u"))
		e.advance(step)
		wantNotFound(t, s, "h")
	})
}

func TestSessionsIndexOutlivesEverySession(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, s := t.Context(), e.c.Sessions()
		if err := s.Save(ctx, "long", session("u"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if err := s.Save(ctx, "short", session("u"), time.Minute); err != nil {
			t.Fatal(err)
		}
		pttl, err := e.rdb.PTTL(ctx, e.prefix+"user-sessions:u").Result()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "index TTL after a shorter session", pttl, 59*time.Minute, time.Hour)
	})
}

func TestSessionsDefaultTTL(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		if err := e.c.Sessions().Save(t.Context(), "h", session("u"), 0); err != nil {
			t.Fatal(err)
		}
		pttl, err := e.rdb.PTTL(t.Context(), e.prefix+"session:h").Result()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "TTL of a session saved without one", pttl, 2*time.Hour-time.Minute, 2*time.Hour)
	}, cache.WithSessionTTL(2*time.Hour))
}

func TestSessionsPruneDeadIndexEntries(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, s := t.Context(), e.c.Sessions()
		for i := range 20 {
			if err := s.Save(ctx, fmt.Sprintf("h%02d", i), session("u"), time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 10 { // as if they had expired
			if err := e.rdb.Del(ctx, fmt.Sprintf("%ssession:h%02d", e.prefix, i)).Err(); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Save(ctx, "h20", session("u"), time.Hour); err != nil {
			t.Fatal(err)
		}
		if n, err := e.rdb.SCard(ctx, e.prefix+"user-sessions:u").Result(); err != nil || n != 11 {
			t.Errorf("index size after pruning = %d, %v; want 11", n, err)
		}
	})
}

func TestSessionsRejectEmptyHash(t *testing.T) {
	t.Parallel()
	e := backends()[0].open(t)
	if err := e.c.Sessions().Save(t.Context(), "", session("u"), time.Hour); err == nil {
		t.Error("Save with an empty token hash succeeded")
	}
}

func containsAll(s string, subs ...string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}
