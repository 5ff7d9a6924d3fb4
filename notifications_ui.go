package main

import (
	"context"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/ui"
)

// uiNotifications shows the notifier to the screens (ui.Notifications):
// the screens import the domain only, so records become ui rows here.
type uiNotifications struct{ svc *notify.Service }

var _ ui.Notifications = uiNotifications{}

func (u uiNotifications) Log(ctx context.Context, a domain.Actor, status string, limit int) ([]ui.NotificationRow, error) {
	ns, err := u.svc.Log(ctx, a, notify.Status(status), limit)
	return rows(ns), err
}

func (u uiNotifications) Counts(ctx context.Context, a domain.Actor) (map[string]int, error) {
	counts, err := u.svc.Counts(ctx, a)
	out := make(map[string]int, len(counts))
	for s, v := range counts {
		out[string(s)] = v
	}
	return out, err
}

func (u uiNotifications) Retry(ctx context.Context, a domain.Actor, id string) error {
	return u.svc.Retry(ctx, a, id)
}

func (u uiNotifications) Mine(ctx context.Context, a domain.Actor, limit int) ([]ui.NotificationRow, error) {
	ns, err := u.svc.Mine(ctx, a, limit)
	return rows(ns), err
}

func rows(ns []*notify.Notification) []ui.NotificationRow {
	out := make([]ui.NotificationRow, 0, len(ns))
	for _, n := range ns {
		subject := n.Subject
		if n.Channel == notify.SMS {
			subject = n.Body
		}
		out = append(out, ui.NotificationRow{
			ID: n.ID, Channel: string(n.Channel), Recipient: n.Recipient, Student: n.Student, Status: string(n.Status),
			Subject: subject, LastError: n.LastError, Attempts: n.Attempts,
			CreatedAt: n.CreatedAt, SentAt: n.SentAt, NextAt: n.NextAt,
		})
	}
	return out
}
