package export

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"scolarite/domain"
)

// journalCreating writes the phones of the batch about to be created into
// the import's journal: phones are unique, so after a kill they find the
// students this import made, whatever their matricules.
func (ap *applier) journalCreating(ctx context.Context) error {
	j := ap.p.opt.Journal
	if j == nil || len(ap.batch) == 0 {
		return nil
	}
	phones := make([]string, 0, len(ap.batch))
	for _, it := range ap.batch {
		if e164, err := ap.p.w.Phones().Parse(it.Input.Phone); err == nil {
			phones = append(phones, e164)
		}
	}
	return j.Creating(ctx, ap.journal, phones)
}

// finishJournal closes the import's journal, trying a few times: a
// journal left open is rolled back at the next start, so an import whose
// journal cannot be closed must not be reported as done.
func (ap *applier) finishJournal(ctx context.Context) error {
	j := ap.p.opt.Journal
	if j == nil {
		return nil
	}
	ctx = context.WithoutCancel(ctx)
	var err error
	for attempt := range 4 {
		if err = j.Finish(ctx, ap.journal); err == nil {
			return nil
		}
		time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
	}
	return err
}

// Recovered says what RecoverImports did with one abandoned import.
type Recovered struct {
	Record            domain.ImportRecord
	Removed, Restored int
}

func (r Recovered) String() string {
	return fmt.Sprintf("an import started %s by process %d (%s) was interrupted; it was rolled back: %d student(s) removed, %d restored",
		r.Record.Started.Local().Format("2006-01-02 15:04:05"), r.Record.PID, r.Record.Actor, r.Removed, r.Restored)
}

// RecoverImports rolls back the imports whose process died before they
// finished (their journal says what they were writing): the students they
// created are deleted, the ones they updated put back, through the domain
// (with audit entries and events, as an import's own undo). It runs at
// every start; a journal whose roll-back fails stays for the next one.
func RecoverImports(ctx context.Context, w Writer, a domain.Actor, j domain.ImportJournal, log *slog.Logger) ([]Recovered, error) {
	recs, err := j.Abandoned(ctx)
	if err != nil {
		return nil, err
	}
	var out []Recovered
	var errs []error
	for _, rec := range recs {
		r := Recovered{Record: rec}
		err := rollBack(ctx, w, a, rec, &r)
		if err != nil {
			errs = append(errs, fmt.Errorf("roll back the import of %s: %w", rec.Started.Format("2006-01-02 15:04"), err))
			continue
		}
		if err := j.Finish(ctx, rec.ID); err != nil {
			errs = append(errs, err)
		}
		log.Warn("interrupted import rolled back", "journal", rec.ID, "pid", rec.PID, "removed", r.Removed, "restored", r.Restored)
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

func rollBack(ctx context.Context, w Writer, a domain.Actor, rec domain.ImportRecord, r *Recovered) error {
	for i := len(rec.Before) - 1; i >= 0; i-- {
		before := rec.Before[i]
		cur, err := w.Get(ctx, a, before.Number)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue
		}
		if err != nil {
			return err
		}
		// Grades the import added are the ones the snapshot lacks, added
		// under the import's name.
		var added []string
		for _, g := range cur.Grades {
			if before.GradeByID(g.ID) < 0 && g.Teacher == rec.Actor {
				added = append(added, g.ID)
			}
		}
		if err := revert(ctx, w, a, updateUndo{before: before, added: added}); err != nil {
			return fmt.Errorf("student %s: %w", before.Number, err)
		}
		r.Restored++
	}
	for _, phone := range rec.Phones {
		st, err := w.Get(ctx, a, phone)
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			continue // never created, or already removed
		}
		if err != nil {
			return err
		}
		if st.CreatedAt.Before(rec.Started) {
			continue // there before the import (its phone was free when checked)
		}
		if err := w.Delete(ctx, a, st.Number, st.Version); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return fmt.Errorf("student %s: %w", st.Number, err)
		}
		r.Removed++
	}
	return nil
}
