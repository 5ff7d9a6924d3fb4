package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"scolarite/analytics"
	"scolarite/cli"
	"scolarite/serve"
)

// runServe is `scolarite serve`: one SSH server for every user, with the
// background work running once for the whole server. It returns when ctx
// ends (SIGTERM, SIGINT) and every screen has closed; the back-ends close
// after it.
func runServe(ctx context.Context, cfg cli.Config, opts cli.ServeOptions, app *cli.App) error {
	notifications, stopBackground := startBackground(ctx, app)
	defer stopBackground()
	srv, err := serve.New(serve.Config{
		Listen:        opts.Listen,
		HostKeyPath:   opts.HostKey,
		MaxConns:      opts.MaxConnections,
		MaxPerAddress: opts.MaxPerAddress,
		IdleLogout:    opts.IdleLogout,
		MaxSession:    opts.MaxSession,
	}, serve.Deps{
		Students:      app.Students,
		Auth:          app.Auth,
		Feed:          app.Feed,
		Notifications: notifications,
		Ages:          analytics.Reader{Path: filepath.Join(cfg.DataDir, analytics.DBFile)},
		Log:           app.Log,
		DemoLogins:    opts.DemoLogins,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stdout, "scolarite: serving on %s (host key %s, ED25519); logs in %s\n", opts.Listen, srv.Fingerprint(), logPath(cfg))
	return srv.ListenAndServe(ctx)
}
