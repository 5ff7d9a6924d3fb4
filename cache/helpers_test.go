package cache_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/cache"
	"scolarite/cache/cachetest"
	"scolarite/domain"
)

// env is one Redis server under test and a Cache on it.
type env struct {
	c      *cache.Cache
	rdb    redis.UniversalClient
	url    string
	prefix string
	real   bool
	// advance lets TTLs run for d: FastForward on miniredis, a sleep on a
	// real server (keep d short there).
	advance func(d time.Duration)
}

// other returns a Cache on a new connection to the same server, as another
// running copy of the application would have.
func (e env) other(t testing.TB) *cache.Cache {
	return cache.New(cachetest.Connect(t, e.url), cache.WithPrefix(e.prefix))
}

// pick returns fake on miniredis (whose clock is free to move) and real on
// a real server (where waiting costs real time).
func (e env) pick(fake, real time.Duration) time.Duration {
	if e.real {
		return real
	}
	return fake
}

type backend struct {
	name string
	open func(t testing.TB, opts ...cache.Option) env
}

func backends() []backend {
	return []backend{
		{"miniredis", func(t testing.TB, opts ...cache.Option) env {
			mr, rdb := cachetest.NewMiniredis(t)
			return env{c: cache.New(rdb, opts...), rdb: rdb, url: "redis://" + mr.Addr(),
				prefix: cache.DefaultPrefix, advance: mr.FastForward}
		}},
		{"redis-server", func(t testing.TB, opts ...cache.Option) env {
			url, prefix := cachetest.RealRedis(t)
			rdb := cachetest.Connect(t, url)
			opts = append([]cache.Option{cache.WithPrefix(prefix)}, opts...)
			return env{c: cache.New(rdb, opts...), rdb: rdb, url: url, prefix: prefix,
				real: true, advance: time.Sleep}
		}},
	}
}

// eachBackend runs test on every backend, in parallel so that the real
// server's waits overlap.
func eachBackend(t *testing.T, test func(t *testing.T, e env), opts ...cache.Option) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			test(t, b.open(t, opts...))
		})
	}
}

// roster builds n rows like the school's: accented names, E.164 phones,
// students without grades (nil average) and a few with a 0/20 average.
func roster(n int) []domain.RosterRow {
	rows := make([]domain.RosterRow, n)
	for i := range rows {
		rows[i] = domain.RosterRow{
			ID:         fmt.Sprintf("65f1c0a2b3d4e5f6%08x", i),
			Number:     fmt.Sprintf("2026-%05d", i+1),
			LastName:   []string{"Diallo-Sow", "Ndiaye", "Faye", "Mbengue"}[i%4],
			FirstName:  []string{"Ndèye Fatou", "Mamadou", "Aïssatou", "Ousmane"}[i%4],
			Phone:      fmt.Sprintf("+22177%07d", i),
			Class:      []string{"L1-INFO", "L2-INFO", "L3-INFO", "M1-MATH"}[i%4],
			Major:      []string{"Informatique", "Mathématiques"}[i%2],
			GradeCount: i % 12,
		}
		if i%10 != 0 {
			avg := float64((i-1)%200) / 10 // row 1 has a real 0/20
			rows[i].Average = &avg
		}
	}
	return rows
}

// within fails unless lo < d <= hi.
func within(t *testing.T, what string, d, lo, hi time.Duration) {
	t.Helper()
	if d <= lo || d > hi {
		t.Errorf("%s = %v, want in (%v, %v]", what, d, lo, hi)
	}
}
