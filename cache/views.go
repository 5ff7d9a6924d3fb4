package cache

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"scolarite/domain"
)

// Views caches derived views of student data under a generation number.
//
// Views are encoded as JSON. encoding/gob decodes a 10,000-row roster about
// five times faster, but it silently drops pointers to zero values: a
// student whose average is 0/20 would come back with no average at all.
// JSON keeps it, is readable with redis-cli, and its ~20 ms for the whole
// roster is still far below the ~1 s the embedded store needs (see
// BenchmarkRosterCodec and BenchmarkLoadRoster10k).
type Views struct{ c *Cache }

var _ domain.ViewCache = (*Views)(nil)

func (v *Views) genKey() string { return v.c.key("gen", "students") }

func (v *Views) viewKey(name string, gen int64) string {
	return v.c.key("view", name, "g"+strconv.FormatInt(gen, 10))
}

// Generation returns the current generation of student data; 0 before the
// first write (or after Redis lost its data, when all views are gone too).
func (v *Views) Generation(ctx context.Context) (int64, error) {
	gen, err := v.c.rdb.Get(ctx, v.genKey()).Int64()
	switch {
	case errors.Is(err, redis.Nil):
		return 0, nil
	case err != nil:
		return 0, fmt.Errorf("cache: read generation: %w", err)
	}
	return gen, nil
}

// Bump starts a new generation, so that no view stored before is read again.
func (v *Views) Bump(ctx context.Context) error {
	if err := v.c.rdb.Incr(ctx, v.genKey()).Err(); err != nil {
		return fmt.Errorf("cache: bump generation: %w", err)
	}
	return nil
}

// Load decodes the view name@gen into dst and reports whether it was there.
// A view that does not decode is an error, not a miss: the domain then
// treats the cache as faulty and bumps the generation, which retires it.
func (v *Views) Load(ctx context.Context, name string, gen int64, dst any) (bool, error) {
	data, err := v.c.rdb.Get(ctx, v.viewKey(name, gen)).Bytes()
	switch {
	case errors.Is(err, redis.Nil):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("cache: load view %s: %w", name, err)
	}
	if err := json.Unmarshal(data, dst); err != nil {
		return false, fmt.Errorf("cache: decode view %s: %w", name, err)
	}
	return true, nil
}

// Save stores val as the view name@gen for the view TTL. Saving under a
// generation that a write has already passed is harmless: nobody reads it,
// and it expires.
func (v *Views) Save(ctx context.Context, name string, gen int64, val any) error {
	data, err := json.Marshal(val)
	if err != nil {
		return fmt.Errorf("cache: encode view %s: %w", name, err)
	}
	if err := v.c.rdb.Set(ctx, v.viewKey(name, gen), data, v.c.viewTTL).Err(); err != nil {
		return fmt.Errorf("cache: save view %s: %w", name, err)
	}
	return nil
}
