package main

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/cli"
	"scolarite/domain"
)

// TestBackgroundRelay: the application relays the outbox while it runs
// when KAFKA_BROKERS is set, and not at all otherwise.
func TestBackgroundRelay(t *testing.T) {
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.SeedTopics(2, "student-events"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	app, err := openApp(ctx, cli.Config{DataDir: t.TempDir(), Database: "scolarite", Region: domain.DefaultRegion})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if stop := backgroundRelay(ctx, app, func(string) string { return "" }); stop == nil {
		t.Fatal("no stop function")
	} else {
		stop()
	}
	env := map[string]string{"KAFKA_BROKERS": c.ListenAddrs()[0]}
	stop := backgroundRelay(ctx, app, func(k string) string { return env[k] })
	st, err := app.Students.Create(ctx, domain.SystemActor("test"), domain.StudentInput{LastName: "Diop", FirstName: "Awa",
		Phone: "77 123 45 67", Class: "L1", Major: "Droit", BirthDate: "2004-01-02"})
	if err != nil {
		t.Fatal(err)
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...), kgo.ConsumeTopics("student-events"))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var got *kgo.Record
	for got == nil && ctx.Err() == nil {
		cl.PollFetches(ctx).EachRecord(func(r *kgo.Record) { got = r })
	}
	stop()
	if got == nil || string(got.Key) != st.Number {
		t.Fatalf("record %v, want one keyed %s", got, st.Number)
	}
}
