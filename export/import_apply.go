package export

import (
	"context"
	"errors"
	"fmt"
	"time"

	"scolarite/domain"
)

// importAction names imports in the audit log.
const importAction = "student.import"

// undoTimeout bounds taking back a failed import, which runs even when the
// import's own context was cancelled.
const undoTimeout = 5 * time.Minute

// applier writes the rows of a plan and remembers how to take them back.
type applier struct {
	p       *Plan
	bulk    *domain.BulkCreator
	batch   []domain.NewStudent
	lines   []int
	result  ImportResult
	created []*domain.Student
	updated []updateUndo
	done    int
	journal string // the id of this import's journal ("" without one)
}

// updateUndo is a student before an import changed it, and what it added.
type updateUndo struct {
	before *domain.Student
	added  []string // grade ids
}

// Apply writes the plan: new students in batches, updates one student at
// a time. When anything fails (a back-end error, a phone taken meanwhile,
// a student changed meanwhile, a cancelled context), everything already
// written is taken back and the error returned. A plan applies once.
func (p *Plan) Apply(ctx context.Context) (*ImportResult, error) {
	if p.done {
		return nil, domain.Errorf(domain.ECONFLICT, "this import was already applied")
	}
	p.done = true
	if p.result.Refused {
		res := p.Result()
		res.Added, res.Updated = 0, 0
		return res, nil
	}
	bulk, err := p.w.NewBulkCreator(ctx, p.a, importAction)
	if err != nil {
		return nil, err
	}
	ap := &applier{p: p, bulk: bulk}
	ap.result.Rejected, ap.result.Problems, ap.result.Dropped = p.result.Rejected, p.result.Problems, p.result.Dropped
	ap.result.Rows = p.rows
	if j := p.opt.Journal; j != nil {
		if ap.journal, err = j.Begin(ctx, p.a.Name); err != nil {
			return nil, err
		}
	}
	err = ap.run(ctx)
	if err == nil {
		err = ap.flush(ctx)
	}
	if err != nil {
		if uerr := ap.undo(ctx); uerr != nil {
			// The journal stays: the next start tries the roll-back again.
			return nil, fmt.Errorf("import failed: %w; undoing it failed too, some rows stay written: %w", err, uerr)
		}
		// Nothing is left to roll back: a journal left open is harmless.
		_ = ap.finishJournal(ctx)
		return nil, fmt.Errorf("import failed, nothing was kept: %w", err)
	}
	if err := ap.finishJournal(ctx); err != nil {
		// Its journal stays open: the next start rolls the import back,
		// so it is not done (and the person is told so, not "imported").
		return nil, fmt.Errorf("the import was written but its journal could not be closed (%w): it will be rolled back at the next start; import the file again then", err)
	}
	p.progress(PhaseWrite, int64(p.valid), int64(p.valid))
	res := ap.result
	return &res, nil
}

func (p *Plan) progress(phase ImportPhase, done, total int64) {
	if p.opt.Progress != nil {
		p.opt.Progress(ImportProgress{Phase: phase, Done: done, Total: total})
	}
}

// run goes through the kept rows, or reads the file again.
func (ap *applier) run(ctx context.Context) error {
	p := ap.p
	if p.kept != nil {
		for i := range p.kept {
			if err := ap.row(ctx, p.kept[i]); err != nil {
				return err
			}
		}
		return nil
	}
	opt := p.opt
	opt.Progress = nil
	pl, err := newPlanner(ctx, p.w, p.a, opt)
	if err != nil {
		return err
	}
	seen := 0
	err = readPlans(ctx, p.path, opt, pl, PhaseWrite, func(rp rowPlan) error {
		seen++
		if rp.bad {
			if !p.opt.SkipInvalid {
				return domain.Errorf(domain.ECONFLICT, "%s (changed since the file was checked)", rp.problems[0])
			}
			return nil
		}
		return ap.row(ctx, rp)
	})
	if err == nil && seen != p.rows {
		err = domain.Errorf(domain.ECONFLICT, "the file changed while it was imported (%d rows, then %d)", p.rows, seen)
	}
	return err
}

// row writes one valid row (rows with problems were counted as rejected).
func (ap *applier) row(ctx context.Context, rp rowPlan) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if rp.bad {
		return nil
	}
	if rp.holder == nil {
		ap.batch = append(ap.batch, rp.item)
		ap.lines = append(ap.lines, rp.line)
		if len(ap.batch) >= ap.p.opt.BatchSize {
			return ap.flush(ctx)
		}
		return nil
	}
	if err := ap.update(ctx, rp); err != nil {
		return err
	}
	ap.tick(1)
	return nil
}

func (ap *applier) tick(n int) {
	ap.done += n
	ap.p.progress(PhaseWrite, int64(ap.done), int64(ap.p.valid))
}

