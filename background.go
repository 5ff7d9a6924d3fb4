package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"scolarite/cli"
	"scolarite/ui"
)

// startBackground runs, for the process's lifetime, the work the
// application does besides its screens: the notifier (and the log the
// screens show of it) and the Kafka relay when KAFKA_BROKERS is set. The
// returned stop lets the batches in hand finish; call it before the
// back-ends close. A terminal application and `serve` run it once each,
// whatever the number of screens.
func startBackground(ctx context.Context, app *cli.App) (notifications ui.Notifications, stop func()) {
	stops := []func(){}
	if n, ok := app.Notifier.(*notifier); ok {
		notifications = uiNotifications{svc: n.service}
		stops = append(stops, n.background(ctx, os.Getenv))
	}
	stops = append(stops, backgroundRelay(ctx, app, os.Getenv))
	if app.Trails != nil {
		stops = append(stops, settleEvery(ctx, app.Trails, time.Minute, app.Log))
	}
	return notifications, func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
}

// settleEvery settles abandoned claims every period (a trail whose
// delivery failed on a full disk is delivered once space is back) until
// the returned stop.
func settleEvery(ctx context.Context, t cli.TrailSettler, period time.Duration, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(period)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				settleTrails(ctx, t, log)
			}
		}
	}()
	return func() { cancel(); <-done }
}
