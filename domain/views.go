package domain

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// cacheRetryAfter is how long reads skip a cache that just failed, so an
// unreachable Redis costs one timeout, not one per read.
const cacheRetryAfter = time.Second

// viewReader reads views through the cache and falls back to the store when
// the cache is absent or down. It remembers an outage: writes made while the
// cache was down could not bump the generation, so the first read after the
// cache returns bumps it before trusting any stored view.
type viewReader struct {
	views ViewCache // nil: no cache configured
	now   func() time.Time
	log   *slog.Logger

	mu        sync.Mutex
	downUntil time.Time
	needBump  bool
}

// online reports whether the last cache call succeeded.
func (v *viewReader) online() bool {
	if v.views == nil {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	return !v.needBump
}

func (v *viewReader) failed(what string, err error) {
	v.log.Warn("cache unavailable, reading from the store", "op", what, "err", err)
	v.mu.Lock()
	v.downUntil = v.now().Add(cacheRetryAfter)
	v.needBump = true
	v.mu.Unlock()
}

// usable reports whether to try the cache now, bumping the generation first
// if an outage was seen.
func (v *viewReader) usable(ctx context.Context) bool {
	if v.views == nil {
		return false
	}
	v.mu.Lock()
	skip, bump := v.now().Before(v.downUntil), v.needBump
	v.mu.Unlock()
	if skip {
		return false
	}
	if bump {
		if err := v.views.Bump(ctx); err != nil {
			v.failed("bump", err)
			return false
		}
		v.mu.Lock()
		v.needBump = false
		v.mu.Unlock()
		v.log.Info("cache back online")
	}
	return true
}

// read fills dst from the view name, or by load (then caches the result).
// It reports whether the cache answered or was refreshed.
func (v *viewReader) read(ctx context.Context, name string, dst any, load func(ctx context.Context) error) (bool, error) {
	if !v.usable(ctx) {
		return false, load(ctx)
	}
	// Read the generation before loading, so a write that lands during the
	// load bumps past what we store: a stale view is never served after it.
	gen, err := v.views.Generation(ctx)
	if err != nil {
		v.failed("generation", err)
		return false, load(ctx)
	}
	found, err := v.views.Load(ctx, name, gen, dst)
	if err != nil {
		v.failed("load "+name, err)
		return false, load(ctx)
	}
	if found {
		return true, nil
	}
	if err := load(ctx); err != nil {
		return false, err
	}
	if err := v.views.Save(ctx, name, gen, dst); err != nil {
		v.failed("save "+name, err)
		return false, nil
	}
	return true, nil
}

// invalidate bumps the generation after a successful write.
func (v *viewReader) invalidate(ctx context.Context) {
	if v.views == nil {
		return
	}
	if err := v.views.Bump(ctx); err != nil {
		v.failed("bump", err)
	}
}
