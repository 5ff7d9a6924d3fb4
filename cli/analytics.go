package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"scolarite/analytics"
	"scolarite/domain"
	"scolarite/stream"
)

type analyticsFlags struct {
	kafka                    kafkaFlags
	minAge                   int
	maxMessages              int64
	untilIdle, follow, embed bool
	idle                     time.Duration
	out, db                  string
	asJSON                   bool
	engine, sparkRemote      string
	sparkKafka               string
}

func analyticsCmd(env Env, cfg *Config) *cobra.Command {
	cmd, _ := analyticsCommand(env, cfg)
	return cmd
}

// analyticsCommand is analyticsCmd with the flags it fills.
func analyticsCommand(env Env, cfg *Config) (*cobra.Command, *analyticsFlags) {
	var a analyticsFlags
	cmd := &cobra.Command{
		Use:   "analytics [--min-age 20] [--max-messages N | --until-idle | --follow] [--out DIR]",
		Short: "Age statistics per major from the student event stream (Kafka), with a chart and a report",
		Long: "Reads the topic in a consumer group: our events and the old formats (JSON first_name, last_name,\n" +
			"age, major; CSV first_name,last_name,age,major); anything else goes to <topic>.dlq with the reason\n" +
			"in a header. Keeps the students strictly older than --min-age, and reports per major the count,\n" +
			"mean, standard deviation, min, quartiles and max. Stores the records and the table in\n" +
			"<data-dir>/analytics.db (the application's statistics screen shows the latest table) and\n" +
			"writes " + analytics.ChartFile + ", " + analytics.ReportMarkdown + " and " + analytics.ReportPDF + " into --out.\n" +
			"With no KAFKA_BROKERS (or with --embedded) an embedded broker is started in the data\n" +
			"directory, the store's students are published to it, and analysed.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return a.run(cmd, env, cfg) },
	}
	f := cmd.Flags()
	a.kafka.register(cmd, env, true)
	f.IntVar(&a.minAge, "min-age", analytics.DefaultMinAge, "keep students strictly older than this age")
	f.Int64Var(&a.maxMessages, "max-messages", 0, "stop after reading N messages")
	f.BoolVar(&a.untilIdle, "until-idle", false, "stop once no message arrived for --idle (the default)")
	f.BoolVar(&a.follow, "follow", false, "run until interrupted, refreshing the report as messages arrive")
	f.DurationVar(&a.idle, "idle", stream.DefaultIdle, "how long without a message means the stream is drained")
	f.StringVar(&a.out, "out", ".", "directory of the chart and the reports")
	f.StringVar(&a.db, "db", "", "analytics database (default <data-dir>/"+analytics.DBFile+")")
	f.BoolVar(&a.embed, "embedded", false, "use the embedded broker even when KAFKA_BROKERS is set")
	f.BoolVar(&a.asJSON, "json", false, "print the results as JSON")
	f.StringVar(&a.engine, "engine", "go", "where the job runs: go (in this process) or spark (a Spark Connect server)")
	f.StringVar(&a.sparkRemote, "spark-remote", env.Getenv("SPARK_REMOTE"), "Spark Connect server of --engine spark, sc://host:15002 (env SPARK_REMOTE)")
	f.StringVar(&a.sparkKafka, "spark-kafka-brokers", env.Getenv("SPARK_KAFKA_BROKERS"),
		"Kafka brokers host:port,... as the Spark cluster reaches them, when not as this process does (env SPARK_KAFKA_BROKERS; default --brokers)")
	return cmd, &a
}

// sparkOptions are the Spark engine's settings.
func (a *analyticsFlags) sparkOptions() analytics.SparkOptions {
	return analytics.SparkOptions{Remote: a.sparkRemote, Bootstrap: stream.SplitList(a.sparkKafka)}
}

