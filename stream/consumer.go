package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
)

// Handler processes what a group member reads. Calls never overlap.
type Handler interface {
	// Assigned prepares partitions this member now owns, before any of
	// their records are handed over.
	Assigned(ctx context.Context, topic string, partitions []int32) error
	// Revoked forgets partitions this member no longer owns.
	Revoked(topic string, partitions []int32)
	// Handle processes a batch in memory and returns what makes the
	// result durable. That runs while the next batch is read and handled
	// (never two at once, and always before a rebalance or a stop); the
	// batch's offsets are committed only after it returned nil.
	Handle(ctx context.Context, b *Batch) (Durable, error)
}

// Durable stores what Handle computed. It must not touch state that the
// next Handle changes: Handle hands it a copy.
type Durable func(ctx context.Context) error

// Batch is what one poll returned.
type Batch struct {
	Records  []*kgo.Record
	producer *lazyProducer
	ends     map[topicPartition]int64
}

type topicPartition struct {
	topic string
	part  int32
}

// End returns the end offset (high watermark) of a partition of the batch
// as the fetch that read it reported, if it did: the partition's lag
// after the batch is End less the batch's last offset + 1.
func (b *Batch) End(topic string, partition int32) (int64, bool) {
	end, ok := b.ends[topicPartition{topic, partition}]
	return end, ok
}

// Produce writes recs (a dead-letter topic, say) and waits for every
// acknowledgement. It uses a producer of its own: producing through the
// consumer's client stalled while a rebalance waited for the batch.
func (b *Batch) Produce(ctx context.Context, recs ...*kgo.Record) error {
	p, err := b.producer.get()
	if err != nil {
		return err
	}
	return PublishAll(ctx, p, recs)
}

// lazyProducer opens the producer on first use.
type lazyProducer struct {
	cfg  Config
	once sync.Once
	cl   *kgo.Client
	err  error
}

func (l *lazyProducer) get() (*kgo.Client, error) {
	l.once.Do(func() {
		l.cl, l.err = NewProducer(l.cfg, "analytics-dlq", kgo.AllowAutoTopicCreation())
	})
	return l.cl, l.err
}

func (l *lazyProducer) close() {
	if l.cl != nil {
		l.cl.Close()
	}
}

// ConsumeOptions say when a run stops and tune the client.
type ConsumeOptions struct {
	// MaxMessages > 0 stops after that many messages.
	MaxMessages int64
	// Follow runs until ctx ends; otherwise the run stops once it has
	// joined the group, nothing arrived for Idle (default 3 s) and its
	// partitions have no lag (or nothing arrived for 5 × Idle: the end of
	// a partition may be a transaction marker no record follows).
	Follow bool
	Idle   time.Duration
	// BatchSize bounds the records of one poll (default 5000).
	BatchSize int
	// SessionTimeout of the group member (default franz-go's 45 s).
	SessionTimeout time.Duration
	Log            *slog.Logger
	// Checkpoint, if set, runs after new batches once the stream pauses
	// (an empty poll) and at least every CheckpointEvery (default 30 s)
	// while it flows: the job refreshes its report there.
	Checkpoint      func(ctx context.Context) error
	CheckpointEvery time.Duration
	// Extra client options (tests).
	Extra []kgo.Opt
}

// ConsumeResult tells what a run did.
type ConsumeResult struct {
	Read    int64
	Batches int
	// Busy is the time from the start to the last batch committed: the
	// run without its final wait for more messages.
	Busy time.Duration
}

