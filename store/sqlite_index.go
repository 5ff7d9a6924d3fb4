package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strings"

	_ "modernc.org/sqlite" // the SQLite driver FerretDB itself links
)

// idIndexSuffix names the SQLite index this package adds to a FerretDB
// table, after the table's name as FerretDB names its own indexes
// (`<table>_<index>`). No MongoDB index name can reach it: FerretDB's
// own are `<table>_` followed by a name it got from a client, and this
// one is created only by idIndexes.
const idIndexSuffix = "_scolarite_id_expr"

// idIndexed are the collections read or written by _id on hot paths:
// one student (show, grades add, the detail screen), its lookup hints,
// its claims and its table row (every write replaces it), the counters,
// the leases, a class's curriculum and an evaluation (every mark reads
// them), a relevé issued (read by its code), and the outbox events and
// notification records, which are marked one by one by _id (every such
// write scanned the table), and their queues (entries written and
// deleted by _id; small, but a retried record's entry is updated). The
// audit trail is only ever inserted and read by other filters: an index
// there would cost every insert and serve nothing.
var idIndexed = []string{
	studentsColl, studentKeysColl, claimsColl, countersColl, leasesColl, usersColl,
	notificationsColl, notificationLeaseColl, eventsColl, importsColl, curriculaColl, evaluationsColl, rosterColl,
	notifiedQueueColl, publishedQueueColl, dueColl, regulationsColl, juryColl,
	relevesColl,
}

// fieldIndexed are the collections read by a filter on fields on hot
// paths, and those fields, in the order of their SQLite index: a class's
// evaluations of a semester (every mark, grade sheet and student detail
// reads them; thousands in a school) and a year's curricula (one class's,
// or all). The store reads them from the file (findWhere) by the
// expression of each field (fieldExpr), which this index is on; FerretDB
// itself never uses it.
var fieldIndexed = map[string][]string{
	evaluationsColl: {"class", "semester", "year"},
	curriculaColl:   {"year", "class"},
}

// fieldIndexSuffix names the index of fieldIndexed's fields on a table,
// as idIndexSuffix does.
const fieldIndexSuffix = "_scolarite_fields_expr"

// idIndexes adds to each table of idIndexed the one SQLite index FerretDB
// 1.24 lacks. FerretDB pushes a filter of exactly one `_id` (a string or
// an ObjectID) down to SQLite as `_ferretdb_sjson->'$._id' = ?`, and
// writes (update, delete) each document the same way, but its `_id_` index
// is on `_ferretdb_sjson->"_id"`, an expression SQLite does not take for
// the same one: every such query scanned the table, parsing each document
// (about 85 µs for a student with 60 grades, 1.7 s at 20,000 students).
// An index on FerretDB's own expression makes those lookups O(log n).
//
// FerretDB does not know this index: it is not in its metadata, so
// listIndexes does not show it and dropIndexes cannot drop it; SQLite
// keeps it current on every write and drops it with its table. It is
// created on the SQLite file directly, beside FerretDB's connections
// (FerretDB runs SQLite in WAL mode with a 10 s busy timeout, as this
// connection does), and only on the embedded store: a real MongoDB uses
// its own `_id` index. Creating it on a large existing table takes about
// a second, once; afterwards IF NOT EXISTS makes it free. The index of
// fieldIndexed's fields is added the same way, beside it.
func idIndexes(ctx context.Context, sqliteDir, dbName string) error {
	path, err := filepath.Abs(filepath.Join(sqliteDir, dbName+".sqlite"))
	if err != nil {
		return fmt.Errorf("index _id: %w", err)
	}
	u := url.URL{Scheme: "file", Path: path, RawQuery: "_pragma=busy_timeout(10000)&_pragma=journal_mode(wal)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return fmt.Errorf("open %s to index _id: %w", path, err)
	}
	defer db.Close()
	tables, err := ferretTables(ctx, db)
	if err != nil {
		return fmt.Errorf("index _id in %s: %w", path, err)
	}
	var errs []error
	for coll, table := range tables {
		if fields, ok := fieldIndexed[coll]; ok {
			exprs := make([]string, len(fields))
			for i, f := range fields {
				exprs[i] = fieldExpr(f)
			}
			q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (%s)`, table+fieldIndexSuffix, table, strings.Join(exprs, ", "))
			if _, err := db.ExecContext(ctx, q); err != nil {
				errs = append(errs, fmt.Errorf("index %v of %s in %s: %w", fields, coll, path, outOfSpace(err)))
			}
		}
		if !slices.Contains(idIndexed, coll) {
			continue
		}
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, table+idIndexSuffix, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("index _id of %s in %s: %w", coll, path, outOfSpace(err)))
		}
	}
	return errors.Join(errs...)
}

// ferretTables maps each collection of a FerretDB SQLite file to its table,
// from FerretDB's metadata table.
func ferretTables(ctx context.Context, db *sql.DB) (map[string]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		return nil, fmt.Errorf("read FerretDB's collections: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			return nil, fmt.Errorf("read FerretDB's collections: %w", err)
		}
		out[name] = table
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read FerretDB's collections: %w", err)
	}
	return out, nil
}
