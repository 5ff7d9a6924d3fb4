package store

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FerretDB 1.24 stores each document in SQLite as "SJSON": the values as
// JSON beside a type schema under "$s" that says what JSON cannot (an
// ObjectID is a hex string, a date its Unix milliseconds, an int32 and an
// int64 are both numbers). sjsonDocument turns one back into the BSON
// document FerretDB would have returned, so that the usual bson tags
// decode it; see FerretDB's internal/handler/sjson for the format.

type sjsonSchema struct {
	Keys  []string              `json:"$k"`
	Props map[string]*sjsonElem `json:"p"`
}

type sjsonElem struct {
	Type    string       `json:"t"`
	Schema  *sjsonSchema `json:"$s"`
	Items   []*sjsonElem `json:"i"`
	Subtype *byte        `json:"s"`
	Options string       `json:"o"`
}

// sjsonDocument converts one stored document to BSON.
func sjsonDocument(raw []byte) (bson.Raw, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, fmt.Errorf("decode a stored document: %w", err)
	}
	var sch sjsonSchema
	if err := json.Unmarshal(fields["$s"], &sch); err != nil {
		return nil, fmt.Errorf("decode a stored document's schema: %w", err)
	}
	d, err := sjsonObject(fields, &sch)
	if err != nil {
		return nil, err
	}
	return bson.Marshal(d)
}

func sjsonObject(fields map[string]json.RawMessage, sch *sjsonSchema) (bson.D, error) {
	if sch == nil {
		return nil, errors.New("a stored object without its schema")
	}
	d := make(bson.D, 0, len(sch.Keys))
	for _, k := range sch.Keys {
		e, ok := sch.Props[k]
		if !ok {
			return nil, fmt.Errorf("field %q of a stored document has no type", k)
		}
		v, err := sjsonValue(fields[k], e)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", k, err)
		}
		d = append(d, bson.E{Key: k, Value: v})
	}
	return d, nil
}

func sjsonValue(raw json.RawMessage, e *sjsonElem) (any, error) {
	if e == nil {
		return nil, errors.New("a stored value without its type")
	}
	var err error
	switch e.Type {
	case "object":
		var fields map[string]json.RawMessage
		if err = json.Unmarshal(raw, &fields); err == nil {
			return sjsonObject(fields, e.Schema)
		}
	case "array":
		var items []json.RawMessage
		if err = json.Unmarshal(raw, &items); err == nil {
			if len(items) != len(e.Items) {
				return nil, fmt.Errorf("an array of %d values typed for %d", len(items), len(e.Items))
			}
			a := make(bson.A, len(items))
			for i := range items {
				if a[i], err = sjsonValue(items[i], e.Items[i]); err != nil {
					return nil, err
				}
			}
			return a, nil
		}
	case "double":
		var f float64
		err = json.Unmarshal(raw, &f)
		return f, err
	case "string":
		var s string
		err = json.Unmarshal(raw, &s)
		return s, err
	case "objectId":
		var s string
		if err = json.Unmarshal(raw, &s); err == nil {
			return bson.ObjectIDFromHex(s)
		}
	case "bool":
		var b bool
		err = json.Unmarshal(raw, &b)
		return b, err
	case "date":
		var ms int64
		err = json.Unmarshal(raw, &ms)
		return bson.DateTime(ms), err
	case "null":
		return nil, nil
	case "int":
		var i int32
		err = json.Unmarshal(raw, &i)
		return i, err
	case "long":
		var i int64
		err = json.Unmarshal(raw, &i)
		return i, err
	case "timestamp":
		var t uint64
		err = json.Unmarshal(raw, &t)
		return bson.Timestamp{T: uint32(t >> 32), I: uint32(t)}, err
	case "binData":
		var b []byte
		if err = json.Unmarshal(raw, &b); err == nil && e.Subtype != nil {
			return bson.Binary{Subtype: *e.Subtype, Data: b}, nil
		}
	case "regex":
		var p string
		err = json.Unmarshal(raw, &p)
		return bson.Regex{Pattern: p, Options: e.Options}, err
	default:
		return nil, fmt.Errorf("unknown stored type %q", e.Type)
	}
	if err == nil {
		err = errors.New("malformed")
	}
	return nil, fmt.Errorf("a stored %s: %w", e.Type, err)
}
