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
	db     *DB
	topic  string
	dlq    string
	log    *slog.Logger
	parts  map[int32]*partitionState
	majors map[string]string // interned major names
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
	return &Job{db: db, topic: topic, dlq: topic + ".dlq", log: log,
		parts: map[int32]*partitionState{}, majors: map[string]string{}}
}

func (j *Job) intern(s string) string {
	if v, ok := j.majors[s]; ok {
		return v
	}
	j.majors[s] = s
	return s
}

// Assigned loads the partitions' state from the database.
func (j *Job) Assigned(ctx context.Context, topic string, parts []int32) error {
	for _, p := range parts {
		if _, ok := j.parts[p]; ok || topic != j.topic {
			continue
		}
		s, err := j.db.loadPartition(ctx, topic, p, j.intern)
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

// Handle decodes and counts a batch, and returns the function that sends
// its dead letters and stores it.
func (j *Job) Handle(ctx context.Context, b *stream.Batch) (stream.Durable, error) {
	keep := make([]stored, 0, len(b.Records))
	var dead []*kgo.Record
	touched := map[int32]*partitionState{}
	decoded := decodeAll(b.Records)
	for i, r := range b.Records {
		if r.Topic != j.topic {
			continue
		}
		s := j.parts[r.Partition]
		if s == nil { // not announced by the group (cannot happen): load it now
			if err := j.Assigned(ctx, r.Topic, []int32{r.Partition}); err != nil {
				return nil, err
			}
			s = j.parts[r.Partition]
		}
		if r.Offset < s.next {
			continue // stored before a restart whose commit did not happen
		}
		rec, err := decoded[i].rec, decoded[i].err
		if err != nil {
			dead = append(dead, j.deadLetter(r, err))
			s.apply(r, nil, true, j.intern)
		} else {
			s.apply(r, &rec, false, j.intern)
			keep = append(keep, stored{partition: r.Partition, offset: r.Offset, rec: rec})
		}
		touched[r.Partition] = s
	}
	if len(touched) == 0 {
		return nil, nil
	}
	snaps := make([]snapshot, 0, len(touched))
	for part, s := range touched {
		snaps = append(snaps, s.take(part))
	}
	return func(ctx context.Context) error {
		if len(dead) > 0 {
			if err := b.Produce(ctx, dead...); err != nil {
				return fmt.Errorf("send %d messages to %s: %w", len(dead), j.dlq, err)
			}
		}
		return j.db.saveBatch(ctx, j.topic, keep, snaps)
	}, nil
}

type decoded struct {
	rec Record
	err error
}

// decodeAll decodes a batch on every processor: decoding is most of the
// job's own time, and messages are independent.
func decodeAll(recs []*kgo.Record) []decoded {
	out := make([]decoded, len(recs))
	workers := min(runtime.GOMAXPROCS(0), len(recs)/500+1)
	size := (len(recs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(recs); lo += size {
		hi := min(lo+size, len(recs))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				r := recs[i]
				out[i].rec, out[i].err = Decode(r.Key, r.Value, r.Timestamp)
			}
		})
	}
	wg.Wait()
	return out
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
