package notify

import (
	"slices"
	"strings"
	"time"

	"scolarite/domain"
)

// planner turns an outbox event into the records it calls for:
//   - grade.added: a "new grade" message to the student, by e-mail and SMS,
//     and the same news to the student's guardian;
//   - grade.changed (a mark corrected, not hidden): a "corrected grade"
//     message, from what to what, to the student and their guardian;
//   - results.published: the student's results of a semester (decision,
//     credits, average), to the student and their guardian;
//   - average.below_threshold (written by the domain once per crossing
//     from ≥ 10 to < 10): an alert to the student and their guardian, and
//     to each staff address of the configuration.
//
// Every other event calls for nothing. A student without an e-mail address
// (or phone) gets a "skipped" record for that channel, so the log says
// why nothing was sent. A guardian is optional: without a guardian address
// on a channel there is no guardian record at all, not a skipped one.
//
// The unique index (event, channel, recipient) allows one record per
// address: a guardian or staff address equal to one already planned for
// the event (a student who gave their parent's e-mail as their own) is
// left out here, so that address gets the message once: as the student
// when it is the student's, else as the guardian (a staff member who is
// the student's guardian is written to as the parent).
type planner struct {
	tmpl     *Templates
	channels []Channel
	staff    []string
	lang     string
	school   string
}

func (p *planner) records(e *domain.Event, now time.Time) ([]*Notification, error) {
	if e.Hidden {
		return nil, nil // a mark the student does not see yet
	}
	var kind Kind
	switch e.Type {
	case domain.EventGradeAdded, domain.EventGradePublished:
		if e.Grade == nil {
			return nil, nil
		}
		kind = KindGrade
	case domain.EventGradeChanged:
		if e.Grade == nil || e.PreviousGrade == nil || sameMark(e.Grade, e.PreviousGrade) {
			return nil, nil // a comment edited, or an old event that does not say from what
		}
		kind = KindCorrection
	case domain.EventAverageBelow:
		kind = KindAlert
	case domain.EventResultsPublished:
		if e.Result == nil {
			return nil, nil
		}
		kind = KindResults
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
		if to != "" && planned(out, ch, to) {
			return nil
		}
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
	for _, ch := range p.channels {
		to := e.Student.GuardianEmail
		if ch == SMS {
			to = e.Student.GuardianPhone
		}
		if to = strings.TrimSpace(to); to == "" {
			continue
		}
		if err := add(ch, ToGuardian, to); err != nil {
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
		if !slices.Contains(p.channels, ch) {
			continue
		}
		if err := add(ch, ToStaff, to); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// planned reports a record already planned for (ch, to): addresses are
// compared without case for e-mail (the same mailbox), exactly for phones
// (both E.164).
func planned(out []*Notification, ch Channel, to string) bool {
	for _, n := range out {
		if n.Channel == ch && (n.Recipient == to || ch == Email && strings.EqualFold(n.Recipient, to)) {
			return true
		}
	}
	return false
}

// sameMark says a change left the mark itself as it was.
func sameMark(a, b *domain.Grade) bool { return a.Value == b.Value && a.Absent == b.Absent }