// flush creates the pending batch.
func (ap *applier) flush(ctx context.Context) error {
	if len(ap.batch) == 0 {
		return nil
	}
	if err := ap.journalCreating(ctx); err != nil {
		return err
	}
	out, err := ap.bulk.Create(ctx, ap.batch)
	var be *domain.BatchError
	if errors.As(err, &be) {
		// Valid when checked, refused now: someone wrote meanwhile.
		probs := make([]Problem, 0, len(be.Problems))
		for _, rp := range be.Problems {
			probs = append(probs, ap.p.layoutProblem(ap.lines, rp))
		}
		return domain.Errorf(domain.ECONFLICT, "the store changed while importing: %s", probs[0])
	}
	if err != nil {
		return err
	}
	ap.created = append(ap.created, out...)
	ap.result.Added += len(out)
	ap.tick(len(out))
	ap.batch, ap.lines = ap.batch[:0], ap.lines[:0]
	return nil
}

// layoutProblem maps a batch problem to its line and column.
func (p *Plan) layoutProblem(lines []int, rp domain.RowProblem) Problem {
	pl := &planner{layout: p.lay}
	return pl.batchProblem(lines, rp)
}

// update applies one row's change to a freshly read record, each write
// pinned to the version the previous one returned.
func (ap *applier) update(ctx context.Context, rp rowPlan) error {
	w, a := ap.p.w, ap.p.a
	st, err := w.Get(ctx, a, rp.holder.Number)
	if err != nil {
		return err
	}
	ch, probs := diff(st, rp.id, ap.p.lay.byField[fieldEmail] != nil, rp.item.Grades, rp.line, ap.p.lay)
	if len(probs) > 0 {
		return domain.Errorf(domain.ECONFLICT, "%s (changed since the file was checked)", probs[0])
	}
	if ch.empty() {
		ap.result.Unchanged++
		return nil
	}
	if j := ap.p.opt.Journal; j != nil {
		if err := j.Updating(ctx, ap.journal, st); err != nil {
			return err
		}
	}
	undo := updateUndo{before: st}
	defer func() { ap.updated = append(ap.updated, undo) }()
	cur := st
	if ch.identity {
		if cur, err = w.Update(ctx, a, cur.Number, cur.Version, ch.input); err != nil {
			return err
		}
	}
	for _, s := range ch.sets {
		if cur, err = w.SetGrade(ctx, a, cur.Number, cur.Version, s.id, s.value); err != nil {
			return err
		}
	}
	for _, g := range ch.adds {
		var added *domain.Grade
		if cur, added, err = w.AddGrade(ctx, a, cur.Number, cur.Version, g); err != nil {
			return err
		}
		undo.added = append(undo.added, added.ID)
	}
	ap.result.Updated++
	return nil
}

// undo takes back what the import wrote, newest first, on a context that
// outlives a cancelled import.
func (ap *applier) undo(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), undoTimeout)
	defer cancel()
	var errs []error
	total := int64(len(ap.updated) + len(ap.created))
	n := int64(0)
	for i := len(ap.updated) - 1; i >= 0; i-- {
		if err := ap.revert(ctx, ap.updated[i]); err != nil {
			errs = append(errs, fmt.Errorf("student %s: %w", ap.updated[i].before.Number, err))
		}
		n++
		ap.p.progress(PhaseUndo, n, total)
	}
	for i := len(ap.created) - 1; i >= 0; i-- {
		st := ap.created[i]
		if err := ap.p.w.Delete(ctx, ap.p.a, st.Number, st.Version); err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			errs = append(errs, fmt.Errorf("student %s: %w", st.Number, err))
		}
		n++
		ap.p.progress(PhaseUndo, n, total)
	}
	return errors.Join(errs...)
}

// revert puts an updated student back as it was: identity, changed grade
// values, added grades removed.
func (ap *applier) revert(ctx context.Context, u updateUndo) error {
	return revert(ctx, ap.p.w, ap.p.a, u)
}

func revert(ctx context.Context, w Writer, a domain.Actor, u updateUndo) error {
	before := u.before
	cur, err := w.Get(ctx, a, before.Number)
	if err != nil {
		return err
	}
	for _, id := range u.added {
		if cur.GradeByID(id) >= 0 {
			if cur, err = w.RemoveGrade(ctx, a, cur.Number, cur.Version, id); err != nil {
				return err
			}
		}
	}
	for _, g := range before.Grades {
		if i := cur.GradeByID(g.ID); i >= 0 && cur.Grades[i].Value != g.Value {
			value := English.num(g.Value, -1)
			if cur, err = w.SetGrade(ctx, a, cur.Number, cur.Version, g.ID, value); err != nil {
				return err
			}
		}
	}
	if in := before.Input(); in != cur.Input() {
		if _, err = w.Update(ctx, a, cur.Number, cur.Version, in); err != nil {
			return err
		}
	}
	return nil
}
