package analytics

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/demo"
	"scolarite/domain"
	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// sparkKafka is a broker Spark's Kafka client reaches, with a topic (4
// partitions) and its dead-letter topic of this test's own: the real
// broker of SCOLARITE_KAFKA_BROKERS (scripts/kafka.sh).
func sparkKafka(t testing.TB) stream.Config {
	t.Helper()
	var id [4]byte
	_, _ = rand.Read(id[:])
	topic := "spark-" + strings.ToLower(t.Name()) + "-" + hex.EncodeToString(id[:])
	brokers := stream.SplitList(os.Getenv("SCOLARITE_KAFKA_BROKERS"))
	if len(brokers) == 0 {
		// kfake answers Spark's Kafka client (3.9) with a response it
		// cannot read (DescribeTopicPartitions without eligible leaders).
		if os.Getenv("SCOLARITE_REQUIRE_SPARK") == "1" {
			t.Fatal("the Spark tests need a real Kafka broker (SCOLARITE_KAFKA_BROKERS, from scripts/kafka.sh start)")
		}
		t.Skip("the Spark tests need a real Kafka broker (SCOLARITE_KAFKA_BROKERS, from scripts/kafka.sh start)")
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	adm := kadm.NewClient(cl)
	for _, tp := range []string{topic, topic + ".dlq"} {
		if _, err := adm.CreateTopic(ctx, 4, 1, nil, tp); err != nil {
			t.Fatalf("create %s: %v", tp, err)
		}
	}
	t.Cleanup(func() {
		cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
		if err != nil {
			return
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, _ = kadm.NewClient(cl).DeleteTopics(ctx, topic, topic+".dlq")
	})
	return stream.Config{Brokers: brokers, Topic: topic, Group: topic + "-group"}
}

// seedRecords are the demo's students (scolarite --demo, seed-demo) as
// the relay publishes them, keyed by matricule.
func seedRecords(t testing.TB, n int) []*kgo.Record {
	t.Helper()
	now := time.Now().UTC()
	var recs []*kgo.Record
	for i, s := range demo.Students(42, n, now) {
		birth, err := time.Parse(domain.DateLayout, s.Input.BirthDate)
		if err != nil {
			t.Fatal(err)
		}
		m := stream.Message{Type: domain.EventStudentCreated, Time: now, FirstName: s.Input.FirstName, LastName: s.Input.LastName,
			Age: domain.DateOf(birth).AgeOn(domain.DateOf(now)), Major: s.Input.Major, Class: s.Input.Class}
		r, err := m.Record("", fmt.Sprintf("2026-S%04d", i))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}

// tricky are messages at the edges of decode.go's rules: each must be
// accepted or rejected by both engines alike.
var tricky = []struct{ key, value string }{
	{"", ""}, {"", "   "}, {"", "garbage"}, {"", "[1,2]"}, {"", `{"first_name":"X"`}, {"", "{}"},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M"} x`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M"}}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M","x":{"y":[1,{"z":2}]}}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M","x":{"y":[1,{"z":2}]}} {}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M","x":[1,2]]`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M",}`},
	{"", `{"first_name":"a","last_name":"b","age":01,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":"01","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":" 22 ","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":"2_2","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":"0x16p0","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":"22d","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":"inf","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":2.2e1,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":22.0000000000000000001,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":22.5,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":0,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":150,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":151,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":-20,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":true,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":[20],"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":null,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":1e400,"major":"M"}`},
	{"", `{"First_Name":"a","LAST_NAME":"b","Age":23,"MAJOR":"Casse"}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"age":31,"major":"Doublon"}`},
	{"", `{"first_name":12,"last_name":"b","age":20,"major":"M"}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"M","class":3}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":null}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":" \t "}`},
	{"", `{"first_name":" ","last_name":"","age":20,"major":""}`},
	{"", `{"first_name":"\u00e9mile","last_name":"b\"c","age":20,"major":"\u0041ccents"}`},
	{"", `{"first_name":"straße","last_name":"ᾳλφα ǆ","age":20,"major":"Unicode"}`},
	{"", "{\"first_name\":\"a\u00a0 b\",\"last_name\":\"\u3000c\",\"age\":20,\"major\":\"Espaces\u2003insécables\"}"},
	{"", `{"type":null,"first_name":"a","last_name":"b","age":20,"major":"Type nul"}`},
	{"", `{"type":"","first_name":"a","last_name":"b","age":20,"major":"M"}`},
	{"", `{"type":5,"first_name":"a","last_name":"b","age":20,"major":"M"}`},
	{"K-T1", `{"type":"student.created","time":"yesterday","first_name":"a","last_name":"b","age":20,"major":"M"}`},
	{"K-T2", `{"type":"student.created","time":"2024-02-29T10:00:00+24:60","first_name":"a","last_name":"b","age":20,"major":"Temps"}`},
	{"K-T3", `{"type":"student.created","time":"2026-02-29T10:00:00Z","first_name":"a","last_name":"b","age":20,"major":"M"}`},
	{"K-T4", `{"type":"student.created","time":"2026-01-09T7:05:00,5Z","first_name":"a","last_name":"b","age":20,"major":"Temps"}`},
	{"K-T5", `{"type":"student.created","time":"2026-01-09T07:05:00.Z","first_name":"a","last_name":"b","age":20,"major":"M"}`},
	{"K-T6", `{"type":"student.created","time":12,"first_name":"a","last_name":"b","age":20,"major":"M"}`},
	{"K-T7", `{"type":"student.created","time":null,"first_name":"a","last_name":"b","age":20,"major":"Temps"}`},
	{"", `{"type":"student.created","time":"garbage","first_name":"a","last_name":"b","age":20,"major":"Ancien"}`},
	{"", `{"first_name":"a","last_name":"b","age":20,"major":"Ancien","time":"garbage"}`},
	{"K-OLD", `{"first_name":"a","last_name":"b","age":20,"major":"Ancien avec clé"}`},
	{"K-OLD", `Ibou,Ndiaye,30,Ancien avec clé`},
	{"", "a,b,20"}, {"", "a,b,20,M,x"}, {"", "a,b,,M"}, {"", "a,b,20,"}, {"", ",b,20,M"},
	{"", "a,b,20,M\nc,d,21,M"}, {"", "a,b,20,M\r"}, {"", `a,b"c,20,M`}, {"", `"a,b",c,20,M`},
	{"", `"a" ,b,20,M`}, {"", `  "a""b" , "c" , " 21 " , "Guillemets, virgule"`}, {"", `"a,b,20,M`},
	{"", "  \t jean , gomis , 24 , droit privé  "}, {"", "a,b,20.0,Décimal"}, {"", "a,b,abc,M"},
}

