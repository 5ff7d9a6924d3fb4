package cli

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

// TestAnalyticsSparkKafkaBrokers: the brokers Spark reaches come from
// --spark-kafka-brokers, else SPARK_KAFKA_BROKERS, else (none) the ones
// of this process; the flag goes with --engine spark only.
func TestAnalyticsSparkKafkaBrokers(t *testing.T) {
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want []string
	}{
		{"none", nil, []string{"--engine", "spark"}, nil},
		{"env", map[string]string{"SPARK_KAFKA_BROKERS": "kafka:29092, kafka2:29092"}, nil, []string{"kafka:29092", "kafka2:29092"}},
		{"flag", nil, []string{"--spark-kafka-brokers", "kafka:29092"}, []string{"kafka:29092"}},
		{"flag over env", map[string]string{"SPARK_KAFKA_BROKERS": "env:1"}, []string{"--spark-kafka-brokers", "flag:1,flag:2"}, []string{"flag:1", "flag:2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := Env{Getenv: func(k string) string { return tc.env[k] }}
			cmd, a := analyticsCommand(env, &Config{})
			if err := cmd.ParseFlags(tc.args); err != nil {
				t.Fatal(err)
			}
			if got := a.sparkOptions().Bootstrap; !slices.Equal(got, tc.want) {
				t.Fatalf("Spark's brokers %q, want %q", got, tc.want)
			}
		})
	}
	var stderr bytes.Buffer
	env := Env{Stdout: &bytes.Buffer{}, Stderr: &stderr, Stdin: strings.NewReader(""), Getenv: func(string) string { return "" }}
	code := Run(context.Background(), []string{"--data-dir", t.TempDir(), "analytics", "--spark-kafka-brokers", "kafka:29092"}, env)
	if code != ExitUsage || !strings.Contains(stderr.String(), "--engine spark") {
		t.Fatalf("--spark-kafka-brokers without --engine spark: exit %d, %s", code, stderr.String())
	}
}
