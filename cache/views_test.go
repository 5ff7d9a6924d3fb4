package cache_test

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"scolarite/cache"
	"scolarite/domain"
)

func TestViewsGeneration(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		v := e.c.Views()
		for want := int64(0); want < 3; want++ {
			gen, err := v.Generation(t.Context())
			if err != nil || gen != want {
				t.Fatalf("Generation = %d, %v; want %d", gen, err, want)
			}
			if err := v.Bump(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		// Another copy of the application sees the same generation.
		gen, err := e.other(t).Views().Generation(t.Context())
		if err != nil || gen != 3 {
			t.Errorf("Generation from another client = %d, %v; want 3", gen, err)
		}
	})
}

func TestViewsSaveLoadPerGeneration(t *testing.T) {
	t.Parallel()
	const ttl = 30 * time.Second
	eachBackend(t, func(t *testing.T, e env) {
		ctx, v := t.Context(), e.c.Views()
		rows := roster(25) // row 0 has no average, row 1 has 0/20
		gen, err := v.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Save(ctx, "roster", gen, rows); err != nil {
			t.Fatal(err)
		}

		var got []domain.RosterRow
		found, err := v.Load(ctx, "roster", gen, &got)
		if err != nil || !found {
			t.Fatalf("Load = %v, %v; want found", found, err)
		}
		if !reflect.DeepEqual(got, rows) {
			t.Errorf("loaded roster differs from the saved one")
		}
		if got[1].Average == nil || *got[1].Average != 0 || got[0].Average != nil {
			t.Errorf("averages: row 1 = %v (want 0), row 0 = %v (want none)", got[1].Average, got[0].Average)
		}

		pttl, err := e.rdb.PTTL(ctx, e.prefix+"view:roster:g"+strconv.FormatInt(gen, 10)).Result()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "view TTL", pttl, ttl-5*time.Second, ttl)

		for _, miss := range []struct {
			name string
			gen  int64
		}{{"roster", gen + 1}, {"stats", gen}} {
			var none []domain.RosterRow
			found, err := v.Load(ctx, miss.name, miss.gen, &none)
			if err != nil || found || none != nil {
				t.Errorf("Load(%s, %d) = %v, %v, dst %v; want a miss that leaves dst alone", miss.name, miss.gen, found, err, none)
			}
		}

		// After a write, the view of the old generation is never read.
		if err := v.Bump(ctx); err != nil {
			t.Fatal(err)
		}
		now, err := v.Generation(ctx)
		if err != nil || now == gen {
			t.Fatalf("Generation after Bump = %d, %v; want a new one", now, err)
		}
		var stale []domain.RosterRow
		if found, err := v.Load(ctx, "roster", now, &stale); err != nil || found {
			t.Errorf("Load after Bump = %v, %v; want a miss", found, err)
		}
	}, cache.WithViewTTL(ttl))
}

func TestViewsUndecodableIsAnError(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		if err := e.rdb.Set(t.Context(), e.prefix+"view:roster:g0", "{not json", 0).Err(); err != nil {
			t.Fatal(err)
		}
		var got []domain.RosterRow
		found, err := e.c.Views().Load(t.Context(), "roster", 0, &got)
		if err == nil || found || !strings.Contains(err.Error(), "cache: decode view roster") {
			t.Errorf("Load = %v, %v; want a decode error naming the view", found, err)
		}
	})
}

func TestViewsUnencodableIsAnError(t *testing.T) {
	t.Parallel()
	eachBackend(t, func(t *testing.T, e env) {
		err := e.c.Views().Save(t.Context(), "bad", 0, map[string]any{"f": func() {}})
		if err == nil || !strings.Contains(err.Error(), "cache: encode view bad") {
			t.Errorf("Save = %v; want an encode error naming the view", err)
		}
	})
}