// parityTopic writes the seed's students, the tricky messages and n
// generated messages (phase 1), or n more with updates and deletions
// (phase 2).
func parityTopic(t testing.TB, cfg stream.Config, n, phase int) {
	t.Helper()
	rng := mrand.New(mrand.NewPCG(uint64(phase), 14))
	var recs []*kgo.Record
	if phase == 1 {
		recs = append(recs, seedRecords(t, 300)...)
		for _, m := range tricky {
			recs = append(recs, rec(m.key, m.value))
		}
	}
	majors := []string{"Informatique", "Gestion", "Génie civil", "Droit", " mathématiques  appliquées "}
	names := []string{"Ndèye", "moussa", " Awa  Fatou ", "ÉLODIE", "Ousmane", "Chloé", "straße"}
	for i := 0; i < n; i++ {
		key := fmt.Sprintf("2026-%05d", rng.IntN(n/2+1))
		major := majors[rng.IntN(len(majors))]
		first, last := names[rng.IntN(len(names))], names[rng.IntN(len(names))]
		age := 17 + rng.IntN(20)
		typ := domain.EventTypes[rng.IntN(len(domain.EventTypes))]
		if phase == 1 && rng.IntN(2) == 0 {
			typ = domain.EventStudentCreated
		}
		var v string
		switch k := rng.IntN(20); {
		case k < 11: // our events
			v = fmt.Sprintf(`{"type":%q,"time":"2026-11-%02dT10:%02d:00Z","first_name":%q,"last_name":%q,"age":%d,"major":%q,"class":"L%d-X"}`,
				typ, 1+rng.IntN(28), rng.IntN(60), first, last, age, major, 1+rng.IntN(3))
		case k < 12: // an event with its age as text, no time
			v = fmt.Sprintf(`{"type":%q,"first_name":%q,"last_name":%q,"age":"%d","major":%q}`, typ, first, last, age, major)
		case k < 13: // an event without a key: a student on its own
			recs = append(recs, rec("", event(typ, first, last, age, major)))
			continue
		case k < 15: // old JSON
			v = fmt.Sprintf(`{"first_name":%q,"last_name":%q,"age":%d,"major":%q}`, first, last, age, major)
			if rng.IntN(3) == 0 {
				v = fmt.Sprintf(`{"FIRST_NAME":%q,"Last_Name":%q,"Age":"%d.0","major":%q,"extra":{"a":[1,2]}}`, first, last, age, major)
			}
		case k < 18: // old CSV
			v = fmt.Sprintf(" %s , %s , %d , %s ", first, last, age, major)
			if rng.IntN(3) == 0 {
				v = fmt.Sprintf(`"%s","%s",%d,"%s, option"`, first, last, age, major)
			}
		default: // malformed
			bad := []string{"", "garbage", "[]", `{"first_name":`, fmt.Sprintf(`{"first_name":%q,"age":%d}`, first, age),
				fmt.Sprintf("%s,%s,%d", first, last, age), fmt.Sprintf(`{"type":"student.moved","first_name":%q,"last_name":%q,"age":%d,"major":%q}`, first, last, age, major),
				fmt.Sprintf(`{"first_name":%q,"last_name":%q,"age":%d.5,"major":%q}`, first, last, age, major),
				fmt.Sprintf(`{"first_name":%q,"last_name":%q,"age":%d,"major":%q} trailing`, first, last, age, major)}
			v = bad[rng.IntN(len(bad))]
		}
		if rng.IntN(10) == 0 { // keyless old-format messages and keyed ones alike
			key = ""
		}
		recs = append(recs, rec(key, v))
	}
	produce(t, cfg, recs...)
}

