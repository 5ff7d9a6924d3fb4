package domain

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ResultsDeps are what the results service needs.
type ResultsDeps struct {
	Repo      ResultsRepo
	Curricula CurriculumRepo
	Students  *StudentService // reads a class's students
	Year      string          // the current academic year
	Now       func() time.Time
	Log       *slog.Logger

	// Transcripts records the relevés issued (nil: none can be issued).
	Transcripts TranscriptRepo
}

// ResultsService computes a class's semester results under the school's
// regulation, records the jury's decisions, and keeps the regulation.
type ResultsService struct {
	d ResultsDeps
}

// NewResultsService wires the service.
func NewResultsService(d ResultsDeps) *ResultsService {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Log == nil {
		d.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &ResultsService{d: d}
}

// ClassResults is one session of a class's semester: every student's
// outcome, by name.
type ClassResults struct {
	Curriculum *Curriculum
	Session    int
	Regulation Regulation
	Outcomes   []SemesterOutcome
}

// Regulation returns the regulation in force.
func (s *ResultsService) Regulation(ctx context.Context) (Regulation, error) {
	return s.d.Repo.Regulation(ctx)
}

// SetRegulation makes r the regulation (admins): a new version, audited.
func (s *ResultsService) SetRegulation(ctx context.Context, a Actor, r Regulation) (Regulation, error) {
	if a.Role != RoleAdmin {
		return Regulation{}, forbidden(a, OpManageCurricula)
	}
	if err := r.Validate(); err != nil {
		return Regulation{}, err
	}
	cur, err := s.d.Repo.Regulation(ctx)
	if err != nil {
		return Regulation{}, err
	}
	r.Version, r.ChangedAt, r.ChangedBy = cur.Version+1, s.d.Now().UTC(), a.Name
	t := Trail{Audit: []AuditEntry{{At: r.ChangedAt, Actor: a.Name, Action: "regulation.set", Entity: "regulation",
		EntityID: fmt.Sprint(r.Version), Old: cur, New: r}}}
	if err := s.d.Repo.SaveRegulation(ctx, r, t); err != nil {
		return Regulation{}, err
	}
	return r, nil
}

// Results computes session 1 or 2 of a class's semester ("" year: the
// current one) for admins and the teachers who read the class.
func (s *ResultsService) Results(ctx context.Context, a Actor, class, semester, year string, session int) (*ClassResults, error) {
	if session != 1 && session != 2 {
		return nil, Invalid("session", fmt.Sprintf("must be 1 or 2 (got %d)", session))
	}
	c, err := s.curriculum(ctx, class, semester, year)
	if err != nil {
		return nil, err
	}
	if err := Authorize(a, OpListStudents, c.Class, ""); err != nil {
		return nil, err
	}
	evals, err := s.d.Curricula.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	reg, err := s.regulationOf(ctx, c, session)
	if err != nil {
		return nil, err
	}
	first := reg
	if session == 2 {
		if first, err = s.regulationOf(ctx, c, 1); err != nil {
			return nil, err
		}
	}
	entries, err := s.d.Repo.JuryEntries(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return nil, err
	}
	jury := map[string][]JuryEntry{}
	for _, e := range entries {
		jury[e.StudentID] = append(jury[e.StudentID], e)
	}
	students, err := s.d.Students.ClassStudents(ctx, a, c.Class)
	if err != nil {
		return nil, err
	}
	plan := NewResultPlan(c, evals, reg).FirstSessionUnder(first)
	res := &ClassResults{Curriculum: c, Session: session, Regulation: reg, Outcomes: make([]SemesterOutcome, 0, len(students))}
	for _, st := range students {
		res.Outcomes = append(res.Outcomes, plan.Compute(st, session, jury[st.ID]))
	}
	RankOutcomes(res.Outcomes)
	return res, nil
}

// regulationOf is the regulation session of c is computed under: the
// version it was closed under, else the one in force.
func (s *ResultsService) regulationOf(ctx context.Context, c *Curriculum, session int) (Regulation, error) {
	if v := c.RegulationOf(session); v > 0 {
		return s.d.Repo.RegulationVersion(ctx, v)
	}
	return s.d.Repo.Regulation(ctx)
}

// ResultEvents are the messages of the results of c's current session
// being published: one results.published event per student of the class.
func (s *ResultsService) ResultEvents(ctx context.Context, a Actor, c *Curriculum) ([]*Event, error) {
	res, err := s.Results(ctx, a, c.Class, c.Semester, c.Year, c.CurrentSession())
	if err != nil {
		return nil, err
	}
	students, err := s.d.Students.ClassStudents(ctx, a, c.Class)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*Student, len(students))
	for _, st := range students {
		byID[st.ID] = st
	}
	at := s.d.Now().UTC()
	var t Trail
	for _, o := range res.Outcomes {
		st, ok := byID[o.StudentID]
		if !ok {
			continue
		}
		n := &ResultNotice{Semester: c.Semester, Year: c.Year, Session: o.Session, Decision: o.Decision,
			Jury: o.Overridden() || len(o.Jury) > 0, Credits: o.Credits, TotalCredits: c.Credits(), Mention: o.Mention}
		if o.Average != nil {
			v, _ := strconv.ParseFloat(FormatAverage(o.Average, false), 64)
			n.Average = &v
		}
		t.add(at, a.Name, st, &Event{Type: EventResultsPublished, Result: n})
	}
	return t.Events, nil
}

