package domain

import (
	"context"
	"time"
)

// ImportJournal keeps what an import is about to write, before it writes
// it, so that an import killed midway (SIGKILL, a power cut) is rolled back
// by the next start of any command instead of leaving part of a file in
// the store. Implemented by store.
type ImportJournal interface {
	// Begin opens the journal of an import by actor and returns its id.
	Begin(ctx context.Context, actor string) (string, error)
	// Creating records the phones (E.164) of students about to be created.
	Creating(ctx context.Context, id string, phones []string) error
	// Updating records a student as it was before the import changes it.
	Updating(ctx context.Context, id string, before *Student) error
	// Finish closes the journal: the import is complete, or undone.
	Finish(ctx context.Context, id string) error
	// Abandoned lists the journals whose import certainly died.
	Abandoned(ctx context.Context) ([]ImportRecord, error)
}

// ImportRecord is the journal of one import.
type ImportRecord struct {
	ID      string
	Actor   string
	Started time.Time
	PID     int
	Phones  []string   // of the students it was creating
	Before  []*Student // the students it was updating, as they were
}
