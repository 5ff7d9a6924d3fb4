package export

import (
	"context"
	"errors"
	"strings"
	"testing"

	"scolarite/domain"
)

// stuckJournal records in memory and cannot be closed (Finish fails the
// first fails times).
type stuckJournal struct {
	fails, finishes int
}

func (j *stuckJournal) Begin(context.Context, string) (string, error)            { return "j1", nil }
func (j *stuckJournal) Creating(context.Context, string, []string) error         { return nil }
func (j *stuckJournal) Updating(context.Context, string, *domain.Student) error  { return nil }
func (j *stuckJournal) Abandoned(context.Context) ([]domain.ImportRecord, error) { return nil, nil }
func (j *stuckJournal) Finish(context.Context, string) error {
	j.finishes++
	if j.finishes <= j.fails {
		return errors.New("database is locked")
	}
	return nil
}

// An import whose journal cannot be closed is not reported as done: the
// next start would roll it back (an acknowledged import lost). A close
// that fails once is tried again.
func TestImportJournalThatCannotBeClosed(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	csv := "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance\nDiop;Awa;771000001;L1-INFO;Informatique;2004-05-06\n"
	j := &stuckJournal{fails: 1}
	if _, err := ImportFile(ctx, svc, admin, writeTemp(t, "a.csv", []byte(csv)), ImportOptions{Journal: j}); err != nil || j.finishes != 2 {
		t.Fatalf("a close failing once: %v after %d tries", err, j.finishes)
	}
	j = &stuckJournal{fails: 100}
	csv = strings.Replace(csv, "771000001", "771000002", 1)
	_, err := ImportFile(ctx, svc, admin, writeTemp(t, "b.csv", []byte(csv)), ImportOptions{Journal: j})
	if err == nil || !strings.Contains(err.Error(), "rolled back at the next start") {
		t.Errorf("an import whose journal stays open reported: %v", err)
	}
}
