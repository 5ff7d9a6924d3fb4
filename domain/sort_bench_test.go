package domain_test

import (
	"fmt"
	"testing"

	"scolarite/domain"
)

// BenchmarkSortRows10k sorts 10,000 rows by last name, the folded key the
// table sorts by when a column header is clicked.
func BenchmarkSortRows10k(b *testing.B) {
	names := []string{"Ndèye", "Diop", "Sène", "Faye", "Gueye", "Ba", "Sow", "Mbaye", "Élodie", "Dramé"}
	rows := make([]domain.RosterRow, 10000)
	for i := range rows {
		rows[i] = domain.RosterRow{Number: fmt.Sprintf("2026-%05d", i), LastName: names[i%len(names)] + fmt.Sprint(i%97),
			FirstName: names[(i/7)%len(names)], Class: "L1-INFO", Major: "Informatique"}
	}
	work := make([]domain.RosterRow, len(rows))
	b.ReportAllocs()
	for b.Loop() {
		copy(work, rows)
		domain.SortRows(work, domain.SortLastName, true)
	}
}
