package analytics

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// benchMessages is the topic size of BenchmarkEndToEnd (default one
// million; SCOLARITE_BENCH_MESSAGES changes it).
func benchMessages() int {
	if n, err := strconv.Atoi(os.Getenv("SCOLARITE_BENCH_MESSAGES")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

var benchMajors = []string{"Informatique", "Gestion", "Génie civil", "Mathématiques", "Droit"}

// BenchmarkEndToEnd measures the analytics job on a topic of our events
// (one per student, keyed by matricule) against a bare group consumer of
// the same topic that only counts what it reads, in the same run, and
// reports both rates and their ratio (aim: at least 1/3). Run it with
//
//	go test ./analytics -run '^$' -bench EndToEnd -benchtime 1x
func BenchmarkEndToEnd(b *testing.B) {
	n := benchMessages()
	cfg := testConfig(b, streamtest.New(b, streamtest.Fake))
	start := time.Now()
	fillTopic(b, cfg, n)
	b.Logf("produced %d messages in %s", n, time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bare := bareConsume(b, cfg, fmt.Sprintf("bare-%d", i), n)
		o := runOpts(b, cfg, b.TempDir())
		o.Kafka.Group = fmt.Sprintf("job-%d", i)
		o.Consume.Idle = 500 * time.Millisecond
		res, err := Run(ctx, o)
		if err != nil {
			b.Fatal(err)
		}
		if res.Report.Read != int64(n) {
			b.Fatalf("job read %d of %d", res.Report.Read, n)
		}
		job := float64(n) / res.Consumed.Busy.Seconds()
		b.ReportMetric(bare, "bare-msg/s")
		b.ReportMetric(job, "job-msg/s")
		b.ReportMetric(job/bare, "ratio")
		b.Logf("bare consumer %.0f msg/s, analytics job %.0f msg/s (%s), ratio %.2f", bare, job, res.Consumed.Busy.Round(time.Millisecond), job/bare)
	}
}

func fillTopic(b *testing.B, cfg stream.Config, n int) {
	cl, err := stream.NewProducer(cfg, "bench", kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(1<<16))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	ctx := context.Background()
	errs := make(chan error, 1)
	for i := 0; i < n; i++ {
		major := benchMajors[i%len(benchMajors)]
		v := event("student.created", "Prénom", "Nom", 18+(i*7)%15, major)
		r := &kgo.Record{Topic: cfg.Topic, Key: []byte(fmt.Sprintf("2026-%07d", i)), Value: []byte(v)}
		cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
}

// bareConsume reads n messages in a fresh group, doing nothing with them,
// and returns the rate.
func bareConsume(b *testing.B, cfg stream.Config, group string, n int) float64 {
	opts, err := cfg.ClientOpts("bench")
	if err != nil {
		b.Fatal(err)
	}
	cl, err := kgo.NewClient(append(opts, kgo.ConsumerGroup(group), kgo.ConsumeTopics(cfg.Topic),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.DisableAutoCommit())...)
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	start, read := time.Now(), 0
	for read < n {
		f := cl.PollRecords(ctx, 5000)
		if err := f.Err0(); err != nil {
			b.Fatal(err)
		}
		read += f.NumRecords()
		if err := cl.CommitUncommittedOffsets(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return float64(read) / time.Since(start).Seconds()
}

// BenchmarkDecode is one event through the hand-written JSON scanner.
func BenchmarkDecode(b *testing.B) {
	v := []byte(event("student.created", "Prénom", "Nom", 22, "Informatique"))
	k := []byte("2026-0000001")
	var d Decoder
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := d.Decode(k, v, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInsert encodes and stores records as the job does: a row of
// 1250 records for each of 4 partitions per transaction.
func BenchmarkInsert(b *testing.B) {
	db, err := OpenDB(context.Background(), filepath.Join(b.TempDir(), "a.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	r, _ := Decode([]byte("2026-0000001"), []byte(event("student.created", "Prénom", "Nom", 22, "Informatique")), time.Time{})
	runs := make([]*recordRun, 4)
	for p := range runs {
		runs[p] = &recordRun{partition: int32(p)}
	}
	off := int64(0)
	b.ResetTimer()
	for i := 0; i < b.N; i += 5000 {
		for _, run := range runs {
			run.json = run.json[:0]
			for range 1250 {
				run.add(off, &r)
				off++
			}
			run.end()
		}
		tx, _ := db.db.Begin()
		if err := insertRuns(context.Background(), tx, "t", runs); err != nil {
			b.Fatal(err)
		}
		tx.Commit()
	}
}
