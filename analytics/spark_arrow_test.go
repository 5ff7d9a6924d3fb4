package analytics

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// decodedSchema is the Arrow schema Spark gives sparkDecodeSQL's result.
func decodedSchema(cols int) *arrow.Schema {
	types := []arrow.DataType{arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.String, arrow.BinaryTypes.String, arrow.BinaryTypes.Binary,
		arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String, arrow.BinaryTypes.String,
		arrow.PrimitiveTypes.Int64, arrow.BinaryTypes.String, arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.String,
		arrow.BinaryTypes.String, arrow.BinaryTypes.String, arrow.BinaryTypes.Binary, arrow.BinaryTypes.Binary, arrow.BinaryTypes.String}
	fields := make([]arrow.Field, cols)
	for i := range fields {
		fields[i] = arrow.Field{Name: string(rune('a' + i)), Type: types[i], Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// decodedTable is rows (nil: null) as Arrow, one batch per slice.
func decodedTable(t *testing.T, cols int, batches ...[][]any) arrow.Table {
	t.Helper()
	schema := decodedSchema(cols)
	var recs []arrow.Record
	for _, rows := range batches {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		for _, row := range rows {
			for c, v := range row {
				switch fb := b.Field(c).(type) {
				case *array.Int32Builder:
					if v == nil {
						fb.AppendNull()
					} else {
						fb.Append(int32(v.(int)))
					}
				case *array.Int64Builder:
					if v == nil {
						fb.AppendNull()
					} else {
						fb.Append(int64(v.(int)))
					}
				case *array.StringBuilder:
					if v == nil {
						fb.AppendNull()
					} else {
						fb.Append(v.(string))
					}
				case *array.BinaryBuilder:
					if v == nil {
						fb.AppendNull()
					} else {
						fb.Append([]byte(v.(string)))
					}
				}
			}
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return array.NewTableFromRecords(schema, recs)
}

// TestReadSparkTable: the decoded rows, read from Arrow batches, give
// each partition's counts, keyless students, latest records and rejected
// messages; a result of another shape is refused.
func TestReadSparkTable(t *testing.T) {
	//               p  kind gs           gb     gi  n  o    typ                tm                      ts    first  last   age major  class reason rawk val hdrs
	good := [][]any{
		{0, "m", "0:21", nil, 0, 5, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{0, "m", "rejected", nil, 0, 2, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		{0, "a", "Droit", nil, 30, 3, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
	}
	later := [][]any{
		{1, "k", "", "2026-00001", 0, 4, 17, "student.updated", "2026-11-23T10:00:00Z", 1700000000000, "AWA", "DIOP", 22, "Gestion", "L3", nil, nil, nil, nil},
		{1, "d", "", nil, 9, 1, 9, nil, nil, 1700000000001, nil, nil, nil, nil, nil, "invalid JSON", "k", "{", `[]`},
	}
	out, err := readSparkTable(decodedTable(t, colCount, good, later))
	if err != nil {
		t.Fatal(err)
	}
	p0, p1 := out.parts[0], out.parts[1]
	if out.read != 7 || p0 == nil || p1 == nil || p0.read != 7 || p0.rejected != 2 || p0.formats[0] != 5 || p0.messages[21] != 5 ||
		len(p0.keyless) != 1 || p0.keyless[0] != (statCell{major: "Droit", age: 30, n: 3}) {
		t.Fatalf("partition 0: read %d, %+v", out.read, p0)
	}
	if len(p1.latest) != 1 || len(p1.dead) != 1 {
		t.Fatalf("partition 1: %+v", p1)
	}
	r := p1.latest[0]
	if r.offset != 17 || r.tm != "2026-11-23T10:00:00Z" || r.rec.Key != "2026-00001" || r.rec.Type != "student.updated" ||
		r.rec.FirstName != "AWA" || r.rec.LastName != "DIOP" || r.rec.Age != 22 || r.rec.Major != "Gestion" || r.rec.Class != "L3" ||
		r.rec.Time.UnixMilli() != 1700000000000 {
		t.Fatalf("latest record %+v", r)
	}
	if d := p1.dead[0]; d.offset != 9 || string(d.key) != "k" || string(d.value) != "{" || d.reason != "invalid JSON" || d.headers != "[]" || d.timestampMil != 1700000000001 {
		t.Fatalf("rejected message %+v", d)
	}
	if out, err := readSparkTable(nil); err != nil || out.read != 0 || len(out.parts) != 0 {
		t.Fatalf("no row: %+v, %v", out, err)
	}

	for _, tc := range []struct {
		name string
		cols int
		row  []any
		want string
	}{
		{"columns", colCount - 1, good[0][:colCount-1], "18 columns"},
		{"kind", colCount, []any{0, "x", "", nil, 0, 1, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}, `kind "x"`},
		{"count", colCount, []any{0, "m", "0:x", nil, 0, 1, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil}, `count "0:x"`},
		{"age", colCount, []any{0, "k", "", "K", 0, 1, 3, nil, nil, 0, "A", "B", 151, "M", "", nil, nil, nil, nil}, "age 151"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := readSparkTable(decodedTable(t, tc.cols, [][]any{tc.row})); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %q", err, tc.want)
			}
		})
	}
}
