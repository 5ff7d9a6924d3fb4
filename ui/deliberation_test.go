package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// delibFixture is L2-INFO's S3 over the real student, curriculum and
// results services: UE31 Sciences (6 credits: Maths coef. 2, Physique
// coef. 1), UE32 Langues (4 credits: Anglais), one exam each, and the
// default regulation (barrier 8, jury points ≤ 0,50). Marks (Maths,
// Physique, Anglais) and what they give:
//
//	BA Awa       14 12 13  UE31 13,33 UE32 13,00  13,20  ADM Assez bien  rank 1
//	DIOP Modou   12 12  9  UE31 12,00 UE32  9,00* 10,80  ADC Passable    rank 3
//	FALL Moussa  12 12  6  UE31 12,00 UE32  6,00!  9,60* AJ              rank 5
//	NDIAYE Fatou 10 10  –  UE31 10,00 UE32  –     10,00  DEF             rank 4
//	SOW Ibrahima 15 15  7  UE31 15,00 UE32  7,00! 11,80  AJ (barrier)    rank 2
type delibFixture struct {
	svc   *domain.StudentService
	cs    *domain.CurriculumService
	rs    *domain.ResultsService
	jury  *domaintest.ResultsRepo
	evals []*domain.Evaluation // Maths, Physique, Anglais
}

var delibNames = []string{"BA", "DIOP", "FALL", "NDIAYE", "SOW"}

