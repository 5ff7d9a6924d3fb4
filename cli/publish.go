package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"scolarite/stream"
)

// embeddedKafkaDir is where the embedded broker keeps its log.
func embeddedKafkaDir(cfg *Config) string { return filepath.Join(cfg.DataDir, "kafka") }

func publishCmd(env Env, cfg *Config) *cobra.Command {
	var kf kafkaFlags
	cmd := &cobra.Command{
		Use:   "publish FILE",
		Short: "Publish the students of a CSV or JSON file as student.created events (- reads standard input)",
		Long: "Publishes each student of FILE to the Kafka topic as a student.created event keyed by its matricule\n" +
			"(the school's \"simulate events\" step). FILE is the JSON of 'students list --json', or a CSV file\n" +
			"whose header names first_name, last_name, major, birth_date (YYYY-MM-DD) or age, and optionally\n" +
			"class and number (, or ; separated). Every row is checked first: one bad row publishes nothing.\n" +
			"With no KAFKA_BROKERS the events go to the embedded broker of the data directory, which\n" +
			"'scolarite analytics' reads.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			kc := kf.config()
			if err := kc.Validate(); err != nil {
				return usagef("%v", err)
			}
			in := io.Reader(env.Stdin)
			if args[0] != "-" {
				f, err := os.Open(args[0])
				if err != nil {
					return opError{err: err}
				}
				defer f.Close()
				in = f
			}
			students, err := stream.ReadStudents(in, time.Now())
			if err != nil {
				return opError{err: err}
			}
			where := kc.Topic + " at " + fmt.Sprint(kc.Brokers)
			if !kc.Configured() {
				emb, err := startEmbeddedKafka(cfg, kc.Topic)
				if err != nil {
					return opError{err: err, backend: true}
				}
				defer emb.Close()
				kc = embeddedConfig(kc, emb)
				where = kc.Topic + " on the embedded broker (" + embeddedKafkaDir(cfg) + ")"
			}
			if err := publishStudents(cmd.Context(), kc, students); err != nil {
				return opError{err: err, backend: true}
			}
			fmt.Fprintf(env.Stdout, "published %d student.created event(s) to %s\n", len(students), where)
			return nil
		},
	}
	kf.register(cmd, env, false)
	return cmd
}

func startEmbeddedKafka(cfg *Config, topic string) (*stream.Embedded, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	return stream.StartEmbedded(embeddedKafkaDir(cfg), topic)
}

// embeddedConfig points kc at the embedded broker (no TLS, no SASL).
func embeddedConfig(kc stream.Config, emb *stream.Embedded) stream.Config {
	return stream.Config{Brokers: emb.Brokers(), Topic: kc.Topic, Group: kc.Group}
}

func publishStudents(ctx context.Context, kc stream.Config, students []stream.FileStudent) error {
	recs, err := stream.Records(kc.Topic, students)
	if err != nil {
		return err
	}
	p, err := stream.NewProducer(kc, "publish")
	if err != nil {
		return err
	}
	defer p.Close()
	return stream.PublishAll(ctx, p, recs)
}
