package domain_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// juryFixture is newSchool's L1-INFO S1 (UE1 6 credits: Maths 2,
// Physique 1; UE2 4 credits: Anglais) with one exam per subject and two
// students: Ba (UE1 9, UE2 12 → (54 + 48)/10 = 10.2, ADC) and Diop (UE1
// 11, UE2 8 → (66 + 32)/10 = 9.8, AJ).
type juryFixture struct {
	*school
	results  *domain.ResultsService
	repo     *domaintest.ResultsRepo
	ba, diop *domain.Student
}

func newJuryFixture(t *testing.T) *juryFixture {
	t.Helper()
	s := newSchool(t)
	f := &juryFixture{school: s, repo: &domaintest.ResultsRepo{Audit: s.audit}}
	f.results = domain.NewResultsService(domain.ResultsDeps{Repo: f.repo, Curricula: s.repo, Students: s.svc, Year: "2026-2027", Now: s.clock.Now})
	f.ba = s.create(t, studentIn("Ba", "Awa", "771234567", "L1-INFO"))
	f.diop = s.create(t, studentIn("Diop", "Modou", "771234568", "L1-INFO"))
	for _, subject := range []string{"Maths", "Physique", "Anglais"} {
		e := s.eval(t, subject, "exam", "100")
		for st, marks := range map[*domain.Student]map[string]string{
			f.ba: {"Maths": "9", "Physique": "9", "Anglais": "12"}, f.diop: {"Maths": "11", "Physique": "11", "Anglais": "8"}} {
			if _, _, err := s.svc.Mark(ctx, admin, st.Number, 0, e.ID, domain.MarkInput{Value: marks[subject]}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// lifecycle is the curricula service of the fixture's school, telling
// its results when a semester is published.
func (f *juryFixture) lifecycle() *domain.CurriculumService {
	return domain.NewCurriculumService(domain.CurriculumDeps{Repo: f.school.repo, Students: f.env.repo, Results: f.results,
		Year: "2026-2027", Now: f.clock.Now})
}

// status takes L1-INFO's S1 through act, which must succeed.
func (f *juryFixture) status(t *testing.T, cs *domain.CurriculumService, act domain.SemesterAction, reason string) {
	t.Helper()
	if _, err := cs.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", act, reason); err != nil {
		t.Fatal(err)
	}
}

func (f *juryFixture) outcome(t *testing.T, session int, number string) domain.SemesterOutcome {
	t.Helper()
	res, err := f.results.Results(ctx, admin, "l1-info", "s1", "", session)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range res.Outcomes {
		if o.Number == number {
			return o
		}
	}
	t.Fatalf("no outcome for %s", number)
	return domain.SemesterOutcome{}
}

func TestClassResults(t *testing.T) {
	f := newJuryFixture(t)
	res, err := f.results.Results(ctx, admin, "L1-INFO", "S1", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outcomes) != 2 || res.Outcomes[0].Number != f.ba.Number || res.Regulation.Version != 1 {
		t.Fatalf("outcomes %+v (regulation %d), want Ba then Diop", res.Outcomes, res.Regulation.Version)
	}
	ba, diop := res.Outcomes[0], res.Outcomes[1]
	if ba.Decision != domain.DecisionADC || domain.FormatAverage(ba.Average, false) != "10.20" || ba.Rank != 1 || ba.Credits != 10 {
		t.Errorf("Ba: %s %s rank %d credits %d, want ADC 10.20 rank 1, 10 credits", ba.Decision, domain.FormatAverage(ba.Average, false), ba.Rank, ba.Credits)
	}
	if diop.Decision != domain.DecisionAJ || diop.Rank != 2 || diop.Credits != 6 {
		t.Errorf("Diop: %s rank %d credits %d, want AJ rank 2, 6 credits (UE1)", diop.Decision, diop.Rank, diop.Credits)
	}
	// Who may read them: admins and the class's teachers; not a student,
	// not another class's teacher.
	prof := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}}
	if _, err := f.results.Results(ctx, prof, "L1-INFO", "S1", "", 1); err != nil {
		t.Errorf("the class's teacher: %v", err)
	}
	for _, a := range []domain.Actor{teacherL3, studentActor(f.ba.ID)} {
		if _, err := f.results.Results(ctx, a, "L1-INFO", "S1", "", 1); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s reads the results: %v", a.Name, err)
		}
	}
	if _, err := f.results.Results(ctx, admin, "L1-INFO", "S1", "", 3); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("session 3: %v", err)
	}
}

