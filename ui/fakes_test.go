package ui

// In-memory ports of the domain (domaintest.StudentRepo, shared with the
// domain's tests), so that screen tests run the real
// domain.StudentService: its validation, permissions and version checks
// are exactly what the screens must show.

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// testNow is the fixed "today" of the services under test.
var testNow = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// nopLog is both the audit log and the outbox: the screens never read them.
type nopLog struct{}

func (nopLog) Record(context.Context, domain.AuditEntry) error { return nil }
func (nopLog) Append(context.Context, *domain.Event) error     { return nil }

var (
	_ domain.AuditLog = nopLog{}
	_ domain.EventLog = nopLog{}
)

// newTestServices returns the real student service over an empty
// in-memory store whose clock is testNow (matricules are 2026-NNNNN).
func newTestServices(t *testing.T) (*domain.StudentService, *domaintest.StudentRepo) {
	t.Helper()
	repo := domaintest.NewStudentRepo()
	svc := domain.NewStudentService(domain.StudentDeps{
		Repo: repo, Phones: domain.PhoneParser{},
		Now: func() time.Time { return testNow },
	})
	return svc, repo
}

// newTestCommon is what the root would give a screen, in French, with
// colours off so View() compares as plain text.
func newTestCommon(t *testing.T, students Students, actor domain.Actor) *Common {
	t.Helper()
	return &Common{
		Ctx:      context.Background(),
		Students: students,
		Log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		Styles:   plainStyles(),
		T:        NewTranslator(French),
		Actor:    actor,
		Width:    100,
		Height:   30,
	}
}

// Actors of the tests.
var (
	testAdmin = domain.Actor{Name: "admin", UserID: "u1", Role: domain.RoleAdmin}
)

func testTeacher(classes ...string) domain.Actor {
	return domain.Actor{Name: "prof", UserID: "u2", Role: domain.RoleTeacher, Classes: classes}
}

// seedStudent creates a student through the service (as an admin) and
// adds its grades, returning the record as stored last.
func seedStudent(t *testing.T, svc *domain.StudentService, in domain.StudentInput, grades ...domain.GradeInput) *domain.Student {
	t.Helper()
	ctx := context.Background()
	st, err := svc.Create(ctx, testAdmin, in)
	if err != nil {
		t.Fatalf("create %s: %v", in.LastName, err)
	}
	for _, g := range grades {
		if st, _, err = svc.AddGrade(ctx, testAdmin, st.Number, 0, g); err != nil {
			t.Fatalf("add grade %v: %v", g, err)
		}
	}
	return st
}

// studentInput is a valid identity; phone varies so several can coexist.
func studentInput(last, first, phone, class string) domain.StudentInput {
	return domain.StudentInput{LastName: last, FirstName: first, Phone: phone, Email: "",
		Class: class, Major: "Informatique", BirthDate: "2004-05-06"}
}

// plainStyles is the theme rendered without colours, on a dark background
// (never queried), so that View() compares as plain text.
func plainStyles() Styles {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.Ascii))
	r.SetHasDarkBackground(true)
	return NewStyles(r)
}
