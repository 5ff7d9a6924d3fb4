package domain

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mathrand "math/rand/v2"
	"regexp"
	"slices"
	"time"
)

// maxRetries bounds automatic retries of a write that lost a version race
// when the caller did not pin a version (appending a grade is safe to
// replay on the newer record; editing what a person saw is not).
const maxRetries = 32

// retryPause waits before retry number attempt (from 0): a random pause of
// up to 1 ms × 2^attempt, capped at 50 ms, so writers of one student spread
// out instead of colliding again. False when ctx ended meanwhile.
func retryPause(ctx context.Context, attempt int) bool {
	limit := min(time.Millisecond<<min(attempt, 6), 50*time.Millisecond)
	t := time.NewTimer(mathrand.N(limit) + time.Microsecond)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// StudentDeps are what the student service needs; Views and Feed may be nil.
// The audit entries and events of a change travel with its write (Trail).
type StudentDeps struct {
	Repo  StudentRepo
	Views ViewCache
	// Curricula, when set, gives the evaluations marks are recorded in.
	Curricula CurriculumRepo
	Feed      ChangeFeed
	Phones    PhoneParser
	Now       func() time.Time
	Log       *slog.Logger
}

// StudentService is every operation on students and grades, each checked
// against the acting user's role.
type StudentService struct {
	repo      StudentRepo
	curricula CurriculumRepo
	feed      ChangeFeed
	phones    PhoneParser
	now       func() time.Time
	log       *slog.Logger
	views     *viewReader
}

// NewStudentService wires the service.
func NewStudentService(d StudentDeps) *StudentService {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &StudentService{
		repo: d.Repo, curricula: d.Curricula, feed: d.Feed, phones: d.Phones,
		now: d.Now, log: d.Log,
		views: &viewReader{views: d.Views, now: d.Now, log: d.Log},
	}
}

// Phones returns the phone parser in use (for import and search helpers).
func (s *StudentService) Phones() PhoneParser { return s.phones }

// CacheOnline reports whether the cache answered the last read.
func (s *StudentService) CacheOnline() bool { return s.views.online() }

var (
	matriculePattern = regexp.MustCompile(`^\d{4}-\d{5,}$`)
	objectIDPattern  = regexp.MustCompile(`^[0-9a-f]{24}$`)
)

// find resolves a reference typed by a person: a matricule, a phone in any
// written form, or an internal id. No permission check.
func (s *StudentService) find(ctx context.Context, ref string) (*Student, error) {
	ref = cleanName(ref)
	switch {
	case ref == "":
		return nil, Invalid("student", "is required (a matricule or a phone number)")
	case matriculePattern.MatchString(ref):
		return s.repo.ByNumber(ctx, ref)
	case objectIDPattern.MatchString(ref):
		return s.repo.ByID(ctx, ref)
	}
	phone, err := s.phones.Parse(ref)
	if err != nil {
		return nil, Invalid("student", "is neither a matricule (2026-00042) nor a phone number: "+ref)
	}
	return s.repo.ByPhone(ctx, phone)
}

// Get returns a student by matricule, phone or id, if the actor may read
// it; a student gets their record as they may see it (studentView).
func (s *StudentService) Get(ctx context.Context, a Actor, ref string) (*Student, error) {
	st, err := s.find(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := Authorize(a, OpReadStudent, st.Class, st.ID); err != nil {
		return nil, err
	}
	if a.Role == RoleStudent {
		return studentView(ctx, s.curricula, st, "")
	}
	return st, nil
}

// Create adds a student and returns it with its new matricule. A phone
// already held by another student (in any written form) is refused, naming
// that student; nothing is written then.
func (s *StudentService) Create(ctx context.Context, a Actor, in StudentInput) (*Student, error) {
	if err := Authorize(a, OpCreateStudent, "", ""); err != nil {
		return nil, err
	}
	now := s.now()
	id, err := in.Validate(s.phones, DateOf(now))
	if err != nil {
		return nil, err
	}
	if err := s.phoneFree(ctx, id.Phone, ""); err != nil {
		return nil, err
	}
	st := &Student{Version: 1, CreatedAt: now, UpdatedAt: now, Grades: []Grade{}}
	st.apply(id)
	trail := func() []Trail {
		return []Trail{s.trail(a, "student.create", nil, st, &Event{Type: EventStudentCreated})}
	}
	if err := s.insertNumbered(ctx, now.Year(), []*Student{st}, trail); err != nil {
		return nil, err
	}
	s.announce(ctx, a, EventStudentCreated, st.ID)
	return st, nil
}

// FormatNumber writes a matricule: year, dash, five-digit sequence.
func FormatNumber(year int, seq int64) string { return fmt.Sprintf("%d-%05d", year, seq) }

func (s *StudentService) phoneFree(ctx context.Context, phone, selfID string) error {
	other, err := s.repo.ByPhone(ctx, phone)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil
	case err != nil:
		return fmt.Errorf("check phone: %w", err)
	case other.ID == selfID:
		return nil
	}
	return phoneTaken(other.Number, other.FullName())
}

func phoneTaken(number, name string) *Error {
	return &Error{Code: ECONFLICT, Existing: number,
		Problems: []Problem{{Field: "phone", Reason: "is already used by student " + number + " (" + name + ")"}}}
}

// Update changes a student's identity. version is the version the person
// edited (0: whatever is current).
func (s *StudentService) Update(ctx context.Context, a Actor, ref string, version int64, in StudentInput) (*Student, error) {
	id, err := in.Validate(s.phones, DateOf(s.now()))
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, ref, version, OpUpdateStudent, func(st *Student) (*Event, error) {
		if err := s.phoneFree(ctx, id.Phone, st.ID); err != nil {
			return nil, err
		}
		st.apply(id)
		return &Event{Type: EventStudentUpdated}, nil
	})
}

