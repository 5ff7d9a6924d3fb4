package serve

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"scolarite/domain"
)

// Subscriber is where changes come from: the Redis change feed.
type Subscriber interface {
	Subscribe(ctx context.Context) (<-chan domain.Change, error)
}

// hub subscribes once for the whole server and hands every change to each
// connection's screen: one Redis subscription instead of one per user.
type hub struct {
	src Subscriber
	log *slog.Logger

	mu   sync.Mutex
	subs map[chan domain.Change]struct{}
}

// hubBuffer is how many changes a busy screen may have waiting; past it the
// change is dropped for that screen (changes are refresh hints, and the
// screen reloads on the next one).
const hubBuffer = 64

func newHub(src Subscriber, log *slog.Logger) *hub {
	return &hub{src: src, log: log, subs: map[chan domain.Change]struct{}{}}
}

// run relays changes until ctx ends, subscribing again after an outage.
// ready is closed once the first subscription is confirmed (or failed).
func (h *hub) run(ctx context.Context, ready chan<- struct{}) {
	wait := time.Second
	first := true
	for ctx.Err() == nil {
		ch, err := h.src.Subscribe(ctx)
		if first {
			close(ready)
			first = false
		}
		if err != nil {
			h.log.Warn("change feed unavailable; screens refresh when it is back", "err", err, "retry_in", wait)
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, 30*time.Second)
			continue
		}
		wait = time.Second
		for c := range ch {
			h.broadcast(c)
		}
	}
}

func (h *hub) broadcast(c domain.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for out := range h.subs {
		select {
		case out <- c:
		default:
		}
	}
}

// Subscribe is ui.Feed for one connection: changes until ctx ends.
func (h *hub) Subscribe(ctx context.Context) (<-chan domain.Change, error) {
	out := make(chan domain.Change, hubBuffer)
	h.mu.Lock()
	h.subs[out] = struct{}{}
	h.mu.Unlock()
	go func() {
		<-ctx.Done()
		h.mu.Lock()
		delete(h.subs, out)
		close(out)
		h.mu.Unlock()
	}()
	return out, nil
}

func (h *hub) subscribers() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs)
}
