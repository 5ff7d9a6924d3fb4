package analytics

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// The decoding's result is one row per matricule the range touched (a
// million for a million students): it is read from Spark's Arrow batches
// column by column, not as the client's rows of []any (Collect), which
// cost about 4 KB a row.

// readSparkTable reads sparkDecodeSQL's result; tbl is nil when it has no
// row.
func readSparkTable(tbl arrow.Table) (*sparkOutput, error) {
	out := &sparkOutput{parts: map[int32]*sparkDelta{}}
	if tbl == nil {
		return out, nil
	}
	if n := tbl.NumCols(); n != colCount {
		return nil, fmt.Errorf("spark: a decoded row has %d columns, want %d", n, colCount)
	}
	tr := array.NewTableReader(tbl, 0)
	defer tr.Release()
	for tr.Next() {
		rec := tr.Record()
		b := sparkBatch(rec.Columns())
		for i := range int(rec.NumRows()) {
			if err := out.add(b, i); err != nil {
				return nil, err
			}
		}
	}
	if err := tr.Err(); err != nil {
		return nil, fmt.Errorf("spark: read the decoded rows: %w", err)
	}
	return out, nil
}

// sparkBatch is the columns of one Arrow batch. A null, or a column of
// another type, reads as the zero value (as asInt and asString do).
type sparkBatch []arrow.Array

// int is integer column c at row i.
func (b sparkBatch) int(c, i int) int64 {
	if b[c].IsNull(i) {
		return 0
	}
	switch a := b[c].(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int8:
		return int64(a.Value(i))
	}
	return 0
}

// str is string column c at row i, sharing the batch's memory: for
// comparisons (text copies it).
func (b sparkBatch) str(c, i int) string {
	if b[c].IsNull(i) {
		return ""
	}
	switch a := b[c].(type) {
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	}
	return ""
}

// text is str copied: kept after the batch.
func (b sparkBatch) text(c, i int) string { return strings.Clone(b.str(c, i)) }

// bytes is binary column c at row i, sharing the batch's memory.
func (b sparkBatch) bytes(c, i int) []byte {
	if b[c].IsNull(i) {
		return nil
	}
	switch a := b[c].(type) {
	case *array.Binary:
		return a.Value(i)
	case *array.LargeBinary:
		return a.Value(i)
	}
	return nil
}
