package store

import (
	"reflect"
	"testing"

	"scolarite/domain"
)

// The packed terms of a roster row read back as the student's terms,
// averages exact; what no packTerms writes is skipped, not misread.
func TestPackTerms(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name   string
		terms  []termDoc
		packed string
	}{
		{"none", nil, ""},
		{"one", []termDoc{{Year: "2026-2027", Semester: "S3", Average: f(11.6)}}, "2026-2027 S3 11.6"},
		{"no average, zero, exact", []termDoc{{Year: "2026-2027", Semester: "S4"}, {Year: "2026-2027", Semester: "S3", Average: f(0)},
			{Year: "2025-2026", Semester: "S10", Average: f(12.345678901234567)}},
			"2026-2027 S4 -;2026-2027 S3 0;2025-2026 S10 12.345678901234567"},
	}
	for _, tt := range tests {
		got := packTerms(tt.terms)
		if got != tt.packed {
			t.Errorf("%s: packed %q, want %q", tt.name, got, tt.packed)
		}
		var want []domain.TermAverage
		for _, d := range tt.terms {
			want = append(want, domain.TermAverage{Year: d.Year, Semester: d.Semester, Average: d.Average})
		}
		if back := unpackTerms(got); !reflect.DeepEqual(back, want) {
			t.Errorf("%s: unpacked %+v, want %+v", tt.name, back, want)
		}
	}
	// A term whose names would break the string is left out.
	if got := packTerms([]termDoc{{Year: "2026 2027", Semester: "S3"}, {Year: "2026-2027", Semester: "S3;"}, {Year: "2026-2027", Semester: "S1", Average: f(9)}}); got != "2026-2027 S1 9" {
		t.Errorf("packed %q", got)
	}
	if got := unpackTerms("2026-2027 S1 9;garbage;2026-2027 S2 x;;2026-2027  1"); len(got) != 1 || *got[0].Average != 9 {
		t.Errorf("unpacked %+v", got)
	}
}
