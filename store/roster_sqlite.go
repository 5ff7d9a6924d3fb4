package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

// ferretFile reads documents of the embedded store straight from
// FerretDB's SQLite file: the roster's rows, a class's students
// (students_sqlite.go), the events and notification records the queues
// hand out (by_id.go). Through FerretDB, each document costs ~125 µs
// of decoding whatever its size (its JSON carries a type schema it parses
// with reflection): 2.5 s for 20,000 rows of 200 bytes, the whole of the
// wait between log-in and the first table. SQLite hands the same rows over
// in ~30 ms and encoding/json decodes them in about as much. The rows are
// the ones FerretDB would return: committed documents of the same file
// (WAL mode: a reader sees the last commit), read-only. Any surprise (a
// table not found, a document of another shape) makes the reader fall
// back to FerretDB's answer; a real MongoDB never takes this path.
type ferretFile struct {
	db *sql.DB
}

func openFerretFile(sqliteDir, dbName string) (*ferretFile, error) {
	path, err := filepath.Abs(filepath.Join(sqliteDir, dbName+".sqlite"))
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "file", Path: path, RawQuery: "mode=ro&_pragma=busy_timeout(10000)"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, fmt.Errorf("open %s to read the roster: %w", path, err)
	}
	return &ferretFile{db: db}, nil
}

func (f *ferretFile) Close() error { return f.db.Close() }

// sjsonRow is a roster document as FerretDB stores it: the row's fields
// under the names domain.RosterRow's JSON uses (an ObjectID as its hex
// string, under _id; the terms packed in a string, which this field takes
// before the row's), beside a type schema ("$s") left unread.
type sjsonRow struct {
	domain.RosterRow
	ObjectID string `json:"_id"`
	Terms    string `json:"terms"`
}

// rows reads every roster row.
func (f *ferretFile) rows(ctx context.Context) ([]domain.RosterRow, error) {
	tables, err := ferretTables(ctx, f.db)
	if err != nil {
		return nil, err
	}
	table, ok := tables[rosterColl]
	if !ok {
		return nil, errors.New("no roster table in FerretDB's metadata")
	}
	res, err := f.db.QueryContext(ctx, fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q`, table))
	if err != nil {
		return nil, fmt.Errorf("read the roster table: %w", err)
	}
	defer res.Close()
	var out []domain.RosterRow
	var raw []byte
	for res.Next() {
		if err := res.Scan(&raw); err != nil {
			return nil, fmt.Errorf("read the roster table: %w", err)
		}
		var r sjsonRow
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("decode a roster row: %w", err)
		}
		if _, err := bson.ObjectIDFromHex(r.ObjectID); err != nil || r.Number == "" {
			return nil, fmt.Errorf("a roster row of another shape: %.80s", raw)
		}
		r.RosterRow.ID, r.RosterRow.Terms = r.ObjectID, unpackTerms(r.Terms)
		out = append(out, r.RosterRow)
	}
	if err := res.Err(); err != nil {
		return nil, fmt.Errorf("read the roster table: %w", err)
	}
	return out, nil
}
