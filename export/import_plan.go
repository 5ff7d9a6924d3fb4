package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"scolarite/domain"
)

// rowPlan is one checked student row: what to create, or which student it
// updates and how, or the problems that refuse it.
type rowPlan struct {
	line     int
	item     domain.NewStudent // texts as the domain parses them
	phone    string            // E.164, once valid
	id       domain.Identity   // validated identity
	bad      bool              // refused: problems says why
	holder   *domain.RosterRow // the student holding the phone already
	change   change            // update of holder (empty: unchanged)
	problems []Problem
}

// planner checks rows against the domain's rules, the file's other rows
// (one phone per student) and the store (phones already held).
type planner struct {
	w        Writer
	a        domain.Actor
	phones   domain.PhoneParser
	today    domain.Date
	update   bool
	layout   *layout
	existing map[string]*domain.RosterRow // phone -> holder
	seen     map[string]int               // phone -> first line
	full     map[string]*domain.Student   // phone -> record, loaded on the first update
}

func newPlanner(ctx context.Context, w Writer, a domain.Actor, opt ImportOptions) (*planner, error) {
	page, err := w.Roster(ctx, a, domain.RosterQuery{})
	if err != nil {
		return nil, err
	}
	existing := make(map[string]*domain.RosterRow, len(page.Rows))
	for i := range page.Rows {
		existing[page.Rows[i].Phone] = &page.Rows[i]
	}
	return &planner{w: w, a: a, phones: w.Phones(), today: domain.DateOf(opt.Now()), update: opt.Update,
		existing: existing, seen: map[string]int{}}, nil
}

// headerScan is how many non-empty rows may precede the header row (a
// title, a date, the school's name).
const headerScan = 10

