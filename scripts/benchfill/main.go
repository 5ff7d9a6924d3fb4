// Command benchfill creates a topic of 4 partitions and writes N of our
// events to it, one student each (keyed by matricule), as the analytics
// benchmark does: scripts/bench-engines.sh compares the engines on it.
//
//	go run ./scripts/benchfill -brokers 127.0.0.1:9092 -topic bench -n 1000000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream"
)

func main() {
	brokers := flag.String("brokers", "127.0.0.1:9092", "Kafka brokers")
	topic := flag.String("topic", "bench-engines", "topic to create and fill")
	n := flag.Int("n", 1_000_000, "messages")
	flag.Parse()
	if err := run(context.Background(), stream.SplitList(*brokers), *topic, *n); err != nil {
		log.Fatal(err)
	}
}

var majors = []string{"Informatique", "Gestion", "Génie civil", "Mathématiques", "Droit"}

func run(ctx context.Context, brokers []string, topic string, n int) error {
	cfg := stream.Config{Brokers: brokers, Topic: topic}
	cl, err := stream.NewProducer(cfg, "bench", kgo.ProducerBatchMaxBytes(1<<20), kgo.MaxBufferedRecords(1<<16))
	if err != nil {
		return err
	}
	defer cl.Close()
	for _, t := range []string{topic, topic + ".dlq"} {
		if _, err := kadm.NewClient(cl).CreateTopic(ctx, 4, 1, nil, t); err != nil {
			return fmt.Errorf("create %s: %w", t, err)
		}
	}
	start := time.Now()
	errs := make(chan error, 1)
	for i := 0; i < n; i++ {
		v := fmt.Sprintf(`{"type":"student.created","time":"2026-11-23T10:00:00Z","first_name":"Prénom","last_name":"Nom","age":%d,"major":%q,"class":"L3-X"}`,
			18+(i*7)%15, majors[i%len(majors)])
		cl.Produce(ctx, &kgo.Record{Topic: topic, Key: []byte(fmt.Sprintf("2026-%07d", i)), Value: []byte(v)}, func(_ *kgo.Record, err error) {
			if err != nil {
				select {
				case errs <- err:
				default:
				}
			}
		})
	}
	if err := cl.Flush(ctx); err != nil {
		return err
	}
	select {
	case err := <-errs:
		return err
	default:
	}
	log.Printf("produced %d messages to %s in %s", n, topic, time.Since(start).Round(time.Millisecond))
	return nil
}
