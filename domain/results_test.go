package domain_test

import (
	"math/big"
	"strconv"
	"strings"
	"testing"

	"scolarite/domain"
)

// resultCurriculum is a 30-credit semester: UE1 (12 credits) holds Maths
// (coefficient 2) and Physique (1), UE2 (10) Info, UE3 (8) Anglais. Every
// subject has a CC (weight 40) and an exam (60), except Anglais whose CC
// weighs 100 (no exam); each has a resit.
func resultCurriculum() (*domain.Curriculum, []domain.Evaluation) {
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Status: domain.SemesterClosed, UEs: []domain.UE{
		{Code: "UE1", Title: "Sciences", Credits: 12, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2}, {Name: "Physique", Coefficient: 1}}},
		{Code: "UE2", Title: "Informatique", Credits: 10, Subjects: []domain.CourseSubject{{Name: "Info", Coefficient: 1}}},
		{Code: "UE3", Title: "Langues", Credits: 8, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}},
	}}
	var evals []domain.Evaluation
	add := func(subject string, kind domain.EvalKind, weight float64) {
		session := 1
		if kind == domain.KindResit {
			session = 2
		}
		evals = append(evals, domain.Evaluation{ID: strings.ToLower(subject) + "." + string(kind), Class: c.Class, Semester: c.Semester,
			Year: c.Year, Subject: subject, Kind: kind, Weight: weight, Session: session})
	}
	for _, s := range []string{"Maths", "Physique", "Info"} {
		add(s, domain.KindCC, 40)
		add(s, domain.KindExam, 60)
		add(s, domain.KindResit, 100)
	}
	add("Anglais", domain.KindCC, 100)
	add("Anglais", domain.KindResit, 100)
	return c, evals
}

// marked is a student whose marks are given as "maths.cc": "12" (or ABJ,
// ABI); uniform(v) marks every first-session evaluation v.
func marked(t *testing.T, marks map[string]string) *domain.Student {
	t.Helper()
	st := &domain.Student{ID: "s1", Number: "2026-00001", LastName: "Diop", FirstName: "Awa"}
	for id, m := range marks {
		g := domain.Grade{ID: id, EvaluationID: id}
		switch m {
		case "ABJ":
			g.Absent = domain.AbsentJustified
		case "ABI":
			g.Absent = domain.AbsentUnjustified
		default:
			v, err := strconv.ParseFloat(m, 64)
			if err != nil {
				t.Fatalf("mark %q: %v", m, err)
			}
			g.Value = v
		}
		st.Grades = append(st.Grades, g)
	}
	return st
}

