package store

import (
	"context"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// findByIDs reads the documents of ids from coll: on the embedded store
// from its SQLite file (file not nil) in one query; else, or when that
// fails, one `_id` command each (FerretDB 1.24 hands SQLite a filter only
// when it is one `_id`; an `$in` decodes the whole collection). found[i]
// says whether ids[i] was there; docs[i] is its document.
func findByIDs[T any](ctx context.Context, file *ferretFile, coll *mongo.Collection, ids []bson.ObjectID) (docs []T, found []bool, err error) {
	docs, found = make([]T, len(ids)), make([]bool, len(ids))
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
	tables, err := ferretTables(ctx, f.db)
	if err != nil {
		return nil, err
	}
	table, ok := tables[coll]
	if !ok {
		return nil, fmt.Errorf("no %s table in FerretDB's metadata", coll)
	}
	out := make(map[bson.ObjectID]bson.Raw, len(ids))
	for start := 0; start < len(ids); start += studentsByIDBatch {
		part := ids[start:min(len(ids), start+studentsByIDBatch)]
		args := make([]any, 0, len(part))
		for _, id := range part {
			args = append(args, `"`+id.Hex()+`"`) // FerretDB's JSON of an ObjectID _id
		}
		q := fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' IN (?%s)`, table, strings.Repeat(", ?", len(args)-1))
		if err := f.query(ctx, q, args, func(raw []byte) error {
			doc, err := sjsonDocument(raw)
			if err != nil {
				return err
			}
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
