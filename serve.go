package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"scolarite/analytics"
	"scolarite/cli"
	"scolarite/serve"
	"scolarite/ui"
)

// runServe is `scolarite serve`: one SSH server for every user, with the
// background work running once for the whole server. It returns when ctx
// ends (SIGTERM, SIGINT) and every screen has closed; the back-ends close
// after it.
func runServe(ctx context.Context, cfg cli.Config, opts cli.ServeOptions, app *cli.App) error {
	// The workers outlive the signal: they stop after the screens did,
	// so that what the last screens wrote is still notified and relayed.
	notifications, stopBackground := startBackground(context.WithoutCancel(ctx), app)
	defer stopBackground()
	stopBackups, err := startDailyBackups(ctx, cfg, opts, app)
	if err != nil {
		return err
	}
	defer stopBackups()
	srv, err := serve.New(serve.Config{
		Listen:        opts.Listen,
		HostKeyPath:   opts.HostKey,
		MaxConns:      opts.MaxConnections,
		MaxPerAddress: opts.MaxPerAddress,
		IdleLogout:    opts.IdleLogout,
		MaxSession:    opts.MaxSession,
	}, serveDeps(cfg, app, notifications, opts.DemoLogins))
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "scolarite: serving on %s (host key %s, ED25519); logs in %s\n", opts.Listen, srv.Fingerprint(), logPath(cfg))
	return srv.ListenAndServe(ctx)
}

// serveDeps are the services every connection's screens call.
func serveDeps(cfg cli.Config, app *cli.App, notifications ui.Notifications, demoLogins []string) serve.Deps {
	return serve.Deps{
		Students:      app.Students,
		Curricula:     app.Curricula,
		Results:       app.Results,
		Auth:          app.Auth,
		Feed:          app.Feed,
		Notifications: notifications,
		Ages:          analytics.Reader{Path: filepath.Join(cfg.DataDir, analytics.DBFile)},
		Imports:       app.Imports,
		Log:           app.Log,
		DemoLogins:    demoLogins,
	}
}
