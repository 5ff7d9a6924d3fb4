package domain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"
)

// CurriculumDeps are what the curriculum service needs.
type CurriculumDeps struct {
	Repo CurriculumRepo
	// Students, when set, are read to tell each student of an evaluation
	// just published (one grade.published event each).
	Students StudentRepo
	// Results, when set, gives the messages of a semester's results when
	// they are published, and each student's published results.
	Results ResultsSource
	// Year is the current academic year (a setting, e.g. 2026-2027).
	Year string
	Now  func() time.Time
	Log  *slog.Logger
}

// CurriculumService is every operation on curricula, evaluations and the
// semesters' lifecycle, each checked against the acting user.
type CurriculumService struct {
	repo     CurriculumRepo
	students StudentRepo
	results  ResultsSource
	year     string
	now      func() time.Time
	log      *slog.Logger
}

// NewCurriculumService wires the service.
func NewCurriculumService(d CurriculumDeps) *CurriculumService {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &CurriculumService{repo: d.Repo, students: d.Students, results: d.Results, year: d.Year, now: d.Now, log: d.Log}
}

// ResultsSource computes what a semester's results tell (ResultsService):
// the messages of their publication, and a student's outcome.
type ResultsSource interface {
	// Regulation is the regulation in force, which closing a session
	// freezes for it.
	Regulation(ctx context.Context) (Regulation, error)
	ResultEvents(ctx context.Context, a Actor, c *Curriculum) ([]*Event, error)
	Outcome(ctx context.Context, c *Curriculum, session int, studentID string) (*SemesterOutcome, error)
}

// CurrentYear is the academic year the school works in.
func (s *CurriculumService) CurrentYear() string { return s.year }

// year resolves an empty year to the current one.
func (s *CurriculumService) yearOr(y string) (string, error) {
	if strings.TrimSpace(y) == "" {
		return s.year, nil
	}
	return ParseYear(y)
}

// Get returns a class's curriculum of a semester (year "" is the current
// one): admins, the class's teachers and its students may read it.
func (s *CurriculumService) Get(ctx context.Context, a Actor, class, semester, year string) (*Curriculum, error) {
	sem, err := ParseSemester(semester)
	if err != nil {
		return nil, err
	}
	if year, err = s.yearOr(year); err != nil {
		return nil, err
	}
	c, err := s.repo.Curriculum(ctx, strings.ToUpper(cleanName(class)), sem, year)
	if err != nil {
		return nil, err
	}
	if !mayRead(a, c) {
		return nil, forbidden(a, OpReadStudent)
	}
	return c, nil
}

// List returns the curricula of a year ("" current) the actor may read,
// of one class or of all ("").
func (s *CurriculumService) List(ctx context.Context, a Actor, year, class string) ([]*Curriculum, error) {
	year, err := s.yearOr(year)
	if err != nil {
		return nil, err
	}
	all, err := s.repo.Curricula(ctx, year, strings.ToUpper(cleanName(class)))
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(all, func(c *Curriculum) bool { return !mayRead(a, c) }), nil
}

// TaughtClasses lists the classes whose curricula of the current year
// name username among a subject's teachers (Actor.Taught).
func (s *CurriculumService) TaughtClasses(ctx context.Context, username string) ([]string, error) {
	all, err := s.repo.Curricula(ctx, s.year, "")
	if err != nil {
		return nil, fmt.Errorf("the classes %s teaches: %w", username, err)
	}
	name := strings.ToLower(username)
	var out []string
	for _, c := range all {
		if !slices.Contains(out, c.Class) && c.names(name) {
			out = append(out, c.Class)
		}
	}
	return out, nil
}

// names reports whether a subject of the curriculum names the teacher.
func (c *Curriculum) names(teacher string) bool {
	for _, ue := range c.UEs {
		for _, sub := range ue.Subjects {
			if slices.Contains(sub.Teachers, teacher) {
				return true
			}
		}
	}
	return false
}

// mayRead: admins; teachers of the class (whole class, or one subject);
// students of the class (checked by the caller against their record).
func mayRead(a Actor, c *Curriculum) bool {
	switch a.Role {
	case RoleAdmin, RoleStudent:
		return true
	case RoleTeacher:
		return slices.Contains(a.Classes, c.Class) || c.names(strings.ToLower(a.Name))
	}
	return false
}

// Import creates or replaces curricula (admins only), all or none: every
// curriculum is checked first, and one that would drop a subject or a UE
// that already has evaluations, or that belongs to a semester no longer
// open, is refused, naming them; so is a curriculum carrying a version
// (read, then edited) when the stored one has moved since. It returns how
// many were created and replaced.
func (s *CurriculumService) Import(ctx context.Context, a Actor, items []*Curriculum) (created, replaced int, err error) {
	if a.Role != RoleAdmin {
		return 0, 0, forbidden(a, OpManageCurricula)
	}
	var bad []RowProblem
	prev := make([]*Curriculum, len(items))
	for i, c := range items {
		if c.Year == "" {
			c.Year = s.year
		}
		if err := c.Validate(); err != nil {
			for _, p := range err.(*Error).Problems {
				bad = append(bad, RowProblem{i, p})
			}
			continue
		}
		old, err := s.repo.Curriculum(ctx, c.Class, c.Semester, c.Year)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			continue
		case err != nil:
			return 0, 0, err
		}
		prev[i] = old
		if old.Status != SemesterOpen && old.Status != "" {
			bad = append(bad, RowProblem{i, Problem{"semester", c.Class + " " + c.Semester + " " + c.Year + " is " + string(old.Status) + ": reopen it before changing its curriculum"}})
			continue
		}
		if c.Version != 0 && c.Version != old.Version {
			// An edit of a curriculum read earlier (the curricula screen):
			// never over a change saved since.
			bad = append(bad, RowProblem{i, Problem{"version", fmt.Sprintf("%s was changed by someone else since it was read (version %d, now %d): read it again", c.Key(), c.Version, old.Version)}})
			continue
		}
		probs, err := s.droppedWithEvaluations(ctx, old, c)
		if err != nil {
			return 0, 0, err
		}
		for _, p := range probs {
			bad = append(bad, RowProblem{i, p})
		}
	}
	if len(bad) > 0 {
		return 0, 0, &BatchError{Problems: bad}
	}
	for i, c := range items {
		var prevVersion int64
		action := "curriculum.create"
		if old := prev[i]; old != nil {
			// The lifecycle is the semester's, not the file's: a file
			// (or a screen's edit) carries no session.
			prevVersion, c.ID, c.Status, c.Reason, c.Session, c.Regulations, c.Published = old.Version, old.ID, old.Status, old.Reason, old.Session, old.Regulations, old.Published
			action = "curriculum.replace"
		}
		if c.Status == "" {
			c.Status = SemesterOpen
		}
		c.Version = prevVersion + 1
		if err := s.repo.SaveCurriculum(ctx, c, prevVersion, curriculumTrail(s, a, action, c.Key(), prev[i], c)); err != nil {
			return created, replaced, err
		}
		if prev[i] == nil {
			created++
		} else {
			replaced++
		}
	}
	return created, replaced, nil
}

