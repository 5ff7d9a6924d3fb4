package notify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"slices"
	"sync"
	"time"

	"scolarite/domain"
)

// Options tune a worker; zero values take the defaults in brackets.
type Options struct {
	Owner       string        // lease owner [host:pid:random]
	EventBatch  int           // outbox events read at once [200]
	Batch       int           // records claimed at once [100]
	Concurrency int           // goroutines sending a batch [4]
	Poll        time.Duration // pause when there is nothing to do [2s]
	LeaseTTL    time.Duration // a dead worker's records wait this long [2m]
	MaxAttempts int           // attempts before a record ends failed [8]
	BackoffBase time.Duration // wait after the first failure, doubled each time [30s]
	BackoffMax  time.Duration // longest wait between attempts [1h]
	MaxAge      time.Duration // older events are not notified; <0: no limit [7 days]
	// Retention is how long finished records are kept [180 days]; <0
	// keeps them for ever. It is never less than MaxAge: an event is
	// notified at most once only while its records exist.
	Retention time.Duration
}

func (o *Options) defaults() {
	if o.Owner == "" {
		o.Owner = domain.NewLeaseOwner()
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defDur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.EventBatch, 200)
	def(&o.Batch, 100)
	def(&o.Concurrency, 4)
	def(&o.MaxAttempts, 8)
	defDur(&o.Poll, 2*time.Second)
	defDur(&o.LeaseTTL, 2*time.Minute)
	defDur(&o.BackoffBase, 30*time.Second)
	defDur(&o.BackoffMax, time.Hour)
	defDur(&o.MaxAge, 7*24*time.Hour)
	defDur(&o.Retention, 180*24*time.Hour)
	if o.Retention > 0 && (o.MaxAge < 0 || o.Retention < o.MaxAge) {
		o.Retention = -1
	}
}

// backoff is the wait before the next attempt after attempts failures:
// BackoffBase × 2^(attempts-1), at most BackoffMax, less up to a fifth at
// random so that records failed together do not come back together.
func (o *Options) backoff(attempts int) time.Duration {
	d := o.BackoffBase << min(max(attempts-1, 0), 30)
	if d <= 0 || d > o.BackoffMax {
		d = o.BackoffMax
	}
	return d - time.Duration(mathrand.Int64N(int64(d)/5+1))
}

// Deps are what a worker needs.
type Deps struct {
	Repo    Repo
	Outbox  domain.Outbox
	Senders map[Channel]Sender // the channels this worker delivers
	Config  Config             // channels, staff, language, school; secrets to redact
	Log     *slog.Logger
	Now     func() time.Time
	Options Options
}

// Worker creates notification records from the outbox and delivers them.
// Any number of workers may run on one database, in one process or many.
type Worker struct {
	repo    Repo
	outbox  domain.Outbox
	senders map[Channel]Sender
	plan    *planner
	opt     Options
	log     *slog.Logger
	now     func() time.Time
	redact  Redactor
}

