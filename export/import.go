package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"scolarite/domain"
)

// Writer is what an import asks of the student service. Every call is
// checked there against the actor: importing is an administrator's job.
type Writer interface {
	Roster(ctx context.Context, a domain.Actor, q domain.RosterQuery) (domain.RosterPage, error)
	Get(ctx context.Context, a domain.Actor, ref string) (*domain.Student, error)
	NewBulkCreator(ctx context.Context, a domain.Actor, action string) (*domain.BulkCreator, error)
	Update(ctx context.Context, a domain.Actor, ref string, version int64, in domain.StudentInput) (*domain.Student, error)
	AddGrade(ctx context.Context, a domain.Actor, ref string, version int64, in domain.GradeInput) (*domain.Student, *domain.Grade, error)
	SetGrade(ctx context.Context, a domain.Actor, ref string, version int64, gradeID, value string) (*domain.Student, error)
	RemoveGrade(ctx context.Context, a domain.Actor, ref string, version int64, gradeID string) (*domain.Student, error)
	Delete(ctx context.Context, a domain.Actor, ref string, version int64) error
	Phones() domain.PhoneParser
}

// ImportOptions tune an import.
type ImportOptions struct {
	Sheet       string // Excel: the sheet to read (default: the first)
	DryRun      bool   // check and count, write nothing
	SkipInvalid bool   // write the valid rows even when others are refused
	Update      bool   // a row whose phone exists updates that student
	BatchSize   int    // students per insert (default 1000)
	// Progress, when set, is told how far checking or writing went.
	Progress func(ImportProgress)
	// Journal, when set, records what the import is about to write, so
	// that one killed midway is rolled back at the next start
	// (RecoverImports).
	Journal domain.ImportJournal
	// Now dates the check of birth dates (default time.Now).
	Now func() time.Time
	// keep overrides keepRows (tests).
	keep int
}

// ImportPhase is what an import is doing.
type ImportPhase string

const (
	PhaseCheck ImportPhase = "check" // reading and validating every row
	PhaseWrite ImportPhase = "write" // writing the valid rows
	PhaseUndo  ImportPhase = "undo"  // taking back what a failed write did
)

// ImportProgress is Done of Total units (bytes or rows) of a phase.
type ImportProgress struct {
	Phase       ImportPhase
	Done, Total int64
}

// Problem is one refused cell or row: "line N, column X: reason".
type Problem struct {
	Line   int    `json:"line"`
	Column string `json:"column,omitempty"` // the column's header as written in the file
	Field  string `json:"field,omitempty"`  // the domain field, for translations
	Reason string `json:"reason"`
}

func (p Problem) String() string {
	if p.Column == "" {
		return "line " + strconv.Itoa(p.Line) + ": " + p.Reason
	}
	return "line " + strconv.Itoa(p.Line) + ", column " + p.Column + ": " + p.Reason
}

// MaxProblems is how many problems a result keeps; the rest are counted.
const MaxProblems = 1000

// ImportResult is what an import did, or would do (DryRun), or refused.
type ImportResult struct {
	Rows      int `json:"rows"` // student rows read (empty rows not counted)
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
	// Problems are the first MaxProblems problems in file order; Dropped
	// counts the others.
	Problems []Problem `json:"problems"`
	Dropped  int       `json:"dropped"`
	DryRun   bool      `json:"dry_run"`
	// Refused: rows were rejected and, without SkipInvalid, nothing was
	// written.
	Refused bool `json:"refused"`
}

// Summary is the one-line count the CLI prints.
func (r *ImportResult) Summary() string {
	return fmt.Sprintf("added %d, updated %d, unchanged %d, rejected %d", r.Added, r.Updated, r.Unchanged, r.Rejected)
}

func (r *ImportResult) addProblems(ps []Problem) {
	for _, p := range ps {
		if len(r.Problems) < MaxProblems {
			r.Problems = append(r.Problems, p)
		} else {
			r.Dropped++
		}
	}
}

