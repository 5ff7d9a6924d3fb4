package domain

import (
	"context"
	"time"
)

// StudentRepo stores students. Implemented by store.
type StudentRepo interface {
	// Every write takes the Trail of its change and stores it with the
	// write: once the write returns nil, its audit entries and events are
	// delivered (to the audit log and the outbox) exactly once, even if the
	// process dies right after; when it returns an error, or dies before
	// the write, they are never delivered. Events with no StudentID get the
	// written student's ID; event IDs are assigned.

	// Insert stores a new student (ID, Number, Version set by the caller's
	// service; the repo assigns ID if empty). Returns ECONFLICT with
	// Problems[0].Field "phone" (or "number") if that value is taken.
	Insert(ctx context.Context, s *Student, t Trail) error
	// InsertMany stores many new students, all or none: on a failure the
	// ones already stored are removed again. trails[i] goes with ss[i]
	// (trails may be shorter). Same errors as Insert.
	InsertMany(ctx context.Context, ss []*Student, trails []Trail) error
	// ByID, ByNumber and ByPhone return ENOTFOUND when nothing matches.
	ByID(ctx context.Context, id string) (*Student, error)
	ByNumber(ctx context.Context, number string) (*Student, error)
	ByPhone(ctx context.Context, e164 string) (*Student, error)
	// ByIDs returns the students of those IDs, in that order, leaving out
	// the IDs of no student: a class's records in one read.
	ByIDs(ctx context.Context, ids []string) ([]*Student, error)
	// Replace writes s if the stored version is still prevVersion (s.Version
	// is the new one). Returns ECONFLICT if it changed, ENOTFOUND if gone,
	// ECONFLICT with Field "phone" on a duplicate phone.
	Replace(ctx context.Context, s *Student, prevVersion int64, t Trail) error
	// Delete removes the student if still at version. ECONFLICT / ENOTFOUND.
	Delete(ctx context.Context, id string, version int64, t Trail) error
	// Roster returns every student as a table row, projecting only the
	// row's fields.
	Roster(ctx context.Context) ([]RosterRow, error)
	// All returns every student in full (for exports and seeding checks).
	All(ctx context.Context) ([]*Student, error)
	// Count returns the number of students.
	Count(ctx context.Context) (int64, error)
	// ReserveNumbers reserves n consecutive sequence numbers for a year and
	// returns the last one.
	ReserveNumbers(ctx context.Context, year int, n int) (int64, error)
	// ReleaseNumbers gives back the n numbers ending at last when they are
	// still the latest reserved (nobody reserved after them), and reports
	// whether it did.
	ReleaseNumbers(ctx context.Context, year int, last int64, n int) (bool, error)
}

// UserRepo stores accounts. Implemented by store.
type UserRepo interface {
	// Insert returns ECONFLICT with Field "username" if taken.
	Insert(ctx context.Context, u *User) error
	// ByUsername and ByID return ENOTFOUND when nothing matches.
	ByUsername(ctx context.Context, username string) (*User, error)
	ByID(ctx context.Context, id string) (*User, error)
	// ByKeyFingerprint returns the account holding the SSH key with that
	// fingerprint; ENOTFOUND when none does, ECONFLICT when more than one
	// does (a unique index forbids it where the server enforces one).
	ByKeyFingerprint(ctx context.Context, fingerprint string) (*User, error)
	// Update writes the user (matched by ID); ENOTFOUND if gone.
	Update(ctx context.Context, u *User) error
	List(ctx context.Context) ([]*User, error)
	Count(ctx context.Context) (int64, error)
}

// AuditLog records changes of accounts (a student's are in its Trail).
// Implemented by store.
type AuditLog interface {
	Record(ctx context.Context, e AuditEntry) error
}

// EventLog is the outbox. Implemented by store.
type EventLog interface {
	Append(ctx context.Context, e *Event) error
}

// ViewCache holds derived views keyed by a generation number that every
// write bumps, so a view stored under an old generation is never read after
// a write. Implemented by cache; every method may fail when Redis is down,
// and callers then fall back to the store.
type ViewCache interface {
	// Generation returns the current generation of student data.
	Generation(ctx context.Context) (int64, error)
	// Bump starts a new generation after a successful write.
	Bump(ctx context.Context) error
	// Load decodes the view name@gen into dst; false when absent.
	Load(ctx context.Context, name string, gen int64, dst any) (bool, error)
	// Save stores v as the view name@gen.
	Save(ctx context.Context, name string, gen int64, v any) error
}

// ChangeFeed tells every running screen that something changed.
type ChangeFeed interface {
	Publish(ctx context.Context, c Change) error
	// Subscribe delivers changes until ctx ends; the channel is closed then.
	Subscribe(ctx context.Context) (<-chan Change, error)
}

