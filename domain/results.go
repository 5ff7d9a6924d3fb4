package domain

import (
	"math/big"
	"slices"
	"strconv"
	"time"
)

// Semester results as the jury decides them (docs/ARCHITECTURE.md,
// "Results"): averages level by level, the UEs acquired on their own or by
// compensation, the credits earned, the decision and mention of each
// session, the resit of session 2 and the jury's own decisions. Numbers
// are exact (rationals): a thresholds is compared with the unrounded
// value, and rounding (2 decimals, half up) is for display only.

// Decision is a semester's (or a year's) outcome, in the LMD codes.
type Decision string

const (
	DecisionADM  Decision = "ADM"  // admis
	DecisionADC  Decision = "ADC"  // admis par compensation
	DecisionAJ   Decision = "AJ"   // ajourné
	DecisionDEF  Decision = "DEF"  // défaillant: a subject has no mark
	DecisionAJAC Decision = "AJAC" // ajourné autorisé à continuer (a year)
)

// UEStatus is what became of a UE: acquired on its own (ADM), by
// compensation (CMP), or not acquired (AJ).
type UEStatus string

const (
	UEAcquired    UEStatus = "ADM"
	UECompensated UEStatus = "CMP"
	UENotAcquired UEStatus = "AJ"
)

// Validated reports whether the decision admits the student.
func (d Decision) Validated() bool { return d == DecisionADM || d == DecisionADC }

