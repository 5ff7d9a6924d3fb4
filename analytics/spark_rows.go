package analytics

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
)

// sparkOutput is what Spark's decoding of a run's ranges gave.
type sparkOutput struct {
	read  int64
	parts map[int32]*sparkDelta
}

// sparkDelta is one partition's part: counts to add, keyless students,
// the latest record of each matricule, the rejected messages.
type sparkDelta struct {
	read, rejected int64
	formats        [formats]int64
	messages       Hist
	keyless        []statCell
	latest         []sparkRecord
	dead           []sparkDead
}

type sparkRecord struct {
	offset int64
	rec    Record
	tm     string // the event's time as written ("" for none)
}

type sparkDead struct {
	offset       int64
	key, value   []byte
	headers      string // JSON [{"key":…,"value":base64}]
	reason       string
	timestampMil int64
}

// The columns of sparkDecodeSQL's result.
const (
	colP = iota
	colKind
	colGS
	colGB
	colGI
	colN
	colO
	colTyp
	colTm
	colTs
	colFirst
	colLast
	colAge
	colMajor
	colClass
	colReason
	colRawKey
	colValue
	colHeaders
	colCount
)

// add adds row i of a batch of sparkDecodeSQL's result.
func (out *sparkOutput) add(b sparkBatch, i int) error {
	p := int32(b.int(colP, i))
	d := out.parts[p]
	if d == nil {
		d = &sparkDelta{}
		out.parts[p] = d
	}
	n := b.int(colN, i)
	gs := b.str(colGS, i)
	switch kind := b.str(colKind, i); kind {
	case "m":
		out.read += n
		d.read += n
		if gs == "rejected" {
			d.rejected += n
			return nil
		}
		f, a, ok := strings.Cut(gs, ":")
		format, err1 := strconv.Atoi(f)
		age, err2 := strconv.Atoi(a)
		if !ok || err1 != nil || err2 != nil || format < 0 || format >= int(formats) || age < 0 || age > MaxValidAge {
			return fmt.Errorf("spark: unexpected count %q", gs)
		}
		d.formats[format] += n
		d.messages[age] += n
	case "a":
		age := int(b.int(colGI, i))
		if age < 0 || age > MaxValidAge {
			return fmt.Errorf("spark: unexpected age %d", age)
		}
		d.keyless = append(d.keyless, statCell{major: strings.Clone(gs), age: age, n: n})
	case "k":
		age := int(b.int(colAge, i))
		if age < MinValidAge || age > MaxValidAge {
			return fmt.Errorf("spark: unexpected age %d", age)
		}
		d.latest = append(d.latest, sparkRecord{offset: b.int(colO, i), tm: b.text(colTm, i), rec: Record{
			Format: FormatEvent, Type: b.text(colTyp, i), Key: string(b.bytes(colGB, i)),
			Time:      time.UnixMilli(b.int(colTs, i)),
			FirstName: b.text(colFirst, i), LastName: b.text(colLast, i), Age: age,
			Major: b.text(colMajor, i), Class: b.text(colClass, i),
		}})
	case "d":
		d.dead = append(d.dead, sparkDead{offset: b.int(colO, i), key: bytes.Clone(b.bytes(colRawKey, i)),
			value: bytes.Clone(b.bytes(colValue, i)), headers: b.text(colHeaders, i), reason: b.text(colReason, i),
			timestampMil: b.int(colTs, i)})
	default:
		return fmt.Errorf("spark: unexpected row kind %q", kind)
	}
	return nil
}

