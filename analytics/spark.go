package analytics

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/spark-connect-go/spark/sql"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
	"scolarite/stream"
)

// EngineSpark is the name of the Spark engine (--engine spark).
const EngineSpark = "spark"

// SparkOptions are the Spark engine's settings.
type SparkOptions struct {
	// Remote is the Spark Connect server, sc://host:port.
	Remote string
	// Bootstrap is the brokers as Spark reaches them, when not the ones
	// this process uses (a cluster's own network).
	Bootstrap []string
}

// sparkConf is the session's settings: decode.go's rules need NULL (not an
// error) from casts and map lookups, and JSON objects with a repeated
// member (the last one wins, as encoding/json).
var sparkConf = [][2]string{
	{"spark.sql.ansi.enabled", "false"},
	{"spark.sql.variant.allowDuplicateKeys", "true"},
}

// RunSpark is Run on Apache Spark: Spark reads the topic from the
// offsets analytics.db holds to the current end, decodes each message
// with the in-process rules and returns, per partition, the counts, the
// keyless students, the latest event of each matricule and the rejected
// messages. This process sends the rejected ones to the dead-letter
// topic, merges the rest into the stored students in one SQLite
// transaction (the partials and progress the in-process engine keeps, so
// either engine can continue the other), commits the group's offsets, and
// Spark computes the table over every stored student. See ARCHITECTURE
// §8.
func RunSpark(ctx context.Context, o Options, so SparkOptions) (*Result, error) {
	o = o.withDefaults()
	if len(so.Bootstrap) == 0 {
		so.Bootstrap = o.Kafka.Brokers
	}
	src, err := newSparkSource(o.Kafka, so.Bootstrap)
	if err != nil {
		return nil, err
	}
	o.Log.Info("analytics: the job runs on Spark", "remote", so.Remote, "spark_kafka_brokers", strings.Join(so.Bootstrap, ","))
	start := time.Now()
	db, err := openClaimed(ctx, o)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	opts, err := o.Kafka.ClientOpts("analytics-spark")
	if err != nil {
		return nil, err
	}
	kc, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("kafka: %w", err)
	}
	defer kc.Close()
	ranges, err := sparkRanges(ctx, kadm.NewClient(kc), db, o.Kafka.Topic)
	if err != nil {
		return nil, err
	}
	sp, err := newSparkSession(ctx, so.Remote, src.secrets)
	if err != nil {
		return nil, err
	}
	res := &Result{Engine: "Apache Spark " + sp.version + " (Spark Connect " + so.Remote + ", master " + sp.master + ")"}
	res.SparkVersion = sp.version

	if len(ranges) > 0 {
		out, err := sp.decode(ctx, src, o.Kafka.Topic, ranges)
		if err != nil {
			return nil, err
		}
		o.Log.Info("analytics: Spark decoded the ranges", "messages", out.read, "elapsed", time.Since(start))
		dead := out.deadLetters(o.Kafka.DLQTopic(), o.Kafka.Topic)
		if len(dead) > 0 {
			if err := stream.PublishAll(ctx, kc, dead); err != nil {
				return nil, fmt.Errorf("send %d messages to %s: %w", len(dead), o.Kafka.DLQTopic(), err)
			}
		}
		runs, snaps, err := out.merge(ctx, db, o.Kafka.Topic, ranges, o.Log)
		if err != nil {
			return nil, err
		}
		if err := db.saveBatch(ctx, o.Kafka.Topic, runs, snaps); err != nil {
			return nil, err
		}
		// After the transaction, as stream.Consume: the group's members
		// then start where Spark stopped.
		commitRanges(ctx, kadm.NewClient(kc), o, ranges)
		o.Log.Info("analytics: stored in SQLite", "elapsed", time.Since(start))
		res.Consumed.Read = out.read
		res.Consumed.Batches = 1
	}
	res.Consumed.Busy = time.Since(start)

	p, err := db.Partial(ctx, o.Kafka.Topic)
	if err != nil {
		return nil, err
	}
	res.Partial = p
	res.Report = Report(p, o.MinAge, o.Kafka.Topic, o.Now())
	if err := sp.stats(ctx, p, res.Report); err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	if err := db.SaveReport(ctx, res.Report); err != nil {
		return nil, err
	}
	if o.OutDir != "" {
		res.Files, err = WriteOutputs(o.OutDir, &Document{Result: res, Options: o, DBPath: o.DBPath})
		if err != nil {
			return res, err
		}
	}
	o.Log.Info("analytics: done on Spark", "spark", sp.version, "read", res.Consumed.Read, "elapsed", res.Elapsed)
	return res, nil
}

