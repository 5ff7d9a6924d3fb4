// Package cli is the command line of Scolarité: the commands operators and
// scripts use, and the entry to the full-screen application. It calls the
// domain only; main wires the back-ends in through Opener.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"time"

	"github.com/spf13/cobra"

	"scolarite/domain"
)

// Exit statuses.
const (
	ExitOK      = 0
	ExitRefused = 1 // validation, conflict, not found, forbidden, back-end failure
	ExitUsage   = 2
)

// Config is what the global flags and environment select.
type Config struct {
	DataDir  string
	MongoURI string
	RedisURL string
	Database string
	Region   string
	LogFile  string
	Lang     string
	Demo     bool
	// Year is the current academic year (2026-2027).
	Year string
}

// App is the set of services a command works with.
type App struct {
	Students  *domain.StudentService
	Curricula *domain.CurriculumService
	Results   *domain.ResultsService
	Auth      *domain.AuthService
	Feed      domain.ChangeFeed
	Log       *slog.Logger
	Notifier  Notifier // nil: notifications not available
	Backups   Backups  // nil: backups not available
	// Outbox and Leases feed the Kafka relay (nil: not available).
	Outbox domain.Outbox
	Leases domain.Leases
	// Imports journals imports, so that one killed midway is rolled back
	// at the next start (nil: no journal).
	Imports domain.ImportJournal
	// Trails settles the claims of writes whose process died or whose
	// trail could not be delivered (nil: not available); the background
	// work runs it every minute.
	Trails TrailSettler
	// Notices are sentences for the person, said once as the back-ends
	// open (an interrupted import rolled back).
	Notices []string
	Close   func() error
}

// TrailSettler delivers the audit entries and events of writes whose
// process died before it delivered them, and drops those of writes that
// never happened (store.StudentRepo).
type TrailSettler interface {
	SettleAbandoned(ctx context.Context) (delivered, dropped int, err error)
}

// Opener starts or reaches the back-ends for cfg.
type Opener func(ctx context.Context, cfg Config) (*App, error)

// Env is how the commands reach the outside world.
type Env struct {
	Open   Opener
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	// RunUI opens the full-screen application (nil: not available).
	RunUI func(ctx context.Context, cfg Config, app *App) error
	// Serve serves the application over SSH until ctx ends; HostKey loads
	// or creates the host key and returns its fingerprint (nil: not
	// available).
	Serve   func(ctx context.Context, cfg Config, opts ServeOptions, app *App) error
	HostKey func(path string) (fingerprint string, err error)
	// raw is Stdout as given to Run, for binary files: the commands'
	// Stdout and Stderr are safe writers (see safeWriter).
	raw io.Writer
}

func usagef(format string, args ...any) error { return fmt.Errorf(format, args...) }

