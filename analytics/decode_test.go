package analytics

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

var ts = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestDecode(t *testing.T) {
	cases := []struct {
		name, key, in string
		want          Record
		err           string
	}{
		{name: "our event", key: "2026-00001",
			in:   `{"type":"student.created","time":"2026-11-20T08:00:00Z","first_name":"Ndèye","last_name":"Diop-Sow","age":21,"major":" Génie  civil ","class":"L3-GC"}`,
			want: Record{Format: FormatEvent, Type: "student.created", Key: "2026-00001", Time: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), FirstName: "NDÈYE", LastName: "DIOP-SOW", Age: 21, Major: "Génie civil", Class: "L3-GC"}},
		{name: "grade event with nested grade", key: "2026-00002",
			in:   `{"type":"grade.added","time":"2026-11-20T08:00:00Z","first_name":"Awa","last_name":"Ba","age":22,"major":"Gestion","class":"L1","grade":{"subject":"Maths","value":12.5,"coefficient":2}}`,
			want: Record{Format: FormatEvent, Type: "grade.added", Key: "2026-00002", Time: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC), FirstName: "AWA", LastName: "BA", Age: 22, Major: "Gestion", Class: "L1"}},
		{name: "old JSON", key: "ignored",
			in:   `{"first_name":"Fatou","last_name":"Sow","age":23,"major":"Informatique"}`,
			want: Record{Format: FormatOldJSON, Time: ts, FirstName: "FATOU", LastName: "SOW", Age: 23, Major: "Informatique"}},
		{name: "old JSON, age as text, escapes",
			in:   `{"first_name":"Ma\u00efmouna","last_name":"Ndiaye","age":" 24 ","major":"Droit"}`,
			want: Record{Format: FormatOldJSON, Time: ts, FirstName: "MAÏMOUNA", LastName: "NDIAYE", Age: 24, Major: "Droit"}},
		{name: "old CSV, spaces trimmed",
			in:   "  Ibou , Ndiaye , 30 , Gestion  ",
			want: Record{Format: FormatOldCSV, Time: ts, FirstName: "IBOU", LastName: "NDIAYE", Age: 30, Major: "Gestion"}},
		{name: "old CSV, quoted",
			in:   `"Jean Pierre", "Gomis", 25, "Génie civil"`,
			want: Record{Format: FormatOldCSV, Time: ts, FirstName: "JEAN PIERRE", LastName: "GOMIS", Age: 25, Major: "Génie civil"}},
		{name: "empty", in: "   ", err: "empty message"},
		{name: "array", in: `[{"first_name":"A"}]`, err: "JSON array"},
		{name: "broken JSON", in: `{"first_name":"X"`, err: "invalid JSON"},
		{name: "unknown type", in: `{"type":"student.renamed","first_name":"A","last_name":"B","age":20,"major":"M"}`, err: "unknown event type"},
		{name: "age missing", in: `{"first_name":"A","last_name":"B","major":"M"}`, err: "age: missing"},
		{name: "age fraction", in: `A,B,20.5,M`, err: "whole years"},
		{name: "age zero", in: `A,B,0,M`, err: "whole years"},
		{name: "age text", in: `A,B,vingt,M`, err: "not a number"},
		{name: "CSV header", in: `first_name,last_name,age,major`, err: "not a number"},
		{name: "three fields", in: `not,a,student`, err: "3 fields"},
		{name: "two lines", in: "A,B,20,M\nC,D,21,M", err: "several lines"},
		{name: "missing names", in: `{"first_name":"","age":20,"major":"M"}`, err: "missing first_name, last_name"},
		{name: "name not a string", in: `{"first_name":5,"last_name":"B","age":20,"major":"M"}`, err: "first_name"},
		{name: "bad time", in: `{"type":"student.created","time":"hier","first_name":"A","last_name":"B","age":20,"major":"M"}`, err: "time"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var key []byte
			if c.key != "" {
				key = []byte(c.key)
			}
			got, err := Decode(key, []byte(c.in), ts)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want one containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("got  %+v\nwant %+v", got, c.want)
			}
		})
	}
}

