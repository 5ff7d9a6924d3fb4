package analytics

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// recordRun is the records of one partition in a batch, encoded for a
// row of record_batches by the processor that decoded them: encoding is
// spread over the processors instead of the single writer, and no copy
// of the decoded records waits for it.
type recordRun struct {
	partition   int32
	first, last int64
	json        []byte // [[offset, key, ...], ...]; nil when empty
}

// add appends the record at offset (offsets increase from call to call).
func (run *recordRun) add(offset int64, r *Record) {
	if len(run.json) == 0 {
		run.json = append(run.json[:0], '[')
		run.first = offset
	} else {
		run.json = append(run.json, ',')
	}
	run.last = offset
	run.json = appendRecord(run.json, offset, r)
}

// empty reports a run without records.
func (run *recordRun) empty() bool { return len(run.json) == 0 }

// end closes the array, after the last add.
func (run *recordRun) end() {
	if !run.empty() {
		run.json = append(run.json, ']')
	}
}

// insertRuns stores a batch's records, one row per partition.
func insertRuns(ctx context.Context, tx *sql.Tx, topic string, runs []*recordRun) error {
	if len(runs) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO record_batches VALUES (?, ?, ?, ?, CAST(? AS TEXT))`)
	if err != nil {
		return fmt.Errorf("store records of %s: %w", topic, err)
	}
	defer stmt.Close()
	for _, run := range runs {
		if run.empty() {
			continue
		}
		if _, err := stmt.ExecContext(ctx, topic, int64(run.partition), run.first, run.last, run.json); err != nil {
			return fmt.Errorf("store records of %s[%d]: %w", topic, run.partition, err)
		}
	}
	return nil
}

// oldTypes is the stored type of the old formats' records.
var oldTypes = [formats]string{"old-" + FormatEvent.String(), "old-" + FormatOldJSON.String(), "old-" + FormatOldCSV.String()}

// appendRecord writes the record at offset as a JSON array (see the
// schema).
func appendRecord(b []byte, offset int64, r *Record) []byte {
	b = append(b, '[')
	b = strconv.AppendInt(b, offset, 10)
	b = append(b, ',')
	if r.Key == "" {
		b = append(b, "null"...)
	} else {
		b = appendJSONString(b, r.Key)
	}
	b = append(b, ',')
	typ := r.Type
	if typ == "" {
		typ = oldTypes[r.Format]
	}
	b = appendJSONString(b, typ)
	b = append(b, ',')
	b = strconv.AppendInt(b, r.Time.UnixMilli(), 10)
	for _, f := range [...]string{r.FirstName, r.LastName} {
		b = append(b, ',')
		b = appendJSONString(b, f)
	}
	b = append(b, ',')
	b = strconv.AppendInt(b, int64(r.Age), 10)
	for _, f := range [...]string{r.Major, r.Class} {
		b = append(b, ',')
		b = appendJSONString(b, f)
	}
	return append(b, ']')
}

// appendJSONString writes s as a JSON string; invalid UTF-8 becomes
// U+FFFD, as encoding/json does. Runs of plain bytes (valid multi-byte
// characters included) are copied at once, in one pass over s.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
		} else if c >= 0x20 && c != '"' && c != '\\' {
			i++
			continue
		}
		b = append(b, s[start:i]...)
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default: // a byte that is not UTF-8
			b = append(b, `\ufffd`...)
		}
		i++
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// LiveStudents returns, for each matricule the topic's stored records
// describe as existing (their latest event is not a deletion), that
// latest record: the embedded demo publishes a deletion for those no
// longer in the store.
func (d *DB) LiveStudents(ctx context.Context, topic string) (map[string]Record, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT r.value->>1, r.value->>2, r.value->>4, r.value->>5, r.value->>6, r.value->>7, r.value->>8
		FROM record_batches b, json_each(b.records) r
		WHERE b.topic = ? AND r.value->>1 IS NOT NULL ORDER BY b."partition", b.first_offset, r.key`, topic)
	if err != nil {
		return nil, fmt.Errorf("read the students of %s: %w", topic, err)
	}
	defer rows.Close()
	live := map[string]Record{}
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.Key, &r.Type, &r.FirstName, &r.LastName, &r.Age, &r.Major, &r.Class); err != nil {
			return nil, fmt.Errorf("read the students of %s: %w", topic, err)
		}
		if r.Deleted() {
			delete(live, r.Key)
		} else {
			live[r.Key] = r
		}
	}
	return live, rows.Err()
}