func newDelibFixture(t *testing.T) *delibFixture {
	t.Helper()
	ctx := context.Background()
	repo, cr := domaintest.NewStudentRepo(), domaintest.NewCurriculumRepo()
	f := &delibFixture{jury: &domaintest.ResultsRepo{}}
	f.svc = domain.NewStudentService(domain.StudentDeps{Repo: repo, Curricula: cr, Phones: domain.PhoneParser{}})
	f.cs = domain.NewCurriculumService(domain.CurriculumDeps{Repo: cr, Students: repo, Year: "2026-2027"})
	f.rs = domain.NewResultsService(domain.ResultsDeps{Repo: f.jury, Curricula: cr, Students: f.svc, Year: "2026-2027"})
	c := &domain.Curriculum{Class: "L2-INFO", Semester: "S3", UEs: []domain.UE{
		{Code: "UE31", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2}, {Name: "Physique", Coefficient: 1}}},
		{Code: "UE32", Title: "Langues", Credits: 4, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}}}}
	if _, _, err := f.cs.Import(ctx, testAdmin, []*domain.Curriculum{c}); err != nil {
		t.Fatal(err)
	}
	var evals []*domain.Evaluation
	for _, subject := range []string{"Maths", "Physique", "Anglais"} {
		e, err := f.cs.AddEvaluation(ctx, testAdmin, domain.EvaluationInput{Class: "L2-INFO", Semester: "S3", Subject: subject, Kind: "exam", Weight: "100"})
		if err != nil {
			t.Fatal(err)
		}
		evals = append(evals, e)
	}
	f.evals = evals
	firsts := []string{"Awa", "Modou", "Moussa", "Fatou", "Ibrahima"}
	marks := [][]string{{"14", "12", "13"}, {"12", "12", "9"}, {"12", "12", "6"}, {"10", "10", ""}, {"15", "15", "7"}}
	for i, name := range delibNames {
		st := seedStudent(t, f.svc, studentInput(name, firsts[i], "77 100 00 0"+string(rune('1'+i)), "L2-INFO"))
		for j, v := range marks[i] {
			if v == "" {
				continue
			}
			if _, _, err := f.svc.Mark(ctx, testAdmin, st.Number, 0, evals[j].ID, domain.MarkInput{Value: v}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

// open shows session 1 of L2-INFO S3 to actor on a w×h screen.
func (f *delibFixture) open(t *testing.T, actor domain.Actor, w, h int) *deliberation {
	t.Helper()
	c := newTestCommon(t, f.svc, actor)
	c.Curricula, c.Results = f.cs, f.rs
	m := newDeliberation(c).(*deliberation)
	m.SetSize(w, h)
	start(t, m)
	if len(m.choices) != 1 || m.choices[0].class != "L2-INFO" || m.choices[0].semester != "S3" {
		t.Fatalf("choices %+v, want L2-INFO S3", m.choices)
	}
	press(t, m, "enter")
	if m.res == nil || len(m.rows) != 5 {
		t.Fatalf("the results did not open: %+v", m.res)
	}
	return m
}

// row is the line of the student named, or "".
func (m *deliberation) rowOf(name string) string { return line(m.View(), name+" ") }

// goTo puts the cursor on the student named.
func (m *deliberation) goTo(t *testing.T, name string) {
	t.Helper()
	for i, r := range m.rows {
		if m.res.Outcomes[r].LastName == name {
			m.cursor = i
			return
		}
	}
	t.Fatalf("%s is not listed", name)
}

func (m *deliberation) listed() []string {
	var out []string
	for _, r := range m.rows {
		out = append(out, m.res.Outcomes[r].LastName)
	}
	return out
}

func TestDeliberationShowsEveryStudentsResults(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	v := m.View()
	wantIn(t, v, "Délibérations · L2-INFO S3 2026-2027 · session 1 · règlement v1",
		"ADM 1 · ADC 1 · AJ 2 · DEF 1 · admis 2/5 (40 %)", "UE31", "UE32", "Moy.", "Décision", "Mention",
		"* sous 10 · ! sous la note plancher (8) · points de jury ≤ 0,50")
	wantNotIn(t, v, "lecture seule", "(jury)")
	for _, c := range []struct {
		name  string
		parts []string
	}{
		{"BA", []string{"1 BA Awa", "13,33 ", "13,00 ", "13,20 ", "10/10", "ADM ", "Assez bien"}},
		{"DIOP", []string{"3 DIOP Modou", "12,00 ", "9,00*", "10,80 ", "10/10", "ADC ", "Passable"}},
		{"FALL", []string{"5 FALL Moussa", "6,00!", "9,60*", "6/10", "AJ "}},
		{"NDIAYE", []string{"4 NDIAYE Fatou", "10,00 ", "–", "6/10", "DEF "}},
		{"SOW", []string{"2 SOW Ibrahima", "15,00 ", "7,00!", "11,80 ", "6/10", "AJ "}},
	} {
		wantLine(t, v, c.parts...)
	}
	// The matricule is beside the name on a wide screen; the selected
	// student's line says what is missing.
	wantLine(t, v, "BA Awa", "2026-")
	m.goTo(t, "NDIAYE")
	wantIn(t, m.View(), "sans note : Anglais")
	// The order is by name; r sorts by rank.
	if got := m.listed(); !slices.Equal(got, delibNames) {
		t.Errorf("rows %v, want by name", got)
	}
	press(t, m, "r")
	if got := m.listed(); !slices.Equal(got, []string{"BA", "SOW", "DIOP", "NDIAYE", "FALL"}) {
		t.Errorf("rows by rank %v", got)
	}
	if o := m.selected(); o == nil || o.LastName != "NDIAYE" {
		t.Errorf("sorting moved the cursor off NDIAYE to %+v", o)
	}
}

func TestDeliberationFilters(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	for _, c := range []struct {
		key    string
		want   []string
		filter string
	}{
		{"d", []string{"BA"}, "filtre : ADM"},
		{"d", []string{"DIOP"}, "filtre : ADC"},
		{"d", []string{"FALL", "SOW"}, "filtre : AJ"},
		{"d", []string{"NDIAYE"}, "filtre : DEF"},
		{"d", delibNames, ""},
		{"b", []string{"FALL", "SOW"}, "filtre : sous la note plancher"},
		{"d", nil, "filtre : ADM, sous la note plancher"},
		{"b", []string{"BA"}, "filtre : ADM"},
	} {
		press(t, m, c.key)
		if got := m.listed(); !slices.Equal(got, c.want) {
			t.Errorf("after %s: rows %v, want %v", c.key, got, c.want)
		}
		v := m.View()
		// The counts stay the whole class's.
		wantIn(t, v, "ADM 1 · ADC 1 · AJ 2 · DEF 1")
		if c.filter != "" {
			wantIn(t, v, c.filter)
		} else {
			wantNotIn(t, v, "filtre")
		}
		if c.want == nil {
			wantIn(t, v, "Aucun étudiant ne correspond au filtre.")
		}
	}
}

func TestDeliberationOverrideWithAReason(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	m.goTo(t, "SOW")
	press(t, m, "o")
	if m.prompt == nil || !m.Capturing() {
		t.Fatal("o asked nothing")
	}
	wantIn(t, m.View(), "Décision du jury pour SOW Ibrahima (AJ → ADM, ADC, AJ ou DEF)")
	msgs := press(t, m, "ADM", "tab", "Dossier médical", "enter")
	if m.prompt != nil {
		t.Fatalf("the prompt stayed open: %s", m.prompt.err)
	}
	if st, ok := findMsg[statusMsg](msgs); !ok || st.kind != statusSuccess || !strings.Contains(st.text, "SOW Ibrahima : décision ADM enregistrée") {
		t.Errorf("status %+v", st)
	}
	entries, _ := f.jury.JuryEntries(context.Background(), "L2-INFO", "S3", "2026-2027")
	if len(entries) != 1 || entries[0].Decision != domain.DecisionADM || entries[0].Reason != "Dossier médical" || entries[0].Session != 1 {
		t.Fatalf("jury entries %+v", entries)
	}
	wantLine(t, m.View(), "SOW Ibrahima", "ADM (jury)")
	v := m.View()
	wantIn(t, v, "ADM 2 · ADC 1 · AJ 1 · DEF 1 · admis 3/5 (60 %)", "jury : ADM « Dossier médical »")
	if o := m.selected(); o == nil || o.LastName != "SOW" {
		t.Errorf("the reload moved the cursor to %+v", o)
	}
}

func TestDeliberationJuryPointsAndTheirCap(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	m.goTo(t, "FALL")
	press(t, m, "p")
	wantIn(t, m.View(), "Points de jury pour FALL Moussa (au plus 0,50 par UE et pour le semestre)")
	press(t, m, "0,5", "tab", "ue32", "tab", "Oral de rattrapage", "enter")
	if m.prompt != nil {
		t.Fatalf("the prompt stayed open: %s", m.prompt.err)
	}
	// 6 + 0,5 on UE32: still below the barrier, so still AJ, by the jury.
	wantLine(t, m.View(), "FALL Moussa", "6,50!", "AJ (jury)")
	wantIn(t, m.View(), "jury : +0,5 sur UE32 « Oral de rattrapage »")

	// 0,25 more would make 0,75: over the cap, refused, nothing changes.
	press(t, m, "p", "0,25", "tab", "UE32", "tab", "Encore", "enter")
	if m.prompt == nil {
		t.Fatal("points over the cap closed the prompt")
	}
	wantIn(t, m.View(), "Points : dépasserait le plafond des points de jury du règlement")
	if got := promptText(m.prompt); !slices.Equal(got, []string{"0,25", "UE32", "Encore"}) {
		t.Errorf("the refusal lost what was typed: %v", got)
	}
	entries, _ := f.jury.JuryEntries(context.Background(), "L2-INFO", "S3", "2026-2027")
	if len(entries) != 1 {
		t.Errorf("jury entries %+v, want the first only", entries)
	}
	press(t, m, "esc")
	if m.prompt != nil {
		t.Fatal("esc did not close the prompt")
	}
	wantLine(t, m.View(), "FALL Moussa", "6,50!", "AJ (jury)")
}

func promptText(p *juryPrompt) []string {
	out := make([]string, len(p.inputs))
	for i, in := range p.inputs {
		out[i] = in.Value()
	}
	return out
}

func TestDeliberationRefusesAnOverride(t *testing.T) {
	for _, c := range []struct {
		name string
		keys []string
		want string
	}{
		{"no reason", []string{"ADM", "enter", "enter"}, "Motif : est obligatoire"},
		{"no such decision", []string{"XYZ", "tab", "Parce que", "enter"}, "Décision : doit être ADM, ADC, AJ ou DEF (saisi : XYZ)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newDelibFixture(t)
			m := f.open(t, testAdmin, 120, 30)
			m.goTo(t, "FALL")
			press(t, m, "o")
			press(t, m, c.keys...)
			if m.prompt == nil {
				t.Fatal("a refused decision closed the prompt")
			}
			wantIn(t, m.View(), c.want)
			if entries, _ := f.jury.JuryEntries(context.Background(), "L2-INFO", "S3", "2026-2027"); len(entries) != 0 {
				t.Errorf("jury entries %+v", entries)
			}
			press(t, m, "esc")
			l := wantLine(t, m.View(), "FALL Moussa", "AJ ")
			if strings.Contains(l, "jury") {
				t.Errorf("a refused decision shows: %q", l)
			}
		})
	}
}

func TestDeliberationIsReadOnlyForTeachers(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testTeacher("L2-INFO"), 120, 30)
	v := m.View()
	wantIn(t, v, "lecture seule")
	wantLine(t, v, "SOW Ibrahima", "7,00!", "AJ ")
	press(t, m, "o")
	press(t, m, "p")
	if m.prompt != nil {
		t.Fatal("a teacher got the jury's prompt")
	}
	for _, b := range append(m.ShortHelp(), slices.Concat(m.FullHelp()...)...) {
		if b.Enabled() && (slices.Contains(b.Keys(), "o") || slices.Contains(b.Keys(), "p")) {
			t.Errorf("the help offers %v to a teacher", b.Keys())
		}
	}
	// A teacher of another class has no semester to pick.
	c := newTestCommon(t, f.svc, testTeacher("L1-GC"))
	c.Curricula, c.Results = f.cs, f.rs
	other := newDeliberation(c).(*deliberation)
	other.SetSize(120, 30)
	start(t, other)
	if len(other.choices) != 0 {
		t.Errorf("a teacher of L1-GC may pick %+v", other.choices)
	}
	wantIn(t, other.View(), "Aucun semestre à délibérer")
}

func TestDeliberationOffersTheJuryKeysToAdmins(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	var offered []string
	for _, b := range m.ShortHelp() {
		if b.Enabled() {
			offered = append(offered, b.Keys()...)
		}
	}
	for _, k := range []string{"o", "p", "d", "b", "enter"} {
		if !slices.Contains(offered, k) {
			t.Errorf("the help line lacks %q: %v", k, offered)
		}
	}
	// Closing the semester freezes the decisions: no more o or p.
	if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L2-INFO", "S3", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	start(t, m)
	wantIn(t, m.View(), "clôturé : décisions figées")
	press(t, m, "o")
	if m.prompt != nil || m.keys.Override.Enabled() || m.keys.Points.Enabled() {
		t.Error("o still decides on a closed semester")
	}
}

func TestDeliberationSessionTwo(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	press(t, m, "s")
	if m.res.Session != 2 {
		t.Fatalf("s shows session %d", m.res.Session)
	}
	v := m.View()
	wantIn(t, v, "· session 2 ·")
	// No resit marks: those admitted keep it, the others stay as they were.
	wantLine(t, v, "BA Awa", "ADM ")
	wantLine(t, v, "FALL Moussa", "AJ ")
	press(t, m, "s")
	wantIn(t, m.View(), "· session 1 ·")
	// The picker opens the session chosen there.
	press(t, m, "esc", "s", "enter")
	if m.res == nil || m.res.Session != 2 {
		t.Fatalf("s then enter on the picker did not open session 2: %+v", m.res)
	}
	// Once the resit session is open, session 1 is shown frozen: no o or p.
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionResit} {
		if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L2-INFO", "S3", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
	press(t, m, "s") // session 1
	start(t, m)
	wantIn(t, m.View(), "session passée : décisions figées")
	press(t, m, "o")
	if m.prompt != nil || m.keys.Override.Enabled() || m.keys.Points.Enabled() {
		t.Error("o still decides on session 1 while session 2 runs")
	}
	press(t, m, "s")
	if !m.keys.Override.Enabled() || strings.Contains(m.View(), "décisions figées") {
		t.Error("session 2, open, does not offer o")
	}
}

func TestDeliberationEnterOpensTheStudent(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	m.goTo(t, "DIOP")
	want := m.selected().Number
	msgs := press(t, m, "enter")
	if got, ok := findMsg[openStudentMsg](msgs); !ok || got.ref != want {
		t.Errorf("enter sent %+v, want the record of %s", msgs, want)
	}
	press(t, m, "esc")
	if m.choice != nil || m.res != nil {
		t.Error("esc did not go back to the semesters")
	}
	wantIn(t, m.View(), "session 1 (s : l'autre)", "L2-INFO    S3   2026-2027  (ouvert)")
}

// A mark given meanwhile (the change feed) is in the results at once.
func TestDeliberationFollowsChanges(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 120, 30)
	m.goTo(t, "NDIAYE")
	st := m.selected()
	if _, _, err := f.svc.Mark(context.Background(), testAdmin, st.Number, 0, f.evals[2].ID, domain.MarkInput{Value: "11"}); err != nil {
		t.Fatal(err)
	}
	drive(t, m, changeMsg{change: domain.Change{Type: "grade.added", StudentID: st.StudentID}})
	// (10×6 + 11×4)/10 = 10,40: admitted.
	wantLine(t, m.View(), "NDIAYE Fatou", "11,00 ", "10,40 ", "10/10", "ADM ")
	wantIn(t, m.View(), "ADM 2 · ADC 1 · AJ 2 · DEF 0")
	if o := m.selected(); o == nil || o.LastName != "NDIAYE" {
		t.Errorf("the reload moved the cursor to %+v", o)
	}
}