// sameTable fails unless a and b are the same table: counts equal, every
// figure within 1e-9.
func sameTable(t testing.TB, what string, a, b *domain.AgeReport) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: "+format+"\nin-process:\n%s\nspark:\n%s", append(append([]any{what}, args...), totals(a), totals(b))...)
	}
	if a.Read != b.Read || a.Rejected != b.Rejected || a.Filtered != b.Filtered || a.Kept != b.Kept || a.Students != b.Students {
		fail("counts differ")
	}
	close := func(x, y float64) bool { return x == y || (x-y < 1e-9 && y-x < 1e-9) }
	if (a.Mean == nil) != (b.Mean == nil) || (a.Mean != nil && !close(*a.Mean, *b.Mean)) {
		fail("overall mean differs")
	}
	if len(a.Majors) != len(b.Majors) {
		fail("%d majors against %d", len(a.Majors), len(b.Majors))
	}
	for i, x := range a.Majors {
		y := b.Majors[i]
		if x.Major != y.Major || x.Students != y.Students || (x.Std == nil) != (y.Std == nil) ||
			(x.Std != nil && !close(*x.Std, *y.Std)) {
			fail("major %q differs from %q", x.Major, y.Major)
		}
		for _, f := range [][2]float64{{x.Mean, y.Mean}, {x.Min, y.Min}, {x.Q1, y.Q1}, {x.Median, y.Median}, {x.Q3, y.Q3}, {x.Max, y.Max}} {
			if !close(f[0], f[1]) {
				fail("major %q: %v against %v", x.Major, f[0], f[1])
			}
		}
	}
}

