package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
)

// caughtUp reports whether the group's committed offsets of the
// partitions this member owns reached their ends.
func caughtUp(ctx context.Context, cl *kgo.Client, cfg Config, owned []int32) bool {
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ends, err := adm.ListEndOffsets(ctx, cfg.Topic)
	if err != nil {
		return false
	}
	starts, err := adm.ListStartOffsets(ctx, cfg.Topic)
	if err != nil {
		return false
	}
	committed, err := adm.FetchOffsets(ctx, cfg.Group)
	if err != nil {
		return false
	}
	for _, p := range owned {
		end, ok := ends.Lookup(cfg.Topic, p)
		if !ok {
			return false
		}
		at := int64(0)
		if s, ok := starts.Lookup(cfg.Topic, p); ok {
			at = s.Offset
		}
		if c, ok := committed.Lookup(cfg.Topic, p); ok && c.At >= 0 {
			at = c.At
		}
		if at < end.Offset {
			return false
		}
	}
	return true
}

// pollError returns the first error a poll reports that retrying will not
// cure; our own poll deadline and retriable errors are not failures.
func pollError(f kgo.Fetches, log *slog.Logger) error {
	var out error
	f.EachError(func(topic string, p int32, err error) {
		switch {
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		case errors.Is(err, kgo.ErrClientClosed):
			out = err
		case kerr.IsRetriable(err):
			log.Warn("kafka: retrying", "topic", topic, "partition", p, "err", err)
		default:
			var loss *kgo.ErrDataLoss
			if errors.As(err, &loss) {
				log.Warn("kafka: offsets reset by the broker", "err", err)
				return
			}
			if out == nil {
				out = fmt.Errorf("kafka: %s[%d]: %w", topic, p, err)
			}
		}
	})
	return out
}

// groupState serialises the group callbacks with the handler and keeps
// the first failure of a callback for the poll loop.
type groupState struct {
	mu      sync.Mutex
	h       Handler
	joined  bool
	parts   map[int32]bool // owned partitions of the topic
	err     error
	waiting atomic.Bool // a rebalance waits for the batches in hand
}

func (g *groupState) blocked(context.Context, *kgo.Client) { g.waiting.Store(true) }
func (g *groupState) rebalanceWaiting() bool               { return g.waiting.Load() }
func (g *groupState) allowed()                             { g.waiting.Store(false) }

func (g *groupState) assigned(ctx context.Context, _ *kgo.Client, parts map[string][]int32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.joined = true
	if g.parts == nil {
		g.parts = map[int32]bool{}
	}
	for topic, ps := range parts {
		for _, p := range ps {
			g.parts[p] = true
		}
		sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
		if err := g.h.Assigned(ctx, topic, ps); err != nil && g.err == nil {
			g.err = fmt.Errorf("prepare %s partitions %v: %w", topic, ps, err)
		}
	}
}

func (g *groupState) revoked(_ context.Context, _ *kgo.Client, parts map[string][]int32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for topic, ps := range parts {
		for _, p := range ps {
			delete(g.parts, p)
		}
		g.h.Revoked(topic, ps)
	}
}

func (g *groupState) handle(ctx context.Context, b *Batch) (Durable, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.h.Handle(ctx, b)
}

func (g *groupState) owned() []int32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	out := make([]int32, 0, len(g.parts))
	for p := range g.parts {
		out = append(out, p)
	}
	return out
}

func (g *groupState) isJoined() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.joined
}

func (g *groupState) failure() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.err
}
