package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/redis/go-redis/v9"

	"scolarite/cache"
	"scolarite/cli"
	"scolarite/domain"
	"scolarite/export"
	"scolarite/store"
)

// With embedded servers, which move when their owner exits and another
// process takes them over (embedded_follow.go), the MongoDB driver looks
// for a stopped server every half second instead of every 10 s, and an
// operation waits at most 10 s for one instead of 30: a take-over takes
// about a second, and a screen that loads must end soon in data or an
// error.
const (
	embeddedHeartbeat = 500 * time.Millisecond
	embeddedSelection = 10 * time.Second
)

// openApp reaches MongoDB and Redis (embedded ones under the data dir when
// no address is given) and builds the domain services on them.
func openApp(ctx context.Context, cfg cli.Config) (app *cli.App, err error) {
	var closers []func() error
	closeAll := func() error {
		var errs []error
		for i := len(closers) - 1; i >= 0; i-- {
			errs = append(errs, closers[i]())
		}
		return errors.Join(errs...)
	}
	defer func() {
		if err != nil {
			_ = closeAll()
		}
	}()

	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	logger, closeLog, err := openLog(cfg)
	if err != nil {
		return nil, err
	}
	closers = append(closers, closeLog)
	routeLibraryLogs(logger)

	mongoURI, redisURL := cfg.MongoURI, cfg.RedisURL
	mongoOpts := []store.Option{store.WithLogger(logger)}
	var redisDialer func(ctx context.Context, network, addr string) (net.Conn, error) // nil: go-redis's own
	if mongoURI == "" || redisURL == "" {
		emb, err := shareEmbedded(ctx, cfg.DataDir, mongoURI == "", redisURL == "", logger)
		if err != nil {
			return nil, err
		}
		closers = append(closers, emb.Close)
		if mongoURI == "" {
			mongoURI = emb.MongoURI
			mongoOpts = append(mongoOpts, store.WithDialer(emb.route), store.WithServerWatch(embeddedHeartbeat, embeddedSelection),
				store.WithEmbeddedDir(cfg.DataDir))
		}
		if redisURL == "" {
			redisURL = emb.RedisURL
			redisDialer = emb.route.DialContext
		}
	}

	st, err := store.Open(ctx, mongoURI, cfg.Database, mongoOpts...)
	if err != nil {
		return nil, fmt.Errorf("open the MongoDB store: %w", err)
	}
	closers = append(closers, func() error { return st.Close(context.Background()) })

	redisOpts, err := cache.ParseURL(redisURL)
	if err != nil {
		return nil, fmt.Errorf("redis address: %w", err)
	}
	if redisDialer != nil {
		redisOpts.Dialer = redisDialer
	}
	client := redis.NewUniversalClient(redisOpts)
	closers = append(closers, client.Close)
	c := cache.New(client)
	if err := c.Ping(ctx); err != nil {
		// Run without the cache rather than not at all: reads fall back to
		// MongoDB and the client reconnects when Redis comes back.
		logger.Warn("redis unreachable at start; running with the cache offline", "err", err)
	}

	if cfg.Year == "" {
		cfg.Year = cli.DefaultYear(time.Now())
	}
	year, err := domain.ParseYear(cfg.Year)
	if err != nil {
		return nil, fmt.Errorf("--year: %w", err)
	}
	phones := domain.PhoneParser{Region: cfg.Region}
	students := domain.NewStudentService(domain.StudentDeps{
		Repo: st.Students(), Curricula: st.Curricula(),
		Views: c.Views(), Feed: c.Feed(), Phones: phones, Log: logger,
	})
	results := domain.NewResultsService(domain.ResultsDeps{Repo: st.Results(), Curricula: st.Curricula(), Students: students,
		Year: year, Log: logger, Transcripts: st.Transcripts()})
	curricula := domain.NewCurriculumService(domain.CurriculumDeps{Repo: st.Curricula(), Students: st.Students(), Results: results,
		Year: year, Log: logger})
	auth := domain.NewAuthService(domain.AuthDeps{
		Users: st.Users(), Students: st.Students(), Sessions: c.Sessions(), Limiter: c.Limiter(),
		Audit: st.Audit(), Phones: phones, Log: logger, Teaching: curricula,
	})
	// Trails first: an import's roll-back reads the students that the
	// settled writes leave.
	notices := settleTrails(ctx, st.Trails(), logger)
	notices = append(notices, recoverImports(ctx, students, st.Imports(), logger)...)
	return &cli.App{Students: students, Curricula: curricula, Results: results, Auth: auth, Feed: c.Feed(), Log: logger, Notifier: newNotifier(st, logger, cfg),
		Outbox: st.Events(), Leases: st.Leases(), Close: closeAll, Imports: st.Imports(), Trails: st.Trails(),
		Notices: notices,
		Backups: &backups{db: st.Database(), rebuild: st.RebuildRoster, views: c.Views(), feed: c.Feed(), log: logger}}, nil
}

// settleTrails completes, at every start, the writes that a killed process
// made but whose audit entries and events it had not delivered, and says
// so when there were any.
func settleTrails(ctx context.Context, t cli.TrailSettler, log *slog.Logger) []string {
	delivered, dropped, err := t.SettleAbandoned(ctx)
	if delivered+dropped > 0 {
		log.Warn("writes of an interrupted process settled", "delivered", delivered, "dropped", dropped)
	}
	if err != nil {
		log.Error("writes of an interrupted process not settled; tried again later", "err", err)
		return []string{"the audit entries and events of an interrupted write could not be completed yet (see the log file); it is tried again later"}
	}
	if delivered > 0 {
		return []string{fmt.Sprintf("%d write(s) of an interrupted process had their audit entries and events completed", delivered)}
	}
	return nil
}

// recoverImports rolls back the imports a killed process left half
// written, at every start, and returns what it did, in words.
func recoverImports(ctx context.Context, students *domain.StudentService, j domain.ImportJournal, log *slog.Logger) []string {
	done, err := export.RecoverImports(ctx, students, domain.SystemActor("import-recovery"), j, log)
	if err != nil {
		log.Error("interrupted import not rolled back; tried again at the next start", "err", err)
	}
	var notices []string
	for _, r := range done {
		notices = append(notices, r.String())
	}
	if err != nil {
		notices = append(notices, "an interrupted import could not be rolled back yet (see the log file); it is tried again at the next start")
	}
	return notices
}

func logPath(cfg cli.Config) string {
	if cfg.LogFile != "" {
		return cfg.LogFile
	}
	return filepath.Join(cfg.DataDir, "scolarite.log")
}

// routeLibraryLogs sends the libraries' own logs to the log file: go-redis
// prints its pool's dial failures on standard error by default, over the
// screen (the standard logger and slog's default are routed too, for any
// library that uses them). These are process-wide settings of the
// libraries, so main's wiring is the one place that makes them.
func routeLibraryLogs(logger *slog.Logger) {
	redis.SetLogger(redisLog{logger})
	slog.SetDefault(logger)
}

// redisLog is go-redis's logger on slog.
type redisLog struct{ log *slog.Logger }

func (l redisLog) Printf(ctx context.Context, format string, v ...any) {
	l.log.WarnContext(ctx, "redis client: "+fmt.Sprintf(format, v...))
}

// openLog sends logs to a file: the terminal belongs to the screen.
func openLog(cfg cli.Config) (*slog.Logger, func() error, error) {
	f, err := os.OpenFile(logPath(cfg), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, nil, fmt.Errorf("open log file: %w", err)
	}
	return slog.New(slog.NewTextHandler(f, &slog.HandlerOptions{Level: slog.LevelInfo})), f.Close, nil
}
