// Package notify tells students, and optionally the school's staff, about
// grades: it turns the domain's outbox events into notification records,
// one per (event, channel, recipient), and delivers them by e-mail over
// SMTP and by SMS through an HTTP provider, with retries and back-off.
//
// It imports domain only. Records are kept through Repo, which store
// implements; several workers, in one process or many, may run at once:
// a record is created at most once (a unique index) and sent by whoever
// holds its lease (see Repo.Claim).
package notify

import (
	"context"
	"time"
)

// Channel is how a notification travels.
type Channel string

const (
	Email Channel = "email"
	SMS   Channel = "sms"
)

// Channels lists every channel, in display order.
var Channels = []Channel{Email, SMS}

// Status is where a notification stands.
type Status string

const (
	Pending Status = "pending" // to be sent (again) from NextAt
	Sent    Status = "sent"    // accepted by the SMTP server or SMS provider
	Failed  Status = "failed"  // gave up: permanent error or too many attempts
	Skipped Status = "skipped" // no address to send to
)

// Audience is who a notification is for.
type Audience string

const (
	ToStudent  Audience = "student"
	ToGuardian Audience = "guardian" // the student's guardian, when one is recorded
	ToStaff    Audience = "staff"
)

// Kind is what a notification says.
type Kind string

const (
	KindGrade Kind = "grade" // a new grade (grade.added)
	KindAlert Kind = "alert" // the average fell below 10/20
	// KindCorrection: a mark the student had been told of was changed
	// (grade.changed).
	KindCorrection Kind = "correction"
	// KindResults: a semester's results were published (results.published).
	KindResults Kind = "results"
)

// Notification is one message to one recipient on one channel, with its
// delivery state. Subject and Body are rendered when the record is created,
// so the log shows exactly what was (or will be) sent.
type Notification struct {
	ID        string
	EventID   string // the outbox event it comes from
	Kind      Kind
	Channel   Channel
	Recipient string // e-mail address or E.164 phone; "" when skipped
	Audience  Audience
	StudentID string
	Student   string // "2026-00042 DIOP Ndèye", for lists
	Lang      string
	Subject   string // e-mail only
	Body      string
	Status    Status
	Attempts  int
	LastError string    // the last failure, secrets removed
	NextAt    time.Time // pending: not before
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    time.Time // zero until sent
}

// Claim asks for due pending records to send.
type Claim struct {
	Owner    string    // the worker taking them
	Channels []Channel // only these channels (those the worker can send)
	Now      time.Time
	TTL      time.Duration // how long the lease lasts if the worker dies
	Limit    int
}

// Filter selects records for the log.
type Filter struct {
	Status    Status // "" for any
	StudentID string // "" for any
	Audience  Audience
	Limit     int // newest first; 0 means a default
}

// Repo stores notification records. Implemented by store.
type Repo interface {
	// Create stores new records, assigning IDs. A record whose (event,
	// channel, recipient) already exists is left as it is, enforced by a
	// unique index, so creating the same records twice is harmless. It
	// returns how many were new.
	Create(ctx context.Context, ns []*Notification) (int, error)
	// Claim leases up to c.Limit pending records due at c.Now to c.Owner
	// for c.TTL and returns them. A record is leased to one owner at a
	// time across every process sharing the database; a lease whose owner
	// died expires after TTL and the record becomes claimable again.
	Claim(ctx context.Context, c Claim) ([]*Notification, error)
	// Finish writes the outcome of claimed records (Status, Attempts,
	// LastError, NextAt, SentAt, UpdatedAt) and releases their leases.
	Finish(ctx context.Context, owner string, done []*Notification) error
	// Release gives up leases without an attempt (a worker stopping): the
	// records are due again at once.
	Release(ctx context.Context, owner string, ids []string) error
	// List returns records newest first.
	List(ctx context.Context, f Filter) ([]*Notification, error)
	// Counts returns how many records have each status.
	Counts(ctx context.Context) (map[Status]int, error)
	// Purge deletes finished records (sent, skipped, failed) created
	// before before, and returns how many.
	Purge(ctx context.Context, before time.Time) (int, error)
	// Retry puts a failed record back to pending, due at now, with its
	// attempts counted from zero again. ENOTFOUND when absent, ECONFLICT
	// when it is not failed.
	Retry(ctx context.Context, id string, now time.Time) error
}
