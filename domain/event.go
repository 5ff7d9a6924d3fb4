package domain

import "time"

// Event types written to the outbox with every change.
const (
	EventStudentCreated = "student.created"
	EventStudentUpdated = "student.updated"
	EventStudentDeleted = "student.deleted"
	EventGradeAdded     = "grade.added"
	EventGradeChanged   = "grade.changed"
	EventGradeRemoved   = "grade.removed"
	EventAverageBelow   = "average.below_threshold"
	// EventGradePublished is a student's mark in an evaluation just
	// published: until then its marks were hidden from the student.
	EventGradePublished = "grade.published"
	// EventResultsPublished is a student's results of a semester's
	// session, when the semester's results are published.
	EventResultsPublished = "results.published"
)

// EventTypes lists every event type the domain writes: the consumers of
// the stream (analytics) know these as ours.
var EventTypes = []string{EventStudentCreated, EventStudentUpdated, EventStudentDeleted, EventGradeAdded,
	EventGradeChanged, EventGradeRemoved, EventAverageBelow, EventGradePublished, EventResultsPublished}

// Event is one outbox entry. It carries a snapshot of what consumers need
// (the notifier, the Kafka relay) so they never read a newer student state.
type Event struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	At        time.Time `json:"at"`
	Actor     string    `json:"actor"`
	StudentID string    `json:"student_id"`
	Student   Snapshot  `json:"student"`
	Grade     *Grade    `json:"grade,omitempty"`
	// PreviousGrade is the mark a grade.changed replaced (the student is
	// told of a correction: from what, to what).
	PreviousGrade   *Grade   `json:"previous_grade,omitempty"`
	Average         *float64 `json:"average,omitempty"`
	PreviousAverage *float64 `json:"previous_average,omitempty"`
	// Hidden: the student does not see this change yet (a mark of an
	// evaluation not published); nobody is notified of it.
	Hidden bool `json:"hidden,omitempty"`
	// Result is the student's result, with results.published.
	Result *ResultNotice `json:"result,omitempty"`
}

// ResultNotice is what a student is told of their published results.
type ResultNotice struct {
	Semester     string   `json:"semester"`
	Year         string   `json:"year"`
	Session      int      `json:"session"`
	Decision     Decision `json:"decision"`
	Jury         bool     `json:"jury,omitempty"` // the jury changed the decision or gave points
	Credits      int      `json:"credits"`
	TotalCredits int      `json:"total_credits"`
	Average      *float64 `json:"average"` // rounded as shown: 2 decimals, half up
	Mention      Mention  `json:"mention,omitempty"`
}

// Snapshot is the part of a student an event carries.
type Snapshot struct {
	Number    string `json:"number"`
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Phone     string `json:"phone"`
	Email     string `json:"email,omitempty"`
	Class     string `json:"class"`
	Major     string `json:"major"`
	BirthDate Date   `json:"birth_date"`
	// The guardian's contact, so the notifier can reach them too.
	GuardianName  string `json:"guardian_name,omitempty"`
	GuardianPhone string `json:"guardian_phone,omitempty"`
	GuardianEmail string `json:"guardian_email,omitempty"`
}

// SnapshotOf copies the identity of s.
func SnapshotOf(s *Student) Snapshot {
	return Snapshot{Number: s.Number, LastName: s.LastName, FirstName: s.FirstName, Phone: s.Phone,
		Email: s.Email, Class: s.Class, Major: s.Major, BirthDate: s.BirthDate,
		GuardianName: s.GuardianName, GuardianPhone: s.GuardianPhone, GuardianEmail: s.GuardianEmail}
}

// AuditEntry records who changed what. Old and New are the entity before
// and after (nil when created or deleted); never a password or its hash.
type AuditEntry struct {
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Entity   string    `json:"entity"` // "student" or "user"
	EntityID string    `json:"entity_id"`
	Old      any       `json:"old,omitempty"`
	New      any       `json:"new,omitempty"`
}

// Change is what the change feed announces after a write, so that every
// open screen can refresh.
type Change struct {
	Type      string `json:"type"` // an Event type, or "user.changed"
	StudentID string `json:"student_id,omitempty"`
	Actor     string `json:"actor"`
}
