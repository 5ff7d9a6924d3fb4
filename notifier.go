package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"scolarite/cli"
	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store"
)

// notifier wires notify to the store for one process: the worker of
// `scolarite notify run` and of the application's background, and the
// notification log the screens show.
type notifier struct {
	repo     notify.Repo
	outbox   domain.Outbox
	service  *notify.Service
	log      *slog.Logger
	dataDir  string
	embedded bool // the embedded demo store (no MONGODB_URI)
}

var _ cli.Notifier = (*notifier)(nil)

func newNotifier(st *store.Store, log *slog.Logger, cfg cli.Config) *notifier {
	repo := st.Notifications()
	return &notifier{repo: repo, outbox: st.Events(), service: notify.NewService(repo), log: log,
		dataDir: cfg.DataDir, embedded: cfg.MongoURI == ""}
}

// worker reads the settings and builds a worker; describe says what it
// does, without secrets.
func (n *notifier) worker(settings func(string) string) (w *notify.Worker, describe string, err error) {
	c, err := notify.LoadConfig(settings, n.dataDir)
	if err != nil {
		return nil, "", fmt.Errorf("notification settings: %w", err)
	}
	senders, err := notify.NewSenders(c)
	if err != nil {
		return nil, "", fmt.Errorf("notification senders: %w", err)
	}
	w, err = notify.NewWorker(notify.Deps{Repo: n.repo, Outbox: n.outbox, Senders: senders, Config: c, Log: n.log})
	if err != nil {
		return nil, "", err
	}
	return w, c.Describe(), nil
}

// Run is `scolarite notify run`: a daemon until ctx ends (SIGINT,
// SIGTERM), or one pass with once.
func (n *notifier) Run(ctx context.Context, settings func(string) string, once bool, status io.Writer) error {
	w, describe, err := n.worker(settings)
	if err != nil {
		return err
	}
	fmt.Fprintf(status, "scolarite: notifications: %s\n", describe)
	n.log.Info("notifier configured", "config", describe, "owner", w.Owner())
	if once {
		return w.Drain(ctx)
	}
	return w.Run(ctx)
}

// Counts is `scolarite notify status`.
func (n *notifier) Counts(ctx context.Context) (map[string]int, error) {
	counts, err := n.service.Counts(ctx, domain.SystemActor("cli"))
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(counts))
	for s, v := range counts {
		out[string(s)] = v
	}
	return out, nil
}

// background runs the worker inside the application when that makes
// sense, and returns a stop that waits for it to finish its batch:
//   - SCOLARITE_NOTIFY=off: never;
//   - a delivery setting given (SMTP_URL, SMS_PROVIDER): yes, with it;
//   - nothing given, on the embedded demo store: yes, into the files
//     under <data-dir>/notifications, so the demo shows what is sent;
//   - nothing given, on a real MongoDB: no. `notify run` is expected to
//     run with the school's settings, and an application started without
//     them must not "deliver" real students' messages into a local file.
func (n *notifier) background(ctx context.Context, getenv func(string) string) (stop func()) {
	switch {
	case strings.EqualFold(getenv("SCOLARITE_NOTIFY"), "off"):
		return func() {}
	case !notify.Configured(getenv) && !n.embedded:
		n.log.Info("notifications not delivered by the application: no SMTP_URL or SMS_PROVIDER; run 'scolarite notify run'")
		return func() {}
	}
	w, describe, err := n.worker(getenv)
	if err != nil {
		n.log.Error("notifications off", "err", err)
		return func() {}
	}
	n.log.Info("notifier running in the application", "config", describe)
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := w.Run(ctx); err != nil {
			n.log.Error("notifier stopped", "err", err)
		}
	})
	return func() {
		cancel()
		// The batch in hand is recorded before the worker returns; a send
		// stuck on a slow server is not worth holding the exit for long:
		// its lease expires and another worker sends it.
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			n.log.Warn("notifier still busy at exit; its batch will be retried after the lease")
		}
	}
}
