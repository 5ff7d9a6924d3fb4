// Package analytics is the event-stream job of the statistics office: it
// reads student events from Kafka in a consumer group, keeps the students
// the stream describes, and reports the age distribution per major
// (SQLite analytics.db, a box plot, a Markdown and a PDF report). It
// replaces the school's first, Spark-based version.
package analytics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"scolarite/domain"
)

// Format is how a message was written.
type Format int

const (
	FormatEvent   Format = iota // our events (stream.Message)
	FormatOldJSON               // {"first_name","last_name","age","major"}
	FormatOldCSV                // first_name,last_name,age,major
	formats
)

func (f Format) String() string {
	return [...]string{"event", "json", "csv"}[f]
}

// Age bounds a message may carry; outside them it is rejected.
const (
	MinValidAge = 1
	MaxValidAge = 150
)

// Record is one student as a message describes it, transformed: names
// upper-cased, major and class trimmed.
type Record struct {
	Format    Format
	Type      string // event type; "" for the old formats
	Key       string // matricule (our events' key); "" when the message stands alone
	Time      time.Time
	FirstName string
	LastName  string
	Age       int
	Major     string
	Class     string
}

// Deleted reports a student.deleted event.
func (r *Record) Deleted() bool { return r.Type == domain.EventStudentDeleted }

// isKnownType reports one of the domain's event types (a message of
// another type is not ours: rejected, to the DLQ).
func isKnownType(t string) bool { return slices.Contains(domain.EventTypes, t) }

// wire holds the raw members of a JSON message; a "type" makes it ours.
type wire struct {
	typ, time, first, last, age, major, class []byte
}

// wireNames are the members of wire, in the order of (*wire).field.
var wireNames = [...]string{"type", "time", "first_name", "last_name", "age", "major", "class"}

func (w *wire) field(i int) *[]byte {
	return [...]*[]byte{&w.typ, &w.time, &w.first, &w.last, &w.age, &w.major, &w.class}[i]
}

func (w *wire) set(key, val []byte) {
	if len(key) >= 2 && bytes.IndexByte(key, '\\') < 0 {
		switch string(key[1 : len(key)-1]) { // exact names first: no allocation
		case "type":
			w.typ = val
			return
		case "time":
			w.time = val
			return
		case "first_name":
			w.first = val
			return
		case "last_name":
			w.last = val
			return
		case "age":
			w.age = val
			return
		case "major":
			w.major = val
			return
		case "class":
			w.class = val
			return
		}
	}
	for i, name := range wireNames { // as encoding/json: case folded, escapes
		if keyIs(key, name) {
			*w.field(i) = val
			return
		}
	}
}

// Decoder decodes messages, sharing the strings that repeat (event types,
// majors, classes) between the records it returns. Not safe for
// concurrent use; the zero value works.
type Decoder struct {
	shared map[string]string
}

// maxShared bounds the strings a Decoder keeps (a stream of random majors
// must not grow it without end).
const maxShared = 1024

// share returns raw as a string, the same one each time it repeats.
func (d *Decoder) share(raw []byte) string {
	if s, ok := d.shared[string(raw)]; ok {
		return s
	}
	s := string(raw)
	if d.shared == nil {
		d.shared = map[string]string{}
	}
	if len(d.shared) < maxShared {
		d.shared[s] = s
	}
	return s
}

// Decode reads one message with a fresh Decoder.
func Decode(key, value []byte, ts time.Time) (Record, error) {
	var d Decoder
	return d.Decode(key, value, ts)
}

// Decode reads one message. key is the record's key and ts its timestamp
// (the time of the old formats). The error is the reason for the
// dead-letter topic.
func (d *Decoder) Decode(key, value []byte, ts time.Time) (Record, error) {
	v := bytes.TrimSpace(value)
	if len(v) == 0 {
		return Record{}, errors.New("empty message")
	}
	if v[0] == '{' {
		return d.decodeJSON(key, v, ts)
	}
	if v[0] == '[' {
		return Record{}, errors.New("a JSON array: one student per message is expected")
	}
	return decodeCSV(v, ts)
}

