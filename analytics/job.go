package analytics

import (
	"context"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"sync"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream"
)

// Dead-letter headers: why the message was refused, and where it was.
const (
	HeaderReason    = "reason"
	HeaderTopic     = "source_topic"
	HeaderPartition = "source_partition"
	HeaderOffset    = "source_offset"
)

// Job is the consumer side of the analytics: a stream.Handler that
// decodes, transforms and counts each batch, sends what it cannot read to
// the dead-letter topic, and stores the records and the partitions'
// partials in one SQLite transaction (after which stream.Consume commits
// the offsets).
type Job struct {
	db    *DB
	topic string
	dlq   string
	log   *slog.Logger
	parts map[int32]*partitionState
	// free holds encoding buffers of stored batches: Handle takes them,
	// the Durable gives them back.
	free chan []byte
}

var _ stream.Handler = (*Job)(nil)

// NewJob is the handler of cfg's topic over db.
func NewJob(db *DB, cfg stream.Config, log *slog.Logger) *Job {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	topic := cfg.Topic
	if topic == "" {
		topic = stream.DefaultTopic
	}
	return &Job{db: db, topic: topic, dlq: cfg.DLQTopic(), log: log,
		parts: map[int32]*partitionState{}, free: make(chan []byte, 16)}
}

// Assigned loads the partitions' state from the database.
func (j *Job) Assigned(ctx context.Context, topic string, parts []int32) error {
	for _, p := range parts {
		if _, ok := j.parts[p]; ok || topic != j.topic {
			continue
		}
		s, err := j.db.loadPartition(ctx, topic, p, newMajors())
		if err != nil {
			return err
		}
		j.parts[p] = s
		j.log.Info("analytics: partition assigned", "topic", topic, "partition", p, "next_offset", s.next, "students", len(s.students))
	}
	return nil
}

// Revoked forgets partitions another member now owns.
func (j *Job) Revoked(topic string, parts []int32) {
	if topic != j.topic {
		return
	}
	for _, p := range parts {
		delete(j.parts, p)
	}
}

// Handle decodes and counts a batch, each partition on its own
// processor (partitions share nothing), and returns the function that
// sends its dead letters and stores it.
func (j *Job) Handle(ctx context.Context, b *stream.Batch) (stream.Durable, error) {
	groups := byPartition(b.Records, j.topic)
	for _, g := range groups {
		if j.parts[g.partition] == nil { // not announced by the group (cannot happen): load it now
			if err := j.Assigned(ctx, j.topic, []int32{g.partition}); err != nil {
				return nil, err
			}
		}
		g.state = j.parts[g.partition]
		g.end, g.hasEnd = b.End(j.topic, g.partition)
	}
	var wg sync.WaitGroup
	work := make(chan *partBatch)
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Go(func() {
			for g := range work {
				j.handlePartition(g)
			}
		})
	}
	for _, g := range groups {
		work <- g
	}
	close(work)
	wg.Wait()

	var runs []*recordRun
	var dead []*kgo.Record
	var snaps []snapshot
	for _, g := range groups {
		runs = append(runs, &g.run)
		dead = append(dead, g.dead...)
		if g.touched {
			snaps = append(snaps, g.snap)
		}
	}
	if len(snaps) == 0 {
		j.recycle(runs)
		return nil, nil
	}
	return func(ctx context.Context) error {
		if len(dead) > 0 {
			if err := b.Produce(ctx, dead...); err != nil {
				return fmt.Errorf("send %d messages to %s: %w", len(dead), j.dlq, err)
			}
		}
		if err := j.db.saveBatch(ctx, j.topic, runs, snaps); err != nil {
			return err
		}
		j.recycle(runs)
		return nil
	}, nil
}

// buffer returns an encoding buffer a stored batch gave back, or nil.
func (j *Job) buffer() []byte {
	select {
	case b := <-j.free:
		return b[:0]
	default:
		return nil
	}
}

// recycle gives the encoding buffers of stored runs back for the next
// batches (they grew to a batch's size; growing new ones costs copies).
func (j *Job) recycle(runs []*recordRun) {
	for _, run := range runs {
		if cap(run.json) == 0 {
			continue
		}
		select {
		case j.free <- run.json:
		default:
		}
		run.json = nil
	}
}

// partBatch is the records of one partition in a batch, and what
// handling them gave.
type partBatch struct {
	partition int32
	records   []*kgo.Record
	state     *partitionState
	run       recordRun
	dead      []*kgo.Record
	snap      snapshot
	touched   bool
	end       int64 // the partition's end offset, if hasEnd
	hasEnd    bool
}

// byPartition groups records of topic by partition, in offset order.
func byPartition(recs []*kgo.Record, topic string) []*partBatch {
	var out []*partBatch
	index := map[int32]*partBatch{}
	for i := 0; i < len(recs); {
		// A partition's records come in runs (one per partition in a
		// batch of stream.Consume): a group is a run of recs itself, not
		// a copy.
		r := recs[i]
		j := i + 1
		for j < len(recs) && recs[j].Partition == r.Partition && recs[j].Topic == r.Topic {
			j++
		}
		run := recs[i:j]
		i = j
		if r.Topic != topic {
			continue
		}
		if g := index[r.Partition]; g != nil {
			g.records = append(g.records[:len(g.records):len(g.records)], run...) // a copy: recs stays as it is
			continue
		}
		g := &partBatch{partition: r.Partition, records: run}
		index[r.Partition] = g
		out = append(out, g)
	}
	return out
}

func (j *Job) handlePartition(g *partBatch) {
	s := g.state
	g.run = recordRun{partition: g.partition, json: j.buffer()}
	keys, handled := len(s.students), 0
	for _, r := range g.records {
		if r.Offset < s.next {
			continue // stored before a restart whose commit did not happen
		}
		rec, err := s.decoder.Decode(r.Key, r.Value, r.Timestamp)
		if err != nil {
			g.dead = append(g.dead, j.deadLetter(r, err))
			s.apply(r, nil, true)
		} else {
			s.apply(r, &rec, false)
			g.run.add(r.Offset, &rec)
		}
		g.touched = true
		handled++
	}
	if g.hasEnd && handled > 0 {
		s.presize(len(s.students)-keys, handled, g.end-s.next)
	}
	g.run.end()
	if g.touched {
		g.snap = s.take(g.partition)
	}
}

func (j *Job) deadLetter(r *kgo.Record, reason error) *kgo.Record {
	headers := append([]kgo.RecordHeader{}, r.Headers...)
	headers = append(headers,
		kgo.RecordHeader{Key: HeaderReason, Value: []byte(reason.Error())},
		kgo.RecordHeader{Key: HeaderTopic, Value: []byte(r.Topic)},
		kgo.RecordHeader{Key: HeaderPartition, Value: []byte(strconv.Itoa(int(r.Partition)))},
		kgo.RecordHeader{Key: HeaderOffset, Value: []byte(strconv.FormatInt(r.Offset, 10))},
	)
	// No Timestamp: franz-go would count the delivery timeout from it.
	return &kgo.Record{Topic: j.dlq, Key: r.Key, Value: r.Value, Headers: headers}
}
