package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/backup"
	"scolarite/cli"
	"scolarite/domain"
	"scolarite/store"
)

// backups implements cli.Backups on the store's database, and starts the
// daily backups of `serve`.
type backups struct {
	db *mongo.Database
	// rebuild writes the roster rows again from the restored students
	// (store.RebuildRoster): a backup reads them at different moments.
	rebuild func(context.Context) error
	views   interface{ Bump(context.Context) error }
	feed    domain.ChangeFeed
	log     *slog.Logger
}

var _ cli.Backups = (*backups)(nil)

func (b *backups) Backup(ctx context.Context, path string) (cli.BackupReport, error) {
	h, err := backup.WriteFile(ctx, b.db, path, backup.Options{})
	if err != nil {
		return cli.BackupReport{}, b.explain("backup", path, err)
	}
	b.log.Info("backup written", "file", path, "quiet", h.Quiet, "passes", h.Passes)
	return report(h), nil
}

func (b *backups) Restore(ctx context.Context, path string) (cli.BackupReport, error) {
	h, err := backup.RestoreFile(ctx, b.db, path, backup.Options{})
	if err != nil {
		return cli.BackupReport{}, b.explain("restore", path, err)
	}
	b.log.Info("backup restored", "file", path, "database", b.db.Name(), "made", h.FinishedAt)
	if err := b.rebuild(ctx); err != nil {
		return cli.BackupReport{}, fmt.Errorf("restore: write the table rows of the restored students: %w", err)
	}
	// Views cached while the store was empty must not be served: with a
	// Redis server of its own (REDIS_URL) they outlive this process.
	if err := b.views.Bump(ctx); err != nil {
		b.log.Warn("restore: could not start a new cache generation; cached views expire by their TTL", "err", err)
	}
	if err := b.feed.Publish(ctx, domain.Change{Type: "store.restored", Actor: "cli"}); err != nil {
		b.log.Warn("restore: change feed", "err", err)
	}
	return report(h), nil
}

// explain turns what people can act on into coded errors (shown as they
// are); anything else is logged and shown as an internal error.
func (b *backups) explain(op, path string, err error) error {
	var pathErr *fs.PathError
	switch {
	case errors.Is(err, backup.ErrNotEmpty):
		return &domain.Error{Code: domain.ECONFLICT, Message: err.Error(), Err: err}
	case errors.Is(err, backup.ErrDamaged):
		return &domain.Error{Code: domain.EINVALID, Message: path + ": " + err.Error() + "; nothing was written", Err: err}
	case errors.As(err, &pathErr):
		return &domain.Error{Code: domain.EINVALID, Message: err.Error(), Err: err}
	}
	b.log.Error(op+" failed", "file", path, "err", err)
	return err
}

func report(h backup.Header) cli.BackupReport {
	r := cli.BackupReport{At: h.FinishedAt, Quiet: h.Quiet}
	for _, c := range h.Collections {
		r.Counts = append(r.Counts, cli.CollectionCount{Name: c.Name, Count: c.Count})
	}
	return r
}

// startDailyBackups runs serve's daily backups under <data-dir>/backups
// until the returned stop is called (nil settings: none).
func startDailyBackups(ctx context.Context, cfg cli.Config, opts cli.ServeOptions, app *cli.App) (stop func(), err error) {
	b, ok := app.Backups.(*backups)
	if !ok || opts.BackupAt == "off" {
		app.Log.Info("daily backups off")
		return func() {}, nil
	}
	at, err := backup.ParseAt(opts.BackupAt)
	if err != nil {
		return nil, err
	}
	d := &backup.Daily{
		Dir: store.BackupsDir(cfg.DataDir), At: at, Keep: opts.BackupKeep,
		Clock: backup.SystemClock{}, Log: app.Log,
		Write: func(ctx context.Context, path string) (backup.Header, error) {
			return backup.WriteFile(ctx, b.db, path, backup.Options{})
		},
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	return func() { cancel(); <-done }, nil
}
