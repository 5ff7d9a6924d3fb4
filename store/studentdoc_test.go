package store

import (
	"reflect"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

// A student's stored table row is the row the domain makes of the student
// (domain.Student.Row), so a column added to one and not the other fails
// here rather than showing an empty column.
func TestRowOfIsTheDomainsRow(t *testing.T) {
	avg := 12.5
	s := &domain.Student{Number: "2026-00001", LastName: "Diop", FirstName: "Awa", Phone: "+221771234567",
		Class: "L1-INFO", Major: "Informatique", Average: &avg, Version: 3,
		Grades: []domain.Grade{{ID: "a", Subject: "Maths", Value: 12.5, Coefficient: 1}},
		Terms:  []domain.TermAverage{{Year: "2026-2027", Semester: "S3", Average: &avg}, {Year: "2026-2027", Semester: "S4"}}}
	oid := bson.NewObjectID()
	s.ID = oid.Hex()
	d := toStudentDoc(s, oid)
	got, want := rowOf(&d).row(), s.Row()
	if got.Average == nil || *got.Average != *want.Average {
		t.Fatalf("average %v, want %v", got.Average, want.Average)
	}
	got.Average, want.Average = nil, nil
	if len(got.Terms) != 2 || *got.TermAverage("2026-2027", "S3") != avg || got.Terms[1].Average != nil {
		t.Fatalf("terms %+v, want the student's %+v", got.Terms, want.Terms)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("row %+v, want %+v", got, want)
	}
	if rowOf(&d).Version != 3 {
		t.Error("the row does not keep the student's version")
	}
}