// ues marks UE1 (both its subjects), UE2 and UE3 with one value each, CC
// and exam alike, so each UE's average is that value.
func ues(ue1, ue2, ue3 string) map[string]string {
	return map[string]string{"maths.cc": ue1, "maths.exam": ue1, "physique.cc": ue1, "physique.exam": ue1,
		"info.cc": ue2, "info.exam": ue2, "anglais.cc": ue3}
}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func TestSemesterResults(t *testing.T) {
	noBarrier := domain.DefaultRegulation()
	noBarrier.Barrier, noBarrier.Version = nil, 2
	resit := ues("12", "12", "12")
	tests := []struct {
		name     string
		marks    map[string]string
		session  int
		reg      *domain.Regulation // nil: the default
		jury     []domain.JuryEntry
		average  string // exact, as a fraction or a decimal
		decision domain.Decision
		statuses string // UE1 UE2 UE3
		credits  int
		mention  domain.Mention
	}{
		// 12 everywhere: every UE acquired on its own.
		{name: "all above", marks: ues("12", "12", "12"), average: "12", decision: domain.DecisionADM,
			statuses: "ADM ADM ADM", credits: 30, mention: domain.MentionAssezBien},
		// (12×9 + 10×11.2 + 8×10) / 30 = 300/30 = 10 exactly (a float
		// sum gives 10.000000000000002 or 9.99…): UE1 compensated.
		{name: "compensation at exactly 10", marks: ues("9", "11.2", "10"), average: "10", decision: domain.DecisionADC,
			statuses: "CMP ADM ADM", credits: 30, mention: domain.MentionPassable},
		// (12×8 + 10×12.6 + 8×9.75) / 30 = (96 + 126 + 78)/30 = 10: UE1 at
		// the barrier (8 is not below 8) and UE3 compensated.
		{name: "at the barrier", marks: ues("8", "12.6", "9.75"), average: "10", decision: domain.DecisionADC,
			statuses: "CMP ADM CMP", credits: 30, mention: domain.MentionPassable},
		// (12×7.99 + 10×15 + 8×10) / 30 = 325.88/30 = 10.8626…: above 10,
		// but UE1 is below the barrier: AJ, UE2 and UE3 acquired (18).
		{name: "below the barrier", marks: ues("7.99", "15", "10"), average: "325.88/30", decision: domain.DecisionAJ,
			statuses: "AJ ADM ADM", credits: 18},
		// The same with the barrier turned off (a changed regulation).
		{name: "no barrier", marks: ues("7.99", "15", "10"), reg: &noBarrier, average: "325.88/30", decision: domain.DecisionADC,
			statuses: "CMP ADM ADM", credits: 30, mention: domain.MentionPassable},
		// Maths: CC ABJ left out, exam 12 → 12. Physique: CC ABI counts
		// 0, exam 10 → (0×40 + 10×60)/100 = 6. UE1 = (12×2 + 6)/3 = 10.
		{name: "ABJ and ABI", marks: with(ues("10", "10", "10"), "maths.cc", "ABJ", "maths.exam", "12", "physique.cc", "ABI"),
			average: "10", decision: domain.DecisionADM, statuses: "ADM ADM ADM", credits: 30, mention: domain.MentionPassable},
		// Info has no mark at all: DEF whatever the average; UE1 and UE3
		// (complete, ≥ 10) stay acquired.
		{name: "a subject without a mark", marks: with(ues("14", "", "14"), "info.cc", "", "info.exam", ""),
			average: "14", decision: domain.DecisionDEF, statuses: "ADM AJ ADM", credits: 20},
		// Only ABJ in Info: no average either, DEF.
		{name: "only justified absences", marks: with(ues("14", "ABJ", "14")),
			average: "14", decision: domain.DecisionDEF, statuses: "ADM AJ ADM", credits: 20},
		// 9.8 everywhere is AJ; 0.2 jury points on the semester make it
		// 10: validated by compensation.
		{name: "jury points cross 10", marks: ues("9.8", "9.8", "9.8"), jury: []domain.JuryEntry{{Session: 1, Points: 0.2, Reason: "assiduité"}},
			average: "10", decision: domain.DecisionADC, statuses: "CMP CMP CMP", credits: 30, mention: domain.MentionPassable},
		// Jury points on UE1 (7.5 + 0.5 = 8) lift it to the barrier: the
		// semester (12×8 + 10×13 + 8×12)/30 = 322/30 = 10.733… is ADC.
		{name: "jury points on a UE reach the barrier", marks: ues("7.5", "13", "12"),
			jury:    []domain.JuryEntry{{Session: 1, Points: 0.5, UE: "UE1", Reason: "erreur de barème"}},
			average: "322/30", decision: domain.DecisionADC, statuses: "CMP ADM ADM", credits: 30, mention: domain.MentionPassable},
		// The jury decides ADM for an AJ: every UE is then acquired.
		{name: "jury decision", marks: ues("7", "12", "12"), jury: []domain.JuryEntry{{Session: 1, Decision: domain.DecisionADM, Reason: "maladie"}},
			average: "(84+120+96)/30", decision: domain.DecisionADM, statuses: "CMP ADM ADM", credits: 30, mention: domain.MentionPassable},
		// Session 2 of a student admitted in session 1: unchanged.
		{name: "session 2 of an admitted student", marks: with(resit, "maths.resit", "20"), session: 2,
			average: "12", decision: domain.DecisionADM, statuses: "ADM ADM ADM", credits: 30, mention: domain.MentionAssezBien},
		// Session 1: Maths (6×40 + 8×60)/100 = 7.2, Physique 7, UE1 =
		// (7.2×2 + 7)/3 = 7.1333 < 8: AJ (18). Session 2: the Maths resit
		// 7 is below its exam 8 and is not used; the Physique resit 12
		// replaces its exam 7: (7×40 + 12×60)/100 = 10. UE1 = (14.4 +
		// 10)/3 = 8.1333; semester (12×8.1333 + 120 + 96)/30 = 313.6/30.
		{name: "resit lower than the exam", session: 2,
			marks:   with(ues("7", "12", "12"), "maths.cc", "6", "maths.exam", "8", "maths.resit", "7", "physique.resit", "12"),
			average: "313.6/30", decision: domain.DecisionADC, statuses: "CMP ADM ADM", credits: 30, mention: domain.MentionPassable},
		// Anglais has no exam: its resit 11 replaces its average 6. Session
		// 1 was AJ (UE3 below the barrier); session 2: (144 + 120 + 88)/30
		// = 11.73.
		{name: "resit of a subject without an exam", session: 2, marks: with(ues("12", "12", "6"), "anglais.resit", "11"),
			average: "352/30", decision: domain.DecisionADM, statuses: "ADM ADM ADM", credits: 30, mention: domain.MentionPassable},
		// Resit marks count in session 2 only.
		{name: "resit ignored in session 1", session: 1, marks: with(ues("12", "12", "6"), "anglais.resit", "11"),
			average: "(144+120+48)/30", decision: domain.DecisionAJ, statuses: "ADM ADM AJ", credits: 22},
		// A UE acquired in session 1 stays so even if its resit is worse
		// (the resit is not taken there): UE2 keeps 15. UE1: the resits 7
		// replace the exams 6: (6×40 + 7×60)/100 = 6.6, still below 8.
		{name: "capitalised UE", session: 2, marks: with(ues("6", "15", "12"), "info.resit", "2", "maths.resit", "7", "physique.resit", "7"),
			average: "(12*6.6+150+96)/30", decision: domain.DecisionAJ, statuses: "AJ ADM ADM", credits: 18},
	}
	c, evals := resultCurriculum()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			reg := domain.DefaultRegulation()
			if tt.reg != nil {
				reg = *tt.reg
			}
			session := max(tt.session, 1)
			o := domain.NewResultPlan(c, evals, reg).Compute(marked(t, tt.marks), session, tt.jury)
			if want := exact(t, tt.average); o.Average == nil || o.Average.Cmp(want) != 0 {
				t.Errorf("average = %v, want %s", o.Average, want.RatString())
			}
			var got []string
			for _, u := range o.UEs {
				got = append(got, string(u.Status))
			}
			if strings.Join(got, " ") != tt.statuses {
				t.Errorf("UE statuses = %v, want %s", got, tt.statuses)
			}
			if o.Decision != tt.decision || o.Credits != tt.credits || o.Mention != tt.mention || o.Session != session {
				t.Errorf("decision %s, credits %d, mention %q, session %d; want %s, %d, %q, %d",
					o.Decision, o.Credits, o.Mention, o.Session, tt.decision, tt.credits, tt.mention, session)
			}
			if o.Regulation != reg.Version {
				t.Errorf("regulation version %d, want %d", o.Regulation, reg.Version)
			}
		})
	}
}