// droppedWithEvaluations names the subjects (and their UEs) of old that c
// no longer has although they have evaluations.
func (s *CurriculumService) droppedWithEvaluations(ctx context.Context, old, c *Curriculum) ([]Problem, error) {
	evals, err := s.repo.Evaluations(ctx, old.Class, old.Semester, old.Year)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for _, ue := range old.UEs {
		for _, sub := range ue.Subjects {
			if _, _, kept := c.Subject(sub.Name); kept {
				continue
			}
			n := 0
			for _, e := range evals {
				if FoldLabel(e.Subject) == FoldLabel(sub.Name) {
					n++
				}
			}
			if n > 0 {
				out = append(out, Problem{"subject " + sub.Name, "has " + itoa(n) + " evaluation(s) in UE " + ue.Code + ": it cannot be dropped from the curriculum"})
			}
		}
	}
	return out, nil
}

// ChangeStatus closes, reopens or publishes a class's semester (admins
// only); reopening needs a reason, kept in the audit entry.
func (s *CurriculumService) ChangeStatus(ctx context.Context, a Actor, class, semester, year string, act SemesterAction, reason string) (*Curriculum, error) {
	if a.Role != RoleAdmin {
		return nil, forbidden(a, OpManageCurricula)
	}
	if err := CheckText("reason", reason, SingleLine); err != nil {
		return nil, err
	}
	c, err := s.Get(ctx, a, class, semester, year)
	if err != nil {
		return nil, err
	}
	next, err := Transition(c.Status, act, reason)
	if err != nil {
		return nil, err
	}
	if act == ActionResit && c.CurrentSession() == 2 {
		return nil, Errorf(ECONFLICT, "the resit session of %s is open already", c.Key())
	}
	old := *c
	c.Status, c.Version = next, old.Version+1
	switch act {
	case ActionClose:
		if s.results != nil {
			// The session's decisions are frozen under the regulation
			// of the day: a later version does not change them.
			reg, err := s.results.Regulation(ctx)
			if err != nil {
				return nil, err
			}
			c.pinRegulation(c.CurrentSession(), reg.Version)
		}
	case ActionReopen:
		c.Reason = cleanName(reason)
		c.pinRegulation(c.CurrentSession(), 0) // open: the regulation in force again
	case ActionPublish:
		c.Published = c.CurrentSession()
	case ActionResit:
		// A semester published before Published was recorded says so by
		// its status alone: session 1's results stay visible.
		if old.Status == SemesterPublished {
			c.Published = max(c.Published, old.CurrentSession())
		}
		c.Session = 2
	}
	t := curriculumTrail(s, a, "semester."+string(act), c.Key(), &old, c)
	t.Audit[0].Old, t.Audit[0].New = map[string]any{"status": string(old.Status), "session": old.CurrentSession(),
		"regulation": old.RegulationOf(old.CurrentSession()), "published": old.Published},
		map[string]any{"status": string(next), "session": c.CurrentSession(), "reason": cleanName(reason),
			"regulation": c.RegulationOf(old.CurrentSession()), "published": c.Published}
	if act == ActionPublish && s.results != nil {
		// One message per student with their results, in the same trail
		// as the publication: all sent, or none.
		events, err := s.results.ResultEvents(ctx, a, c)
		if err != nil {
			return nil, err
		}
		t.Events = append(t.Events, events...)
	}
	if err := s.repo.SaveCurriculum(ctx, c, old.Version, t); err != nil {
		var de *Error
		if errors.As(err, &de) && de.Code == ECONFLICT {
			return nil, Errorf(ECONFLICT, "%s %s was changed by someone else meanwhile; try again", c.Class, c.Semester)
		}
		return nil, err
	}
	return c, nil
}

// Key names a curriculum in messages and the audit log: "L1-INFO S1 2026-2027".
func (c *Curriculum) Key() string { return c.Class + " " + c.Semester + " " + c.Year }

// curriculumTrail is the audit entry of a curriculum or evaluation change (old nil
// when created).
func curriculumTrail[T any](s *CurriculumService, a Actor, action, entityID string, old, new *T) Trail {
	e := AuditEntry{At: s.now(), Actor: a.Name, Action: action, Entity: "curriculum", EntityID: entityID, New: new}
	if old != nil {
		e.Old = old
	}
	return Trail{Audit: []AuditEntry{e}}
}
