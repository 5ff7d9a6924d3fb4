package export

import (
	"errors"
	"io"
	"strings"

	"scolarite/domain"
)

// A marks file has one row per student: who (matricule or phone) and the
// mark (a value, or ABJ / ABI), optionally a comment.
var marksHeaders = map[string][]string{
	"student": {"matricule", "student", "etudiant", "phone", "telephone", "numero"},
	"mark":    {"mark", "note", "value", "valeur"},
	"comment": {"comment", "commentaire", "observation", "observations"},
}

// maxMarkRows bounds a marks file: one class's students.
const maxMarkRows = 10_000

// MarkLine is a row of a marks file and its line.
type MarkLine struct {
	Line int
	Row  domain.MarkRow
}

// ReadMarks reads a marks file (.csv or .xlsx). Rows with an empty mark
// are skipped (a student not marked yet); every other problem is the
// domain's, reported against the row's line by the caller.
func ReadMarks(path string) ([]MarkLine, error) {
	rows, err := openRows(path, "")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cells, line, err := rows.Next()
	if errors.Is(err, io.EOF) {
		return nil, fileError("%s is empty: a header line is needed (matricule, note)", path)
	}
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, c := range cells {
		h := foldHeader(strings.TrimSpace(c))
		for field, names := range marksHeaders {
			for _, n := range names {
				if _, dup := col[field]; h == n && !dup {
					col[field] = i
				}
			}
		}
	}
	for _, f := range []string{"student", "mark"} {
		if _, ok := col[f]; !ok {
			return nil, headerError(line, "missing column %s (found: %s)", map[string]string{"student": "Matricule (or Téléphone)", "mark": "Note"}[f], headersList(cells))
		}
	}
	var out []MarkLine
	for {
		cells, line, err := rows.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		get := func(f string) string {
			if i, ok := col[f]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		if blank(cells) || get("mark") == "" {
			continue
		}
		if len(out) == maxMarkRows {
			return nil, fileError("%s has more than %d marks", path, maxMarkRows)
		}
		if i := longCell(cells); i >= 0 {
			return nil, fileError("line %d, column %s: cell longer than %s", line, colName(i), sizeText(maxCell))
		}
		m := domain.MarkInput{Value: get("mark"), Comment: get("comment")}
		if a, err := domain.ParseAbsence(m.Value); err == nil && a != "" && len(m.Value) <= 3 {
			m.Absent, m.Value = m.Value, ""
		}
		out = append(out, MarkLine{Line: line, Row: domain.MarkRow{Student: get("student"), Mark: m}})
	}
}
