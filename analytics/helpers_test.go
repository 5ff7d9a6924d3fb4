package analytics

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
	"scolarite/stream"
	"scolarite/stream/streamtest"
)

const testTopic = "student-events"

// testConfig gives the test a topic of its own on c (4 partitions, and
// its dead-letter topic) and a group of its own.
func testConfig(t testing.TB, c *streamtest.Cluster) stream.Config {
	t.Helper()
	return c.Config(c.Topic(t, testTopic, 4), c.Group("test-analytics"))
}

// produce writes records (topic defaulted) and waits for every ack.
func produce(t testing.TB, cfg stream.Config, recs ...*kgo.Record) {
	t.Helper()
	cl, err := stream.NewProducer(cfg, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for _, r := range recs {
		if r.Topic == "" {
			r.Topic = cfg.Topic
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := stream.PublishAll(ctx, cl, recs); err != nil {
		t.Fatal(err)
	}
}

func rec(key, value string) *kgo.Record {
	r := &kgo.Record{Value: []byte(value)}
	if key != "" {
		r.Key = []byte(key)
	}
	return r
}

// event is one of our messages.
func event(typ, first, last string, age int, major string) string {
	return fmt.Sprintf(`{"type":%q,"time":"2026-11-23T10:00:00Z","first_name":%q,"last_name":%q,"age":%d,"major":%q,"class":"L3-X"}`,
		typ, first, last, age, major)
}

// runOpts is a run that stops quickly once the topic is drained.
func runOpts(t testing.TB, cfg stream.Config, dir string) Options {
	return Options{
		Kafka:   cfg,
		Consume: stream.ConsumeOptions{Idle: 700 * time.Millisecond, SessionTimeout: time.Second},
		DBPath:  filepath.Join(dir, DBFile),
		MinAge:  DefaultMinAge,
	}
}

func mustRun(t testing.TB, o Options) *Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// mixedTopic writes n students' events: in phase 1 their creation, old
// JSON and CSV messages and garbage; in phase 2 an update moving every
// third to another major and the deletion of every tenth: everything the
// job must handle, with the later events needing the earlier ones.
func mixedTopic(t testing.TB, cfg stream.Config, n, phase int) {
	t.Helper()
	majors := []string{"Informatique", "Gestion", "Génie civil"}
	var recs []*kgo.Record
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("2026-%05d", i)
		major := majors[i%3]
		if phase == 2 {
			if i%3 == 0 {
				recs = append(recs, rec(key, event("student.updated", "Prénom", "Nom", 19+i%12, majors[(i+1)%3])))
			}
			if i%10 == 0 {
				recs = append(recs, rec(key, event("student.deleted", "Prénom", "Nom", 19+i%12, majors[(i+1)%3])))
			}
			continue
		}
		recs = append(recs, rec(key, event("student.created", "Prénom", "Nom", 18+i%12, major)))
		switch i % 7 {
		case 0:
			recs = append(recs, rec("", fmt.Sprintf(`{"first_name":"Old","last_name":"Json","age":%d,"major":%q}`, 19+i%9, major)))
		case 1:
			recs = append(recs, rec("", fmt.Sprintf(" Old , Csv , %d , %s ", 20+i%9, major)))
		case 2:
			recs = append(recs, rec("", "garbage"))
		}
	}
	produce(t, cfg, recs...)
}

// totals is what two runs must agree on.
func totals(r *domain.AgeReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "read %d rejected %d filtered %d kept %d students %d\n", r.Read, r.Rejected, r.Filtered, r.Kept, r.Students)
	for _, m := range r.Majors {
		std := 0.0
		if m.Std != nil {
			std = *m.Std
		}
		fmt.Fprintf(&b, "%s %d %.6f %.6f %v %v %v %v %v\n", m.Major, m.Students, m.Mean, std, m.Min, m.Q1, m.Median, m.Q3, m.Max)
	}
	return b.String()
}
