package main

import (
	"context"

	"scolarite/cli"
	"scolarite/stream"
)

// backgroundRelay runs the Kafka relay for the application's lifetime
// when KAFKA_BROKERS is set (one process of all those sharing the store
// relays at a time, the lease decides). The returned function stops it,
// letting the batch in hand finish.
func backgroundRelay(ctx context.Context, app *cli.App, getenv func(string) string) func() {
	kc := stream.ConfigFromEnv(getenv)
	if !kc.Configured() || app.Outbox == nil || app.Leases == nil {
		return func() {}
	}
	if err := kc.Validate(); err != nil {
		app.Log.Warn("kafka relay not started", "err", err)
		return func() {}
	}
	p, err := stream.NewProducer(kc, "relay")
	if err != nil {
		app.Log.Warn("kafka relay not started", "err", err)
		return func() {}
	}
	app.Log.Info("kafka relay started", "config", kc.String())
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := &stream.Relay{Outbox: app.Outbox, Leases: app.Leases, Producer: p, Topic: kc.Topic, Log: app.Log}
		_ = r.Run(ctx) // returns when ctx ends; failures are logged and retried
	}()
	return func() {
		cancel()
		<-done
		p.Close()
	}
}