func TestJuryOverride(t *testing.T) {
	f := newJuryFixture(t)
	// Diop is AJ at 9.8: 0.2 points on the semester make 10.0, ADC.
	e, err := f.results.Override(ctx, admin, domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Points: "0,2", Reason: " assiduité  exemplaire "})
	if err != nil {
		t.Fatal(err)
	}
	if e.Reason != "assiduité exemplaire" || e.By != admin.Name || e.Points != 0.2 {
		t.Errorf("entry = %+v", e)
	}
	if o := f.outcome(t, 1, f.diop.Number); o.Decision != domain.DecisionADC || domain.FormatAverage(o.Average, false) != "10.00" {
		t.Errorf("Diop after 0.2 points: %s %s, want ADC 10.00", o.Decision, domain.FormatAverage(o.Average, false))
	}
	// Refusals name the field; nothing is recorded.
	bad := []struct {
		in    domain.JuryInput
		field string
	}{
		{domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Points: "0,4", Reason: "encore"}, "points"}, // 0.2 + 0.4 > 0.5
		{domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Decision: "ADM"}, "reason"},
		{domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Decision: "ADM", Points: "0,1", Reason: "x"}, "decision"},
		{domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Decision: "PASS", Reason: "x"}, "decision"},
		{domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Points: "0,1", UE: "UE9", Reason: "x"}, "ue"},
		{domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 3, Decision: "ADM", Reason: "x"}, "session"},
	}
	for _, b := range bad {
		_, err := f.results.Override(ctx, admin, b.in)
		var de *domain.Error
		if domain.ErrorCode(err) != domain.EINVALID || !errors.As(err, &de) || de.Field() != b.field {
			t.Errorf("%+v: %v, want EINVALID on %s", b.in, err, b.field)
		}
	}
	// A decision: Ba's ADC becomes AJ (jury), audited.
	if _, err := f.results.Override(ctx, admin, domain.JuryInput{Student: f.ba.Number, Semester: "S1", Session: 1, Decision: "aj", Reason: "fraude"}); err != nil {
		t.Fatal(err)
	}
	o := f.outcome(t, 1, f.ba.Number)
	if o.Decision != domain.DecisionAJ || o.Computed != domain.DecisionADC || !o.Overridden() || o.Credits != 4 {
		t.Errorf("Ba after the jury: %s (computed %s), %d credits; want AJ (ADC), 4", o.Decision, o.Computed, o.Credits)
	}
	if n := strings.Count(strings.Join(f.audit.json, "\n"), `"jury.decide"`); n != 2 {
		t.Errorf("%d jury audit entries, want 2", n)
	}
	// Teachers may not; a closed semester's decisions are frozen.
	if _, err := f.results.Override(ctx, teacherL3, domain.JuryInput{Student: f.ba.Number, Semester: "S1", Session: 1, Decision: "ADM", Reason: "x"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a teacher's override: %v", err)
	}
	if _, err := f.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.results.Override(ctx, admin, domain.JuryInput{Student: f.ba.Number, Semester: "S1", Session: 1, Decision: "ADM", Reason: "x"}); err == nil || !strings.Contains(err.Error(), "frozen") {
		t.Errorf("an override of a closed semester: %v", err)
	}
}

func TestSetRegulation(t *testing.T) {
	f := newJuryFixture(t)
	r := domain.DefaultRegulation()
	r.Barrier = nil
	got, err := f.results.SetRegulation(ctx, admin, r)
	if err != nil || got.Version != 2 || got.ChangedBy != admin.Name {
		t.Fatalf("SetRegulation = %+v, %v", got, err)
	}
	res, _ := f.results.Results(ctx, admin, "L1-INFO", "S1", "", 1)
	if res.Regulation.Version != 2 || res.Outcomes[0].Regulation != 2 {
		t.Errorf("results computed under version %d/%d, want 2", res.Regulation.Version, res.Outcomes[0].Regulation)
	}
	if _, err := f.results.SetRegulation(ctx, teacherL3, r); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a teacher sets the regulation: %v", err)
	}
	r.JuryPointsCap = 5
	if _, err := f.results.SetRegulation(ctx, admin, r); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a cap of 5: %v", err)
	}
}