// Run executes the command line and returns the exit status.
func Run(ctx context.Context, args []string, env Env) int {
	stdout, stderr := newSafeWriter(env.Stdout), newSafeWriter(env.Stderr)
	defer func() {
		_ = stdout.Flush()
		_ = stderr.Flush()
	}()
	env.raw, env.Stdout, env.Stderr = env.Stdout, stdout, stderr
	root := newRoot(env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var op opError
	if !errors.As(err, &op) {
		// Cobra's own errors (unknown command, missing argument) and ours
		// from argument checks are all about how the command was called.
		fmt.Fprintf(env.Stderr, "scolarite: %v\nRun 'scolarite --help' for usage.\n", err)
		return ExitUsage
	}
	if op.backend {
		fmt.Fprintf(env.Stderr, "scolarite: %v\n", op.err)
	} else {
		fmt.Fprintf(env.Stderr, "scolarite: %s\n", domain.ErrorMessage(op.err))
	}
	return ExitRefused
}

// opError is a failure of the operation itself (exit 1), as opposed to a
// mistake in how the command was called (exit 2).
type opError struct {
	err     error
	backend bool // the back-ends could not be reached or started
}

func (e opError) Error() string { return e.err.Error() }
func (e opError) Unwrap() error { return e.err }

func newRoot(env Env) *cobra.Command {
	cfg := &Config{}
	root := &cobra.Command{
		Use:           "scolarite",
		Short:         "Student records of ÉSP 221: students, grades, users, statistics",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if env.RunUI == nil {
				return usagef("the full-screen application is not available in this build; see 'scolarite --help'")
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if cfg.Demo {
					if err := seedIfEmpty(cmd, app, defaultDemoStudents); err != nil {
						return err
					}
				}
				return env.RunUI(cmd.Context(), *cfg, app)
			})
		},
	}
	f := root.PersistentFlags()
	f.StringVar(&cfg.DataDir, "data-dir", envOr(env, "SCOLARITE_DATA_DIR", defaultDataDir(env)), "directory of the embedded servers' data (env SCOLARITE_DATA_DIR)")
	f.StringVar(&cfg.MongoURI, "mongo-uri", env.Getenv("MONGODB_URI"), "MongoDB server to use instead of the embedded one (env MONGODB_URI)")
	f.StringVar(&cfg.RedisURL, "redis-url", env.Getenv("REDIS_URL"), "Redis server to use instead of the embedded one (env REDIS_URL)")
	f.StringVar(&cfg.Database, "database", envOr(env, "SCOLARITE_DATABASE", "scolarite"), "MongoDB database name (env SCOLARITE_DATABASE)")
	f.StringVar(&cfg.Region, "region", envOr(env, "SCOLARITE_PHONE_REGION", domain.DefaultRegion), "region of phone numbers written without a country code (env SCOLARITE_PHONE_REGION)")
	f.StringVar(&cfg.Year, "year", envOr(env, "SCOLARITE_YEAR", DefaultYear(time.Now())), "current academic year, e.g. 2026-2027 (env SCOLARITE_YEAR)")
	f.StringVar(&cfg.LogFile, "log-file", env.Getenv("SCOLARITE_LOG_FILE"), "log file (default <data-dir>/scolarite.log; env SCOLARITE_LOG_FILE)")
	root.Flags().StringVar(&cfg.Lang, "lang", envOr(env, "SCOLARITE_LANG", ""), "language of the application: fr or en (env SCOLARITE_LANG, else LANG; default fr)")
	root.Flags().BoolVar(&cfg.Demo, "demo", false, "fill an empty store with demo data first")
	root.AddCommand(studentsCmd(env, cfg), gradesCmd(env, cfg), usersCmd(env, cfg), statsCmd(env, cfg), seedCmd(env, cfg))
	root.AddCommand(filesCmds(env, cfg)...)
	root.AddCommand(notifyCmd(env, cfg))
	root.AddCommand(publishCmd(env, cfg), analyticsCmd(env, cfg), relayCmd(env, cfg))
	root.AddCommand(serveCmd(env, cfg))
	root.AddCommand(backupCmds(env, cfg)...)
	root.AddCommand(curriculumCmd(env, cfg), evaluationsCmd(env, cfg), semesterCmd(env, cfg))
	root.AddCommand(resultsCmd(env, cfg), juryCmd(env, cfg), rulesCmd(env, cfg))
	root.AddCommand(verifyCmd(env, cfg))
	return root
}

func envOr(env Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

func defaultDataDir(env Env) string {
	if d := env.Getenv("XDG_DATA_HOME"); d != "" {
		return d + "/scolarite"
	}
	if h := env.Getenv("HOME"); h != "" {
		return h + "/.local/share/scolarite"
	}
	return "scolarite-data"
}

// withApp opens the back-ends for one command and closes them after.
func withApp(cmd *cobra.Command, env Env, cfg *Config, run func(*App) error) error {
	app, err := env.Open(cmd.Context(), *cfg)
	if err != nil {
		return opError{err: err, backend: true}
	}
	defer func() {
		if err := app.Close(); err != nil {
			fmt.Fprintf(env.Stderr, "scolarite: closing: %v\n", err)
		}
	}()
	for _, n := range app.Notices {
		fmt.Fprintf(env.Stderr, "scolarite: %s\n", n)
	}
	if err := run(app); err != nil {
		if domain.ErrorCode(err) == domain.EINTERNAL {
			// The message says "see the log file": the details go there.
			app.Log.Error("command failed", "command", cmd.CommandPath(), "err", err)
		}
		return opError{err: err}
	}
	return nil
}

// cliActor is the trusted operator: recorded as cli:<os user>.
func cliActor() domain.Actor {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	} else if v := os.Getenv("USER"); v != "" {
		name = v
	}
	return domain.SystemActor("cli:" + name)
}
