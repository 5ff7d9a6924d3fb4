package cli

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// brokenRepo fails the way a back-end does (not a domain error).
type brokenRepo struct{ *domaintest.StudentRepo }

func (brokenRepo) Roster(context.Context) ([]domain.RosterRow, error) {
	return nil, errors.New("sqlite: database or disk is full")
}

// An internal error says "see the log file" on stderr: the log must then
// hold its details.
func TestInternalErrorIsLogged(t *testing.T) {
	var logs, stderr bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	svc := domain.NewStudentService(domain.StudentDeps{Repo: brokenRepo{domaintest.NewStudentRepo()}, Log: log})
	code := Run(context.Background(), []string{"students", "list"}, Env{
		Open: func(context.Context, Config) (*App, error) {
			return &App{Students: svc, Log: log, Close: func() error { return nil }}, nil
		},
		Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr,
		Getenv: func(string) string { return "" },
	})
	if code != ExitRefused || !strings.Contains(stderr.String(), "see the log file") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	if !strings.Contains(logs.String(), "disk is full") || !strings.Contains(logs.String(), "students list") {
		t.Fatalf("the log does not hold the error:\n%s", logs.String())
	}
}