func TestDeliberationFits80x24(t *testing.T) {
	f := newDelibFixture(t)
	m := f.open(t, testAdmin, 80, 24-chrome)
	v := m.View()
	fits(t, v, 80, 24-chrome)
	wantLine(t, v, "BA Awa", "13,20", "ADM", "Assez bien")
	wantNotIn(t, line(v, "BA Awa"), "2026-") // the line under the table has it
	wantIn(t, v, "2026-00001 BA Awa")
	// Narrower: the mention is abbreviated.
	m.SetSize(64, 24-chrome)
	v = m.View()
	fits(t, v, 64, 24-chrome)
	wantLine(t, v, "BA Awa", "13,20", "ADM", " AB")
	wantLine(t, v, "DIOP Modou", "9,00*", "ADC", " P")
	m.SetSize(80, 24-chrome)
	press(t, m, "p")
	press(t, m, "1", "tab", "UE31", "tab", "Trop", "enter")
	fits(t, m.View(), 80, 24-chrome)
	wantIn(t, m.View(), "Points : dépasserait le plafond")
}

// In the application: the tab follows the curricula's for admins, the
// grade sheet's for teachers, is absent without the results service, and
// a student's record opened from it comes back to the same results.
func TestDeliberationTabInTheApp(t *testing.T) {
	if i := slices.Index(tabsFor(domain.RoleTeacher), tabDeliberation); i != slices.Index(tabsFor(domain.RoleTeacher), tabGradeSheet)+1 {
		t.Errorf("teachers' deliberation tab at %d", i)
	}
	if slices.Contains(tabsFor(domain.RoleStudent), tabDeliberation) {
		t.Error("students have the deliberation tab")
	}
	f := newDelibFixture(t)
	env := newAppEnv(t)
	env.c.Students, env.c.Curricula = f.svc, f.cs
	a := startApp(t, env, 80, 24)
	a.logIn("admin", appPassword)
	if strings.Contains(a.header(), "Délibérations") {
		t.Fatal("the tab shows without the results service")
	}

	env = newAppEnv(t)
	env.c.Students, env.c.Curricula, env.c.Results = f.svc, f.cs, f.rs
	a = startApp(t, env, 80, 24)
	a.logIn("admin", appPassword)
	a.press("tab", "tab", "tab")
	d, ok := a.m.screen.(*deliberation)
	if !ok {
		t.Fatalf("three tabs from the students: %s", screenName(a.m.screen))
	}
	a.press("enter", "down")
	fits(t, a.m.View(), 80, 24)
	wantIn(t, a.m.View(), "Délibérations · L2-INFO S3")
	a.press("enter")
	if _, ok := a.m.screen.(*detail); !ok {
		t.Fatalf("enter opened %s", screenName(a.m.screen))
	}
	a.press("esc")
	if a.m.screen != d || d.res == nil || d.selected().LastName != "DIOP" {
		t.Fatalf("back from the record: %s, results %v", screenName(a.m.screen), d.res != nil)
	}
}
