package store

import (
	"strconv"
	"strings"

	"scolarite/domain"
)

// A roster row keeps the student's semester averages (for the table's
// semester selector) in one string, "2026-2027 S3 11.6;2025-2026 S2 -",
// not as an array of documents: FerretDB stores a type schema beside each
// array element, and reading 10,000 rows of two terms took 1.75 times as
// long as rows without (BenchmarkRoster10kTerms); the string reads in
// about the time of a row without terms. "-" is a semester without an
// average. Years and semesters are checked names (2026-2027, S1…S10)
// holding neither space nor ';'; a term that would is left out rather
// than written unreadable.

// packTerms is the string form of a student's terms, "" when none.
func packTerms(terms []termDoc) string {
	var b strings.Builder
	for _, t := range terms {
		if strings.ContainsAny(t.Year+t.Semester, " ;") || t.Year == "" || t.Semester == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(';')
		}
		b.WriteString(t.Year)
		b.WriteByte(' ')
		b.WriteString(t.Semester)
		b.WriteByte(' ')
		if t.Average == nil {
			b.WriteByte('-')
		} else {
			b.WriteString(strconv.FormatFloat(*t.Average, 'g', -1, 64))
		}
	}
	return b.String()
}

// unpackTerms reads packTerms's string back; nil for "". An entry that
// does not read (written by no version of packTerms) is skipped.
func unpackTerms(s string) []domain.TermAverage {
	if s == "" {
		return nil
	}
	out := make([]domain.TermAverage, 0, strings.Count(s, ";")+1)
	for entry := range strings.SplitSeq(s, ";") {
		year, rest, ok1 := strings.Cut(entry, " ")
		sem, avg, ok2 := strings.Cut(rest, " ")
		if !ok1 || !ok2 || year == "" || sem == "" {
			continue
		}
		t := domain.TermAverage{Year: year, Semester: sem}
		if avg != "-" {
			v, err := strconv.ParseFloat(avg, 64)
			if err != nil {
				continue
			}
			t.Average = &v
		}
		out = append(out, t)
	}
	return out
}
