package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// ferretFile reads documents of the embedded store straight from
// FerretDB's SQLite file: the roster's rows, a class's students
// (students_sqlite.go), the events and notification records the queues
// hand out, a class's evaluations and curricula (below). Through FerretDB, each document costs ~125 µs
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
		return nil, fmt.Errorf("open %s to read documents: %w", path, err)
	}
	return &ferretFile{db: db}, nil
}

func (f *ferretFile) Close() error { return f.db.Close() }

// sqliteIDBatch is how many ids one SQLite query asks for (SQLite takes up
// to 32,766 parameters).
const sqliteIDBatch = 500

// findByIDs reads the documents of ids from coll: on the embedded store
// from its SQLite file (file not nil) in one query; else, or when that
// fails, one `_id` command each (FerretDB 1.24 hands SQLite a filter only
// when it is one `_id`; an `$in` decodes the whole collection). found[i]
// says whether ids[i] was there; docs[i] is its document.
func findByIDs[T any](ctx context.Context, file *ferretFile, coll *mongo.Collection, ids []bson.ObjectID) (docs []T, found []bool, err error) {
	docs, found = make([]T, len(ids)), make([]bool, len(ids))
	if len(ids) == 0 {
		return docs, found, nil
	}
	if file != nil {
		if err := fromFile(ctx, file, coll.Name(), ids, docs, found); err == nil {
			return docs, found, nil
		}
		clear(found)
		clear(docs)
	}
	for i, id := range ids {
		err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&docs[i])
		switch {
		case isNoDocuments(err):
		case err != nil:
			return nil, nil, fmt.Errorf("read %s %s: %w", coll.Name(), id.Hex(), err)
		default:
			found[i] = true
		}
	}
	return docs, found, nil
}

// docsByID reads the documents of ids in coll straight from FerretDB's
// SQLite file (committed documents, WAL mode), one query for the lot, by
// the `_id` index this package adds (sqlite_index.go).
func (f *ferretFile) docsByID(ctx context.Context, coll string, ids []bson.ObjectID) (map[bson.ObjectID]bson.Raw, error) {
	table, err := f.table(ctx, coll)
	if err != nil {
		return nil, err
	}
	out := make(map[bson.ObjectID]bson.Raw, len(ids))
	for start := 0; start < len(ids); start += sqliteIDBatch {
		part := ids[start:min(len(ids), start+sqliteIDBatch)]
		args := make([]any, 0, len(part))
		for _, id := range part {
			args = append(args, `"`+id.Hex()+`"`) // FerretDB's JSON of an ObjectID _id
		}
		where := fmt.Sprintf(`_ferretdb_sjson->'$._id' IN (?%s)`, strings.Repeat(", ?", len(args)-1))
		if err := f.docs(ctx, table, where, args, func(doc bson.Raw) error {
			id, ok := doc.Lookup("_id").ObjectIDOK()
			if !ok {
				return fmt.Errorf("a %s document without an ObjectID _id", coll)
			}
			out[id] = doc
			return nil
		}); err != nil {
			return nil, fmt.Errorf("read %s by id: %w", coll, err)
		}
	}
	return out, nil
}

// fieldEq is one condition of a filter: a top-level field equal to a
// string (the MongoDB filter {key: value} on a field that is always one).
type fieldEq struct{ Key, Value string }

// filterOf is the MongoDB filter of conds.
func filterOf(conds []fieldEq) bson.D {
	d := make(bson.D, len(conds))
	for i, c := range conds {
		d[i] = bson.E{Key: c.Key, Value: c.Value}
	}
	return d
}

// docsWhere reads the documents of coll whose fields equal conds'
// strings straight from FerretDB's SQLite file, in one query on the JSON
// of each field (`_ferretdb_sjson->>'$.<key>' = ?`, the expression of the
// field indexes this package adds: sqlite_index.go). A JSON string is
// the only value `->>` turns into equal text, as a string is the only
// value those fields hold; each document read is checked to hold conds'
// strings again, so a document of another shape is an error.
func (f *ferretFile) docsWhere(ctx context.Context, coll string, conds []fieldEq) ([]bson.Raw, error) {
	table, err := f.table(ctx, coll)
	if err != nil {
		return nil, err
	}
	where, args, err := whereOf(conds)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", coll, err)
	}
	var out []bson.Raw
	if err := f.docs(ctx, table, where, args, func(doc bson.Raw) error {
		for _, c := range conds {
			if v, ok := doc.Lookup(c.Key).StringValueOK(); !ok || v != c.Value {
				return fmt.Errorf("a %s document whose %s is not %q", coll, c.Key, c.Value)
			}
		}
		out = append(out, doc)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read %s where %v: %w", coll, conds, err)
	}
	return out, nil
}

