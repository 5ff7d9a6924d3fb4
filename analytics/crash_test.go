package analytics

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// crashing wraps the job and fails its first Durable, before or after
// the inner one stored the batch: a crash before or after the SQLite
// commit, in both cases before the offsets are committed.
type crashing struct {
	*Job
	afterStore bool
	crashed    bool
}

var errCrash = errors.New("simulated crash")

func (c *crashing) Handle(ctx context.Context, b *stream.Batch) (stream.Durable, error) {
	durable, err := c.Job.Handle(ctx, b)
	if err != nil || c.crashed {
		return durable, err
	}
	c.crashed = true
	return func(ctx context.Context) error {
		if c.afterStore && durable != nil {
			if err := durable(ctx); err != nil {
				return err
			}
		}
		return errCrash
	}, nil
}

func TestCrashBeforeOffsetCommit(t *testing.T) { streamtest.Each(t, testCrashBeforeOffsetCommit) }

func testCrashBeforeOffsetCommit(t *testing.T, k streamtest.Kind) {
	c := streamtest.New(t, k)
	cfg := testConfig(t, c)
	mixedTopic(t, cfg, 500, 1)
	mixedTopic(t, cfg, 500, 2)
	dir := t.TempDir()
	clean := cfg
	clean.Group = c.Group("clean")
	want := totals(mustRun(t, Options{Kafka: clean, Consume: stream.ConsumeOptions{Idle: 700 * time.Millisecond},
		DBPath: filepath.Join(dir, "clean.db"), MinAge: DefaultMinAge}).Report)

	for _, after := range []bool{false, true} {
		name := map[bool]string{false: "before SQLite commit", true: "after SQLite commit"}[after]
		t.Run(name, func(t *testing.T) {
			cfg := cfg
			base := strings.ReplaceAll(name, " ", "-")
			cfg.Group = c.Group(base)
			path := filepath.Join(dir, base+".db")
			db := openDB(t, path)
			crash := &crashing{Job: NewJob(db, cfg, nil), afterStore: after}
			_, err := stream.Consume(context.Background(), cfg, stream.ConsumeOptions{BatchSize: 300, SessionTimeout: time.Second}, crash)
			if !errors.Is(err, errCrash) {
				t.Fatalf("first run: %v", err)
			}
			p, _ := db.Partial(context.Background(), cfg.Topic)
			if after != (p.Read > 0) {
				t.Fatalf("after the crash the database holds %d messages", p.Read)
			}
			got := totals(mustRun(t, Options{Kafka: cfg, Consume: stream.ConsumeOptions{Idle: 700 * time.Millisecond, SessionTimeout: time.Second},
				DBPath: path, MinAge: DefaultMinAge}).Report)
			if got != want {
				t.Fatalf("after restart:\n%s\nclean run:\n%s", got, want)
			}
		})
	}
}

// TestKillMidStream kills a job process (SIGKILL) while it consumes and
// restarts it: nothing is lost and nothing is counted twice.
func TestKillMidStream(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a process")
	}
	streamtest.Each(t, testKillMidStream)
}

func testKillMidStream(t *testing.T, k streamtest.Kind) {
	c := streamtest.New(t, k)
	cfg := testConfig(t, c)
	mixedTopic(t, cfg, 20000, 1)
	mixedTopic(t, cfg, 20000, 2)
	n := topicSize(t, cfg)
	dir := t.TempDir()
	clean := cfg
	clean.Group = c.Group("clean")
	want := totals(mustRun(t, Options{Kafka: clean, Consume: stream.ConsumeOptions{Idle: time.Second},
		DBPath: filepath.Join(dir, "clean.db"), MinAge: DefaultMinAge}).Report)

	path := filepath.Join(dir, "killed.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillHelper$")
	cmd.Env = append(os.Environ(), "ANALYTICS_KILL_CHILD=1", "ANALYTICS_BROKERS="+strings.Join(cfg.Brokers, ","),
		"ANALYTICS_TOPIC="+cfg.Topic, "ANALYTICS_GROUP="+cfg.Group, "ANALYTICS_DB="+path)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(time.Minute)
	var read int64
	for {
		if dbw, err := OpenDB(context.Background(), path); err == nil {
			if p, err := dbw.Partial(context.Background(), cfg.Topic); err == nil {
				read = p.Read
			}
			dbw.Close()
		}
		if read > n/10 || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if read == 0 || read >= n {
		t.Fatalf("killed after %d of %d messages: not mid-stream", read, n)
	}
	t.Logf("killed after at least %d of %d messages", read, n)
	got := totals(mustRun(t, Options{Kafka: cfg, Consume: stream.ConsumeOptions{Idle: 3 * time.Second, SessionTimeout: time.Second},
		DBPath: path, MinAge: DefaultMinAge}).Report)
	if got != want {
		t.Fatalf("after restart:\n%s\nclean run:\n%s", got, want)
	}
}

// TestKillHelper is the process TestKillMidStream kills.
func TestKillHelper(t *testing.T) {
	if os.Getenv("ANALYTICS_KILL_CHILD") != "1" {
		t.Skip("run by TestKillMidStream")
	}
	cfg := stream.Config{Brokers: strings.Split(os.Getenv("ANALYTICS_BROKERS"), ","),
		Topic: os.Getenv("ANALYTICS_TOPIC"), Group: os.Getenv("ANALYTICS_GROUP")}
	_, err := Run(context.Background(), Options{Kafka: cfg, DBPath: os.Getenv("ANALYTICS_DB"), MinAge: DefaultMinAge,
		Consume: stream.ConsumeOptions{Follow: true, BatchSize: 100, SessionTimeout: time.Second}})
	t.Fatal("the helper should have been killed", err)
}