// exact parses "10", "325.88/30" or a small sum like "(84+120+96)/30" or
// "(12*6.6+150+96)/30" into a rational.
func exact(t *testing.T, s string) *big.Rat {
	t.Helper()
	num, den, _ := strings.Cut(s, "/")
	sum := new(big.Rat)
	for _, term := range strings.Split(strings.Trim(num, "()"), "+") {
		prod := big.NewRat(1, 1)
		for _, f := range strings.Split(term, "*") {
			r, ok := new(big.Rat).SetString(f)
			if !ok {
				t.Fatalf("bad number %q in %q", f, s)
			}
			prod.Mul(prod, r)
		}
		sum.Add(sum, prod)
	}
	if den != "" {
		d, _ := new(big.Rat).SetString(den)
		sum.Quo(sum, d)
	}
	return sum
}

func TestMentionsAndDisplay(t *testing.T) {
	tests := []struct {
		avg     string
		d       domain.Decision
		mention domain.Mention
		shown   string
	}{
		{"9.999", domain.DecisionADM, "", "10,00"}, // the jury's ADM below 10: no mention
		{"10", domain.DecisionADC, domain.MentionPassable, "10,00"},
		{"11.995", domain.DecisionADM, domain.MentionPassable, "12,00"}, // shown 12,00, compared unrounded
		{"12", domain.DecisionADM, domain.MentionAssezBien, "12,00"},
		{"14.004", domain.DecisionADM, domain.MentionBien, "14,00"},
		{"16", domain.DecisionADM, domain.MentionTresBien, "16,00"},
		{"18", domain.DecisionADM, domain.MentionExcellent, "18,00"},
		{"15", domain.DecisionAJ, "", "15,00"},
		{"10.285", domain.DecisionADM, domain.MentionPassable, "10,29"}, // half up
	}
	for _, tt := range tests {
		avg, _ := new(big.Rat).SetString(tt.avg)
		if got := domain.MentionOf(tt.d, avg); got != tt.mention {
			t.Errorf("MentionOf(%s, %s) = %q, want %q", tt.d, tt.avg, got, tt.mention)
		}
		if got := domain.FormatAverage(avg, true); got != tt.shown {
			t.Errorf("FormatAverage(%s) = %q, want %q", tt.avg, got, tt.shown)
		}
	}
}

