package domain

import "time"

// Trail is what one write of a student leaves behind: its audit entries
// and its outbox events. The repository stores it with the write, so that
// the write and its trail are one: a process killed at any instant, or a
// disk that fills up, leaves either the write with its whole trail (once
// the next start has finished delivering it) or neither.
type Trail struct {
	Audit  []AuditEntry
	Events []*Event
}

// add appends an event about st, by actor at a time.
func (t *Trail) add(at time.Time, actor string, st *Student, ev *Event) {
	ev.At, ev.Actor, ev.StudentID, ev.Student = at, actor, st.ID, SnapshotOf(st)
	t.Events = append(t.Events, ev)
}