func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int16:
		return int64(x)
	case int8:
		return int64(x)
	case int:
		return int64(x)
	}
	return 0
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// deadLetters are the rejected messages as the in-process job sends them.
func (out *sparkOutput) deadLetters(dlq, topic string) []*kgo.Record {
	j := &Job{dlq: dlq}
	var recs []*kgo.Record
	for _, p := range slices.Sorted(maps.Keys(out.parts)) {
		d := out.parts[p]
		slices.SortFunc(d.dead, func(a, b sparkDead) int { return cmp.Compare(a.offset, b.offset) })
		for _, m := range d.dead {
			r := &kgo.Record{Topic: topic, Partition: p, Offset: m.offset, Key: m.key, Value: m.value,
				Timestamp: time.UnixMilli(m.timestampMil)}
			var hs []struct {
				Key   string `json:"key"`
				Value []byte `json:"value"`
			}
			if m.headers != "" && json.Unmarshal([]byte(m.headers), &hs) == nil {
				for _, h := range hs {
					r.Headers = append(r.Headers, kgo.RecordHeader{Key: h.Key, Value: h.Value})
				}
			}
			recs = append(recs, j.deadLetter(r, reasonError(m.reason)))
		}
	}
	return recs
}

type reasonError string

func (e reasonError) Error() string { return string(e) }

// merge applies each partition's part to its stored state, as the
// in-process job applies messages one by one: a matricule's earlier state
// leaves its cell, its latest enters (unless it is a deletion); keyless
// students and message counts add. It returns the records and partition
// snapshots to store in one transaction.
func (out *sparkOutput) merge(ctx context.Context, db *DB, topic string, ranges []offsetRange, log *slog.Logger) ([]*recordRun, []snapshot, error) {
	var runs []*recordRun
	var snaps []snapshot
	m := newMajors()
	for _, r := range ranges {
		s, err := db.loadPartition(ctx, topic, r.partition, m)
		if err != nil {
			return nil, nil, err
		}
		d := out.parts[r.partition]
		if d == nil {
			d = &sparkDelta{}
		}
		p := s.partial
		p.Read += d.read
		p.Rejected += d.rejected
		for i, n := range d.formats {
			p.Formats[i] += n
		}
		for age, n := range d.messages {
			if n != 0 {
				p.Messages[age] += n
				s.dirtyMsg.set(age)
			}
		}
		for _, c := range d.keyless {
			s.count(newStudent(m.id(c.major), c.age), c.n)
		}
		slices.SortFunc(d.latest, func(a, b sparkRecord) int { return cmp.Compare(a.offset, b.offset) })
		run := &recordRun{partition: r.partition}
		for i := range d.latest {
			lr := &d.latest[i]
			if lr.tm != "" {
				if err := lr.rec.Time.UnmarshalJSON([]byte(`"` + lr.tm + `"`)); err != nil {
					log.Warn("analytics: Spark accepted a time this process cannot read", "time", lr.tm, "err", err)
				}
			}
			rec := &lr.rec
			if prev, ok := s.students[rec.Key]; ok {
				s.count(prev, -1)
				if rec.Deleted() {
					delete(s.students, rec.Key)
				}
			}
			if !rec.Deleted() {
				st := newStudent(m.id(rec.Major), rec.Age)
				s.students[rec.Key] = st
				s.count(st, 1)
			}
			run.add(lr.offset, rec)
		}
		run.end()
		s.next = r.to
		runs = append(runs, run)
		snaps = append(snaps, s.take(r.partition))
	}
	return runs, snaps, nil
}

// fillReport puts Spark's table (sparkStatsSQL's rows) into r, whose
// message counts Report computed.
func fillReport(r *domain.AgeReport, rows [][]any) error {
	r.Majors, r.Students, r.Mean = []domain.MajorAges{}, 0, nil
	for _, row := range rows {
		if len(row) != 10 {
			return fmt.Errorf("spark: a statistics row has %d columns, want 10", len(row))
		}
		n := asInt(row[2])
		if n == 0 {
			continue
		}
		mean, _ := row[3].(float64)
		if asInt(row[1]) == 1 {
			r.Students, r.Mean = n, &mean
			continue
		}
		m := domain.MajorAges{Major: asString(row[0]), Students: n, Mean: mean,
			Min: float64(asInt(row[5])), Max: float64(asInt(row[9]))}
		m.Q1, _ = row[6].(float64)
		m.Median, _ = row[7].(float64)
		m.Q3, _ = row[8].(float64)
		if std, ok := row[4].(float64); ok {
			m.Std = &std
		}
		r.Majors = append(r.Majors, m)
	}
	return nil
}
