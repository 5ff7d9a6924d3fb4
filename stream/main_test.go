package stream_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
	"scolarite/store/storetest"
	"scolarite/stream"
	"scolarite/stream/streamtest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const topic = stream.DefaultTopic

// newTopic is a plaintext configuration of c with a topic of its own (4
// partitions, and its dead-letter topic).
func newTopic(t *testing.T, c *streamtest.Cluster) stream.Config {
	t.Helper()
	return c.Config(c.Topic(t, topic, 4), "")
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// readAll consumes every record of topic (from the start, no group).
func readAll(t *testing.T, cfg stream.Config, want int) []*kgo.Record {
	t.Helper()
	opts, err := cfg.ClientOpts("test-reader")
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(append(opts, kgo.ConsumeTopics(cfg.Topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var out []*kgo.Record
	deadline := time.Now().Add(20 * time.Second)
	for len(out) < want && time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		f := cl.PollFetches(ctx)
		cancel()
		out = append(out, f.Records()...)
	}
	// Anything more than want would be a duplicate: look a little longer.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	out = append(out, cl.PollFetches(ctx).Records()...)
	cancel()
	return out
}

var studentIDs = []string{"65a000000000000000000001", "65a000000000000000000002", "65a000000000000000000003"}

// appendEvents writes n events for three students to the outbox.
func appendEvents(t *testing.T, out domain.EventLog, n int, at time.Time) []*domain.Event {
	t.Helper()
	var evs []*domain.Event
	for i := range n {
		s := i % 3
		e := &domain.Event{Type: domain.EventStudentCreated, At: at.Add(time.Duration(i) * time.Millisecond), Actor: "test",
			StudentID: studentIDs[s], Student: domain.Snapshot{Number: fmt.Sprintf("2026-%05d", s+1), LastName: "Diop",
				FirstName: "Ndèye", Phone: "+221771234567", Class: "L3-INFO", Major: "Informatique",
				BirthDate: domain.NewDate(2003, time.April, 5)}}
		if i >= 3 {
			e.Type = domain.EventGradeAdded
			e.Grade = &domain.Grade{ID: fmt.Sprint(i), Subject: "Maths", Value: 12.5, Coefficient: 2}
		}
		if err := out.Append(ctxT(t), e); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	return evs
}

func decode(t *testing.T, r *kgo.Record) stream.Message {
	t.Helper()
	var m stream.Message
	if err := json.Unmarshal(r.Value, &m); err != nil {
		t.Fatalf("value %s: %v", r.Value, err)
	}
	return m
}
