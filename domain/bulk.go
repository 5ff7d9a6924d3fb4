package domain

import (
	"context"
	"errors"
	"fmt"
	"strconv"
)

// NewStudent is one student to create in bulk, with grades already given:
// free grades, and marks in evaluations of the student's class.
type NewStudent struct {
	Input  StudentInput
	Grades []GradeInput
	Marks  []NewMark
}

// RowProblem is a validation problem of one item of a batch (Index from 0).
type RowProblem struct {
	Index int
	Problem
}

// BatchError lists every problem of a refused batch.
type BatchError struct{ Problems []RowProblem }

func (e *BatchError) Error() string {
	msg := fmt.Sprintf("%d problem(s)", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			msg += "; …"
			break
		}
		msg += "; item " + strconv.Itoa(p.Index+1) + ", " + p.Field + ": " + p.Reason
	}
	return msg
}

// Unwrap makes a batch error an EINVALID domain error for ErrorCode and
// ErrorMessage, with the problems in its message.
func (e *BatchError) Unwrap() error { return &Error{Code: EINVALID, Message: e.Error()} }

// CreateMany validates every student first (fields, grades, marks, phones
// unique within the batch and against the store) and writes nothing unless
// all are valid; then inserts them in batches. It writes one audit entry for the
// batch and one student.created event per student.
func (s *StudentService) CreateMany(ctx context.Context, a Actor, items []NewStudent, action string) ([]*Student, error) {
	if len(items) >= bulkLookupThreshold { // one read of every phone beats a query per student
		b, err := s.NewBulkCreator(ctx, a, action)
		if err != nil {
			return nil, err
		}
		return b.Create(ctx, items)
	}
	if err := Authorize(a, OpCreateStudent, "", ""); err != nil {
		return nil, err
	}
	return s.createMany(ctx, a, items, action, func(ctx context.Context, phone string) error { return s.phoneFree(ctx, phone, "") })
}

// createMany is CreateMany once authorised, with taken telling whether a
// phone is held in the store already.
func (s *StudentService) createMany(ctx context.Context, a Actor, items []NewStudent, action string, taken func(context.Context, string) error) ([]*Student, error) {
	now := s.now()
	today := DateOf(now)
	var bad []RowProblem
	seen := map[string]int{}
	out := make([]*Student, 0, len(items))
	book := newMarkBook(s, a)
	for i, it := range items {
		id, err := it.Input.Validate(s.phones, today)
		if err != nil {
			for _, p := range err.(*Error).Problems {
				bad = append(bad, RowProblem{i, p})
			}
			continue
		}
		if j, dup := seen[id.Phone]; dup {
			bad = append(bad, RowProblem{i, Problem{"phone", "is the same phone as item " + strconv.Itoa(j+1)}})
			continue
		}
		seen[id.Phone] = i
		if err := taken(ctx, id.Phone); err != nil {
			if ErrorCode(err) != ECONFLICT {
				return nil, err
			}
			bad = append(bad, RowProblem{i, err.(*Error).Problems[0]})
			continue
		}
		st := &Student{Version: 1, CreatedAt: now, UpdatedAt: now, Grades: make([]Grade, 0, len(it.Grades)+len(it.Marks))}
		st.apply(id)
		for _, gi := range it.Grades {
			g, err := s.parseGrade(a, gi)
			if err != nil {
				for _, p := range err.(*Error).Problems {
					bad = append(bad, RowProblem{i, Problem{"grade " + gi.Subject + " " + p.Field, p.Reason}})
				}
				continue
			}
			st.Grades = append(st.Grades, g)
		}
		if len(it.Marks) > 0 {
			problems, err := book.addMarks(ctx, st, it.Marks, now)
			if err != nil {
				return nil, err
			}
			for _, p := range problems {
				bad = append(bad, RowProblem{i, p})
			}
		}
		st.Average = st.currentAverage()
		out = append(out, st)
	}
	if len(bad) > 0 {
		return nil, &BatchError{Problems: bad}
	}
	if len(out) == 0 {
		return out, nil
	}
	trails := func() []Trail {
		ts := make([]Trail, len(out))
		for i, st := range out {
			ts[i].add(now, a.Name, st, &Event{Type: EventStudentCreated, Average: st.Average})
		}
		ts[0].Audit = []AuditEntry{{At: now, Actor: a.Name, Action: action, Entity: "student",
			EntityID: out[0].Number + ".." + out[len(out)-1].Number, New: map[string]int{"students": len(out)}}}
		return ts
	}
	if err := s.insertNumbered(ctx, now.Year(), out, trails); err != nil {
		return nil, err
	}
	s.announce(ctx, a, EventStudentCreated, "")
	return out, nil
}

// insertNumbered gives the students consecutive matricules and inserts
// them with their trails (built once the matricules are known), all or
// none. A matricule taken meanwhile by another process is retried with new
// ones.
func (s *StudentService) insertNumbered(ctx context.Context, year int, out []*Student, trails func() []Trail) error {
	for attempt := 0; ; attempt++ {
		last, err := s.repo.ReserveNumbers(ctx, year, len(out))
		if err != nil {
			return err
		}
		first := last - int64(len(out)) + 1
		for i, st := range out {
			st.ID, st.Number = "", FormatNumber(year, first+int64(i))
		}
		err = s.repo.InsertMany(ctx, out, trails())
		if err == nil {
			return nil
		}
		var de *Error
		if errors.As(err, &de) && de.Code == ECONFLICT && de.Field() == "number" && attempt < maxRetries {
			continue
		}
		// Nothing was written (InsertMany is all or none): the numbers go
		// back unless someone reserved after them, so that a refused or
		// failed add does not leave a hole in the matricules. A failed
		// release (the disk still full) leaves the hole, nothing worse.
		_, _ = s.repo.ReleaseNumbers(ctx, year, last, len(out))
		if errors.As(err, &de) {
			return err
		}
		return fmt.Errorf("insert students: %w", err)
	}
}

// bulkLookupThreshold is the batch size from which CreateMany reads every
// phone once (a BulkCreator) instead of querying one per student.
const bulkLookupThreshold = 50

// Count returns how many students the store holds (any actor: it reveals
// nothing but a number, used to refuse seeding a non-empty store).
func (s *StudentService) Count(ctx context.Context) (int64, error) { return s.repo.Count(ctx) }