// findHeader reads up to the header row: the first row naming at least
// three identity columns, else the first non-empty row (whose problems
// are then reported).
func (pl *planner) findHeader(rr rowReader) error {
	var firstCells []string
	firstLine := 0
	for scanned := 0; scanned < headerScan; {
		cells, line, err := rr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if blank(cells) {
			continue
		}
		scanned++
		for i := range cells {
			cells[i] = cleanCell(cells[i])
		}
		if firstCells == nil {
			firstCells, firstLine = append([]string(nil), cells...), line
		}
		if recognised(cells) >= 3 {
			l, err := parseLayout(line, cells)
			if err != nil {
				return err
			}
			pl.layout = l
			return nil
		}
	}
	if firstCells == nil {
		return fileError("the file has no rows: it should start with a header row (Nom, Prénom, Téléphone, …)")
	}
	_, err := parseLayout(firstLine, firstCells)
	if err == nil {
		err = headerError(firstLine, "the header row names too few of the expected columns")
	}
	return err
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// plan checks one row; ok is false for an empty row. A row's problems
// come in the order of their columns.
func (pl *planner) plan(ctx context.Context, line int, cells []string) (rp rowPlan, ok bool, err error) {
	rp, ok, err = pl.check(ctx, line, cells)
	slices.SortStableFunc(rp.problems, func(a, b Problem) int { return pl.layout.position(a.Column) - pl.layout.position(b.Column) })
	return rp, ok, err
}

func (pl *planner) check(ctx context.Context, line int, cells []string) (rp rowPlan, ok bool, err error) {
	if blank(cells) {
		return rp, false, nil
	}
	rp.line = line
	l := pl.layout
	cell := func(f string) string {
		if c := l.byField[f]; c != nil && c.index < len(cells) {
			return cleanCell(cells[c.index])
		}
		return ""
	}
	bad := func(f, reason string) {
		rp.problems = append(rp.problems, pl.problem(line, f, reason))
	}
	for i := len(l.cols); i < len(cells); i++ {
		if cleanCell(cells[i]) != "" {
			rp.problems = append(rp.problems, Problem{Line: line, Column: colName(i), Reason: "holds a value but the column has no header"})
		}
	}
	for _, c := range l.cols {
		if c.header == "" && c.index < len(cells) && cleanCell(cells[c.index]) != "" {
			rp.problems = append(rp.problems, Problem{Line: line, Column: colName(c.index), Reason: "holds a value but the column has no header"})
		}
	}
	in := domain.StudentInput{LastName: cell(fieldLastName), FirstName: cell(fieldFirstName),
		Phone: pl.phoneText(cell(fieldPhone)), Email: cell(fieldEmail), Class: cell(fieldClass), Major: cell(fieldMajor),
		GuardianName: cell(fieldGuardianName), GuardianEmail: cell(fieldGuardianEmail)}
	if g := cell(fieldGuardianPhone); g != "" {
		in.GuardianPhone = pl.phoneText(g)
	}
	dateErr := false
	if raw := cell(fieldBirthDate); domain.CheckText(fieldBirthDate, raw, domain.SingleLine) != nil {
		in.BirthDate = raw // the domain refuses it, before dateCell could drop or quote it
	} else if in.BirthDate, err = dateCell(raw); err != nil {
		bad(fieldBirthDate, err.Error())
		dateErr = true
	}
	id, verr := in.Validate(pl.phones, pl.today)
	var derr *domain.Error
	if errors.As(verr, &derr) {
		for _, p := range derr.Problems {
			if !(dateErr && p.Field == fieldBirthDate) {
				bad(p.Field, p.Reason)
			}
		}
	} else if verr != nil {
		return rp, false, verr
	}
	rp.item.Input = in
	for _, c := range l.subjects {
		if c.index >= len(cells) {
			continue
		}
		v := gradeCell(cleanCell(cells[c.index]))
		if v == "" {
			continue
		}
		if _, err := domain.ParseGradeValue(v); err != nil {
			rp.problems = append(rp.problems, Problem{Line: line, Column: c.title(), Field: "value", Reason: err.(*domain.Error).Problems[0].Reason})
			continue
		}
		rp.item.Grades = append(rp.item.Grades, domain.GradeInput{Subject: c.subject, Value: v, Coefficient: c.coef})
	}
	if id.Phone == "" {
		return rp, true, nil // the phone itself was refused
	}
	rp.phone, rp.id = id.Phone, id
	rp.item.Input.Phone = id.Phone
	if first, dup := pl.seen[id.Phone]; dup {
		bad(fieldPhone, fmt.Sprintf("is the same phone as line %d (%s)", first, id.Phone))
		return rp, true, nil
	}
	pl.seen[id.Phone] = line
	holder := pl.existing[id.Phone]
	switch {
	case holder == nil:
	case verr != nil:
		if !pl.update {
			bad(fieldPhone, "is already used by student "+holder.Number+" ("+holder.LastName+" "+holder.FirstName+")")
		}
	case !pl.update:
		bad(fieldPhone, "is already used by student "+holder.Number+" ("+holder.LastName+" "+holder.FirstName+")")
	default:
		rp.holder = holder
		st, err := pl.student(ctx, holder)
		if err != nil {
			return rp, false, err
		}
		var probs []Problem
		rp.change, probs = diff(st, id, l.byField[fieldEmail] != nil, rp.item.Grades, line, l)
		rp.problems = append(rp.problems, probs...)
	}
	return rp, true, nil
}

// phoneText undoes a spreadsheet's number formatting of a phone, and gives
// a bare international number (221771234567) its "+" back when it does
// not read as a national one.
func (pl *planner) phoneText(s string) string {
	s = phoneCell(s)
	if plus, ok := phoneRetry(s); ok && !strings.HasPrefix(s, "00") {
		if _, err := pl.phones.Parse(s); err != nil {
			return plus
		}
	}
	return s
}

// student returns the full record of an existing student: all of them are
// read at once on the first update of a big roster (one read beats one
// query per row), one by one for a small one.
func (pl *planner) student(ctx context.Context, holder *domain.RosterRow) (*domain.Student, error) {
	if pl.full != nil {
		if st, ok := pl.full[holder.Phone]; ok {
			return st, nil
		}
	}
	if len(pl.existing) > 200 && pl.full == nil {
		if r, ok := pl.w.(Reader); ok {
			all, err := r.Students(ctx, pl.a, domain.RosterQuery{})
			if err != nil {
				return nil, err
			}
			pl.full = make(map[string]*domain.Student, len(all))
			for _, st := range all {
				pl.full[st.Phone] = st
			}
			if st, ok := pl.full[holder.Phone]; ok {
				return st, nil
			}
		}
	}
	return pl.w.Get(ctx, pl.a, holder.Number)
}

// problem places a domain field's problem in its column.
func (pl *planner) problem(line int, field, reason string) Problem {
	p := Problem{Line: line, Field: field, Reason: reason}
	if c := pl.layout.byField[field]; c != nil {
		p.Column = c.title()
	}
	return p
}

// batchProblem places a problem CreateMany reported for item index of a
// batch whose rows started on lines: "grade Maths value" is the Maths
// column.
func (pl *planner) batchProblem(lines []int, rp domain.RowProblem) Problem {
	line := 0
	if rp.Index >= 0 && rp.Index < len(lines) {
		line = lines[rp.Index]
	}
	if subject, ok := strings.CutPrefix(rp.Field, "grade "); ok {
		for _, c := range pl.layout.subjects {
			if strings.HasPrefix(domain.Fold(subject), domain.Fold(c.subject)+" ") {
				return Problem{Line: line, Column: c.title(), Field: "value", Reason: rp.Reason}
			}
		}
	}
	return pl.problem(line, rp.Field, rp.Reason)
}