// whereOf is the SQL condition of conds and its arguments.
func whereOf(conds []fieldEq) (string, []any, error) {
	if len(conds) == 0 {
		return "1", nil, nil
	}
	parts := make([]string, len(conds))
	args := make([]any, len(conds))
	for i, c := range conds {
		if !plainKey(c.Key) {
			return "", nil, fmt.Errorf("field %q cannot be read from the file", c.Key)
		}
		parts[i], args[i] = fieldExpr(c.Key)+" = ?", c.Value
	}
	return strings.Join(parts, " AND "), args, nil
}

// fieldExpr is the SQL expression of a top-level field's value, as text
// for a JSON string: the one the field indexes are on.
func fieldExpr(key string) string { return `_ferretdb_sjson->>'$.` + key + `'` }

// plainKey says whether key is a top-level field name fieldExpr can quote
// as it is (letters, digits and underscores).
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if r != '_' && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// table is the SQLite table of coll, from FerretDB's metadata.
func (f *ferretFile) table(ctx context.Context, coll string) (string, error) {
	tables, err := ferretTables(ctx, f.db)
	if err != nil {
		return "", err
	}
	table, ok := tables[coll]
	if !ok {
		return "", fmt.Errorf("no %s table in FerretDB's metadata", coll)
	}
	return table, nil
}

// docs runs `SELECT _ferretdb_sjson FROM table WHERE where` and hands
// each row's document, as the BSON FerretDB returns (sjsonDocument), to
// each.
func (f *ferretFile) docs(ctx context.Context, table, where string, args []any, each func(bson.Raw) error) error {
	q := fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE %s`, table, where)
	return f.query(ctx, q, args, func(raw []byte) error {
		doc, err := sjsonDocument(raw)
		if err != nil {
			return err
		}
		return each(doc)
	})
}

// query runs q and hands each row's one column to each.
func (f *ferretFile) query(ctx context.Context, q string, args []any, each func([]byte) error) error {
	rows, err := f.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var raw []byte
		if err := rows.Scan(&raw); err != nil {
			return err
		}
		if err := each(raw); err != nil {
			return err
		}
	}
	return rows.Err()
}

func fromFile[T any](ctx context.Context, file *ferretFile, coll string, ids []bson.ObjectID, docs []T, found []bool) error {
	byID, err := file.docsByID(ctx, coll, ids)
	if err != nil {
		return err
	}
	for i, id := range ids {
		raw, ok := byID[id]
		if !ok {
			continue
		}
		if err := bson.Unmarshal(raw, &docs[i]); err != nil {
			return fmt.Errorf("decode %s %s: %w", coll, id.Hex(), err)
		}
		found[i] = true
	}
	return nil
}

// findWhere reads the documents of coll matching conds: on the embedded
// store from its SQLite file (file not nil) in one query; else, or when
// that fails, through the server (where FerretDB 1.24 decodes every
// document of the collection to filter them: ~125 µs each).
func findWhere[T any](ctx context.Context, file *ferretFile, coll *mongo.Collection, conds []fieldEq) ([]T, error) {
	if file != nil {
		if docs, err := fromFileWhere[T](ctx, file, coll.Name(), conds); err == nil {
			return docs, nil
		}
	}
	cur, err := coll.Find(ctx, filterOf(conds))
	if err != nil {
		return nil, err
	}
	var docs []T
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return docs, nil
}

func fromFileWhere[T any](ctx context.Context, file *ferretFile, coll string, conds []fieldEq) ([]T, error) {
	raws, err := file.docsWhere(ctx, coll, conds)
	if err != nil {
		return nil, err
	}
	docs := make([]T, len(raws))
	for i, raw := range raws {
		if err := bson.Unmarshal(raw, &docs[i]); err != nil {
			return nil, fmt.Errorf("decode a %s document: %w", coll, err)
		}
	}
	return docs, nil
}
