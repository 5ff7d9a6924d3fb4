package stream

import (
	"testing"
	"time"
)

// TestDrained: a long run that joined stops only when its partitions have
// no lag (or after 5 × idle with nothing), never because it is old.
func TestDrained(t *testing.T) {
	const idle = 3 * time.Second
	for _, c := range []struct {
		name                  string
		joined, lagless       bool
		sinceLast, sinceStart time.Duration
		want                  bool
	}{
		{"joined, lag left, long run", true, false, idle, 10 * time.Minute, false},
		{"joined, no lag", true, true, idle, 5 * time.Second, true},
		{"joined, lag left, silent for 5 × idle", true, false, 5 * idle, time.Minute, true},
		{"never joined, early", false, false, idle, 10 * time.Second, false},
		{"never joined, given up", false, false, idle, idle + 30*time.Second, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := drained(c.joined, c.sinceLast, c.sinceStart, idle, func() bool { return c.lagless }); got != c.want {
				t.Fatalf("drained = %v, want %v", got, c.want)
			}
		})
	}
}