// JuryEntry is one decision of the jury on a student's session: a
// decision replacing the computed one, or points added to a UE's average
// (UE set) or to the semester's. Always with a reason; audited.
type JuryEntry struct {
	ID        string    `json:"id"`
	StudentID string    `json:"student_id"`
	Class     string    `json:"class"`
	Semester  string    `json:"semester"`
	Year      string    `json:"year"`
	Session   int       `json:"session"`
	Decision  Decision  `json:"decision,omitempty"`
	Points    float64   `json:"points,omitempty"`
	UE        string    `json:"ue,omitempty"`
	Reason    string    `json:"reason"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
}

// SubjectOutcome is a student's average in a subject.
type SubjectOutcome struct {
	Subject     string
	UE          string
	Coefficient float64
	Average     *big.Rat // nil: no mark at all
	Resit       bool     // the resit mark counted (session 2)
}

// UEOutcome is what became of a UE for a student.
type UEOutcome struct {
	Code         string
	Title        string
	Credits      int
	Average      *big.Rat // jury points included; nil when nothing is marked
	Points       float64  // the jury's
	Status       UEStatus
	Earned       int  // credits
	BelowBarrier bool // the average is below the regulation's barrier
	Subjects     []SubjectOutcome
}

// SemesterOutcome is a student's result of one session of a semester.
type SemesterOutcome struct {
	StudentID  string
	Number     string
	LastName   string
	FirstName  string
	BirthDate  Date
	Class      string
	Semester   string
	Year       string
	Session    int
	Average    *big.Rat // jury points included
	Points     float64  // the jury's, on the semester
	Credits    int      // earned, of the curriculum's
	Computed   Decision // by the rules, before the jury
	Decision   Decision // the jury's when it decided, else Computed
	Mention    Mention
	Rank       int // 1 is the best; 0 when there is no average
	Jury       []JuryEntry
	UEs        []UEOutcome
	Missing    []string // subjects with no mark at all (DEF)
	Regulation int      // the version that computed it
}

// Overridden reports whether the jury changed the computed decision.
func (o *SemesterOutcome) Overridden() bool { return o.Decision != o.Computed }

// ResultPlan is a semester's curriculum with each subject's evaluations
// found once, to compute the results of a whole class.
type ResultPlan struct {
	c      *Curriculum
	reg    Regulation // session 2's (session 1's too unless reg1 is set)
	reg1   *Regulation
	first  [][][]Evaluation // [UE][subject]: the session-1 evaluations
	resits [][][]Evaluation // [UE][subject]: the resits
}

// NewResultPlan prepares the results of a semester under reg.
func NewResultPlan(c *Curriculum, evals []Evaluation, reg Regulation) *ResultPlan {
	p := &ResultPlan{c: c, reg: reg, first: make([][][]Evaluation, len(c.UEs)), resits: make([][][]Evaluation, len(c.UEs))}
	bySubject := map[string][]Evaluation{}
	for _, e := range evals {
		bySubject[FoldLabel(e.Subject)] = append(bySubject[FoldLabel(e.Subject)], e)
	}
	for i, ue := range c.UEs {
		p.first[i] = make([][]Evaluation, len(ue.Subjects))
		p.resits[i] = make([][]Evaluation, len(ue.Subjects))
		for j, sub := range ue.Subjects {
			for _, e := range bySubject[FoldLabel(sub.Name)] {
				if e.Kind == KindResit {
					p.resits[i][j] = append(p.resits[i][j], e)
				} else {
					p.first[i][j] = append(p.first[i][j], e)
				}
			}
		}
	}
	return p
}

// FirstSessionUnder makes session 1 computed under reg (the version it
// was closed under), session 2 staying under the plan's.
func (p *ResultPlan) FirstSessionUnder(reg Regulation) *ResultPlan {
	p.reg1 = &reg
	return p
}

func (p *ResultPlan) regulation(session int) Regulation {
	if session == 1 && p.reg1 != nil {
		return *p.reg1
	}
	return p.reg
}

// Compute is a student's result of session 1 or 2. Session 2 is the
// resit: a student admitted in session 1 keeps that result; otherwise
// the UEs acquired in session 1 stay acquired (capitalised) and the
// others are computed again with the resit marks.
func (p *ResultPlan) Compute(st *Student, session int, jury []JuryEntry) SemesterOutcome {
	marks := make(map[string]*Grade, len(st.Grades))
	for i := range st.Grades {
		if st.Grades[i].EvaluationID != "" {
			marks[st.Grades[i].EvaluationID] = &st.Grades[i]
		}
	}
	first := p.session(st, marks, 1, nil, sessionEntries(jury, 1))
	if session < 2 || first.Decision.Validated() {
		if session >= 2 {
			first.Session = 2
		}
		return first
	}
	return p.session(st, marks, 2, &first, sessionEntries(jury, 2))
}

func sessionEntries(jury []JuryEntry, session int) []JuryEntry {
	return slices.DeleteFunc(slices.Clone(jury), func(j JuryEntry) bool { return j.Session != session })
}

func (p *ResultPlan) session(st *Student, marks map[string]*Grade, session int, prev *SemesterOutcome, jury []JuryEntry) SemesterOutcome {
	reg := p.regulation(session)
	o := SemesterOutcome{StudentID: st.ID, Number: st.Number, LastName: st.LastName, FirstName: st.FirstName, BirthDate: st.BirthDate,
		Class: p.c.Class, Semester: p.c.Semester, Year: p.c.Year, Session: session, Jury: jury, Regulation: reg.Version}
	var semester mean
	for i, ue := range p.c.UEs {
		var u UEOutcome
		if prev != nil && prev.UEs[i].Status == UEAcquired {
			u = prev.UEs[i] // capitalised
		} else {
			u = p.ue(i, marks, session == 2, jury, reg)
			for _, s := range u.Subjects {
				if s.Average == nil {
					o.Missing = append(o.Missing, s.Subject)
				}
			}
		}
		semester.add(u.Average, ratInt(ue.Credits))
		o.UEs = append(o.UEs, u)
	}
	o.Average = semester.value()
	for _, j := range jury {
		if j.UE == "" && j.Decision == "" {
			o.Points += j.Points
		}
	}
	o.Average = withPoints(o.Average, o.Points)
	o.Computed = p.decide(&o)
	o.Decision = o.Computed
	if d := juryDecision(jury); d != "" {
		o.Decision = d
	}
	p.settleUEs(&o)
	o.Mention = MentionOf(o.Decision, o.Average)
	return o
}

// ue computes a UE not acquired yet: its subjects' averages (with the
// resit marks in session 2) and the jury's points.
func (p *ResultPlan) ue(i int, marks map[string]*Grade, resit bool, jury []JuryEntry, reg Regulation) UEOutcome {
	ue := p.c.UEs[i]
	u := UEOutcome{Code: ue.Code, Title: ue.Title, Credits: ue.Credits}
	var avg mean
	for j, sub := range ue.Subjects {
		s := SubjectOutcome{Subject: sub.Name, UE: ue.Code, Coefficient: sub.Coefficient}
		s.Average, s.Resit = subjectAverage(p.first[i][j], p.resits[i][j], marks, resit)
		avg.add(s.Average, ratFloat(sub.Coefficient))
		u.Subjects = append(u.Subjects, s)
	}
	for _, j := range jury {
		if j.UE == ue.Code && j.Decision == "" {
			u.Points += j.Points
		}
	}
	u.Average = withPoints(avg.value(), u.Points)
	if u.Average != nil && reg.Barrier != nil {
		u.BelowBarrier = u.Average.Cmp(ratFloat(*reg.Barrier)) < 0
	}
	return u
}

// subjectAverage is the weight-weighted mean of a subject's marks. With
// resit, the best resit mark replaces each exam mark it beats (the CC and
// TP marks stay); in a subject without an exam it replaces the average
// when higher.
func subjectAverage(evals, resits []Evaluation, marks map[string]*Grade, resit bool) (*big.Rat, bool) {
	var best *big.Rat
	if resit {
		for _, e := range resits {
			if m := markOf(marks[e.ID]); m != nil && (best == nil || m.Cmp(best) > 0) {
				best = m
			}
		}
	}
	var avg mean
	used, exams := false, false
	for _, e := range evals {
		m := markOf(marks[e.ID])
		if e.Kind == KindExam {
			exams = true
			if best != nil && (m == nil || best.Cmp(m) > 0) {
				m, used = best, true
			}
		}
		avg.add(m, ratFloat(e.Weight))
	}
	v := avg.value()
	if !exams && best != nil && (v == nil || best.Cmp(v) > 0) {
		return best, true
	}
	return v, used
}

// markOf is a mark as a number: the value, 0 for an unjustified absence,
// nil for none or a justified absence (left out).
func markOf(g *Grade) *big.Rat {
	switch {
	case g == nil || g.Absent == AbsentJustified:
		return nil
	case g.Absent == AbsentUnjustified:
		return new(big.Rat)
	}
	return ratFloat(g.Value)
}

// decide applies the rules: validated when the semester average is 10 or
// more and no UE is below the barrier (ADC when a UE was compensated);
// DEF when a subject has no mark; else AJ.
func (p *ResultPlan) decide(o *SemesterOutcome) Decision {
	if len(o.Missing) > 0 || o.Average == nil {
		return DecisionDEF
	}
	if o.Average.Cmp(passMark) < 0 {
		return DecisionAJ
	}
	compensated := false
	for _, u := range o.UEs {
		if u.Average == nil || u.BelowBarrier {
			return DecisionAJ
		}
		compensated = compensated || u.Average.Cmp(passMark) < 0
	}
	if compensated {
		return DecisionADC
	}
	return DecisionADM
}

// settleUEs gives each UE its status and credits under the decision: all
// acquired when the semester is validated (those below 10 by
// compensation), else those of 10 or more only.
func (p *ResultPlan) settleUEs(o *SemesterOutcome) {
	o.Credits = 0
	for i := range o.UEs {
		u := &o.UEs[i]
		switch {
		case u.Status == UEAcquired && o.Session == 2 && !o.Decision.Validated():
			// capitalised in session 1
		case u.Average != nil && u.Average.Cmp(passMark) >= 0 && !slices.ContainsFunc(u.Subjects, func(s SubjectOutcome) bool { return s.Average == nil }):
			u.Status = UEAcquired
		case o.Decision.Validated():
			u.Status = UECompensated
		default:
			u.Status = UENotAcquired
		}
		u.Earned = 0
		if u.Status != UENotAcquired {
			u.Earned = u.Credits
		}
		o.Credits += u.Earned
	}
}

// juryDecision is the jury's latest decision in entries, "" when none.
func juryDecision(entries []JuryEntry) Decision {
	var d Decision
	for _, j := range entries {
		if j.Decision != "" {
			d = j.Decision
		}
	}
	return d
}

var (
	passMark = big.NewRat(10, 1)
	maxMark  = big.NewRat(20, 1)
)

// mean is an exact weighted mean.
type mean struct{ sum, weights big.Rat }

func (m *mean) add(v, weight *big.Rat) {
	if v == nil {
		return
	}
	m.sum.Add(&m.sum, new(big.Rat).Mul(v, weight))
	m.weights.Add(&m.weights, weight)
}

func (m *mean) value() *big.Rat {
	if m.weights.Sign() == 0 {
		return nil
	}
	return new(big.Rat).Quo(&m.sum, &m.weights)
}

// withPoints adds the jury's points to an average, at most up to 20.
func withPoints(avg *big.Rat, points float64) *big.Rat {
	if avg == nil || points == 0 {
		return avg
	}
	v := new(big.Rat).Add(avg, ratFloat(points))
	if v.Cmp(maxMark) > 0 {
		v.Set(maxMark)
	}
	return v
}

// ratFloat is the decimal a float was typed as (12.5, 33.33), exactly.
func ratFloat(f float64) *big.Rat {
	r, _ := new(big.Rat).SetString(strconv.FormatFloat(f, 'f', -1, 64))
	return r
}

func ratInt(n int) *big.Rat { return big.NewRat(int64(n), 1) }