// The sessions of a semester: publishing tells each student their
// results (in the publication's trail); the resit session opens once the
// first is closed, marks only the resits, and freezes session 1's jury.
func TestSessionsAndPublishedResults(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	resit := f.eval(t, "Anglais", "resit", "100")
	if _, _, err := f.svc.Mark(ctx, admin, f.diop.Number, 0, resit.ID, domain.MarkInput{Value: "15"}); err == nil || !strings.Contains(err.Error(), "resit session") {
		t.Errorf("a resit marked in session 1: %v", err)
	}
	if _, err := cs.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionResit, ""); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("the resit session opened while the first is open: %v", err)
	}
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		f.status(t, cs, act, "")
	}
	published := func() map[string]*domain.ResultNotice {
		out := map[string]*domain.ResultNotice{}
		for _, e := range f.events.All() {
			if e.Type == domain.EventResultsPublished {
				out[e.Student.Number+"/"+strconv.Itoa(e.Result.Session)] = e.Result
			}
		}
		return out
	}
	got := published()
	ba, diop := got[f.ba.Number+"/1"], got[f.diop.Number+"/1"]
	if len(got) != 2 || ba == nil || diop == nil || ba.Decision != domain.DecisionADC || ba.Credits != 10 || ba.TotalCredits != 10 ||
		*ba.Average != 10.2 || diop.Decision != domain.DecisionAJ || diop.Credits != 6 {
		t.Fatalf("results.published events = %+v", got)
	}

	// Session 2: resits only; session 1's jury frozen.
	c, err := cs.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionResit, "")
	if err != nil || c.CurrentSession() != 2 || c.Status != domain.SemesterOpen {
		t.Fatalf("resit session: %+v, %v", c, err)
	}
	if _, _, err := f.svc.Mark(ctx, admin, f.diop.Number, 0, resit.ID, domain.MarkInput{Value: "15"}); err != nil {
		t.Errorf("a resit marked in session 2: %v", err)
	}
	if _, _, err := f.svc.Mark(ctx, admin, f.diop.Number, 0, f.firstExam(t, "Maths"), domain.MarkInput{Value: "15"}); err == nil || !strings.Contains(err.Error(), "first session") {
		t.Errorf("an exam marked in session 2: %v", err)
	}
	if _, err := f.results.Override(ctx, admin, domain.JuryInput{Student: f.diop.Number, Semester: "S1", Session: 1, Decision: "ADM", Reason: "x"}); err == nil || !strings.Contains(err.Error(), "frozen") {
		t.Errorf("session 1's jury after it: %v", err)
	}
	if _, err := f.results.Override(ctx, admin, domain.JuryInput{Student: f.ba.Number, Semester: "S1", Session: 2, Points: "0,5", Reason: "x"}); err == nil || !strings.Contains(err.Error(), "admitted in session 1") {
		t.Errorf("session 2's jury on a student admitted in session 1: %v", err)
	}
	// Diop's Anglais resit 15 replaces the exam's 8 (UE1, 11, was
	// acquired in session 1 and kept): (66 + 60)/10 = 12.6, ADM.
	if o := f.outcome(t, 2, f.diop.Number); o.Decision != domain.DecisionADM || domain.FormatAverage(o.Average, false) != "12.60" {
		t.Errorf("Diop in session 2: %s %s", o.Decision, domain.FormatAverage(o.Average, false))
	}
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		f.status(t, cs, act, "")
	}
	if d := published()[f.diop.Number+"/2"]; d == nil || d.Decision != domain.DecisionADM || d.Session != 2 || d.Credits != 10 {
		t.Errorf("session 2's message to Diop: %+v", d)
	}
}