// offsetRange is the part of a partition a run reads: [from, to).
type offsetRange struct {
	partition int32
	from, to  int64
}

// sparkRanges is, for each partition of topic with messages past the
// offset the database holds, the range up to the current end.
func sparkRanges(ctx context.Context, adm *kadm.Client, db *DB, topic string) ([]offsetRange, error) {
	ends, err := adm.ListEndOffsets(ctx, topic)
	if err == nil {
		err = ends.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("kafka: end offsets of %s: %w", topic, err)
	}
	starts, err := adm.ListStartOffsets(ctx, topic)
	if err == nil {
		err = starts.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("kafka: start offsets of %s: %w", topic, err)
	}
	next, err := db.nextOffsets(ctx, topic)
	if err != nil {
		return nil, err
	}
	var out []offsetRange
	for part, end := range ends[topic] {
		from := starts[topic][part].Offset
		if n, ok := next[part]; ok {
			from = max(n, from) // messages gone by retention cannot be read
		}
		if from < end.Offset {
			out = append(out, offsetRange{partition: part, from: from, to: end.Offset})
		}
	}
	slices.SortFunc(out, func(a, b offsetRange) int { return int(a.partition - b.partition) })
	return out, nil
}

// nextOffsets is the next offset of each partition of topic the database
// holds.
func (d *DB) nextOffsets(ctx context.Context, topic string) (map[int32]int64, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT "partition", next_offset FROM partitions WHERE topic = ?`, topic)
	if err != nil {
		return nil, fmt.Errorf("read progress of %s: %w", topic, err)
	}
	defer rows.Close()
	out := map[int32]int64{}
	for rows.Next() {
		var p int32
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			return nil, fmt.Errorf("read progress of %s: %w", topic, err)
		}
		out[p] = n
	}
	return out, rows.Err()
}

// commitRanges commits the group's offsets at the end of the ranges read.
// A failure is only logged: the database's offsets are the ones that
// count (a member reading again what is stored skips it).
func commitRanges(ctx context.Context, adm *kadm.Client, o Options, ranges []offsetRange) {
	var offs kadm.Offsets
	for _, r := range ranges {
		offs.Add(kadm.Offset{Topic: o.Kafka.Topic, Partition: r.partition, At: r.to, LeaderEpoch: -1})
	}
	group := o.Kafka.Group
	if group == "" {
		group = stream.DefaultGroup
	}
	if err := adm.CommitAllOffsets(ctx, group, offs); err != nil {
		o.Log.Warn("analytics: the group's offsets were not committed (the database's are)", "group", group, "err", err)
	}
}

// sparkSession is a Spark Connect session set for the job; secrets are
// the texts its errors must not show (sparkSource).
type sparkSession struct {
	s       sql.SparkSession
	version string
	master  string // spark.master: local[2], spark://…, yarn, k8s://…
	secrets []string
}

func newSparkSession(ctx context.Context, remote string, secrets []string) (*sparkSession, error) {
	if remote == "" {
		return nil, errors.New("analytics: no Spark Connect server (--spark-remote or SPARK_REMOTE, sc://host:15002)")
	}
	s, err := sql.NewSessionBuilder().Remote(remote).Build(ctx)
	if err != nil {
		return nil, fmt.Errorf("spark: connect to %s: %w", remote, err)
	}
	sp := &sparkSession{s: s, secrets: secrets}
	for _, kv := range sparkConf {
		if _, err := sp.exec(ctx, "set "+kv[0], "SET "+kv[0]+"="+kv[1]); err != nil {
			return nil, err
		}
	}
	rows, err := sp.exec(ctx, "version", "SELECT version()")
	if err != nil {
		return nil, err
	}
	if len(rows) == 1 {
		v, _ := rows[0][0].(string)
		sp.version, _, _ = strings.Cut(v, " ")
	}
	// The master tells the report where the job ran: local[2] or a
	// cluster's. SET key answers (key, value).
	rows, err = sp.exec(ctx, "master", "SET spark.master")
	if err != nil {
		return nil, err
	}
	if len(rows) == 1 && len(rows[0]) == 2 {
		sp.master, _ = rows[0][1].(string)
	}
	return sp, nil
}

// exec runs a statement and returns its rows. The client's errors quote
// the whole statement (the decoding query is long): it is cut out, and
// the session's secrets too, wherever they appear (a syntax error's
// message quotes the statement with marks between its lines).
func (sp *sparkSession) exec(ctx context.Context, what, query string) ([][]any, error) {
	df, err := sp.s.Sql(ctx, query)
	if err != nil {
		return nil, sp.fail(what, query, err)
	}
	rows, err := df.Collect(ctx)
	if err != nil {
		return nil, sp.fail(what, query, err)
	}
	out := make([][]any, len(rows))
	for i, r := range rows {
		out[i] = r.Values()
	}
	return out, nil
}

// execArrow runs a query and returns its result as Arrow batches (nil:
// no row), for results too large for exec's rows.
func (sp *sparkSession) execArrow(ctx context.Context, what, query string) (arrow.Table, error) {
	df, err := sp.s.Sql(ctx, query)
	if err != nil {
		return nil, sp.fail(what, query, err)
	}
	tbl, err := df.ToArrow(ctx)
	if err != nil {
		return nil, sp.fail(what, query, err)
	}
	if tbl == nil {
		return nil, nil
	}
	return *tbl, nil
}

// fail is err of the statement query, without the statement and the
// session's secrets.
func (sp *sparkSession) fail(what, query string, err error) error {
	msg := strings.Replace(err.Error(), query, "<query>", 1)
	return fmt.Errorf("spark: %s: %s", what, redact(msg, sp.secrets))
}

// decode has Spark read the ranges from src and decode them
// (sparkDecodeSQL).
func (sp *sparkSession) decode(ctx context.Context, src *sparkSource, topic string, ranges []offsetRange) (*sparkOutput, error) {
	parts := make([]int32, len(ranges))
	from, to := map[string]int64{}, map[string]int64{}
	for i, r := range ranges {
		parts[i] = r.partition
		from[fmt.Sprint(r.partition)], to[fmt.Sprint(r.partition)] = r.from, r.to
	}
	js := func(v any) string {
		b, _ := json.Marshal(map[string]any{topic: v}) // maps and slices of numbers: cannot fail
		return string(b)
	}
	var id [6]byte
	_, _ = rand.Read(id[:])
	view := "scolarite_kafka_" + hex.EncodeToString(id[:])
	opts := append(slices.Clone(src.options), [][2]string{{"assign", js(parts)}, {"startingOffsets", js(from)}, {"endingOffsets", js(to)},
		{"includeHeaders", "true"}, {"failOnDataLoss", "false"}}...)
	if _, err := sp.exec(ctx, "read "+topic, sparkViewSQL(view, opts)); err != nil {
		return nil, err
	}
	defer sp.exec(context.WithoutCancel(ctx), "drop view", "DROP VIEW IF EXISTS "+view) //nolint:errcheck // a session's view goes with it
	tbl, err := sp.execArrow(ctx, "decode "+topic, sparkDecodeSQL(view))
	if err != nil {
		return nil, err
	}
	if tbl != nil {
		defer tbl.Release()
	}
	return readSparkTable(tbl)
}

// sparkViewSQL creates the temporary view of the Kafka source with
// options, one a line.
func sparkViewSQL(view string, options [][2]string) string {
	var b strings.Builder
	b.WriteString("CREATE OR REPLACE TEMPORARY VIEW " + view + " USING kafka OPTIONS (")
	for i, kv := range options {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n\t" + sqlString(kv[0]) + " " + sqlString(kv[1]))
	}
	b.WriteString(")")
	return b.String()
}

// stats has Spark compute the table of r from the students of p.
func (sp *sparkSession) stats(ctx context.Context, p *Partial, r *domain.AgeReport) error {
	var cells []statCell
	for _, m := range p.MajorNames() {
		for age, n := range p.Majors[m] {
			if age > r.MinAge && n > 0 {
				cells = append(cells, statCell{major: m, age: age, n: n})
			}
		}
	}
	rows, err := sp.exec(ctx, "statistics", sparkStatsSQL(cells))
	if err != nil {
		return err
	}
	return fillReport(r, rows)
}
