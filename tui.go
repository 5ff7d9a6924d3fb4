package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"scolarite/analytics"
	"scolarite/cli"
	"scolarite/ui"
)

// runUI opens the full-screen application on the terminal.
func runUI(ctx context.Context, cfg cli.Config, app *cli.App) error {
	renderer := lipgloss.NewRenderer(os.Stdout)
	if os.Getenv("NO_COLOR") != "" {
		renderer.SetColorProfile(termenv.Ascii)
	}
	jobsCtx, cancelJobs := context.WithCancel(ctx)
	defer cancelJobs()
	common := &ui.Common{
		Ctx:       jobsCtx,
		Students:  app.Students,
		Curricula: app.Curricula,
		Results:   app.Results,
		Auth:      app.Auth,
		Feed:      app.Feed,
		Tokens:    cli.TokenFile{Path: tokenPath(cfg)},
		Log:       app.Log,
		Styles:    ui.NewStyles(renderer),
		T:         ui.NewTranslator(ui.ParseLang(cfg.Lang, os.Getenv("LANG"))),
		Ages:      analytics.Reader{Path: filepath.Join(cfg.DataDir, analytics.DBFile)},
		Recheck:   localRecheck,
		Imports:   app.Imports,
	}
	if cfg.Demo {
		for _, u := range cli.DemoLogins {
			common.DemoLogins = append(common.DemoLogins, u+" / "+cli.DemoPassword(u))
		}
	}
	notifications, stopBackground := startBackground(ctx, app)
	defer stopBackground() // before the back-ends close
	common.Notifications = notifications
	p := tea.NewProgram(ui.New(common), tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx))
	_, err := p.Run()
	// Work still running (the program was signalled: SIGTERM, or the
	// terminal closed) is cancelled and waited for before the back-ends
	// close: a cancelled import must undo what it wrote.
	cancelJobs()
	if !common.WaitJobs(jobsGrace) {
		app.Log.Error("terminal application: background work still running at exit")
	}
	if err != nil && ctx.Err() == nil {
		return fmt.Errorf("terminal application: %w", err)
	}
	return nil
}

// localRecheck is how often the terminal application reads its session
// again, so that an administrator's revocation ends it.
const localRecheck = 5 * time.Second

// jobsGrace is how long the program waits for cancelled background work
// at exit: longer than an import's undo may take (export.undoTimeout).
const jobsGrace = 6 * time.Minute

// tokenPath keeps one saved session per data dir, so two stores (a demo
// and the real one) never mix their sessions.
func tokenPath(cfg cli.Config) string {
	base := cli.DefaultTokenPath(os.Getenv)
	abs, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		abs = cfg.DataDir
	}
	return base + "-" + shortHash(abs+"|"+cfg.MongoURI+"|"+cfg.Database)
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:6])
}