func TestRankOutcomes(t *testing.T) {
	avgs := []string{"12", "14", "", "12", "9.5"}
	outcomes := make([]domain.SemesterOutcome, len(avgs))
	for i, a := range avgs {
		if a != "" {
			outcomes[i].Average, _ = new(big.Rat).SetString(a)
		}
	}
	domain.RankOutcomes(outcomes)
	want := []int{2, 1, 0, 2, 4}
	for i, o := range outcomes {
		if o.Rank != want[i] {
			t.Errorf("rank of %q = %d, want %d", avgs[i], o.Rank, want[i])
		}
	}
}

func TestYearDecision(t *testing.T) {
	sem := func(avg string, d domain.Decision, credits int) domain.SemesterOutcome {
		r, _ := new(big.Rat).SetString(avg)
		return domain.SemesterOutcome{Average: r, Decision: d, Credits: credits,
			UEs: []domain.UEOutcome{{Credits: 18}, {Credits: 12}}}
	}
	compensating := domain.DefaultRegulation()
	compensating.YearCompensation = true
	tests := []struct {
		name     string
		a, b     domain.SemesterOutcome
		reg      domain.Regulation
		decision domain.Decision
		credits  int
	}{
		{"both validated", sem("12", domain.DecisionADM, 30), sem("10.5", domain.DecisionADC, 30), domain.DefaultRegulation(), domain.DecisionADM, 60},
		// 30 + 18 = 48 ≥ 45
		{"AJAC", sem("12", domain.DecisionADM, 30), sem("9", domain.DecisionAJ, 18), domain.DefaultRegulation(), domain.DecisionAJAC, 48},
		// 30 + 12 = 42 < 45
		{"AJ", sem("12", domain.DecisionADM, 30), sem("8", domain.DecisionAJ, 12), domain.DefaultRegulation(), domain.DecisionAJ, 42},
		// (12×30 + 9×30)/60 = 10.5 ≥ 10: the year compensates
		{"year compensation", sem("12", domain.DecisionADM, 30), sem("9", domain.DecisionAJ, 12), compensating, domain.DecisionADM, 60},
		// (11×30 + 8.9×30)/60 = 9.95 < 10
		{"year compensation short", sem("11", domain.DecisionADM, 30), sem("8.9", domain.DecisionAJ, 12), compensating, domain.DecisionAJ, 42},
	}
	for _, tt := range tests {
		y := domain.Year(tt.a, tt.b, tt.reg)
		if y.Decision != tt.decision || y.Credits != tt.credits {
			t.Errorf("%s: %s with %d credits, want %s with %d", tt.name, y.Decision, y.Credits, tt.decision, tt.credits)
		}
	}
}

func TestRegulationValidate(t *testing.T) {
	if err := domain.DefaultRegulation().Validate(); err != nil {
		t.Fatalf("the default regulation is invalid: %v", err)
	}
	ten, minus := 10.0, -1.0
	for _, r := range []domain.Regulation{{Barrier: &ten}, {Barrier: &minus}, {JuryPointsCap: 3}, {AJACCredits: 61}} {
		if err := r.Validate(); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("%+v: %v, want EINVALID", r, err)
		}
	}
}
