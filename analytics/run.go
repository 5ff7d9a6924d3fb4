package analytics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"scolarite/domain"
	"scolarite/stream"
)

// DefaultMinAge is --min-age's default: students strictly older are kept.
const DefaultMinAge = 20

// Options of one run of the job.
type Options struct {
	Kafka   stream.Config
	Consume stream.ConsumeOptions
	DBPath  string
	MinAge  int
	// OutDir receives the chart and the reports ("" writes none).
	OutDir string
	// Embedded tells the report that the broker was the in-process one,
	// and Published how many students were published to it first.
	Embedded  bool
	Published int
	Log       *slog.Logger
	Now       func() time.Time
}

// Result is what a run did and found.
type Result struct {
	Report   *domain.AgeReport
	Partial  *Partial
	Consumed stream.ConsumeResult
	Elapsed  time.Duration
	Files    []string // written to OutDir
	// Engine names the engine when not the in-process one (the reports
	// show it), and SparkVersion is Spark's.
	Engine       string
	SparkVersion string
}

// Run consumes until the options say stop, then computes the report from
// every partition stored in the database (whichever process read it),
// stores it, and writes the outputs.
func Run(ctx context.Context, o Options) (*Result, error) {
	o = o.withDefaults()
	db, err := openClaimed(ctx, o)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	start := time.Now()
	res := &Result{}
	finish := func(ctx context.Context) error {
		p, err := db.Partial(ctx, o.Kafka.Topic)
		if err != nil {
			return err
		}
		res.Partial, res.Elapsed = p, time.Since(start)
		res.Report = Report(p, o.MinAge, o.Kafka.Topic, o.Now())
		if err := db.SaveReport(ctx, res.Report); err != nil {
			return err
		}
		if o.OutDir == "" {
			return nil
		}
		res.Files, err = WriteOutputs(o.OutDir, &Document{Result: res, Options: o, DBPath: o.DBPath})
		return err
	}
	cons := o.Consume
	cons.Log = o.Log
	if cons.Follow {
		cons.Checkpoint = finish
	}
	res.Consumed, err = stream.Consume(ctx, o.Kafka, cons, NewJob(db, o.Kafka, o.Log))
	if err != nil {
		return res, err
	}
	// Report even after an interrupt: what was stored is consistent.
	if err := finish(context.WithoutCancel(ctx)); err != nil {
		return res, err
	}
	o.Log.Info("analytics: done", "read", res.Consumed.Read, "elapsed", res.Elapsed,
		"report", filepath.Join(o.OutDir, ReportMarkdown))
	return res, nil
}

// errNoOutDir is returned when outputs are asked without a directory.
var errNoOutDir = errors.New("no output directory")

// withDefaults fills what a caller may leave out.
func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Kafka.Topic == "" {
		o.Kafka.Topic = stream.DefaultTopic
	}
	return o
}

// openClaimed opens the database and ties it to the Kafka cluster of
// o.Kafka (it refuses another cluster's offsets).
func openClaimed(ctx context.Context, o Options) (*DB, error) {
	db, err := OpenDB(ctx, o.DBPath)
	if err != nil {
		return nil, err
	}
	cluster, err := o.Kafka.ClusterID(ctx)
	if err == nil {
		err = db.ClaimCluster(ctx, cluster)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Document is everything the reports show.
type Document struct {
	*Result
	Options Options
	DBPath  string
}

func (d *Document) check() error {
	if d.Result == nil || d.Report == nil {
		return fmt.Errorf("analytics: nothing to report")
	}
	return nil
}
