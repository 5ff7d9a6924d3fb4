package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
	"scolarite/stream/streamtest"
)

// TestCLIAnalyticsSpark: `scolarite analytics --engine spark` on a real
// broker and a real Spark Connect server (SCOLARITE_SPARK_REMOTE), Spark
// reaching the broker by the address --spark-kafka-brokers gives, over
// SPARK_KAFKA_BROKERS (here an address nothing listens on).
func TestCLIAnalyticsSpark(t *testing.T) {
	remote := streamtest.SparkRemote(t)
	c := streamtest.New(t, streamtest.Real)
	topic := c.Topic(t, "cli-spark", 2)
	_, port, ok := strings.Cut(c.Brokers[0], ":")
	if !ok {
		t.Fatalf("broker address %q", c.Brokers[0])
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.Brokers...), kgo.DefaultProduceTopic(topic))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	for _, v := range []string{"Awa,Diop,25,Droit", "Ibou,Sarr,31,Droit", `{"first_name":"Ndèye","last_name":"Fall","age":27,"major":"Gestion"}`, "garbage"} {
		if err := cl.ProduceSync(ctx, &kgo.Record{Value: []byte(v)}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	dir := t.TempDir()
	spark := "localhost:" + port // not the address this process uses
	cmd := exec.CommandContext(ctx, binary, "--data-dir", dir, "analytics", "--engine", "spark", "--json",
		"--out", filepath.Join(dir, "out"), "--spark-kafka-brokers", spark)
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir, "KAFKA_BROKERS="+strings.Join(c.Brokers, ","),
		"KAFKA_TOPIC="+topic, "KAFKA_GROUP="+c.Group("cli-spark"), "KAFKA_TLS=", "KAFKA_TLS_CA=", "KAFKA_TLS_CERT=", "KAFKA_TLS_KEY=",
		"KAFKA_SASL_MECHANISM=", "SPARK_REMOTE="+remote, "SPARK_KAFKA_BROKERS=127.0.0.1:1")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("analytics --engine spark: %v\n%s", err, stderr)
	}
	var r domain.AgeReport
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Read != 4 || r.Rejected != 1 || r.Students != 3 || len(r.Majors) != 2 || r.Majors[0].Major != "Droit" || r.Majors[0].Median != 28 {
		t.Fatalf("report %+v", r)
	}
	log, err := os.ReadFile(filepath.Join(dir, "scolarite.log"))
	if err != nil || !strings.Contains(string(log), "spark_kafka_brokers="+spark) {
		t.Fatalf("the log does not say Spark read Kafka at %s (%v):\n%s", spark, err, log)
	}
}
