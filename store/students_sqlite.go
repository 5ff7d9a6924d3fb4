package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

// studentsByID reads whole students by _id straight from FerretDB's
// SQLite file, as rows reads the roster: through FerretDB a student of
// 60 grades costs milliseconds of decoding, and a filter on many _id
// values reads every student of the school (66 s for a class's grade
// sheet in a school of 10,000, where it read them all). Here each ID is
// one lookup in the _id index this package adds (sqlite_index.go), and
// encoding/json decodes the document. The documents are FerretDB's
// committed ones (WAL mode), read-only; a document of another shape is
// an error, and ByIDs then asks FerretDB.
func (f *ferretFile) studentsByID(ctx context.Context, ids []string) ([]*domain.Student, error) {
	tables, err := ferretTables(ctx, f.db)
	if err != nil {
		return nil, err
	}
	table, ok := tables[studentsColl]
	if !ok {
		return nil, errors.New("no students table in FerretDB's metadata")
	}
	byID := make(map[string]*domain.Student, len(ids))
	for start := 0; start < len(ids); start += sqliteIDBatch {
		if err := f.readStudents(ctx, table, ids[start:min(len(ids), start+sqliteIDBatch)], byID); err != nil {
			return nil, err
		}
	}
	return inOrder(ids, byID), nil
}

// readStudents reads the students of ids into byID.
func (f *ferretFile) readStudents(ctx context.Context, table string, ids []string, byID map[string]*domain.Student) error {
	args := make([]any, 0, len(ids))
	for _, id := range ids {
		if oid, ok := parseID(id); ok {
			// FerretDB's value of an ObjectID _id in its JSON: the hex string, quoted.
			args = append(args, `"`+oid.Hex()+`"`)
		}
	}
	if len(args) == 0 {
		return nil
	}
	q := fmt.Sprintf(`SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' IN (?%s)`, table, strings.Repeat(", ?", len(args)-1))
	var raws [][]byte
	if err := f.query(ctx, q, args, func(raw []byte) error {
		raws = append(raws, raw)
		return nil
	}); err != nil {
		return fmt.Errorf("read students by id: %w", err)
	}
	students, err := decodeStudents(raws)
	if err != nil {
		return err
	}
	for _, st := range students {
		if st != nil {
			byID[st.ID] = st
		}
	}
	return nil
}

// decodeStudents decodes documents on every CPU: decoding, not reading,
// is most of a class's read (a student of 60 grades is about 5 KB of
// JSON). A tombstone decodes to nil.
func decodeStudents(raws [][]byte) ([]*domain.Student, error) {
	out := make([]*domain.Student, len(raws))
	errs := make([]error, len(raws))
	workers := min(runtime.GOMAXPROCS(0), len(raws))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(raws); i += workers {
				d, err := decodeSJSONStudent(raws[i])
				if err != nil {
					errs[i] = err
					continue
				}
				if !d.Deleted {
					out[i], errs[i] = d.student()
				}
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// sjsonStudent is a student document as FerretDB stores it: studentDoc's
// fields under the same names, an ObjectID as its hex string, a date as
// its Unix milliseconds, and a type schema ("$s") left unread.
type sjsonStudent struct {
	studentDoc
	ObjectID  string        `json:"_id"`
	Grades    []sjsonGrade  `json:"grades"`
	Remarks   []sjsonRemark `json:"remarks"`
	CreatedAt int64         `json:"created_at"`
	UpdatedAt int64         `json:"updated_at"`
}

type sjsonGrade struct {
	gradeDoc
	Date int64 `json:"date"`
}

type sjsonRemark struct {
	remarkDoc
	At int64 `json:"at"`
}

// decodeSJSONStudent decodes a student document of FerretDB's SQLite
// file into the studentDoc the FerretDB driver path decodes. raw is
// overwritten.
func decodeSJSONStudent(raw []byte) (*studentDoc, error) {
	var s sjsonStudent
	if err := json.Unmarshal(withoutSchema(raw), &s); err != nil {
		return nil, fmt.Errorf("decode a student: %w", err)
	}
	oid, err := bson.ObjectIDFromHex(s.ObjectID)
	if err != nil || s.Number == "" || s.Version < 1 {
		return nil, fmt.Errorf("a student document of another shape: %.80s", raw)
	}
	d := s.studentDoc
	d.ID = oid
	d.CreatedAt, d.UpdatedAt = fromMillis(s.CreatedAt), fromMillis(s.UpdatedAt)
	d.Grades = make([]gradeDoc, len(s.Grades))
	for i, g := range s.Grades {
		d.Grades[i] = g.gradeDoc
		d.Grades[i].Date = fromMillis(g.Date)
	}
	d.Remarks = nil
	for _, r := range s.Remarks {
		rd := r.remarkDoc
		rd.At = fromMillis(r.At)
		d.Remarks = append(d.Remarks, rd)
	}
	return &d, nil
}

// fromMillis is a BSON date as the driver decodes it: UTC, milliseconds.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// schemaKey starts every document FerretDB writes: its type schema, which
// describes each field of each grade and is twice the size of the
// student's data.
const schemaKey = `{"$s":`

// withoutSchema is the document raw without its leading schema, for
// encoding/json not to read it at all (it checks and then skips every
// byte of a value it has no field for: two thirds of the time of a
// student's decoding). It cuts raw in place; a document of another
// form is returned as it is.
func withoutSchema(raw []byte) []byte {
	if !bytes.HasPrefix(raw, []byte(schemaKey)) {
		return raw
	}
	end := valueEnd(raw, len(schemaKey))
	switch {
	case end < 0 || end >= len(raw):
		return raw
	case raw[end] == ',':
		raw[end] = '{'
		return raw[end:]
	case raw[end] == '}':
		return []byte("{}") // nothing but the schema
	}
	return raw
}

// valueEnd is the index just past the JSON object or array starting at
// raw[i], or -1 when it does not end.
func valueEnd(raw []byte, i int) int {
	if i >= len(raw) || raw[i] != '{' && raw[i] != '[' {
		return -1
	}
	depth, inString := 0, false
	for ; i < len(raw); i++ {
		c := raw[i]
		switch {
		case inString && c == '\\':
			i++ // the escaped character
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}
