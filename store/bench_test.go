package store_test

import (
	"context"
	"testing"

	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
)

// The architecture measured the embedded store at ~0.3 s to insert 10,000
// students and ~0.6 s to read 10,000 back in full; the roster projection
// exists to beat the full read. These benchmarks keep those figures honest.

const benchStudents = 10_000

// benchStudentsWithGrades returns fresh students with three grades each,
// the shape of a school in mid-year.
func benchStudentsWithGrades() []*domain.Student {
	grades := []domain.Grade{
		{ID: "a", Subject: "Algorithmique", Value: 12.5, Coefficient: 2, Date: at(10, 8), Teacher: "fall"},
		{ID: "b", Subject: "Réseaux", Value: 15, Coefficient: 1, Date: at(12, 14), Teacher: "sow"},
		{ID: "c", Subject: "Anglais", Value: 9, Coefficient: 1, Date: at(13, 14), Teacher: "ba"},
	}
	ss := make([]*domain.Student, benchStudents)
	for i := range ss {
		st := newStudent(i + 1)
		st.Grades, st.Average = grades, domain.WeightedAverage(grades)
		ss[i] = st
	}
	return ss
}

func BenchmarkInsertMany10k(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s := storetest.Open(b)
		ss := benchStudentsWithGrades()
		b.StartTimer()
		if err := s.Students().InsertMany(context.Background(), ss, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func seeded(b *testing.B) *store.StudentRepo {
	b.Helper()
	s := storetest.Open(b)
	if err := s.Students().InsertMany(context.Background(), benchStudentsWithGrades(), nil); err != nil {
		b.Fatal(err)
	}
	return s.Students()
}

func BenchmarkRoster10k(b *testing.B) {
	repo := seeded(b)
	for b.Loop() {
		rows, err := repo.Roster(context.Background())
		if err != nil || len(rows) != benchStudents {
			b.Fatalf("Roster: %d rows, %v", len(rows), err)
		}
	}
}

// BenchmarkRoster10kTerms is BenchmarkRoster10k with two semester
// averages a student (the rows carry them for the table's semester
// selector): the read must stay about as fast.
func BenchmarkRoster10kTerms(b *testing.B) {
	s := storetest.Open(b)
	ss := benchStudentsWithGrades()
	for i, st := range ss {
		v1, v2 := float64(i%20), float64((i+7)%20)
		st.Terms = []domain.TermAverage{{Year: "2026-2027", Semester: "S3", Average: &v1}, {Year: "2025-2026", Semester: "S2", Average: &v2}}
	}
	if err := s.Students().InsertMany(context.Background(), ss, nil); err != nil {
		b.Fatal(err)
	}
	repo := s.Students()
	for b.Loop() {
		rows, err := repo.Roster(context.Background())
		if err != nil || len(rows) != benchStudents || len(rows[0].Terms) != 2 {
			b.Fatalf("Roster: %d rows, %v", len(rows), err)
		}
	}
}

func BenchmarkAll10k(b *testing.B) {
	repo := seeded(b)
	for b.Loop() {
		all, err := repo.All(context.Background())
		if err != nil || len(all) != benchStudents {
			b.Fatalf("All: %d students, %v", len(all), err)
		}
	}
}