// firstExam is the id of the session-1 exam of a subject.
func (f *juryFixture) firstExam(t *testing.T, subject string) string {
	t.Helper()
	evals, err := f.curricula.Evaluations(ctx, admin, "L1-INFO", "S1", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evals {
		if e.Subject == subject && e.Kind == domain.KindExam {
			return e.ID
		}
	}
	t.Fatalf("no exam in %s", subject)
	return ""
}

func TestBulletin(t *testing.T) {
	f := newJuryFixture(t)
	if _, err := f.svc.SetRemark(ctx, admin, f.ba.Number, "S1", "2026-2027", "Maths", "Peut mieux faire"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetRemark(ctx, admin, f.ba.Number, "S1", "2026-2027", "", "Admise par compensation, bon semestre"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SetRemark(ctx, teacherL3, f.ba.Number, "S1", "2026-2027", "", "x"); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a teacher's overall remark: %v", err)
	}
	// An ABI in a new CC of Physique for Ba.
	cc := f.eval(t, "Physique", "cc", "0,01")
	if _, _, err := f.svc.Mark(ctx, admin, f.ba.Number, 0, cc.ID, domain.MarkInput{Absent: "ABI"}); err != nil {
		t.Fatal(err)
	}
	b, err := f.results.Bulletin(ctx, admin, f.ba.Number, "S1", "")
	if err != nil {
		t.Fatal(err)
	}
	// Maths: Ba 9, Diop 11 → class 10, min 9, max 11.
	m := b.Subjects[0]
	if m.Subject != "Maths" || domain.FormatAverage(m.Average, false) != "9.00" || domain.FormatAverage(m.ClassAverage, false) != "10.00" ||
		domain.FormatAverage(m.Min, false) != "9.00" || domain.FormatAverage(m.Max, false) != "11.00" || m.Remark != "Peut mieux faire" {
		t.Errorf("Maths line = %+v", m)
	}
	if b.Unjustified != 1 || b.Justified != 0 || b.ClassSize != 2 || b.Outcome.Rank == 0 || b.Remark != "Admise par compensation, bon semestre" {
		t.Errorf("bulletin: ABI %d ABJ %d, class %d, rank %d, remark %q", b.Unjustified, b.Justified, b.ClassSize, b.Outcome.Rank, b.Remark)
	}
	// The whole class's, from one reading of the results: the same lines.
	all, err := f.results.ClassBulletins(ctx, admin, "l1-info", "S1", "")
	if err != nil || len(all) != 2 || all[0].Student.Number != f.ba.Number || all[0].Subjects[0].Remark != "Peut mieux faire" ||
		all[0].Unjustified != 1 || all[1].Student.Number != f.diop.Number || all[1].Outcome.Decision != domain.DecisionAJ {
		t.Errorf("class bulletins: %d, %v", len(all), err)
	}
	if _, err := f.results.ClassBulletins(ctx, teacherL3, "L1-INFO", "S1", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("another class's teacher reads the class's bulletins: %v", err)
	}
	// A student reads theirs once the results are published.
	if _, err := f.results.Bulletin(ctx, studentActor(f.ba.ID), f.ba.Number, "S1", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a student's bulletin before publication: %v", err)
	}
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		if _, err := f.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.results.Bulletin(ctx, studentActor(f.ba.ID), f.ba.Number, "S1", ""); err != nil {
		t.Errorf("a student's bulletin once published: %v", err)
	}
	if _, err := f.results.Bulletin(ctx, studentActor(f.ba.ID), f.diop.Number, "S1", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a student reads another's bulletin: %v", err)
	}
}

// The year of a class, on its second semester's results: both semesters
// validated → ADM with all the credits; else AJ below the AJAC credits.
func TestYearOutcomes(t *testing.T) {
	f := newJuryFixture(t)
	s2 := testCurriculum()
	s2.Semester = "S2"
	if _, _, err := f.curricula.Import(ctx, admin, []*domain.Curriculum{s2}); err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{"Maths", "Physique", "Anglais"} {
		e, err := f.curricula.AddEvaluation(ctx, admin, domain.EvaluationInput{Class: "L1-INFO", Semester: "S2", Subject: subject, Kind: "exam", Weight: "100"})
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range []*domain.Student{f.ba, f.diop} {
			if _, _, err := f.svc.Mark(ctx, admin, st.Number, 0, e.ID, domain.MarkInput{Value: "12"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := f.results.Results(ctx, admin, "L1-INFO", "S2", "", 1)
	if err != nil {
		t.Fatal(err)
	}
	years, err := f.results.YearOutcomes(ctx, admin, res)
	if err != nil {
		t.Fatal(err)
	}
	// Ba: S1 ADC (10) + S2 ADM (10) = 20 of 20, ADM. Diop: S1 AJ (6) + 10
	// = 16, below the 45 of AJAC: AJ.
	if y := years[f.ba.ID]; y.Decision != domain.DecisionADM || y.Credits != 20 {
		t.Errorf("Ba's year: %+v", y)
	}
	if y := years[f.diop.ID]; y.Decision != domain.DecisionAJ || y.Credits != 16 {
		t.Errorf("Diop's year: %+v", y)
	}
	s1, _ := f.results.Results(ctx, admin, "L1-INFO", "S1", "", 1)
	if y, err := f.results.YearOutcomes(ctx, admin, s1); y != nil || err != nil {
		t.Errorf("a year decided on S1: %v, %v", y, err)
	}
}

// A curriculum imported again while the resit session is open (a file
// carries no session; the curricula screen saves through Import too)
// stays in session 2: its first session is not opened again to marks.
func TestReimportKeepsTheResitSession(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionResit} {
		f.status(t, cs, act, "")
	}
	c, err := cs.Get(ctx, admin, "L1-INFO", "S1", "")
	if err != nil {
		t.Fatal(err)
	}
	file := c.Clone()
	file.ID, file.Version, file.Session, file.Status = "", 0, 0, ""
	if _, _, err := cs.Import(ctx, admin, []*domain.Curriculum{file}); err != nil {
		t.Fatal(err)
	}
	if c, err = cs.Get(ctx, admin, "L1-INFO", "S1", ""); err != nil || c.CurrentSession() != 2 || c.Status != domain.SemesterOpen {
		t.Fatalf("after the import: session %d, %s (%v); want session 2, open", c.CurrentSession(), c.Status, err)
	}
	if _, _, err := f.svc.Mark(ctx, admin, f.diop.Number, 0, f.firstExam(t, "Maths"), domain.MarkInput{Value: "15"}); err == nil {
		t.Error("an exam of session 1 marked after the import")
	}
}

// Closing a session freezes its decisions under the regulation of the
// day. Ba: UE1 9, UE2 12 → (54 + 48)/10 = 10.2: ADC under the default
// barrier 8, AJ under a barrier of 9.5 (UE1 below it), ADC again with no
// barrier.
func TestClosingFreezesTheRegulation(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	status := func(act domain.SemesterAction, reason string) { t.Helper(); f.status(t, cs, act, reason) }
	barrier := func(b *float64) int {
		t.Helper()
		r := domain.DefaultRegulation()
		r.Barrier = b
		got, err := f.results.SetRegulation(ctx, admin, r)
		if err != nil {
			t.Fatal(err)
		}
		return got.Version
	}
	check := func(session int, want domain.Decision, version int) {
		t.Helper()
		res, err := f.results.Results(ctx, admin, "L1-INFO", "S1", "", session)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range res.Outcomes {
			if o.Number == f.ba.Number && (o.Decision != want || o.Regulation != version) {
				t.Errorf("session %d: Ba %s under version %d, want %s under %d", session, o.Decision, o.Regulation, want, version)
			}
		}
	}
	high, low := 9.5, 8.0
	status(domain.ActionClose, "")
	v2 := barrier(&high)
	check(1, domain.DecisionADC, 1) // closed under version 1: unchanged
	status(domain.ActionPublish, "")
	check(1, domain.DecisionADC, 1)
	status(domain.ActionReopen, "erreur de saisie")
	check(1, domain.DecisionAJ, v2) // open again: the regulation in force
	status(domain.ActionClose, "")
	v3 := barrier(nil)
	check(1, domain.DecisionAJ, v2)

	// Session 2 follows the regulation in force while open; session 1
	// inside it stays under its own.
	status(domain.ActionResit, "")
	check(2, domain.DecisionADC, v3) // no barrier: her 10.2 compensates
	check(1, domain.DecisionAJ, v2)
	barrier(&low)
	status(domain.ActionClose, "")
	v5 := barrier(&high)
	check(2, domain.DecisionADC, v5-1) // closed under version 4 (barrier 8)
}

// A student admitted in session 1 stays admitted in session 2 whatever
// the regulation became since session 1 closed.
func TestSessionTwoKeepsSessionOnesRegulation(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionResit} {
		f.status(t, cs, act, "")
	}
	r := domain.DefaultRegulation()
	high := 9.5
	r.Barrier = &high
	if _, err := f.results.SetRegulation(ctx, admin, r); err != nil {
		t.Fatal(err)
	}
	// Ba was ADC in session 1 under version 1; under version 2 she would
	// be AJ (UE1 9 < 9.5) and sit session 2 with no resit mark: AJ.
	if o := f.outcome(t, 2, f.ba.Number); o.Decision != domain.DecisionADC || o.Regulation != 1 || o.Credits != 10 {
		t.Errorf("Ba in session 2: %s, %d credits, version %d; want ADC, 10, 1 (session 1's)", o.Decision, o.Credits, o.Regulation)
	}
}

// Session 1's published results stay official while the resit session
// runs: the student still reads its averages, marks and decision (Mes
// notes, their record's average, their report card), but not the resit
// marks until they are published. Reopening session 1 withdraws them.
func TestSessionOneStaysPublishedDuringTheResits(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	status := func(act domain.SemesterAction, reason string) { t.Helper(); f.status(t, cs, act, reason) }
	resit := f.eval(t, "Anglais", "resit", "100")
	status(domain.ActionClose, "")
	status(domain.ActionPublish, "")
	status(domain.ActionResit, "")
	if _, _, err := f.svc.Mark(ctx, admin, f.diop.Number, 0, resit.ID, domain.MarkInput{Value: "15"}); err != nil {
		t.Fatal(err)
	}
	me := studentActor(f.diop.ID)
	read := func() domain.SemesterResult {
		t.Helper()
		st, err := f.svc.Get(ctx, me, f.diop.Number)
		if err != nil {
			t.Fatal(err)
		}
		sems, err := cs.Semesters(ctx, me, st)
		if err != nil || len(sems) != 1 {
			t.Fatalf("Semesters = %v, %v", sems, err)
		}
		return sems[0]
	}
	// Diop: UE1 11, UE2 8 → (66 + 32)/10 = 9.8, AJ in session 1.
	sem := read()
	if !sem.ResultsPublished() || sem.Average == nil || *sem.Average != 9.8 || sem.Outcome == nil ||
		sem.Outcome.Session != 1 || sem.Outcome.Decision != domain.DecisionAJ || sem.Outcome.Credits != 6 {
		t.Fatalf("during the resits the student reads %+v (outcome %+v), want session 1's: 9.8, AJ, 6 credits", sem, sem.Outcome)
	}
	for _, ue := range sem.UEs {
		for _, sub := range ue.Subjects {
			for _, m := range sub.Marks {
				if m.Evaluation.ID == resit.ID && m.Value != nil {
					t.Errorf("the unpublished resit mark is shown: %+v", m)
				}
			}
		}
	}
	st, _ := f.svc.Get(ctx, me, f.diop.Number)
	if st.Average == nil || *st.Average != 9.8 {
		t.Errorf("the record's average during the resits: %v, want 9.8", st.Average)
	}
	if slices.ContainsFunc(st.Grades, func(g domain.Grade) bool { return g.EvaluationID == resit.ID }) {
		t.Errorf("the record the student reads holds the unpublished resit mark: %+v", st.Grades)
	}
	if b, err := f.results.Bulletin(ctx, me, f.diop.Number, "S1", ""); err != nil || b.Outcome.Session != 1 || b.Outcome.Decision != domain.DecisionAJ {
		t.Errorf("the student's bulletin during the resits: %+v, %v; want session 1's", b, err)
	}

	// Session 2 published: its result (the resit 15 replaces the exam 8:
	// (66 + 60)/10 = 12.6, ADM).
	status(domain.ActionClose, "")
	status(domain.ActionPublish, "")
	if sem = read(); sem.Outcome == nil || sem.Outcome.Session != 2 || sem.Outcome.Decision != domain.DecisionADM {
		t.Errorf("after session 2's publication: %+v", sem.Outcome)
	}
}

// A semester published by a build that did not record Published (0 with
// the status "published") keeps session 1's results visible when its
// resit session opens; the audit entry of each step names the regulation
// pinned and the session published.
func TestResitOfASemesterPublishedBeforePublishedWasRecorded(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		f.status(t, cs, act, "")
	}
	c, err := f.school.repo.Curriculum(ctx, "L1-INFO", "S1", "2026-2027")
	if err != nil {
		t.Fatal(err)
	}
	c.Published = 0 // as the previous build stored it
	if err := f.school.repo.SaveCurriculum(ctx, c, c.Version, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	audits := f.env.audit.Len()
	c, err = cs.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionResit, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.PublishedSession() != 1 {
		t.Errorf("after the resit session opened: published session %d, want 1", c.PublishedSession())
	}
	entries := f.env.audit.Entries()[audits:]
	if len(entries) != 1 {
		t.Fatalf("audit entries of the resit: %+v", entries)
	}
	if n, ok := entries[0].New.(map[string]any); !ok || n["published"] != 1 || n["session"] != 2 {
		t.Errorf("the resit's audit entry: %+v", entries[0].New)
	}
}