// sameStudents fails unless both databases hold the same students (the
// latest record of each matricule: names, age, major, class).
func sameStudents(t testing.TB, topic string, pathA, pathB string) {
	t.Helper()
	ctx := context.Background()
	load := func(path string) map[string]Record {
		db, err := OpenDB(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		live, err := db.LiveStudents(ctx, topic)
		if err != nil {
			t.Fatal(err)
		}
		return live
	}
	a, b := load(pathA), load(pathB)
	if len(a) != len(b) {
		t.Fatalf("%d students in-process, %d on Spark", len(a), len(b))
	}
	for k, x := range a {
		y, ok := b[k]
		x.Time, y.Time = time.Time{}, time.Time{}
		if !ok || x != y {
			t.Fatalf("student %s: in-process %+v, Spark %+v", k, x, y)
		}
	}
}

// deadLetters reads the dead-letter topic: reason by source offset
// ("partition/offset"), each with the number of times it was sent.
func deadLetters(t testing.TB, cfg stream.Config) map[string][]string {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(cfg.Brokers...), kgo.ConsumeTopics(cfg.DLQTopic()),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ends, err := kadm.NewClient(cl).ListEndOffsets(ctx, cfg.DLQTopic())
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	ends.Each(func(o kadm.ListedOffset) { want += o.Offset })
	out := map[string][]string{}
	for got := int64(0); got < want; {
		f := cl.PollFetches(ctx)
		if err := f.Err0(); err != nil {
			t.Fatalf("read %s: %v", cfg.DLQTopic(), err)
		}
		f.EachRecord(func(r *kgo.Record) {
			got++
			h := map[string]string{}
			for _, x := range r.Headers {
				h[x.Key] = string(x.Value)
			}
			at := h[HeaderPartition] + "/" + h[HeaderOffset]
			out[at] = append(out[at], h[HeaderReason])
		})
	}
	return out
}

// TestSparkParity: on the same topic (the seed's students, messages at
// the edges of the rules, 10,000 generated events with updates,
// deletions, old formats, keyless and malformed messages) the Spark
// engine and the in-process one give the same table, the same counts,
// the same students and reject the same messages — in one run, then
// incrementally after more messages, and when one engine continues what
// the other stored.
func TestSparkParity(t *testing.T) {
	remote := streamtest.SparkRemote(t)
	cfg := sparkKafka(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	dir := t.TempDir()
	inproc := func(name string) *Result {
		o := runOpts(t, cfg, dir)
		o.DBPath = filepath.Join(dir, name+".db")
		o.Kafka.Group = cfg.Group + "-" + name
		return mustRun(t, o)
	}
	spark := func(name string) *Result {
		o := runOpts(t, cfg, dir)
		o.DBPath = filepath.Join(dir, name+".db")
		o.Kafka.Group = cfg.Group + "-" + name
		o.OutDir = filepath.Join(dir, name+"-out")
		res, err := RunSpark(ctx, o, SparkOptions{Remote: remote})
		if err != nil {
			t.Fatalf("spark run: %v", err)
		}
		return res
	}

	parityTopic(t, cfg, 6000, 1)
	a, b := inproc("inproc"), spark("spark")
	sameTable(t, "first run", a.Report, b.Report)
	if a.Consumed.Read != b.Consumed.Read || a.Partial.Formats != b.Partial.Formats || a.Partial.Messages != b.Partial.Messages {
		t.Fatalf("first run read %d / %d, formats %v / %v", a.Consumed.Read, b.Consumed.Read, a.Partial.Formats, b.Partial.Formats)
	}
	if b.Report.Rejected == 0 || b.Report.Filtered == 0 || len(b.Report.Majors) < 5 || b.SparkVersion == "" {
		t.Fatalf("the topic proves little: %s (Spark %q)", totals(b.Report), b.SparkVersion)
	}
	crossed := spark("crossed") // Spark first, then the in-process engine goes on

	parityTopic(t, cfg, 4000, 2)
	a, b = inproc("inproc"), spark("spark")
	if a.Consumed.Read != b.Consumed.Read || a.Consumed.Read < 4000 {
		t.Fatalf("second run read %d in-process, %d on Spark", a.Consumed.Read, b.Consumed.Read)
	}
	sameTable(t, "second run", a.Report, b.Report)
	c := inproc("crossed")
	sameTable(t, "Spark then in-process", a.Report, c.Report)
	_ = crossed
	sameStudents(t, cfg.Topic, filepath.Join(dir, "inproc.db"), filepath.Join(dir, "spark.db"))
	sameStudents(t, cfg.Topic, filepath.Join(dir, "inproc.db"), filepath.Join(dir, "crossed.db"))

	// Each rejected message went to the dead-letter topic once per engine
	// run that read it (in-process, Spark, and Spark for "crossed"), with
	// a reason.
	dead := deadLetters(t, cfg)
	if int64(len(dead)) != a.Report.Rejected {
		t.Fatalf("%d messages in the dead-letter topic, %d rejected", len(dead), a.Report.Rejected)
	}
	differ := 0
	for at, reasons := range dead {
		if len(reasons) < 2 {
			t.Fatalf("message %s rejected by one engine only: %q", at, reasons)
		}
		for _, r := range reasons {
			if r == "" {
				t.Fatalf("message %s without a reason", at)
			}
			if r != reasons[0] {
				differ++
				if testing.Verbose() {
					t.Logf("%s: %q", at, reasons)
				}
				break
			}
		}
	}
	t.Logf("%d rejected messages, %d with reasons worded differently by the engines; Spark %s", len(dead), differ, b.SparkVersion)

	md, err := os.ReadFile(filepath.Join(dir, "spark-out", ReportMarkdown))
	if err != nil || !strings.Contains(string(md), "Apache Spark "+b.SparkVersion) {
		t.Fatalf("the report does not name Spark %s: %v", b.SparkVersion, err)
	}
	// Where it ran (scripts/spark.sh: local[2]) and how it stopped.
	if !regexp.MustCompile(`master (local\\\[|spark://|yarn|k8s://)`).Match(md) || !strings.Contains(string(md), "lecture par lot de Spark") {
		t.Fatalf("the report does not say where Spark ran nor how the run stopped:\n%s", md)
	}
}