// Consume reads cfg.Topic in consumer group cfg.Group: each poll goes to
// h.Handle, and only when its Durable succeeded are the offsets committed.
// Storing batch n overlaps reading and handling batch n+1. A rebalance
// waits until the batches in hand are stored and committed
// (BlockRebalanceOnPoll), so a partition never changes hands between its
// processing and its commit.
func Consume(ctx context.Context, cfg Config, o ConsumeOptions, h Handler) (ConsumeResult, error) {
	cfg = cfg.withDefaults()
	var res ConsumeResult
	if o.Idle <= 0 {
		o.Idle = DefaultIdle
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 5000
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.CheckpointEvery <= 0 {
		o.CheckpointEvery = 30 * time.Second
	}
	opts, err := cfg.ClientOpts("analytics")
	if err != nil {
		return res, err
	}
	g := &groupState{h: h}
	opts = append(opts,
		kgo.ConsumerGroup(cfg.Group), kgo.ConsumeTopics(cfg.Topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.DisableAutoCommit(), kgo.BlockRebalanceOnPoll(),
		kgo.Balancers(kgo.CooperativeStickyBalancer()),
		kgo.OnPartitionsAssigned(g.assigned), kgo.OnPartitionsRevoked(g.revoked), kgo.OnPartitionsLost(g.revoked),
		kgo.OnPartitionsCallbackBlocked(g.blocked),
		// franz-go's default 1 MiB per partition, not more: the next fetch
		// is requested only once the previous one is polled, so a fetch
		// the size of the topic is decompressed while nothing else runs,
		// where smaller ones overlap the handling of the previous.
		kgo.FetchMaxWait(500*time.Millisecond), kgo.FetchMaxPartitionBytes(1<<20),
	)
	if o.SessionTimeout > 0 {
		opts = append(opts, kgo.SessionTimeout(o.SessionTimeout), kgo.HeartbeatInterval(o.SessionTimeout/3))
	}
	cl, err := kgo.NewClient(append(opts, o.Extra...)...)
	if err != nil {
		return res, fmt.Errorf("kafka consumer: %w", err)
	}
	defer cl.CloseAllowingRebalance()
	producer := &lazyProducer{cfg: cfg}
	defer producer.close()

	start, last, checked := time.Now(), time.Now(), time.Now()
	var checkedLag time.Time
	pending := false // batches since the last checkpoint
	var inflight *storing
	// settle waits for the batch being stored and its commit.
	settle := func() error {
		if inflight == nil {
			return nil
		}
		<-inflight.done
		err := inflight.err
		inflight = nil
		if err == nil {
			res.Busy = time.Since(start)
		}
		return err
	}
	stop := func(err error) (ConsumeResult, error) {
		return res, errors.Join(err, settle())
	}
	for {
		if o.MaxMessages > 0 && res.Read >= o.MaxMessages {
			return stop(nil)
		}
		if !o.Follow && time.Since(last) >= o.Idle && time.Since(checkedLag) >= o.Idle {
			checkedLag = time.Now()
			if err := settle(); err != nil {
				return res, err
			}
			lagless := func() bool { return caughtUp(ctx, cl, cfg, g.owned()) }
			if drained(g.isJoined(), time.Since(last), time.Since(start), o.Idle, lagless) {
				return stop(nil)
			}
		}
		if err := g.failure(); err != nil {
			return stop(err)
		}
		if ctx.Err() != nil {
			return stop(nil)
		}
		// Take everything the client holds (franz-go fetches again only
		// once its buffer is drained, so the next fetch overlaps the
		// work), and handle it in batches of BatchSize.
		limit := 0
		if o.MaxMessages > 0 {
			limit = int(o.MaxMessages - res.Read)
		}
		pctx, cancel := context.WithTimeout(ctx, min(o.Idle, 500*time.Millisecond))
		// While a batch is being stored, the wait for records ends when
		// it is, to commit its offsets then rather than after the wait.
		var stored <-chan struct{}
		if inflight != nil {
			stored = inflight.done
			go func() {
				select {
				case <-stored:
					cancel()
				case <-pctx.Done():
				}
			}()
		}
		fetches := cl.PollRecords(pctx, limit)
		cancel()
		if err := pollError(fetches, o.Log); err != nil {
			return stop(err)
		}
		recs := fetches.Records()
		ends := map[topicPartition]int64{}
		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			if p.HighWatermark > ends[topicPartition{p.Topic, p.Partition}] {
				ends[topicPartition{p.Topic, p.Partition}] = p.HighWatermark
			}
		})
		if len(recs) == 0 && isClosed(stored) && ctx.Err() == nil {
			if err := settle(); err != nil {
				return res, err
			}
			continue // not a pause of the stream: wait again
		}
		for _, batch := range interleave(recs, o.BatchSize) {
			durable, err := g.handle(ctx, &Batch{Records: batch, producer: producer, ends: ends})
			if err != nil {
				return stop(err)
			}
			if err := settle(); err != nil {
				return res, err
			}
			inflight = &storing{done: make(chan struct{})}
			go func(s *storing) {
				// An interrupt must not cut a batch's transaction short:
				// the run reports what it stored.
				sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), storeTimeout)
				defer cancel()
				s.err = store(sctx, cl, durable, batch)
				close(s.done)
			}(inflight)
			res.Read += int64(len(batch))
			res.Batches++
			last = time.Now()
			pending = true
		}
		if len(recs) == 0 || g.rebalanceWaiting() {
			if err := settle(); err != nil {
				return res, err
			}
			g.allowed()
			cl.AllowRebalance()
		}
		// After an interrupt the caller reports once more itself.
		if o.Checkpoint != nil && pending && ctx.Err() == nil && (len(recs) == 0 || time.Since(checked) >= o.CheckpointEvery) {
			if err := settle(); err != nil {
				return res, err
			}
			if err := o.Checkpoint(ctx); err != nil {
				return res, err
			}
			pending, checked = false, time.Now()
		}
	}
}

