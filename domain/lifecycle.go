package domain

import (
	"slices"
	"strings"
)

// SemesterStatus is where a class's semester is in its lifecycle: open
// (its teachers and admins grade), closed (locked: no grade changes; an
// admin may reopen it, giving a reason), published (results visible to
// students).
type SemesterStatus string

const (
	SemesterOpen      SemesterStatus = "open"
	SemesterClosed    SemesterStatus = "closed"
	SemesterPublished SemesterStatus = "published"
)

// SemesterAction is a change of a semester's status.
type SemesterAction string

const (
	ActionClose   SemesterAction = "close"
	ActionReopen  SemesterAction = "reopen"
	ActionPublish SemesterAction = "publish"
	// ActionResit opens the second session (the resits) once the first
	// is closed or published.
	ActionResit SemesterAction = "resit"
)

// CurrentSession is the session the semester's status is about.
func (c *Curriculum) CurrentSession() int { return max(c.Session, 1) }

// PublishedSession is the session whose results the students read: the
// current one once published, else an earlier one published before
// (session 1's while the resit session runs); 0 when none is.
func (c *Curriculum) PublishedSession() int {
	if c.Status == SemesterPublished {
		return c.CurrentSession()
	}
	return max(min(c.Published, c.CurrentSession()-1), 0)
}

// RegulationOf is the regulation version session was closed under, 0
// when it is not closed (the regulation in force applies).
func (c *Curriculum) RegulationOf(session int) int {
	if session < 1 || session > len(c.Regulations) {
		return 0
	}
	return c.Regulations[session-1]
}

// pinRegulation records version as session's (0: unpinned).
func (c *Curriculum) pinRegulation(session, version int) {
	c.Regulations = slices.Clone(c.Regulations) // old copies of c keep theirs
	for len(c.Regulations) < session {
		c.Regulations = append(c.Regulations, 0)
	}
	c.Regulations[session-1] = version
	for len(c.Regulations) > 0 && c.Regulations[len(c.Regulations)-1] == 0 {
		c.Regulations = c.Regulations[:len(c.Regulations)-1]
	}
}

// Transition returns the status an action leads to from status, or a
// conflict naming why it cannot be done. Only admins change a semester's
// status (checked by the caller); reopening needs a reason, which the
// audit log keeps.
func Transition(status SemesterStatus, act SemesterAction, reason string) (SemesterStatus, error) {
	if status == "" {
		status = SemesterOpen
	}
	switch act {
	case ActionClose:
		if status == SemesterOpen {
			return SemesterClosed, nil
		}
	case ActionPublish:
		if status == SemesterClosed {
			return SemesterPublished, nil
		}
		if status == SemesterOpen {
			return "", Errorf(ECONFLICT, "the semester is open: close it before publishing its results")
		}
	case ActionResit:
		if status == SemesterOpen {
			return "", Errorf(ECONFLICT, "the first session is open: close it before opening the resit session")
		}
		return SemesterOpen, nil
	case ActionReopen:
		if strings.TrimSpace(reason) == "" {
			return "", Invalid("reason", "is required to reopen a semester (it is kept in the audit log)")
		}
		if status != SemesterOpen {
			return SemesterOpen, nil
		}
	default:
		return "", Invalid("action", "must be close, reopen, publish or resit (got "+Quote(string(act), 20)+")")
	}
	return "", Errorf(ECONFLICT, "the semester is already %s", status)
}

// MayMark reports whether a marks evaluation e now: MayGrade, in the
// session e belongs to (the resits in session 2 only, the others in
// session 1 only: the first session is closed once the second opens).
func (c *Curriculum) MayMark(a Actor, e *Evaluation) error {
	if err := c.MayGrade(a, e.Subject); err != nil {
		return err
	}
	switch session := c.CurrentSession(); {
	case session == 1 && e.Kind == KindResit:
		return Errorf(ECONFLICT, "the resit session of %s %s is not open: resits are marked once an admin opens it", c.Class, c.Semester)
	case session == 2 && e.Kind != KindResit:
		return Errorf(ECONFLICT, "the first session of %s %s is over: only the resits are marked now", c.Class, c.Semester)
	}
	return nil
}

// MayGrade reports whether a grades a subject of the curriculum now: an
// admin or a teacher of that subject, while the semester is open. Who is
// checked first: someone who may never grade the subject is refused as
// such, whatever the semester's status.
func (c *Curriculum) MayGrade(a Actor, subject string) error {
	if a.Role != RoleAdmin && !c.Teaches(a, subject) {
		return Errorf(EFORBIDDEN, "you do not teach %s in %s", cleanName(subject), c.Class)
	}
	if c.Status != "" && c.Status != SemesterOpen {
		return Errorf(ECONFLICT, "the semester %s of %s is %s: no grade can change until an admin reopens it", c.Semester, c.Class, c.Status)
	}
	return nil
}
