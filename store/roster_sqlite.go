package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

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