func (d *Decoder) decodeJSON(key, v []byte, ts time.Time) (Record, error) {
	var w wire
	if err := scanObject(v, &w); err != nil {
		return Record{}, err
	}
	var fields [5]string // type, first, last, major, class; names transformed
	for i, raw := range [][]byte{w.typ, w.first, w.last, w.major, w.class} {
		if raw == nil {
			continue
		}
		isName := i == 1 || i == 2
		if len(raw) >= 2 && raw[0] == '"' && plainString(raw[1:len(raw)-1]) {
			inner := raw[1 : len(raw)-1]
			switch {
			case !isName:
				fields[i] = d.share(inner)
				continue
			case isClean(string(inner)): // a conversion without copy: isClean keeps nothing
				fields[i] = upperBytes(inner) // one allocation, where a string then upper took two
				continue
			}
		}
		s, _, err := jsonString(raw)
		if err != nil {
			return Record{}, fmt.Errorf("%s: %w", [...]string{"type", "first_name", "last_name", "major", "class"}[i], err)
		}
		if isName {
			s = name(s)
		}
		fields[i] = s
	}
	r := Record{Format: FormatOldJSON, Time: ts}
	if w.typ != nil && string(w.typ) != "null" {
		r.Format, r.Type = FormatEvent, fields[0]
		if !isKnownType(r.Type) {
			return Record{}, fmt.Errorf("unknown event type %.40q", r.Type)
		}
		if len(key) > 0 {
			r.Key = string(key)
		}
		if w.time != nil && string(w.time) != "null" {
			if err := r.Time.UnmarshalJSON(w.time); err != nil {
				return Record{}, fmt.Errorf("time: %w", err)
			}
		}
	}
	age, err := jsonAge(w.age)
	if err != nil {
		return Record{}, err
	}
	r.Age = age
	return r.fill(fields[1], fields[2], fields[3], fields[4])
}

func jsonAge(raw []byte) (int, error) {
	if n := len(raw); n > 0 && n <= 3 && raw[0] >= '1' && raw[0] <= '9' {
		age := 0
		for _, c := range raw {
			if c < '0' || c > '9' {
				age = -1
				break
			}
			age = age*10 + int(c-'0')
		}
		if age >= MinValidAge && age <= MaxValidAge {
			return age, nil
		}
	}
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, errors.New("age: missing")
	}
	if s[0] == '"' {
		var txt string
		if err := json.Unmarshal(raw, &txt); err != nil {
			return 0, fmt.Errorf("age: %w", err)
		}
		s = strings.TrimSpace(txt)
	}
	return parseAge(s)
}

func parseAge(s string) (int, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("age: not a number (%.40q)", s)
	}
	if f != float64(int(f)) || f < MinValidAge || f > MaxValidAge {
		return 0, fmt.Errorf("age: must be whole years from %d to %d (got %s)", MinValidAge, MaxValidAge, s)
	}
	return int(f), nil
}

func decodeCSV(v []byte, ts time.Time) (Record, error) {
	if bytes.ContainsAny(v, "\r\n") {
		return Record{}, errors.New("several lines: one student per message is expected")
	}
	var fields []string
	if bytes.IndexByte(v, '"') >= 0 {
		rd := csv.NewReader(bytes.NewReader(v))
		rd.TrimLeadingSpace = true
		var err error
		if fields, err = rd.Read(); err != nil {
			return Record{}, fmt.Errorf("neither JSON nor CSV: %w", err)
		}
	} else {
		fields = strings.Split(string(v), ",")
	}
	if len(fields) != 4 {
		return Record{}, fmt.Errorf("neither JSON nor CSV first_name,last_name,age,major (%d fields)", len(fields))
	}
	age, err := parseAge(strings.TrimSpace(fields[2]))
	if err != nil {
		return Record{}, err
	}
	r := Record{Format: FormatOldCSV, Time: ts, Age: age}
	return r.fill(name(fields[0]), name(fields[1]), fields[3], "")
}

// fill sets the names, already transformed (see name), trims major and
// class, and checks what is required.
func (r Record) fill(first, last, major, class string) (Record, error) {
	r.FirstName, r.LastName = first, last
	r.Major, r.Class = clean(major), clean(class)
	var missing []string
	for _, f := range []struct{ name, v string }{{"first_name", r.FirstName}, {"last_name", r.LastName}, {"major", r.Major}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return Record{}, fmt.Errorf("missing %s", strings.Join(missing, ", "))
	}
	return r, nil
}

// plainString reports a JSON string's content that needs no decoding:
// no escape, valid UTF-8.
func plainString(b []byte) bool {
	return bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b)
}

// name is a first or last name transformed: cleaned and upper-cased.
func name(s string) string { return upper(clean(s)) }

// upperBytes is strings.ToUpper(string(b)) for valid UTF-8 b, with one
// allocation.
func upperBytes(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			sb.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		sb.WriteRune(unicode.ToUpper(r))
		i += size
	}
	return sb.String()
}

// upper is strings.ToUpper with one allocation for ASCII text.
func upper(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.ToUpper(s)
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return b.String()
}

// clean trims and collapses inner runs of white space.
func clean(s string) string {
	if isClean(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// isClean reports, cheaply, a string clean leaves as it is: no white
// space but single ASCII spaces between words (nor a byte that may start
// a Unicode space).
func isClean(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	prev := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < ' ' || c == 0x7f || c == 0xc2 || c == 0xe1 || c == 0xe2 || c == 0xe3 || (c == ' ' && prev == ' ') {
			return false
		}
		prev = c
	}
	return true
}
