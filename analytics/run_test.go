package analytics

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream/streamtest"
)

func TestRunMixedFormats(t *testing.T) { streamtest.Each(t, testRunMixedFormats) }

func testRunMixedFormats(t *testing.T, k streamtest.Kind) {
	c := streamtest.New(t, k)
	cfg := testConfig(t, c)
	produce(t, cfg,
		rec("2026-00001", event("student.created", "Ndèye", "Diop", 22, "Informatique")),
		rec("2026-00002", event("student.created", "Moussa", "Fall", 19, "Informatique")),
		rec("2026-00003", event("student.created", "Awa", "Ba", 25, "Gestion")),
		rec("2026-00003", event("grade.added", "Awa", "Ba", 25, "Gestion")),
		rec("2026-00002", event("student.updated", "Moussa", "Fall", 21, "Gestion")),
		rec("", `{"first_name":"Fatou","last_name":"Sow","age":23,"major":"Informatique"}`),
		rec("", ` Ibou , Ndiaye , 30 , Gestion `),
		rec("", `not,a,student`),
		rec("", `{"first_name":"X"`),
		rec("", `Jean,Gomis,18,Gestion`),
	)
	dir := t.TempDir()
	o := runOpts(t, cfg, dir)
	o.OutDir = filepath.Join(dir, "out")
	if d := os.Getenv("ANALYTICS_KEEP_OUT"); d != "" {
		o.OutDir = d
	}
	res := mustRun(t, o)
	r := res.Report
	if r.Read != 10 || r.Rejected != 2 || r.Filtered != 2 || r.Kept != 6 {
		t.Fatalf("counts: read %d rejected %d filtered %d kept %d", r.Read, r.Rejected, r.Filtered, r.Kept)
	}
	if r.Students != 5 || len(r.Majors) != 2 {
		t.Fatalf("students %d majors %+v", r.Students, r.Majors)
	}
	for _, f := range res.Files {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	t.Logf("%+v", r)
	md, _ := os.ReadFile(filepath.Join(o.OutDir, ReportMarkdown))
	t.Log(string(md))
}

// cancelOnPoll cancels the run as soon as records are handed over: an
// interrupt in the middle of the stream.
type cancelOnPoll struct{ cancel context.CancelFunc }

func (c cancelOnPoll) OnFetchRecordUnbuffered(_ *kgo.Record, polled bool) {
	if polled {
		c.cancel()
	}
}

// TestInterruptReportsWhatWasStored: an interrupt (Ctrl-C) mid-stream
// still stores the batch in hand and reports it, without an error; the
// next run goes on from there, and the two together give the totals of
// one uninterrupted run.
func TestInterruptReportsWhatWasStored(t *testing.T) {
	streamtest.Each(t, testInterruptReportsWhatWasStored)
}

func testInterruptReportsWhatWasStored(t *testing.T, k streamtest.Kind) {
	c := streamtest.New(t, k)
	cfg := testConfig(t, c)
	mixedTopic(t, cfg, 3000, 1)
	n := topicSize(t, cfg)
	dir := t.TempDir()

	whole := runOpts(t, cfg, t.TempDir())
	whole.Kafka.Group = c.Group("whole")
	want := totals(mustRun(t, whole).Report)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := runOpts(t, cfg, dir)
	// Small fetches, so the interrupt comes with most of the topic unread.
	o.Consume.Extra = []kgo.Opt{kgo.FetchMaxPartitionBytes(4 << 10), kgo.FetchMaxBytes(4 << 10),
		kgo.WithHooks(cancelOnPoll{cancel})}
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("interrupted run: %v", err)
	}
	if res.Report == nil || res.Report.Read == 0 || res.Report.Read >= n {
		t.Fatalf("interrupted run read %v of %d: the test proves nothing", res.Report, n)
	}
	if res.Report.Read != res.Consumed.Read {
		t.Fatalf("reported %d, consumed %d", res.Report.Read, res.Consumed.Read)
	}
	if got := totals(mustRun(t, runOpts(t, cfg, dir)).Report); got != want {
		t.Fatalf("interrupted then resumed:\n%s\nin one run:\n%s", got, want)
	}
}