// Session is a logged-in user's session as the session store holds it.
type Session struct {
	UserID    string    `json:"user_id"`
	Username  string    `json:"username"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// Key is the fingerprint of the SSH key that opened the session ("" for
	// a password): removing the key ends the session.
	Key string `json:"key,omitempty"`
}

// SessionStore holds sessions under the SHA-256 of their token (never the
// token itself). Implemented by cache.
type SessionStore interface {
	Save(ctx context.Context, tokenHash string, s Session, ttl time.Duration) error
	// Get returns ENOTFOUND when absent.
	Get(ctx context.Context, tokenHash string) (*Session, error)
	Delete(ctx context.Context, tokenHash string) error
	// DeleteUser removes every session of a user and returns how many.
	DeleteUser(ctx context.Context, userID string) (int, error)
	// DeleteKey removes the sessions of a user opened with the SSH key of
	// that fingerprint and returns how many.
	DeleteKey(ctx context.Context, userID, fingerprint string) (int, error)
}

// LoginLimiter counts failed log-ins per key: a user name, or
// "origin:"+address for the per-origin limit (user names cannot contain
// ':', so the two never meet).
type LoginLimiter interface {
	// Locked returns how long the username stays locked (0 if not): the
	// rest of the lock that Fail set when the count reached its max.
	Locked(ctx context.Context, username string) (time.Duration, error)
	// Fail records a failure; after max failures it locks for lock.
	// Failures are forgotten lock after the first one, so lock is also the
	// window the max is counted in.
	Fail(ctx context.Context, username string, max int, lock time.Duration) (failures int, err error)
	// Reset forgets the failures after a successful log-in.
	Reset(ctx context.Context, username string) error
}

// Consumer names a reader of the outbox; each marks its own progress.
type Consumer string

const (
	ConsumerRelay    Consumer = "published" // the Kafka relay
	ConsumerNotifier Consumer = "notified"  // the notifier
)

// Outbox is the reading side of the event log. Implemented by store.
type Outbox interface {
	// Pending returns up to limit events the consumer has not marked done,
	// oldest first.
	Pending(ctx context.Context, c Consumer, limit int) ([]*Event, error)
	// MarkDone marks events as handled by the consumer.
	MarkDone(ctx context.Context, c Consumer, ids []string, at time.Time) error
}

// Leases give one process at a time a named piece of work (the relay, a
// notification being sent) until the lease expires or is released, across
// every process sharing the database. Implemented by store.
type Leases interface {
	// Acquire takes key for owner for ttl; false when another owner holds
	// an unexpired lease. An owner acquiring its own lease renews it.
	Acquire(ctx context.Context, key, owner string, ttl time.Duration) (bool, error)
	// Release gives the lease up if owner still holds it.
	Release(ctx context.Context, key, owner string) error
}

// CurriculumRepo stores the curricula of classes and their evaluations.
// Writes take their Trail, as StudentRepo's do. Implemented by store.
type CurriculumRepo interface {
	// Curriculum returns a class's curriculum of a semester and year;
	// ENOTFOUND when there is none.
	Curriculum(ctx context.Context, class, semester, year string) (*Curriculum, error)
	// Curricula lists the curricula of a year, of every class when class
	// is "", ordered by class then semester.
	Curricula(ctx context.Context, year, class string) ([]*Curriculum, error)
	// SaveCurriculum writes c if the stored one is still at version
	// prevVersion (0: there is none yet; c.Version is the new one) and
	// assigns c.ID. ECONFLICT when it moved.
	SaveCurriculum(ctx context.Context, c *Curriculum, prevVersion int64, t Trail) error
	// Evaluations lists the evaluations of a class's semester, oldest first.
	Evaluations(ctx context.Context, class, semester, year string) ([]Evaluation, error)
	// Evaluation returns one; ENOTFOUND.
	Evaluation(ctx context.Context, id string) (*Evaluation, error)
	// SaveEvaluation inserts e (ID "", assigned) or writes it if the
	// stored one is still at prevVersion. ECONFLICT when it moved.
	SaveEvaluation(ctx context.Context, e *Evaluation, prevVersion int64, t Trail) error
	// InsertEvaluations inserts new evaluations (ID "", assigned), each
	// with its trail, all or none.
	InsertEvaluations(ctx context.Context, es []*Evaluation, trails []Trail) error
}

// ResultsRepo keeps the regulation's versions and the jury's decisions.
type ResultsRepo interface {
	// Regulation returns the latest version, DefaultRegulation when none
	// was ever set.
	Regulation(ctx context.Context) (Regulation, error)
	// RegulationVersion returns one version (1: the default when it was
	// never set); ENOTFOUND when there is no such version.
	RegulationVersion(ctx context.Context, version int) (Regulation, error)
	// SaveRegulation adds version reg.Version (the previous one + 1);
	// ECONFLICT when it exists already.
	SaveRegulation(ctx context.Context, reg Regulation, t Trail) error
	// JuryEntries lists the jury's decisions on a class's semester,
	// oldest first.
	JuryEntries(ctx context.Context, class, semester, year string) ([]JuryEntry, error)
	// AddJuryEntry inserts e and assigns e.ID.
	AddJuryEntry(ctx context.Context, e *JuryEntry, t Trail) error
}

// TranscriptRepo records every relevé de notes issued, under its code
// (transcripts.go). Implemented by store.
type TranscriptRepo interface {
	// RecordTranscripts records the relevés of ts not recorded yet; for
	// those recorded already (the same content: the same code) it sets
	// IssuedAt and IssuedBy to the record's, the first issue. A code
	// recorded for another content (a collision) is an error.
	RecordTranscripts(ctx context.Context, ts []*Transcript) error
	// Transcript returns the relevé recorded under code; ENOTFOUND.
	Transcript(ctx context.Context, code string) (*Transcript, error)
}