// drained tells a run that is not following when to stop, nothing having
// arrived for idle: once this member joined the group and its partitions
// have no lag (or nothing came for 5 × idle: a partition may end with a
// transaction marker that no record follows). A member that never joined
// gives up 30 s later; one that joined waits as long as its partitions
// lag, however long the run has been going.
func drained(joined bool, sinceLast, sinceStart, idle time.Duration, lagless func() bool) bool {
	if !joined {
		return sinceStart >= idle+30*time.Second
	}
	return sinceLast >= 5*idle || lagless()
}

// DefaultIdle is how long without a message ends a run that does not
// follow the stream (ConsumeOptions.Idle).
const DefaultIdle = 3 * time.Second

// storeTimeout bounds storing one batch and committing its offsets
// (SQLite waits up to 30 s for a lock; dead letters wait for the brokers).
const storeTimeout = 2 * time.Minute

// storing is a batch being stored: err is set once done is closed.
type storing struct {
	done chan struct{}
	err  error
}

// isClosed reports a closed channel (false for nil).
func isClosed(c <-chan struct{}) bool {
	if c == nil {
		return false
	}
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// interleave cuts recs into batches of about size records taking from
// every partition in turn (a poll returns one partition after another),
// so that a batch's partitions can be handled side by side. Each
// partition's records stay in order, from batch to batch.
func interleave(recs []*kgo.Record, size int) [][]*kgo.Record {
	var order []topicPartition
	queues := map[topicPartition][]*kgo.Record{}
	for i := 0; i < len(recs); {
		// A partition's records come in runs, one per fetch (usually one
		// in all): a queue is a run of recs itself, not a copy.
		k := topicPartition{recs[i].Topic, recs[i].Partition}
		j := i + 1
		for j < len(recs) && recs[j].Partition == k.part && recs[j].Topic == k.topic {
			j++
		}
		q, ok := queues[k]
		if !ok {
			order = append(order, k)
			queues[k] = recs[i:j]
		} else {
			queues[k] = append(q[:len(q):len(q)], recs[i:j]...) // a copy: recs stays as it is
		}
		i = j
	}
	var out [][]*kgo.Record
	for left := len(recs); left > 0; {
		open := 0
		for _, k := range order {
			if len(queues[k]) > 0 {
				open++
			}
		}
		share := max(1, (size+open-1)/open)
		batch := make([]*kgo.Record, 0, min(size, left)+open)
		for _, k := range order {
			q := queues[k]
			n := min(share, len(q))
			batch = append(batch, q[:n]...)
			queues[k] = q[n:]
		}
		left -= len(batch)
		out = append(out, batch)
	}
	return out
}

// store makes a batch durable, then commits its offsets.
func store(ctx context.Context, cl *kgo.Client, durable Durable, recs []*kgo.Record) error {
	if durable != nil {
		if err := durable(ctx); err != nil {
			return err
		}
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := cl.CommitRecords(cctx, recs...); err != nil {
		return fmt.Errorf("commit offsets (the batch is stored; it will be skipped when read again): %w", err)
	}
	return nil
}