// NewWorker checks the dependencies and parses the templates.
func NewWorker(d Deps) (*Worker, error) {
	if d.Repo == nil || d.Outbox == nil {
		return nil, errors.New("notify: a worker needs a Repo and an Outbox")
	}
	tmpl, err := NewTemplates()
	if err != nil {
		return nil, err
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if len(d.Config.Channels) == 0 {
		// Records are created for the configured channels only: with none
		// given, those this worker can send, never none at all (the
		// events would be marked notified with nothing created).
		for _, ch := range Channels {
			if d.Senders[ch] != nil {
				d.Config.Channels = append(d.Config.Channels, ch)
			}
		}
	}
	lang, school := d.Config.Lang, d.Config.School
	if lang == "" {
		lang = French
	}
	if school == "" {
		school = DefaultSchool
	}
	d.Options.defaults()
	return &Worker{
		repo: d.Repo, outbox: d.Outbox, senders: d.Senders, opt: d.Options, log: d.Log, now: d.Now,
		plan:   &planner{tmpl: tmpl, channels: d.Config.Channels, staff: d.Config.Staff, lang: lang, school: school},
		redact: NewRedactor(d.Config.Secrets()...),
	}, nil
}

// Owner is the name this worker's leases carry.
func (w *Worker) Owner() string { return w.opt.Owner }

// Run creates and delivers notifications until ctx ends, then returns nil
// once the batch in hand is recorded. Failures of the database are logged
// and retried after a pause.
func (w *Worker) Run(ctx context.Context) error {
	w.log.Info("notifier started", "owner", w.opt.Owner)
	defer w.log.Info("notifier stopped", "owner", w.opt.Owner)
	var purged time.Time
	for ctx.Err() == nil {
		if w.opt.Retention > 0 && time.Since(purged) > time.Hour {
			purged = time.Now()
			if n, err := w.repo.Purge(ctx, w.now().Add(-w.opt.Retention)); err != nil {
				w.log.Error("purge of old notifications failed", "err", err)
			} else if n > 0 {
				w.log.Info("old notifications purged", "count", n)
			}
		}
		planned, perr := w.Plan(ctx)
		handled, derr := w.Deliver(ctx)
		if ctx.Err() != nil {
			break
		}
		if err := errors.Join(perr, derr); err != nil {
			w.log.Error("notifier pass failed; trying again shortly", "err", w.redact.Error(err))
		}
		if perr == nil && derr == nil && (planned == w.opt.EventBatch || handled > 0) {
			continue // more work is probably waiting
		}
		t := time.NewTimer(w.opt.Poll)
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		t.Stop()
	}
	return nil
}

// Drain plans and delivers until nothing is due now (records waiting for
// a later retry stay pending). For `notify run --once` and tests.
func (w *Worker) Drain(ctx context.Context) error {
	for {
		planned, err := w.Plan(ctx)
		if err != nil {
			return err
		}
		handled, err := w.Deliver(ctx)
		if err != nil {
			return err
		}
		if planned == 0 && handled == 0 {
			return ctx.Err()
		}
	}
}

// Plan reads one batch of outbox events, creates their records and only
// then marks the events notified: a crash in between creates nothing
// twice (the unique index) and loses nothing (the events stay pending).
func (w *Worker) Plan(ctx context.Context) (int, error) {
	events, err := w.outbox.Pending(ctx, domain.ConsumerNotifier, w.opt.EventBatch)
	if err != nil || len(events) == 0 {
		return 0, err
	}
	now := w.now()
	var recs []*Notification
	ids := make([]string, 0, len(events))
	old := 0
	for _, e := range events {
		ids = append(ids, e.ID)
		if w.opt.MaxAge > 0 && now.Sub(e.At) > w.opt.MaxAge {
			old++
			continue
		}
		rs, err := w.plan.records(e, now)
		if err != nil {
			return 0, err
		}
		recs = append(recs, rs...)
	}
	created, err := w.repo.Create(ctx, recs)
	if err != nil {
		return 0, fmt.Errorf("create notifications: %w", err)
	}
	if err := w.outbox.MarkDone(ctx, domain.ConsumerNotifier, ids, now); err != nil {
		return 0, fmt.Errorf("mark events notified: %w", err)
	}
	if created > 0 || old > 0 {
		w.log.Info("notifications created", "events", len(events), "created", created, "too_old", old)
	}
	return len(events), nil
}

// Deliver claims one batch of due records and sends it with at most
// Concurrency goroutines (one more per extra channel), then records each
// outcome. The batch must end well inside the lease: sending stops at
// half the lease, and what was not tried is released for the next pass.
func (w *Worker) Deliver(ctx context.Context) (int, error) {
	channels := make([]Channel, 0, len(w.senders))
	for ch := range w.senders {
		channels = append(channels, ch)
	}
	slices.Sort(channels)
	claimed, err := w.repo.Claim(ctx, Claim{Owner: w.opt.Owner, Channels: channels, Now: w.now(), TTL: w.opt.LeaseTTL, Limit: w.opt.Batch})
	if err != nil || len(claimed) == 0 {
		return 0, err
	}
	sendCtx, cancel := context.WithTimeout(ctx, w.opt.LeaseTTL/2)
	results := w.send(sendCtx, claimed)
	cancel()

	// Outcomes are recorded even when ctx ended: the work is done.
	recCtx, cancelRec := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancelRec()
	done, release := w.outcomes(claimed, results)
	err = w.repo.Finish(recCtx, w.opt.Owner, done)
	if len(release) > 0 {
		err = errors.Join(err, w.repo.Release(recCtx, w.opt.Owner, release))
	}
	return len(done), err
}

// send splits the batch by channel into chunks, one goroutine each.
func (w *Worker) send(ctx context.Context, claimed []*Notification) []error {
	results := make([]error, len(claimed))
	byChannel := map[Channel][]int{}
	for i, n := range claimed {
		byChannel[n.Channel] = append(byChannel[n.Channel], i)
	}
	var wg sync.WaitGroup
	for ch, idx := range byChannel {
		sender := w.senders[ch]
		chunks := max(1, w.opt.Concurrency*len(idx)/len(claimed))
		size := (len(idx) + chunks - 1) / chunks
		for part := range slices.Chunk(idx, size) {
			wg.Go(func() {
				ns := make([]*Notification, len(part))
				for j, i := range part {
					ns[j] = claimed[i]
				}
				errs := sender.Send(ctx, ns)
				for j, i := range part {
					results[i] = errs[j]
				}
			})
		}
	}
	wg.Wait()
	return results
}

// outcomes applies results to the records: sent; failed for good; pending
// again after a back-off; or untouched (not attempted) and released.
func (w *Worker) outcomes(claimed []*Notification, results []error) (done []*Notification, release []string) {
	now := w.now()
	var sent, failed, retry int
	for i, n := range claimed {
		err := results[i]
		if errors.Is(err, errNotAttempted) {
			release = append(release, n.ID)
			continue
		}
		n.Attempts++
		n.UpdatedAt = now
		switch {
		case err == nil:
			n.Status, n.SentAt, n.LastError = Sent, now, ""
			sent++
		case IsPermanent(err) || n.Attempts >= w.opt.MaxAttempts:
			n.Status, n.LastError = Failed, w.redact.Error(err)
			failed++
			w.log.Warn("notification failed", "id", n.ID, "channel", n.Channel, "attempts", n.Attempts, "err", n.LastError)
		default:
			n.Status, n.LastError, n.NextAt = Pending, w.redact.Error(err), now.Add(w.opt.backoff(n.Attempts))
			retry++
			w.log.Info("notification will be retried", "id", n.ID, "channel", n.Channel, "attempts", n.Attempts,
				"next", n.NextAt.Format(time.RFC3339), "err", n.LastError)
		}
		done = append(done, n)
	}
	w.log.Info("notifications delivered", "sent", sent, "failed", failed, "retry", retry, "released", len(release))
	return done, release
}
