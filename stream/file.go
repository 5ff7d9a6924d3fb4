package stream

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/domain"
)

// FileStudent is one student of a file given to `scolarite publish`.
type FileStudent struct {
	Number  string // matricule, the message key ("" when the file has none)
	Message Message
}

// fileRow is a student as the JSON of `students list --json` writes it;
// age may replace birth_date.
type fileRow struct {
	Number    string          `json:"number"`
	LastName  string          `json:"last_name"`
	FirstName string          `json:"first_name"`
	Class     string          `json:"class"`
	Major     string          `json:"major"`
	BirthDate string          `json:"birth_date"`
	Age       json.RawMessage `json:"age"`
}

// maxFileErrors is how many problems an error lists.
const maxFileErrors = 10

// ReadStudents reads a JSON array of students (the format of `students
// list --json`) or a CSV file with a header line naming first_name,
// last_name, major, birth_date (YYYY-MM-DD) or age, and optionally class
// and number; the separator may be , or ; and a UTF-8 BOM is skipped.
// Each student becomes a student.created message at time now, the age
// taken on that day. Every row is checked first: one bad row publishes
// nothing.
func ReadStudents(r io.Reader, now time.Time) ([]FileStudent, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read students: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	var rows []fileRow
	var where func(i int) string
	if len(trimmed) > 0 && trimmed[0] == '[' {
		if err := json.Unmarshal(trimmed, &rows); err != nil {
			return nil, fmt.Errorf("read students: not a JSON array of students: %w", err)
		}
		where = func(i int) string { return fmt.Sprintf("student %d", i+1) }
	} else {
		if rows, err = readCSV(data); err != nil {
			return nil, err
		}
		where = func(i int) string { return fmt.Sprintf("line %d", i+2) }
	}
	today := domain.DateOf(now.UTC())
	out := make([]FileStudent, 0, len(rows))
	var problems []string
	for i, row := range rows {
		s, err := row.student(today, now)
		if err != nil {
			problems = append(problems, where(i)+": "+err.Error())
			continue
		}
		out = append(out, s)
	}
	if len(problems) > 0 {
		more := ""
		if len(problems) > maxFileErrors {
			more = fmt.Sprintf("\n(and %d more)", len(problems)-maxFileErrors)
			problems = problems[:maxFileErrors]
		}
		return nil, domain.Errorf(domain.EINVALID, "%d student(s) refused, nothing published:\n%s%s", len(problems), strings.Join(problems, "\n"), more)
	}
	return out, nil
}

// maxFileField bounds a text field of a published student.
const maxFileField = 200

func readCSV(data []byte) ([]fileRow, error) {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	rd := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		rd.Comma = ';'
	}
	rd.TrimLeadingSpace = true
	rd.FieldsPerRecord = -1
	records, err := rd.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read students: CSV: %w", err)
	}
	if len(records) == 0 {
		return nil, errors.New("read students: the file is empty")
	}
	col := map[string]int{}
	for i, h := range records[0] {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	for _, need := range []string{"first_name", "last_name", "major"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("read students: the CSV header has no %s column (it needs first_name, last_name, major, and birth_date or age)", need)
		}
	}
	_, hasBirth := col["birth_date"]
	_, hasAge := col["age"]
	if !hasBirth && !hasAge {
		return nil, errors.New("read students: the CSV header needs a birth_date or an age column")
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	rows := make([]fileRow, 0, len(records)-1)
	for _, rec := range records[1:] {
		row := fileRow{Number: get(rec, "number"), FirstName: get(rec, "first_name"), LastName: get(rec, "last_name"),
			Major: get(rec, "major"), Class: get(rec, "class"), BirthDate: get(rec, "birth_date")}
		if a := get(rec, "age"); a != "" {
			row.Age = json.RawMessage(strconv.Quote(a))
		}
		rows = append(rows, row)
	}
	return rows, nil
}

func (row fileRow) student(today domain.Date, now time.Time) (FileStudent, error) {
	m := Message{Type: domain.EventStudentCreated, Time: now.UTC(),
		FirstName: strings.TrimSpace(row.FirstName), LastName: strings.TrimSpace(row.LastName),
		Major: strings.TrimSpace(row.Major), Class: strings.TrimSpace(row.Class)}
	var missing []string
	for _, f := range []struct{ name, v string }{{"first_name", m.FirstName}, {"last_name", m.LastName}, {"major", m.Major}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return FileStudent{}, fmt.Errorf("%s missing", strings.Join(missing, ", "))
	}
	for _, f := range []struct{ name, v string }{{"first_name", m.FirstName}, {"last_name", m.LastName}, {"major", m.Major}, {"class", m.Class}, {"number", row.Number}} {
		if err := domain.CheckText(f.name, f.v, domain.SingleLine); err != nil {
			return FileStudent{}, errors.New(domain.ErrorMessage(err))
		}
		// A message carries a student, not a book: a field this long is a
		// file cut wrong (and Kafka would refuse the message anyway).
		if n := utf8.RuneCountInString(f.v); n > maxFileField {
			return FileStudent{}, fmt.Errorf("%s: is %d characters long, more than %d (%s)", f.name, n, maxFileField, domain.Quote(f.v, 30))
		}
	}
	switch {
	case strings.TrimSpace(row.BirthDate) != "":
		b, err := domain.ParseDate(row.BirthDate)
		if err != nil {
			return FileStudent{}, fmt.Errorf("birth_date: %s", domain.ErrorMessage(err))
		}
		m.Age = b.AgeOn(today)
	case len(row.Age) > 0 && string(row.Age) != "null":
		var a json.Number
		txt := strings.Trim(string(row.Age), `"`)
		a = json.Number(strings.TrimSpace(txt))
		n, err := a.Int64()
		if err != nil {
			return FileStudent{}, fmt.Errorf("age: not a whole number (%s)", domain.Quote(txt, 30))
		}
		m.Age = int(n)
	default:
		return FileStudent{}, errors.New("birth_date (or age) missing")
	}
	if m.Age < 1 || m.Age > 150 {
		return FileStudent{}, fmt.Errorf("age %d is not plausible", m.Age)
	}
	return FileStudent{Number: strings.TrimSpace(row.Number), Message: m}, nil
}

// Records are the students' messages for topic, keyed by matricule.
func Records(topic string, students []FileStudent) ([]*kgo.Record, error) {
	recs := make([]*kgo.Record, 0, len(students))
	for _, s := range students {
		r, err := s.Message.Record(topic, s.Number)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	return recs, nil
}
