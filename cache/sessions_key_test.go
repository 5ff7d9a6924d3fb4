package cache_test

import (
	"testing"
	"time"
)

// TestSessionsDeleteKey: only the sessions the key opened go; the user's
// password session, another key's and another user's stay, and a dead
// index entry is neither counted nor a failure.
func TestSessionsDeleteKey(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		ctx, s := t.Context(), e.c.Sessions()
		const fp, otherFP = "SHA256:portable", "SHA256:telephone"
		saved := map[string]struct {
			user, key string
		}{
			"k1": {"alice", fp}, "k2": {"alice", fp}, "pw": {"alice", ""}, "other-key": {"alice", otherFP},
			"bob-same-fp": {"bob", fp}, "dead": {"alice", fp},
		}
		for h, v := range saved {
			sess := session(v.user)
			sess.Key = v.key
			if err := s.Save(ctx, h, sess, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.rdb.Del(ctx, e.prefix+"session:dead").Err(); err != nil {
			t.Fatal(err)
		}
		n, err := s.DeleteKey(ctx, "alice", fp)
		if err != nil || n != 2 {
			t.Fatalf("DeleteKey = %d, %v; want 2", n, err)
		}
		wantNotFound(t, s, "k1")
		wantNotFound(t, s, "k2")
		for _, h := range []string{"pw", "other-key", "bob-same-fp"} {
			want := session(saved[h].user)
			want.Key = saved[h].key
			wantSession(t, s, h, want)
		}
		index := e.prefix + "user-sessions:alice"
		for h, want := range map[string]bool{"k1": false, "k2": false, "pw": true, "other-key": true} {
			if in, err := e.rdb.SIsMember(ctx, index, h).Result(); err != nil || in != want {
				t.Errorf("%s in alice's index = %v, %v; want %v", h, in, err, want)
			}
		}
		if n, err := s.DeleteKey(ctx, "alice", fp); err != nil || n != 0 {
			t.Errorf("DeleteKey again = %d, %v; want 0", n, err)
		}
		if n, err := s.DeleteKey(ctx, "nobody", fp); err != nil || n != 0 {
			t.Errorf("DeleteKey of a user without sessions = %d, %v; want 0", n, err)
		}
		if _, err := s.DeleteKey(ctx, "alice", ""); err == nil {
			t.Error("DeleteKey with an empty fingerprint succeeded (it would match every password session)")
		}
	})
}
