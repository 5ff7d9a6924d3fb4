package notify

import (
	"strings"
	"time"

	"scolarite/domain"
)

// planner turns an outbox event into the records it calls for:
//   - grade.added: a "new grade" message to the student, by e-mail and SMS;
//   - average.below_threshold (written by the domain once per crossing
//     from ≥ 10 to < 10): an alert to the student, and to each staff
//     address of the configuration.
//
// Every other event calls for nothing. A student without an e-mail address
// (or phone) gets a "skipped" record for that channel, so the log says
// why nothing was sent.
type planner struct {
	tmpl     *Templates
	channels []Channel
	staff    []string
	lang     string
	school   string
}

func (p *planner) records(e *domain.Event, now time.Time) ([]*Notification, error) {
	var kind Kind
	switch e.Type {
	case domain.EventGradeAdded:
		if e.Grade == nil {
			return nil, nil
		}
		kind = KindGrade
	case domain.EventAverageBelow:
		kind = KindAlert
	default:
		return nil, nil
	}
	data := dataFor(p.school, e)
	base := Notification{
		EventID: e.ID, Kind: kind, StudentID: e.StudentID, Lang: p.lang,
		Student: strings.TrimSpace(e.Student.Number + " " + e.Student.LastName + " " + e.Student.FirstName),
		Status:  Pending, NextAt: now, CreatedAt: now, UpdatedAt: now,
	}
	var out []*Notification
	add := func(ch Channel, audience Audience, to string) error {
		n := base
		n.Channel, n.Audience, n.Recipient = ch, audience, to
		var err error
		if n.Subject, n.Body, err = p.tmpl.render(p.lang, kind, audience, ch, data); err != nil {
			return err
		}
		if to == "" {
			n.Status, n.LastError = Skipped, "no e-mail address"
			if ch == SMS {
				n.LastError = "no phone number"
			}
		}
		out = append(out, &n)
		return nil
	}
	for _, ch := range p.channels {
		to := e.Student.Email
		if ch == SMS {
			to = e.Student.Phone
		}
		if err := add(ch, ToStudent, strings.TrimSpace(to)); err != nil {
			return nil, err
		}
	}
	if kind != KindAlert {
		return out, nil
	}
	for _, to := range p.staff {
		ch := SMS
		if strings.Contains(to, "@") {
			ch = Email
		}
		if !hasChannel(p.channels, ch) {
			continue
		}
		if err := add(ch, ToStaff, to); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func hasChannel(chs []Channel, ch Channel) bool {
	for _, c := range chs {
		if c == ch {
			return true
		}
	}
	return false
}
