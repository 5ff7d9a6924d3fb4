package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
)

// RelayLease is the lease that makes one process at a time the relay.
const RelayLease = "relay"

// Producer is the part of a franz-go client the relay uses.
type Producer interface {
	ProduceSync(ctx context.Context, rs ...*kgo.Record) kgo.ProduceResults
}

// Relay publishes the outbox to Kafka. An event is marked published only
// once the broker acknowledged it, so a broker outage delays events and
// never loses one; a crash between the acknowledgement and the mark
// publishes it again (at least once; the analytics job keeps the latest
// state per matricule, so a repeat changes nothing). One process at a
// time relays: the others wait for the lease.
type Relay struct {
	Outbox   domain.Outbox
	Leases   domain.Leases
	Producer Producer
	Topic    string
	Log      *slog.Logger
	// Owner names this process in the lease (default host:pid:random).
	Owner string
	Now   func() time.Time
	// Interval is the pause when the outbox is empty (default 1 s), Batch
	// the events read at once (default 500), LeaseTTL how long the lease
	// lasts without renewal (default 30 s) and Timeout how long one batch
	// may wait for acknowledgements (default DeliveryTimeout, the
	// producer's own bound, or half of LeaseTTL if that is less).
	Interval time.Duration
	Batch    int
	LeaseTTL time.Duration
	Timeout  time.Duration
}

func (r *Relay) defaults() {
	if r.Owner == "" {
		r.Owner = domain.NewLeaseOwner()
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Log == nil {
		r.Log = slog.New(slog.DiscardHandler)
	}
	if r.Topic == "" {
		r.Topic = DefaultTopic
	}
	if r.Interval <= 0 {
		r.Interval = time.Second
	}
	if r.Batch <= 0 {
		r.Batch = 500
	}
	if r.LeaseTTL <= 0 {
		r.LeaseTTL = 30 * time.Second
	}
	if r.Timeout <= 0 || r.Timeout >= r.LeaseTTL {
		r.Timeout = min(DeliveryTimeout, r.LeaseTTL/2)
	}
}

// Run relays until ctx ends, then gives the lease up. Failures are
// logged and retried with a growing pause (up to 30 s).
func (r *Relay) Run(ctx context.Context) error {
	r.defaults()
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := r.Leases.Release(rctx, RelayLease, r.Owner); err != nil {
			r.Log.Warn("kafka relay: release lease", "err", err)
		}
	}()
	pause := r.Interval
	for ctx.Err() == nil {
		// A stop lets the batch in hand finish (published and marked):
		// stopping mid-batch would leave acknowledged events unmarked
		// and the next relay would publish them again.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.LeaseTTL*3/4)
		n, err := r.Step(sctx)
		cancel()
		switch {
		case ctx.Err() != nil:
			return nil
		case err != nil:
			r.Log.Warn("kafka relay: events not published yet; retrying", "err", err, "retry_in", pause)
			pause = min(2*pause, 30*time.Second)
		case n == r.Batch:
			pause = 0 // more are waiting
		default:
			pause = r.Interval
		}
		if pause > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(pause):
			}
		} else {
			pause = r.Interval
		}
	}
	return nil
}

// ErrNotLeader is Step's answer when another process holds the lease.
var ErrNotLeader = errors.New("another process is relaying")

// Step publishes one batch of pending events if this process holds (or
// takes) the lease, and returns how many were published and marked.
func (r *Relay) Step(ctx context.Context) (int, error) {
	r.defaults()
	held, err := r.Leases.Acquire(ctx, RelayLease, r.Owner, r.LeaseTTL)
	if err != nil {
		return 0, fmt.Errorf("take the relay lease: %w", err)
	}
	if !held {
		return 0, nil
	}
	events, err := r.Outbox.Pending(ctx, domain.ConsumerRelay, r.Batch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	ids := make(map[*kgo.Record]string, len(events))
	recs := make([]*kgo.Record, 0, len(events))
	for _, e := range events {
		rec, err := EventRecord(r.Topic, e)
		if err != nil {
			return 0, err
		}
		ids[rec] = e.ID
		recs = append(recs, rec)
	}
	pctx, cancel := context.WithTimeout(ctx, r.Timeout)
	results := r.Producer.ProduceSync(pctx, recs...)
	cancel()
	// franz-go fails every later record of a partition with an earlier
	// one, so what is acknowledged never overtakes what is not.
	var acked []string
	var firstErr error
	for _, res := range results {
		if res.Err != nil {
			if firstErr == nil {
				firstErr = res.Err
			}
			continue
		}
		acked = append(acked, ids[res.Record])
	}
	if len(acked) > 0 {
		if err := r.Outbox.MarkDone(ctx, domain.ConsumerRelay, acked, r.Now()); err != nil {
			return 0, fmt.Errorf("mark %d published events: %w", len(acked), err)
		}
	}
	if firstErr != nil {
		return len(acked), fmt.Errorf("publish to %s: %d of %d events not acknowledged: %w", r.Topic, len(events)-len(acked), len(events), firstErr)
	}
	r.Log.Debug("kafka relay: published", "events", len(acked))
	return len(acked), nil
}

// DeliveryTimeout bounds how long a record may wait for its
// acknowledgement (retries included) before it fails: franz-go keeps
// retrying in-flight records even when ProduceSync's context ends.
const DeliveryTimeout = 10 * time.Second

// NewProducer is an idempotent producer (acks from all in-sync replicas,
// no duplicates or reordering on retries) for cfg.
func NewProducer(cfg Config, role string, extra ...kgo.Opt) (*kgo.Client, error) {
	opts, err := cfg.ClientOpts(role)
	if err != nil {
		return nil, err
	}
	opts = append(opts, kgo.RequiredAcks(kgo.AllISRAcks()), kgo.RecordDeliveryTimeout(DeliveryTimeout),
		kgo.ProducerLinger(5*time.Millisecond))
	cl, err := kgo.NewClient(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("kafka producer: %w", err)
	}
	return cl, nil
}

// PublishAll produces recs and waits until every one is acknowledged.
func PublishAll(ctx context.Context, p Producer, recs []*kgo.Record) error {
	const chunk = 10000
	for len(recs) > 0 {
		n := min(chunk, len(recs))
		if err := p.ProduceSync(ctx, recs[:n]...).FirstErr(); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		recs = recs[n:]
	}
	return nil
}