// refWire is how encoding/json reads a message: the reference the
// hand-written scanner must agree with.
type refWire struct {
	Type      *string         `json:"type"`
	Time      *time.Time      `json:"time"`
	FirstName *string         `json:"first_name"`
	LastName  *string         `json:"last_name"`
	Age       json.RawMessage `json:"age"`
	Major     *string         `json:"major"`
	Class     *string         `json:"class"`
}

func refDecodeJSON(key, v []byte) (Record, error) {
	var w refWire
	if err := json.Unmarshal(v, &w); err != nil {
		return Record{}, err
	}
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	r := Record{Format: FormatOldJSON, Time: ts}
	if w.Type != nil {
		r.Format, r.Type = FormatEvent, *w.Type
		if !isKnownType(r.Type) {
			return Record{}, errBadJSON
		}
		if len(key) > 0 {
			r.Key = string(key)
		}
		if w.Time != nil {
			r.Time = *w.Time
		}
	}
	age, err := jsonAge(w.Age)
	if err != nil {
		return Record{}, err
	}
	r.Age = age
	return r.fill(name(s(w.FirstName)), name(s(w.LastName)), s(w.Major), s(w.Class))
}

func FuzzDecode(f *testing.F) {
	seeds := []string{
		`{"type":"student.created","time":"2026-11-20T08:00:00Z","first_name":"Ndèye","last_name":"Diop","age":21,"major":"Info","class":"L3"}`,
		`{"first_name":"Fatou","last_name":"Sow","age":23,"major":"Informatique"}`,
		`{"First_Name":"a","LAST_NAME":"b","age":"30","major":"m","first_name":null}`,
		`{"first_name":"\u00e9\ud800","last_name":"b","age":30.0,"major":"m","x":[1,{"y":"]"}]}`,
		` Ibou , Ndiaye , 30 , Gestion `, `"a,b",c,20,d`, `{}`, `{"a":1"b":2}`, `{"age":01}`, "",
	}
	for _, s := range seeds {
		f.Add([]byte("k"), []byte(s))
	}
	f.Fuzz(func(t *testing.T, key, value []byte) {
		got, err := Decode(key, value, ts)
		if err == nil && (got.Age < MinValidAge || got.Age > MaxValidAge || got.Major == "" || got.FirstName == "") {
			t.Fatalf("accepted an invalid record %+v", got)
		}
		v := []byte(strings.TrimSpace(string(value)))
		if len(v) == 0 || v[0] != '{' {
			return
		}
		want, werr := refDecodeJSON(key, v)
		if strings.ContainsAny(string(v), "\u017f\u212a") {
			return // encoding/json folds these into s and k when matching keys
		}
		if (err == nil) != (werr == nil) {
			t.Fatalf("scanner error %v, encoding/json error %v, for %q", err, werr, v)
		}
		if err == nil && !got.Time.Equal(want.Time) {
			t.Fatalf("time %v, encoding/json %v", got.Time, want.Time)
		}
		got.Time, want.Time = time.Time{}, time.Time{}
		if err == nil && got != want {
			t.Fatalf("scanner %+v\nencoding/json %+v", got, want)
		}
	})
}

// Every event type the domain writes is ours: none is rejected as
// unknown (grade.published and results.published once were).
func TestDecodeEveryDomainEventType(t *testing.T) {
	for _, typ := range domain.EventTypes {
		in := `{"type":"` + typ + `","time":"2026-11-20T08:00:00Z","first_name":"Awa","last_name":"Ba","age":22,"major":"Gestion","class":"L1"}`
		r, err := Decode([]byte("2026-00002"), []byte(in), ts)
		if err != nil || r.Type != typ || r.Format != FormatEvent {
			t.Errorf("%s: %+v, %v", typ, r, err)
		}
	}
}
