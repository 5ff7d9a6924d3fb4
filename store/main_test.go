package store_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// TestMain stops the shared embedded FerretDB and removes its directory
// after the tests.
func TestMain(m *testing.M) { storetest.Main(m) }

// ctx returns a context that ends with the test, with a deadline so a hung
// server fails the test instead of the binary.
func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	return c
}

// at is a fixed instant with milliseconds, the precision BSON dates keep,
// so that values read back compare equal to what was written.
func at(day, hour int) time.Time {
	return time.Date(2026, time.January, day, hour, 30, 15, 123_000_000, time.UTC)
}

// hexID is what an assigned ID looks like: an ObjectID in hex.
var hexID = regexp.MustCompile(`^[0-9a-f]{24}$`)

func ptr(f float64) *float64 { return &f }

// newStudent returns a valid student numbered 2026-<seq> with a phone
// derived from seq; callers change what their case needs.
func newStudent(seq int) *domain.Student {
	return &domain.Student{
		Number:    domain.FormatNumber(2026, int64(seq)),
		LastName:  "DIOP",
		FirstName: "Moussa",
		Phone:     fmt.Sprintf("+22177%07d", seq),
		Class:     "L3-INFO",
		Major:     "Informatique",
		BirthDate: domain.NewDate(2004, time.May, 17),
		Grades:    []domain.Grade{},
		Version:   1,
		CreatedAt: at(5, 9),
		UpdatedAt: at(5, 9),
	}
}

// wantCode fails the test unless err carries code.
func wantCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("error %v is not a *domain.Error", err)
	}
	return de
}

func mustEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}