// Outcome is a student's result of a session of c (rank among the class
// included), nil when the student is not in the class.
func (s *ResultsService) Outcome(ctx context.Context, c *Curriculum, session int, studentID string) (*SemesterOutcome, error) {
	res, err := s.Results(ctx, SystemActor("results"), c.Class, c.Semester, c.Year, session)
	if err != nil {
		return nil, err
	}
	for i := range res.Outcomes {
		if res.Outcomes[i].StudentID == studentID {
			return &res.Outcomes[i], nil
		}
	}
	return nil, nil
}

func (s *ResultsService) curriculum(ctx context.Context, class, semester, year string) (*Curriculum, error) {
	sem, err := ParseSemester(semester)
	if err != nil {
		return nil, err
	}
	if year == "" {
		year = s.d.Year
	}
	if year, err = ParseYear(year); err != nil {
		return nil, err
	}
	return s.d.Curricula.Curriculum(ctx, strings.ToUpper(cleanName(class)), sem, year)
}

// JuryInput is a jury's decision as typed: a decision, or points (on a
// UE, or the semester when UE is ""), and always a reason.
type JuryInput struct {
	Student  string // matricule or phone
	Semester string
	Year     string // "": the current one
	Session  int
	Decision string
	Points   string
	UE       string
	Reason   string
}

const maxReason = 300

// Override records a jury decision on a student's session (admins), while
// the semester is open: closing it freezes the decisions. Points add up
// to at most the regulation's cap per UE and for the semester.
func (s *ResultsService) Override(ctx context.Context, a Actor, in JuryInput) (*JuryEntry, error) {
	if a.Role != RoleAdmin {
		return nil, forbidden(a, OpManageCurricula)
	}
	st, err := s.d.Students.Get(ctx, a, in.Student)
	if err != nil {
		return nil, err
	}
	c, err := s.curriculum(ctx, st.Class, in.Semester, in.Year)
	if err != nil {
		return nil, err
	}
	if c.Status != SemesterOpen {
		return nil, Errorf(EINVALID, "%s is %s: its decisions are frozen; reopen it first", c.Key(), c.Status)
	}
	if (in.Session == 1 || in.Session == 2) && in.Session != c.CurrentSession() {
		return nil, Errorf(EINVALID, "%s is in session %d: the decisions of session %d are frozen", c.Key(), c.CurrentSession(), in.Session)
	}
	if in.Session == 2 {
		// A student admitted in session 1 does not sit session 2.
		first, err := s.Results(ctx, SystemActor(a.Name), c.Class, c.Semester, c.Year, 1)
		if err != nil {
			return nil, err
		}
		for _, o := range first.Outcomes {
			if o.StudentID == st.ID && o.Decision.Validated() {
				return nil, Errorf(EINVALID, "%s was admitted in session 1 (%s): there is no session 2 to decide for them", st.Number, o.Decision)
			}
		}
	}
	e := &JuryEntry{StudentID: st.ID, Class: c.Class, Semester: c.Semester, Year: c.Year, Session: in.Session,
		Reason: cleanName(in.Reason), By: a.Name, At: s.d.Now().UTC()}
	if err := s.checkEntry(ctx, c, e, in); err != nil {
		return nil, err
	}
	t := Trail{Audit: []AuditEntry{{At: e.At, Actor: a.Name, Action: "jury.decide", Entity: "jury", EntityID: st.Number, New: e}}}
	if err := s.d.Repo.AddJuryEntry(ctx, e, t); err != nil {
		return nil, err
	}
	return e, nil
}

