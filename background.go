package main

import (
	"context"
	"os"

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
	return notifications, func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
}