func (a *analyticsFlags) run(cmd *cobra.Command, env Env, cfg *Config) error {
	modes := 0
	for _, on := range []bool{a.maxMessages > 0, a.untilIdle, a.follow} {
		if on {
			modes++
		}
	}
	switch {
	case modes > 1:
		return usagef("--max-messages, --until-idle and --follow exclude each other")
	case a.maxMessages < 0 || a.idle <= 0:
		return usagef("--max-messages and --idle must be positive")
	case a.minAge < 0 || a.minAge > analytics.MaxValidAge:
		return usagef("--min-age must be between 0 and %d", analytics.MaxValidAge)
	case a.engine != "go" && a.engine != analytics.EngineSpark:
		return usagef("--engine is go or spark")
	case a.engine == analytics.EngineSpark && (a.follow || a.maxMessages > 0):
		return usagef("--engine spark reads the topic to its current end: no --follow nor --max-messages")
	case a.engine == analytics.EngineSpark && a.sparkRemote == "":
		return usagef("--engine spark needs --spark-remote sc://host:port (or SPARK_REMOTE)")
	case a.engine != analytics.EngineSpark && cmd.Flags().Changed("spark-kafka-brokers"):
		return usagef("--spark-kafka-brokers goes with --engine spark")
	}
	kc := a.kafka.config()
	if err := kc.Validate(); err != nil {
		return usagef("%v", err)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return opError{err: fmt.Errorf("create data dir: %w", err), backend: true}
	}
	if a.db == "" {
		a.db = filepath.Join(cfg.DataDir, analytics.DBFile)
	}
	log, closeLog := cliLog(cfg)
	defer closeLog()
	o := analytics.Options{Kafka: kc, DBPath: a.db, MinAge: a.minAge, OutDir: a.out, Log: log,
		Consume: stream.ConsumeOptions{MaxMessages: a.maxMessages, Follow: a.follow, Idle: a.idle}}
	ctx := cmd.Context()
	if a.embed || !kc.Configured() {
		emb, err := startEmbeddedKafka(cfg, kc.Topic)
		if err != nil {
			return opError{err: err, backend: true}
		}
		defer emb.Close()
		o.Kafka, o.Embedded = embeddedConfig(kc, emb), true
		if !cmd.Flags().Changed("idle") {
			o.Consume.Idle = time.Second // everything is there already
		}
		if err := withApp(cmd, env, cfg, func(app *App) error {
			n, err := publishStore(ctx, app, o.Kafka, a.db, log)
			o.Published = n
			return err
		}); err != nil {
			return err
		}
	}
	run := analytics.Run
	if a.engine == analytics.EngineSpark {
		run = func(ctx context.Context, o analytics.Options) (*analytics.Result, error) {
			return analytics.RunSpark(ctx, o, a.sparkOptions())
		}
	}
	res, err := run(ctx, o)
	if err != nil {
		return opError{err: err, backend: true}
	}
	if a.asJSON {
		return writeJSON(env.Stdout, res.Report)
	}
	return writeAgeReport(env.Stdout, o, res)
}

// publishStore publishes every student of the store to the embedded
// broker as student.created, and a student.deleted for those the stream
// knows but the store no longer has: the analysis then describes the
// store as it is now, however often it runs.
func publishStore(ctx context.Context, app *App, kc stream.Config, dbPath string, log *slog.Logger) (int, error) {
	students, err := app.Students.Students(ctx, cliActor(), domain.RosterQuery{})
	if err != nil {
		return 0, err
	}
	now := time.Now()
	fs := make([]stream.FileStudent, 0, len(students))
	current := make(map[string]bool, len(students))
	for _, s := range students {
		fs = append(fs, stream.FileStudent{Number: s.Number, Message: stream.StudentMessage(s, now)})
		current[s.Number] = true
	}
	db, err := analytics.OpenDB(ctx, dbPath)
	if err != nil {
		return 0, err
	}
	live, err := db.LiveStudents(ctx, kc.Topic)
	db.Close()
	if err != nil {
		return 0, err
	}
	gone := 0
	for key, r := range live {
		if !current[key] {
			fs = append(fs, stream.FileStudent{Number: key, Message: stream.Message{Type: domain.EventStudentDeleted, Time: now.UTC(),
				FirstName: r.FirstName, LastName: r.LastName, Age: r.Age, Major: r.Major, Class: r.Class}})
			gone++
		}
	}
	log.Info("analytics: publishing the store to the embedded broker", "students", len(students), "deleted", gone)
	return len(students), publishStudents(ctx, kc, fs)
}

func writeAgeReport(w io.Writer, o analytics.Options, res *analytics.Result) error {
	r := res.Report
	fmt.Fprintf(w, "Read %d message(s) from %s (%d this run): %d rejected to %s, %d filtered out (age <= %d), %d kept.\n",
		r.Read, o.Kafka.Topic, res.Consumed.Read, r.Rejected, o.Kafka.DLQTopic(), r.Filtered, r.MinAge, r.Kept)
	if o.Embedded {
		fmt.Fprintf(w, "Embedded broker: %d student(s) of the store published first.\n", o.Published)
	}
	if res.Engine != "" {
		fmt.Fprintf(w, "Engine: %s.\n", res.Engine)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "MAJOR\tSTUDENTS\tMEAN\tSTD\tMIN\tQ1\tMEDIAN\tQ3\tMAX\t")
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	for _, m := range r.Majors {
		std := "-"
		if m.Std != nil {
			std = num(*m.Std)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", m.Major, m.Students, num(m.Mean), std,
			num(m.Min), num(m.Q1), num(m.Median), num(m.Q3), num(m.Max))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	mean := "-"
	if r.Mean != nil {
		mean = num(*r.Mean)
	}
	fmt.Fprintf(w, "%d student(s) older than %d, overall mean age %s.\n", r.Students, r.MinAge, mean)
	for _, f := range res.Files {
		fmt.Fprintf(w, "wrote %s\n", f)
	}
	return nil
}

// cliLog appends to the application's log file (never the terminal);
// commands that do not open the back-ends use it.
func cliLog(cfg *Config) (*slog.Logger, func()) {
	path := cfg.LogFile
	if path == "" {
		path = filepath.Join(cfg.DataDir, "scolarite.log")
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return slog.New(slog.DiscardHandler), func() {}
	}
	return slog.New(slog.NewTextHandler(f, nil)), func() { f.Close() }
}