// checkEntry fills e from in, or says which field is wrong.
func (s *ResultsService) checkEntry(ctx context.Context, c *Curriculum, e *JuryEntry, in JuryInput) error {
	var p problems
	if e.Session != 1 && e.Session != 2 {
		p.add("session", fmt.Sprintf("must be 1 or 2 (got %d)", e.Session))
	}
	switch n := utf8.RuneCountInString(e.Reason); {
	case n == 0:
		p.add("reason", "is required: the jury says why")
	case n > maxReason:
		p.add("reason", fmt.Sprintf("is %d characters long; at most %d", n, maxReason))
	}
	decision, points := strings.ToUpper(strings.TrimSpace(in.Decision)), strings.TrimSpace(in.Points)
	switch {
	case (decision == "") == (points == ""):
		p.add("decision", "give either a decision (ADM, ADC, AJ, DEF) or jury points, not both")
	case decision != "":
		switch d := Decision(decision); d {
		case DecisionADM, DecisionADC, DecisionAJ, DecisionDEF:
			e.Decision = d
		default:
			p.add("decision", "must be ADM, ADC, AJ or DEF (got "+Quote(decision, 10)+")")
		}
		if in.UE != "" {
			p.add("ue", "a decision is the semester's: no UE with it")
		}
	default:
		if err := s.checkPoints(ctx, c, e, points, strings.TrimSpace(in.UE), &p); err != nil {
			return err
		}
	}
	return p.err()
}

// checkPoints parses jury points and checks them against the cap, the
// points given already included.
func (s *ResultsService) checkPoints(ctx context.Context, c *Curriculum, e *JuryEntry, text, ue string, p *problems) error {
	v, err := ParseGradeValue(text)
	if err != nil || v <= 0 {
		p.add("points", "must be a positive number such as 0,25 (got "+Quote(text, 10)+")")
		return nil
	}
	if ue != "" {
		code, ok := c.ueCode(ue)
		if !ok {
			p.add("ue", "is not a UE of "+c.Key()+" (got "+Quote(ue, 20)+")")
			return nil
		}
		ue = code
	}
	reg, err := s.d.Repo.Regulation(ctx)
	if err != nil {
		return err
	}
	entries, err := s.d.Repo.JuryEntries(ctx, c.Class, c.Semester, c.Year)
	if err != nil {
		return err
	}
	total := ratFloat(v)
	for _, j := range entries {
		if j.StudentID == e.StudentID && j.Session == e.Session && j.UE == ue && j.Decision == "" {
			total.Add(total, ratFloat(j.Points))
		}
	}
	if total.Cmp(ratFloat(reg.JuryPointsCap)) > 0 {
		where := "the semester"
		if ue != "" {
			where = ue
		}
		p.add("points", fmt.Sprintf("would make %s jury points on %s; the regulation caps them at %s",
			FormatAverage(total, false), where, new(big.Rat).Set(ratFloat(reg.JuryPointsCap)).FloatString(2)))
		return nil
	}
	e.Points, e.UE = v, ue
	return nil
}

// ueCode is the code of the curriculum's UE named code in any case.
func (c *Curriculum) ueCode(code string) (string, bool) {
	for _, ue := range c.UEs {
		if strings.EqualFold(ue.Code, code) {
			return ue.Code, true
		}
	}
	return "", false
}

// YearOutcomes decides the year of each student of a class whose second
// semester of the year is semester (S2, S4, …): both semesters' results,
// each of its current session. Nil for an odd semester or when the first
// semester has no curriculum.
func (s *ResultsService) YearOutcomes(ctx context.Context, a Actor, res *ClassResults) (map[string]YearOutcome, error) {
	c := res.Curriculum
	n, err := strconv.Atoi(strings.TrimPrefix(c.Semester, "S"))
	if err != nil || n%2 == 1 {
		return nil, nil
	}
	first, err := s.d.Curricula.Curriculum(ctx, c.Class, "S"+strconv.Itoa(n-1), c.Year)
	if ErrorCode(err) == ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	before, err := s.Results(ctx, a, first.Class, first.Semester, first.Year, first.CurrentSession())
	if err != nil {
		return nil, err
	}
	byStudent := make(map[string]SemesterOutcome, len(before.Outcomes))
	for _, o := range before.Outcomes {
		byStudent[o.StudentID] = o
	}
	out := make(map[string]YearOutcome, len(res.Outcomes))
	for _, o := range res.Outcomes {
		if prev, ok := byStudent[o.StudentID]; ok {
			out[o.StudentID] = Year(prev, o, res.Regulation)
		}
	}
	return out, nil
}
