package notify

import (
	"context"
	"time"

	"scolarite/domain"
)

// Service is what people see of the notifications: the log for admins
// (filter by status, retry a failed one) and, for a student, what was sent
// to them. Every call checks the acting user's role, as the domain does.
type Service struct {
	repo Repo
	now  func() time.Time
}

// NewService returns the service over repo.
func NewService(repo Repo) *Service { return &Service{repo: repo, now: time.Now} }

func adminOnly(a domain.Actor, what string) error {
	if a.Role != domain.RoleAdmin {
		return domain.Errorf(domain.EFORBIDDEN, "only an administrator may %s", what)
	}
	return nil
}

// Log returns the newest records, of one status or all ("").
func (s *Service) Log(ctx context.Context, a domain.Actor, status Status, limit int) ([]*Notification, error) {
	if err := adminOnly(a, "read the notifications log"); err != nil {
		return nil, err
	}
	return s.repo.List(ctx, Filter{Status: status, Limit: limit})
}

// Counts returns how many records have each status.
func (s *Service) Counts(ctx context.Context, a domain.Actor) (map[Status]int, error) {
	if err := adminOnly(a, "read the notifications log"); err != nil {
		return nil, err
	}
	return s.repo.Counts(ctx)
}

// Retry sends a failed record again, from its first attempt.
func (s *Service) Retry(ctx context.Context, a domain.Actor, id string) error {
	if err := adminOnly(a, "retry a notification"); err != nil {
		return err
	}
	return s.repo.Retry(ctx, id, s.now())
}

// Mine returns what was sent (or is about to be) to the acting student,
// newest first; staff copies are not theirs to read.
func (s *Service) Mine(ctx context.Context, a domain.Actor, limit int) ([]*Notification, error) {
	if a.Role != domain.RoleStudent || a.StudentID == "" {
		return nil, domain.Errorf(domain.EFORBIDDEN, "only a student has notifications of their own")
	}
	return s.repo.List(ctx, Filter{StudentID: a.StudentID, Audience: ToStudent, Limit: limit})
}
