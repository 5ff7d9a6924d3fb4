package domain_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

var ctx = context.Background()

// Actors of the tests: the teacher has L3-INFO only.
var (
	admin     = domain.Actor{Name: "admin", UserID: "u-admin", Role: domain.RoleAdmin}
	teacherL3 = domain.Actor{Name: "prof.diop", UserID: "u-teacher", Role: domain.RoleTeacher, Classes: []string{"L3-INFO"}}
)

func studentActor(id string) domain.Actor {
	return domain.Actor{Name: "eleve", UserID: "u-student", Role: domain.RoleStudent, StudentID: id}
}

// wantCode fails unless err carries code, and returns the domain error.
func wantCode(t *testing.T, err error, code domain.Code) *domain.Error {
	t.Helper()
	if got := domain.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
	var e *domain.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *domain.Error", err)
	}
	return e
}

// fields lists the fields named by a domain error's problems.
func fields(err error) []string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return nil
	}
	out := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		out = append(out, p.Field)
	}
	return out
}

// wantInvalid fails unless err is EINVALID naming exactly the given fields
// (in any order, each at least once).
func wantInvalid(t *testing.T, err error, want ...string) {
	t.Helper()
	wantCode(t, err, domain.EINVALID)
	got := fields(err)
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("error %q does not name field %q (fields: %v)", err, f, got)
		}
	}
	for _, f := range got {
		if !slices.Contains(want, f) {
			t.Errorf("error %q names unexpected field %q", err, f)
		}
	}
}

// approx compares averages, which the domain rounds to 4 decimals.
func approx(a, b float64) bool { d := a - b; return d <= 5.1e-5 && d >= -5.1e-5 }

func wantAvg(t *testing.T, what string, got *float64, want float64) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: average = nil, want %v", what, want)
	}
	if !approx(*got, want) {
		t.Fatalf("%s: average = %v, want %v", what, *got, want)
	}
}

// env is a student service over fresh fakes.
type env struct {
	clock  *clock
	repo   *domaintest.StudentRepo
	audit  *auditLog
	events *eventLog
	views  *viewCache // nil without cache
	svc    *domain.StudentService
}

func newEnv(t *testing.T, withCache bool) *env {
	t.Helper()
	e := &env{clock: newClock(), repo: domaintest.NewStudentRepo(), audit: &auditLog{}, events: &eventLog{}}
	e.repo.Audit, e.repo.Events = e.audit, e.events
	deps := domain.StudentDeps{Repo: e.repo, Now: e.clock.Now}
	if withCache {
		e.views = newViewCache()
		deps.Views = e.views
	}
	e.svc = domain.NewStudentService(deps)
	return e
}

func studentIn(last, first, phone, class string) domain.StudentInput {
	return domain.StudentInput{LastName: last, FirstName: first, Phone: phone, Class: class,
		Major: "Informatique", BirthDate: "2004-05-12"}
}

func (e *env) create(t *testing.T, in domain.StudentInput) *domain.Student {
	t.Helper()
	st, err := e.svc.Create(ctx, admin, in)
	if err != nil {
		t.Fatalf("Create(%s %s): %v", in.LastName, in.FirstName, err)
	}
	return st
}

func (e *env) grade(t *testing.T, ref, subject, value, coef string) *domain.Student {
	t.Helper()
	st, _, err := e.svc.AddGrade(ctx, admin, ref, 0, domain.GradeInput{Subject: subject, Value: value, Coefficient: coef})
	if err != nil {
		t.Fatalf("AddGrade(%s, %s): %v", ref, value, err)
	}
	return st
}

// stored reads the student as the repository holds it.
func (e *env) stored(t *testing.T, id string) *domain.Student {
	t.Helper()
	st, err := e.repo.ByID(ctx, id)
	if err != nil {
		t.Fatalf("repo.ByID(%s): %v", id, err)
	}
	return st
}

func eventTypes(evs []domain.Event) []string {
	out := make([]string, 0, len(evs))
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func containsAny(haystack string, needles ...string) (string, bool) {
	for _, n := range needles {
		if n != "" && strings.Contains(haystack, n) {
			return n, true
		}
	}
	return "", false
}