// Delete removes a student. version as in Update.
func (s *StudentService) Delete(ctx context.Context, a Actor, ref string, version int64) error {
	for attempt := 0; ; attempt++ {
		st, err := s.find(ctx, ref)
		if err != nil {
			return err
		}
		if err := Authorize(a, OpDeleteStudent, st.Class, st.ID); err != nil {
			return err
		}
		if version != 0 && st.Version != version {
			return staleError(st)
		}
		trail := s.trail(a, "student.delete", st, nil, &Event{Type: EventStudentDeleted})
		err = s.repo.Delete(ctx, st.ID, st.Version, trail)
		if ErrorCode(err) == ECONFLICT && version == 0 && attempt < maxRetries && retryPause(ctx, attempt) {
			continue
		}
		if err != nil {
			return err
		}
		s.announce(ctx, a, EventStudentDeleted, st.ID)
		return nil
	}
}

func staleError(st *Student) *Error {
	return Errorf(ECONFLICT, "student %s was changed by someone else meanwhile; it has been reloaded, try again", st.Number)
}

// mutate loads a student, checks op, applies change and writes it if the
// stored version did not move; the average and version are kept right here,
// for every kind of change.
func (s *StudentService) mutate(ctx context.Context, a Actor, ref string, version int64, op Op, change func(*Student) (*Event, error)) (*Student, error) {
	return s.mutateWith(ctx, a, ref, version, op, func(st *Student) error { return Authorize(a, op, st.Class, st.ID) }, change)
}

// mutateWith is mutate with its own permission check, made on the student
// as read (op names the change in the audit log).
func (s *StudentService) mutateWith(ctx context.Context, a Actor, ref string, version int64, op Op, may func(*Student) error, change func(*Student) (*Event, error)) (*Student, error) {
	for attempt := 0; ; attempt++ {
		st, err := s.find(ctx, ref)
		if err != nil {
			return nil, err
		}
		if err := may(st); err != nil {
			return nil, err
		}
		if version != 0 && st.Version != version {
			return nil, staleError(st)
		}
		old := st.clone()
		ev, err := change(st)
		if err != nil {
			return nil, err
		}
		st.Average = st.currentAverage()
		st.Version = old.Version + 1
		st.UpdatedAt = s.now()
		if ev.Average, ev.PreviousAverage, err = s.toldAverages(ctx, old, st, ev.Hidden); err != nil {
			return nil, err
		}
		trail := s.trail(a, string(op), old, st, ev)
		// The alert follows the average the student is told (one they can
		// see: none while a semester's results are unpublished).
		if fellBelow(ev.PreviousAverage, ev.Average) {
			trail.add(trail.Audit[0].At, a.Name, st, &Event{Type: EventAverageBelow, Average: ev.Average, PreviousAverage: ev.PreviousAverage, Hidden: ev.Hidden})
		}
		err = s.repo.Replace(ctx, st, old.Version, trail)
		var derr *Error
		if ErrorCode(err) == ECONFLICT && errors.As(err, &derr) && derr.Field() == "" {
			if version == 0 && attempt < maxRetries && retryPause(ctx, attempt) {
				continue
			}
			return nil, staleError(st)
		}
		if err != nil {
			return nil, err
		}
		s.announce(ctx, a, ev.Type, st.ID)
		return st, nil
	}
}

// toldAverages are the averages an event about a change tells the student
// (after, before): those they see, not the stored ones, which count the
// marks of evaluations not published yet. A hidden change tells nobody.
func (s *StudentService) toldAverages(ctx context.Context, old, st *Student, hidden bool) (after, before *float64, err error) {
	if hidden || (len(st.Terms) == 0 && len(old.Terms) == 0) {
		return st.Average, old.Average, nil
	}
	seen, err := studentView(ctx, s.curricula, st, "")
	if err != nil {
		return nil, nil, err
	}
	was, err := studentView(ctx, s.curricula, old, "")
	if err != nil {
		return nil, nil, err
	}
	return seen.Average, was.Average, nil
}

// fellBelow reports an average crossing from at least the pass mark (or no
// average yet) to below it: one alert per crossing.
func fellBelow(before, after *float64) bool {
	return after != nil && *after < PassMark && (before == nil || *before >= PassMark)
}

func (st *Student) clone() *Student {
	c := *st
	c.Grades = slices.Clone(st.Grades)
	c.Terms = slices.Clone(st.Terms)
	c.Remarks = slices.Clone(st.Remarks)
	if st.Average != nil {
		avg := *st.Average
		c.Average = &avg
	}
	return &c
}

// trail is the audit entry and the event of a change of one student (old
// nil when created, new nil when deleted).
func (s *StudentService) trail(a Actor, action string, old, new *Student, ev *Event) Trail {
	target := new
	if target == nil {
		target = old
	}
	entry := AuditEntry{At: s.now(), Actor: a.Name, Action: action, Entity: "student", EntityID: target.Number}
	if old != nil {
		entry.Old = old
	}
	if new != nil {
		entry.New = new
	}
	t := Trail{Audit: []AuditEntry{entry}}
	t.add(entry.At, entry.Actor, target, ev)
	return t
}

// announce invalidates the views and tells the other screens about a
// write that succeeded. A failure cannot undo the write, so it is logged.
func (s *StudentService) announce(ctx context.Context, a Actor, eventType, studentID string) {
	s.views.invalidate(ctx)
	if s.feed != nil {
		if err := s.feed.Publish(ctx, Change{Type: eventType, StudentID: studentID, Actor: a.Name}); err != nil {
			s.log.Warn("change not announced", "err", err)
		}
	}
}

// newGradeID returns a short random id, unique within a student.
func newGradeID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
