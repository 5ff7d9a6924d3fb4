package analytics

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// consumer runs the job in follow mode until stopped.
type consumer struct {
	db     *DB
	cancel context.CancelFunc
	done   chan error
}

func startConsumer(t *testing.T, cfg stream.Config, db *DB) *consumer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &consumer{db: db, cancel: cancel, done: make(chan error, 1)}
	go func() {
		_, err := stream.Consume(ctx, cfg, stream.ConsumeOptions{Follow: true, BatchSize: 200, SessionTimeout: time.Second},
			NewJob(db, cfg, nil))
		c.done <- err
	}()
	t.Cleanup(func() { c.stop(t) })
	return c
}

func (c *consumer) stop(t *testing.T) {
	c.cancel()
	if err := <-c.done; err != nil && !errors.Is(err, context.Canceled) {
		t.Error(err)
	}
	c.done <- nil // later stops return at once
}

func openDB(t *testing.T, path string) *DB {
	t.Helper()
	db, err := OpenDB(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// waitRead waits until the databases together have read n messages and
// returns their merged partial.
func waitRead(t *testing.T, topic string, n int64, dbs ...*DB) *Partial {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		merged := NewPartial()
		for _, db := range dbs {
			p, err := db.Partial(context.Background(), topic)
			if err != nil {
				t.Fatal(err)
			}
			merged.Merge(p)
		}
		if merged.Read >= n {
			if merged.Read > n {
				t.Fatalf("read %d messages of %d: some twice", merged.Read, n)
			}
			return merged
		}
		if time.Now().After(deadline) {
			t.Fatalf("read %d of %d messages", merged.Read, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitMembers waits until the group has n members with partitions.
func waitMembers(t *testing.T, cfg stream.Config, n int) {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(cfg.Brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		groups, err := adm.DescribeGroups(context.Background(), cfg.Group)
		if err == nil {
			g := groups[cfg.Group]
			assigned := 0
			for _, m := range g.Members {
				if a, ok := m.Assigned.AsConsumer(); ok && len(a.Topics) > 0 {
					assigned++
				}
			}
			if g.State == "Stable" && assigned == n {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("group %s never had %d members with partitions", cfg.Group, n)
}

func topicSize(t *testing.T, cfg stream.Config) int64 {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(cfg.Brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ends, err := kadm.NewClient(cl).ListEndOffsets(context.Background(), cfg.Topic)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	ends.Each(func(o kadm.ListedOffset) { n += o.Offset })
	return n
}

// TestTwoConsumersMerge: two members of one group, each with its own
// database (two machines), give merged totals equal to one consumer's;
// and two members sharing a database, the second joining mid-stream so
// partitions change hands, give the same totals too.
func TestTwoConsumersMerge(t *testing.T) { streamtest.Each(t, testTwoConsumersMerge) }

func testTwoConsumersMerge(t *testing.T, k streamtest.Kind) {
	c := streamtest.New(t, k)
	cfg := testConfig(t, c)
	mixedTopic(t, cfg, 2000, 1)
	mixedTopic(t, cfg, 2000, 2)
	n := topicSize(t, cfg)
	dir := t.TempDir()

	single := cfg
	single.Group = c.Group("single")
	one := mustRun(t, Options{Kafka: single, Consume: stream.ConsumeOptions{Idle: 700 * time.Millisecond, SessionTimeout: time.Second},
		DBPath: filepath.Join(dir, "one.db"), MinAge: DefaultMinAge})
	want := totals(one.Report)
	if one.Report.Read != n || one.Report.Rejected == 0 || len(one.Report.Majors) != 3 {
		t.Fatalf("single consumer: %s", want)
	}

	t.Run("separate databases", func(t *testing.T) {
		// A fresh topic, written once both members own partitions.
		cfg := cfg
		cfg.Topic, cfg.Group = c.Topic(t, "machines", 4), c.Group("machines")
		a, b := openDB(t, filepath.Join(dir, "a.db")), openDB(t, filepath.Join(dir, "b.db"))
		startConsumer(t, cfg, a)
		startConsumer(t, cfg, b)
		waitMembers(t, cfg, 2)
		mixedTopic(t, cfg, 2000, 1)
		mixedTopic(t, cfg, 2000, 2)
		merged := waitRead(t, cfg.Topic, n, a, b)
		for _, db := range []*DB{a, b} {
			if p, _ := db.Partial(context.Background(), cfg.Topic); p.Read == 0 {
				t.Fatal("one member read nothing: the test proves nothing")
			}
		}
		if got := totals(Report(merged, DefaultMinAge, cfg.Topic, time.Now())); got != want {
			t.Fatalf("merged:\n%s\nsingle:\n%s", got, want)
		}
	})

	t.Run("shared database, rebalance mid-stream", func(t *testing.T) {
		// The first member reads the creations alone; the second joins,
		// takes partitions over (with their students, from the shared
		// database), and the updates and deletions follow.
		cfg := cfg
		cfg.Topic, cfg.Group = c.Topic(t, "shared", 4), c.Group("shared")
		db := openDB(t, filepath.Join(dir, "shared.db"))
		first := startConsumer(t, cfg, db)
		waitMembers(t, cfg, 1)
		mixedTopic(t, cfg, 2000, 1)
		waitRead(t, cfg.Topic, topicSize(t, cfg), db)
		second := startConsumer(t, cfg, openDB(t, filepath.Join(dir, "shared.db")))
		waitMembers(t, cfg, 2)
		mixedTopic(t, cfg, 2000, 2)
		merged := waitRead(t, cfg.Topic, n, db)
		first.stop(t)
		second.stop(t)
		if got := totals(Report(merged, DefaultMinAge, cfg.Topic, time.Now())); got != want {
			t.Fatalf("shared:\n%s\nsingle:\n%s", got, want)
		}
	})
}
