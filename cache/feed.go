package cache

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/domain"
)

const (
	// FeedBuffer is how many changes a subscription holds for a reader that
	// is busy. Changes are refresh hints: when the reader is further behind,
	// the oldest are dropped so that the newest (the state to show) arrive.
	FeedBuffer = 256
	// subscribeTimeout bounds the wait for Redis to confirm a subscription.
	subscribeTimeout = 5 * time.Second
)

// Feed announces changes to every running screen over Redis pub/sub.
type Feed struct{ c *Cache }

var _ domain.ChangeFeed = (*Feed)(nil)

func (f *Feed) channel() string { return f.c.key("changes") }

// Publish announces ch. Redis never makes a publisher wait for its
// subscribers, and a subscription here never stops reading, so a slow
// screen cannot slow down a write.
func (f *Feed) Publish(ctx context.Context, ch domain.Change) error {
	data, err := json.Marshal(ch)
	if err != nil {
		return fmt.Errorf("cache: encode change: %w", err)
	}
	if err := f.c.rdb.Publish(ctx, f.channel(), data).Err(); err != nil {
		return fmt.Errorf("cache: publish change: %w", err)
	}
	return nil
}

// Subscribe delivers changes until ctx ends, then closes the channel. It
// returns only once Redis has confirmed the subscription, so every change
// published after it returns is delivered, and an unreachable Redis is
// reported now rather than by silence. Later outages are survived: go-redis
// reconnects and subscribes again by itself (changes published while Redis
// is down are lost; the screens refresh on the next one).
func (f *Feed) Subscribe(ctx context.Context) (<-chan domain.Change, error) {
	ps := f.c.rdb.Subscribe(ctx, f.channel())
	confirmCtx, cancel := context.WithTimeout(ctx, subscribeTimeout)
	defer cancel()
	if _, err := ps.ReceiveTimeout(confirmCtx, subscribeTimeout); err != nil {
		_ = ps.Close()
		return nil, fmt.Errorf("cache: subscribe to changes: %w", err)
	}
	msgs := ps.Channel(redis.WithChannelSize(FeedBuffer))
	out := make(chan domain.Change, FeedBuffer)
	go func() {
		defer close(out)
		defer ps.Close()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-msgs:
				if !ok {
					return
				}
				var ch domain.Change
				if err := json.Unmarshal([]byte(m.Payload), &ch); err != nil {
					// Not something this version can act on (a newer
					// publisher, or a stray message): a refresh hint
					// lost, nothing more.
					continue
				}
				offer(out, ch)
			}
		}
	}()
	return out, nil
}

// offer puts ch in out without ever blocking: when out is full it drops the
// oldest change to make room. Only this goroutine sends on out, so after a
// receive there is room, unless the reader took one first, which also
// leaves room.
func offer(out chan domain.Change, ch domain.Change) {
	for {
		select {
		case out <- ch:
			return
		default:
		}
		select {
		case <-out:
		default:
		}
	}
}