// ImportFile checks every row of the CSV or Excel file at path, then
// writes them unless a row was refused (or, with SkipInvalid, writes the
// valid ones). A failed write is undone: the store is left as it was.
func ImportFile(ctx context.Context, w Writer, a domain.Actor, path string, opt ImportOptions) (*ImportResult, error) {
	p, err := Check(ctx, w, a, path, opt)
	if err != nil {
		return nil, err
	}
	res := p.Result()
	if res.Refused {
		res.Added, res.Updated = 0, 0 // nothing was written
	}
	if opt.DryRun || res.Refused {
		return res, nil
	}
	return p.Apply(ctx)
}

// Plan is a checked import waiting to be applied: the counts it would
// give, the problems found, and (for files of up to keepRows rows) the
// rows themselves; bigger files are read again when applied.
type Plan struct {
	w      Writer
	a      domain.Actor
	path   string
	opt    ImportOptions
	result ImportResult
	kept   []rowPlan // nil: read the file again
	lay    *layout
	valid  int
	rows   int
	done   bool
}

// keepRows is how many checked rows a plan keeps in memory (a few MB);
// past it, applying reads the file again, so memory stays bounded.
const keepRows = 20_000

// Check reads and validates every row without writing anything.
func Check(ctx context.Context, w Writer, a domain.Actor, path string, opt ImportOptions) (*Plan, error) {
	if err := domain.Authorize(a, domain.OpCreateStudent, "", ""); err != nil {
		return nil, err
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	p := &Plan{w: w, a: a, path: path, opt: opt}
	p.result.DryRun = opt.DryRun
	pl, err := newPlanner(ctx, w, a, opt)
	if err != nil {
		return nil, err
	}
	keep, limit := true, keepRows
	if opt.keep > 0 {
		limit = opt.keep
	}
	err = readPlans(ctx, path, opt, pl, PhaseCheck, func(rp rowPlan) error {
		p.rows++
		p.result.addProblems(rp.problems)
		switch {
		case len(rp.problems) > 0:
			p.result.Rejected++
		case rp.holder == nil:
			p.result.Added++
		case rp.change.empty():
			p.result.Unchanged++
		default:
			p.result.Updated++
		}
		if len(rp.problems) == 0 {
			p.valid++
		}
		if keep && p.rows > limit {
			keep, p.kept = false, nil
		}
		if keep {
			rp.problems = nil
			p.kept = append(p.kept, rp)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p.lay = pl.layout
	if !keep {
		p.kept = nil
	} else if p.kept == nil {
		p.kept = []rowPlan{}
	}
	p.result.Rows = p.rows
	if p.result.Rejected > 0 && !opt.SkipInvalid {
		p.result.Refused = true
	}
	return p, nil
}

// OnProgress replaces the progress callback of the plan's options, for a
// caller that applies the plan somewhere else than it checked it.
func (p *Plan) OnProgress(f func(ImportProgress)) { p.opt.Progress = f }

// Result is what the plan foresees: what the valid rows would do, the
// rows refused and why, and whether the refused rows stop it (Refused).
func (p *Plan) Result() *ImportResult {
	r := p.result
	return &r
}

// readPlans streams the file's rows through the planner, handing each
// checked student row to each.
func readPlans(ctx context.Context, path string, opt ImportOptions, pl *planner, phase ImportPhase, each func(rowPlan) error) (err error) {
	rr, err := openRows(path, opt.Sheet)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rr.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := pl.findHeader(rr); err != nil {
		return err
	}
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if opt.Progress != nil {
				done, size := rr.Position()
				opt.Progress(ImportProgress{Phase: phase, Done: done, Total: size})
			}
		}
		cells, line, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		rp, ok, err := pl.plan(ctx, line, cells)
		if err != nil {
			return err
		}
		if !ok {
			continue // an empty row
		}
		rp.bad = len(rp.problems) > 0
		if err := each(rp); err != nil {
			return err
		}
	}
	if opt.Progress != nil {
		_, size := rr.Position()
		opt.Progress(ImportProgress{Phase: phase, Done: size, Total: size})
	}
	return nil
}
