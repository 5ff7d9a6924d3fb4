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
	v, err := sjsonTyped(raw, e)
	if err != nil {
		return nil, fmt.Errorf("a stored %s: %w", e.Type, err)
	}
	return v, nil
}

// sjsonTyped is raw as the BSON value of e's type.
func sjsonTyped(raw json.RawMessage, e *sjsonElem) (any, error) {
	switch e.Type {
	case "object":
		fields, err := jsonAs[map[string]json.RawMessage](raw)
		if err != nil {
			return nil, err
		}
		return sjsonObject(fields, e.Schema)
	case "array":
		items, err := jsonAs[[]json.RawMessage](raw)
		if err != nil {
			return nil, err
		}
		if len(items) != len(e.Items) {
			return nil, fmt.Errorf("%d values typed for %d", len(items), len(e.Items))
		}
		a := make(bson.A, len(items))
		for i := range items {
			if a[i], err = sjsonValue(items[i], e.Items[i]); err != nil {
				return nil, err
			}
		}
		return a, nil
	case "double":
		return jsonAs[float64](raw)
	case "string":
		return jsonAs[string](raw)
	case "objectId":
		hex, err := jsonAs[string](raw)
		if err != nil {
			return nil, err
		}
		return bson.ObjectIDFromHex(hex)
	case "bool":
		return jsonAs[bool](raw)
	case "date":
		ms, err := jsonAs[int64](raw)
		return bson.DateTime(ms), err
	case "null":
		return nil, nil
	case "int":
		return jsonAs[int32](raw)
	case "long":
		return jsonAs[int64](raw)
	case "timestamp":
		t, err := jsonAs[uint64](raw)
		return bson.Timestamp{T: uint32(t >> 32), I: uint32(t)}, err
	case "binData":
		if e.Subtype == nil {
			return nil, errors.New("no subtype")
		}
		b, err := jsonAs[[]byte](raw)
		return bson.Binary{Subtype: *e.Subtype, Data: b}, err
	case "regex":
		p, err := jsonAs[string](raw)
		return bson.Regex{Pattern: p, Options: e.Options}, err
	}
	return nil, errors.New("unknown type")
}

// jsonAs decodes raw as a T.
func jsonAs[T any](raw json.RawMessage) (T, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}
