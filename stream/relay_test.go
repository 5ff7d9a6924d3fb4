package stream_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"scolarite/domain"
	"scolarite/store/storetest"
	"scolarite/stream"
	"scolarite/stream/streamtest"
)

func newRelay(t *testing.T, cfg stream.Config, out domain.Outbox, leases domain.Leases, owner string) *stream.Relay {
	t.Helper()
	p, err := stream.NewProducer(cfg, "test-relay", kgo.RecordDeliveryTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return &stream.Relay{Outbox: out, Leases: leases, Producer: p, Topic: cfg.Topic, Owner: owner,
		Interval: 50 * time.Millisecond, Timeout: 2 * time.Second, LeaseTTL: 5 * time.Second}
}

func TestRelayPublishesAndMarks(t *testing.T) { streamtest.Each(t, testRelayPublishesAndMarks) }

func testRelayPublishesAndMarks(t *testing.T, k streamtest.Kind) {
	s := storetest.Open(t)
	cfg := newTopic(t, streamtest.New(t, k))
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	evs := appendEvents(t, s.Events(), 5, at)
	r := newRelay(t, cfg, s.Events(), s.Leases(), "a")
	n, err := r.Step(ctxT(t))
	if err != nil || n != 5 {
		t.Fatalf("step: %d, %v", n, err)
	}
	if pending, _ := s.Events().Pending(ctxT(t), domain.ConsumerRelay, 10); len(pending) != 0 {
		t.Fatalf("%d events still pending", len(pending))
	}
	if pending, _ := s.Events().Pending(ctxT(t), domain.ConsumerNotifier, 10); len(pending) != 5 {
		t.Fatal("the relay marked the notifier's progress")
	}
	recs := readAll(t, cfg, 5)
	if len(recs) != 5 {
		t.Fatalf("%d records on the topic, want 5", len(recs))
	}
	perKey := map[string][]stream.Message{}
	for _, rec := range recs {
		perKey[string(rec.Key)] = append(perKey[string(rec.Key)], decode(t, rec))
	}
	first := perKey["2026-00001"][0]
	want := stream.Message{Type: domain.EventStudentCreated, Time: evs[0].At, FirstName: "Ndèye", LastName: "Diop",
		Age: 23, Major: "Informatique", Class: "L3-INFO"}
	if first != want {
		t.Fatalf("first message %+v, want %+v", first, want)
	}
	grade := perKey["2026-00001"][1]
	if grade.Type != domain.EventGradeAdded || grade.Grade == nil || grade.Grade.Value != 12.5 || grade.Grade.Subject != "Maths" {
		t.Fatalf("grade message %+v", grade)
	}
	var raw map[string]any
	_ = json.Unmarshal(recs[0].Value, &raw)
	for _, k := range []string{"type", "time", "first_name", "last_name", "age", "major", "class"} {
		if _, ok := raw[k]; !ok {
			t.Fatalf("field %s missing from %s", k, recs[0].Value)
		}
	}
	if _, ok := raw["phone"]; ok {
		t.Fatal("the phone number must not leave the school")
	}
}

// TestRelayBrokerOutage: while the broker refuses writes, nothing is
// marked; when it accepts them again, every event is published once.
// kfake only: the outage is kfake's control function answering every
// produce request with an error, which a real broker shared by the tests
// run in parallel cannot be made to do.
func TestRelayBrokerOutage(t *testing.T) {
	s := storetest.Open(t)
	c := streamtest.New(t, streamtest.Fake)
	cfg := newTopic(t, c)
	var mu sync.Mutex
	down := true
	c.Fake.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.Fake.KeepControl()
		mu.Lock()
		defer mu.Unlock()
		if !down {
			return nil, nil, false
		}
		preq := req.(*kmsg.ProduceRequest)
		resp := preq.ResponseKind().(*kmsg.ProduceResponse)
		for _, rt := range preq.Topics {
			st := kmsg.NewProduceResponseTopic()
			st.Topic, st.TopicID = rt.Topic, rt.TopicID
			for _, rp := range rt.Partitions {
				sp := kmsg.NewProduceResponseTopicPartition()
				sp.Partition = rp.Partition
				sp.ErrorCode = kerr.NotEnoughReplicas.Code
				st.Partitions = append(st.Partitions, sp)
			}
			resp.Topics = append(resp.Topics, st)
		}
		return resp, nil, true
	})
	appendEvents(t, s.Events(), 6, time.Now())
	r := newRelay(t, cfg, s.Events(), s.Leases(), "a")
	r.Timeout = 700 * time.Millisecond
	if n, err := r.Step(ctxT(t)); err == nil || n != 0 {
		t.Fatalf("step during the outage: %d published, err %v", n, err)
	}
	if pending, _ := s.Events().Pending(ctxT(t), domain.ConsumerRelay, 10); len(pending) != 6 {
		t.Fatalf("%d pending after the outage, want 6", len(pending))
	}
	mu.Lock()
	down = false
	mu.Unlock()
	ctx, cancel := context.WithCancel(ctxT(t))
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		pending, _ := s.Events().Pending(ctxT(t), domain.ConsumerRelay, 10)
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events never published after the outage", len(pending))
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, cfg, 6); len(got) != 6 {
		t.Fatalf("%d records on the topic, want 6 (none lost, none twice)", len(got))
	}
}

// TestRelayLeaseOneAtATime: relays of several processes (separate
// connections to one database) publish each event once; when the one
// holding the lease stops, another takes over.
func TestRelayLeaseOneAtATime(t *testing.T) { streamtest.Each(t, testRelayLeaseOneAtATime) }

func testRelayLeaseOneAtATime(t *testing.T, k streamtest.Kind) {
	s := storetest.Open(t)
	cfg := newTopic(t, streamtest.New(t, k))
	ctx, cancel := context.WithCancel(ctxT(t))
	defer cancel()
	var wg sync.WaitGroup
	runs := make([]context.CancelFunc, 3)
	for i := range 3 {
		rctx, rcancel := context.WithCancel(ctx)
		runs[i] = rcancel
		r := newRelay(t, cfg, s.Events(), s.Leases(), string(rune('a'+i)))
		wg.Go(func() {
			if err := r.Run(rctx); err != nil && !errors.Is(err, context.Canceled) {
				t.Error(err)
			}
		})
	}
	total := 0
	for round := range 4 {
		appendEvents(t, s.Events(), 30, time.Now())
		total += 30
		if round == 1 {
			// Stop the holder (whoever it is, stopping all but one works
			// too): the survivors must carry on.
			runs[0]()
			runs[1]()
		}
		time.Sleep(300 * time.Millisecond)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		pending, _ := s.Events().Pending(ctxT(t), domain.ConsumerRelay, 200)
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events never published", len(pending))
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	wg.Wait()
	if got := readAll(t, cfg, total); len(got) != total {
		t.Fatalf("%d records on the topic, want %d", len(got), total)
	}
}
