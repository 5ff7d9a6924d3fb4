package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// semFixture is DIOP Awa of L2-INFO over the real student and curriculum
// services. S3: UE31 Sciences (6 credits: Maths coef. 2, Physique coef.
// 1), UE32 Langues (4 credits: Anglais); Maths has a CC (40 %, published,
// marked 8) and an exam (60 %, not published, marked 16), Anglais an exam
// (published, marked 12 with a comment). S4: UE41 Projet, a published TP
// nobody has marked yet. Awa also has a free grade (Histoire 15), typed
// before curricula; FALL Moussa has no grade at all.
//
// Staff see Maths 8×0.4 + 16×0.6 = 12.8, UE31 12.8, UE32 12 and the
// semester (12.8×6 + 12×4)/10 = 12.48; Awa, the CC only: Maths 8, and no
// UE or semester average until the semester's results are published
// (then UE31 8, semester (8×6 + 12×4)/10 = 9.6).
type semFixture struct {
	svc        *domain.StudentService
	cs         *domain.CurriculumService
	rs         *domain.ResultsService
	diop, fall *domain.Student
}

func newSemFixture(t *testing.T) *semFixture {
	t.Helper()
	ctx := context.Background()
	repo, cr := domaintest.NewStudentRepo(), domaintest.NewCurriculumRepo()
	f := &semFixture{}
	f.svc = domain.NewStudentService(domain.StudentDeps{Repo: repo, Curricula: cr, Phones: domain.PhoneParser{},
		Now: func() time.Time { return testNow }})
	f.rs = domain.NewResultsService(domain.ResultsDeps{Repo: &domaintest.ResultsRepo{}, Curricula: cr, Students: f.svc,
		Year: "2026-2027", Now: func() time.Time { return testNow }})
	f.cs = domain.NewCurriculumService(domain.CurriculumDeps{Repo: cr, Students: repo, Results: f.rs, Year: "2026-2027",
		Now: func() time.Time { return testNow }})
	list := []*domain.Curriculum{
		{Class: "L2-INFO", Semester: "S3", UEs: []domain.UE{
			{Code: "UE31", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2}, {Name: "Physique", Coefficient: 1}}},
			{Code: "UE32", Title: "Langues", Credits: 4, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}}}},
		{Class: "L2-INFO", Semester: "S4", UEs: []domain.UE{
			{Code: "UE41", Title: "Projet", Credits: 10, Subjects: []domain.CourseSubject{{Name: "Projet tutoré", Coefficient: 1}}}}},
	}
	if _, _, err := f.cs.Import(ctx, testAdmin, list); err != nil {
		t.Fatal(err)
	}
	f.diop = seedStudent(t, f.svc, studentInput("Diop", "Awa", "77 123 45 67", "L2-INFO"),
		domain.GradeInput{Subject: "Histoire", Value: "15"})
	f.fall = seedStudent(t, f.svc, studentInput("Fall", "Moussa", "77 765 43 21", "L2-INFO"))
	eval := func(semester, subject, kind, weight, title string, publish bool) *domain.Evaluation {
		e, err := f.cs.AddEvaluation(ctx, testAdmin, domain.EvaluationInput{Class: "L2-INFO", Semester: semester,
			Subject: subject, Kind: kind, Weight: weight, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		if publish {
			if e, err = f.cs.PublishEvaluation(ctx, testAdmin, e.ID); err != nil {
				t.Fatal(err)
			}
		}
		return e
	}
	cc := eval("S3", "Maths", "cc", "40", "Devoir 1", true)
	exam := eval("S3", "Maths", "exam", "60", "Examen final", false)
	anglais := eval("S3", "Anglais", "exam", "100", "Oral", true)
	eval("S4", "Projet tutoré", "tp", "100", "Soutenance", true)
	for _, m := range []struct {
		e  *domain.Evaluation
		in domain.MarkInput
	}{{cc, domain.MarkInput{Value: "8"}}, {exam, domain.MarkInput{Value: "16"}}, {anglais, domain.MarkInput{Value: "12", Comment: "bonne diction"}}} {
		if _, _, err := f.svc.Mark(ctx, testAdmin, f.diop.Number, 0, m.e.ID, m.in); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *semFixture) common(t *testing.T, actor domain.Actor) *Common {
	c := newTestCommon(t, f.svc, actor)
	c.Curricula, c.Results = f.cs, f.rs
	return c
}

// publishS3 closes S3 and publishes its results.
func (f *semFixture) publishS3(t *testing.T) {
	t.Helper()
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L2-INFO", "S3", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
}

func (f *semFixture) detail(t *testing.T, actor domain.Actor, st *domain.Student, w, h int) *detail {
	t.Helper()
	d := newDetail(f.common(t, actor), st.Number).(*detail)
	d.now = func() time.Time { return testNow }
	d.SetSize(w, h)
	start(t, d)
	return d
}

func (f *semFixture) myGrades(t *testing.T, st *domain.Student, w, h int) *myGrades {
	t.Helper()
	m := newMyGrades(f.common(t, domain.Actor{Name: "eleve", UserID: "u3", Role: domain.RoleStudent, StudentID: st.ID})).(*myGrades)
	m.SetSize(w, h)
	start(t, m)
	return m
}

// line is the first line of view holding every part, or "".
func line(view string, parts ...string) string {
	for _, l := range strings.Split(view, "\n") {
		all := true
		for _, p := range parts {
			all = all && strings.Contains(l, p)
		}
		if all {
			return l
		}
	}
	return ""
}

// wantLine fails unless a line of view holds every part.
func wantLine(t *testing.T, view string, parts ...string) string {
	t.Helper()
	l := line(view, parts...)
	if l == "" {
		t.Errorf("no line holds %q:\n%s", parts, view)
	}
	return l
}

func TestDetailSemestersShowStaffEverything(t *testing.T) {
	f := newSemFixture(t)
	d := f.detail(t, testAdmin, f.diop, 100, 30)
	if !d.semView {
		t.Fatal("a student with a curriculum opens on the semesters")
	}
	v := d.View()
	wantIn(t, v, "Semestres", "Notes libres (1)", "2026-2027 · ouvert · 10 crédits", "Moyenne du semestre : 12,48/20")
	wantLine(t, v, "UE31 Sciences", "6", "12,80")
	wantLine(t, v, "UE32 Langues", "4", "12,00")
	wantLine(t, v, "Maths", "coef. 2", "12,80")
	wantLine(t, v, "Physique", "coef. 1", "–")
	wantLine(t, v, "Devoir 1", "cc 40%", " 8 ")
	// The exam's mark is shown to staff, marked as not yet published;
	// the published CC is not marked.
	wantLine(t, v, "Examen final", "exam 60%", "16", "(non publiée)")
	if l := line(v, "Devoir 1"); strings.Contains(l, "non publiée") {
		t.Errorf("a published evaluation is marked as not published: %q", l)
	}
	wantLine(t, v, "Oral", "12", "bonne diction")
	wantNotIn(t, v, "Histoire", "UE41") // the free grades, the other semester
	fits(t, v, 100, 30)
	if keys := helpKeys(d); !strings.Contains(strings.Join(keys, " "), "[") || !strings.Contains(strings.Join(keys, " "), "s") {
		t.Errorf("the help lacks the semester keys: %v", keys)
	}

	// ] shows S4, [ back to S3.
	press(t, d, "]")
	v = d.View()
	wantIn(t, v, "UE41 Projet", "Soutenance", "tp 100%", "Moyenne du semestre : –/20")
	wantNotIn(t, v, "UE31", "Examen final")
	press(t, d, "]") // no S5: stays on S4
	wantIn(t, d.View(), "UE41")
	press(t, d, "[")
	wantIn(t, d.View(), "UE31", "Examen final")
}

func TestDetailSemestersKeepFreeGradeEditing(t *testing.T) {
	f := newSemFixture(t)
	d := f.detail(t, testAdmin, f.diop, 100, 30)
	press(t, d, "a") // the free grades' keys do nothing on the semesters
	if d.mode != detailBrowse {
		t.Fatal("a opened the grade editor over the semesters")
	}
	press(t, d, "s")
	if d.semView {
		t.Fatal("s did not switch to the free grades")
	}
	v := d.View()
	// Only the grade of no evaluation: the marks are in the semesters.
	wantLine(t, v, "Histoire", "15")
	wantNotIn(t, v, "UE31", "Maths", "16")

	press(t, d, "e", "ctrl+u")
	press(t, d, "1", "7", "enter")
	st, err := f.svc.Get(context.Background(), testAdmin, f.diop.Number)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range st.Grades {
		switch {
		case g.EvaluationID == "" && g.Value != 17:
			t.Errorf("the free grade is %v, want 17", g.Value)
		case g.EvaluationID != "" && g.Subject == "Maths" && g.Value != 8 && g.Value != 16:
			t.Errorf("editing the free grade changed a mark: %+v", g)
		}
	}
	wantLine(t, d.View(), "Histoire", "17")
	press(t, d, "s")
	if !d.semView {
		t.Fatal("s did not switch back to the semesters")
	}
	wantIn(t, d.View(), "Examen final")
}

func TestMyGradesSemestersHideWhatIsNotPublished(t *testing.T) {
	f := newSemFixture(t)
	m := f.myGrades(t, f.diop, 100, 30)
	if !m.semView {
		t.Fatal("Mes notes opens on the semesters")
	}
	v := m.View()
	// The record's average is the unpublished S3's (with the exam): not
	// shown, nor the rank and class average drawn from such averages.
	wantIn(t, v, "Moyenne pondérée : résultats non publiés", "rang : à la publication des résultats",
		"Moyenne du semestre : résultats non publiés", "Notes libres (1)")
	wantNotIn(t, v, "12,48", "12,80", "rang 1", "moyenne de la classe :", "Examen final", "16", "non publiée)")
	wantLine(t, v, "UE31 Sciences", "–", "non publiée")
	wantLine(t, v, "Maths", "coef. 2", "8,00") // the published CC only
	wantLine(t, v, "Devoir 1", " 8 ")
	fits(t, v, 100, 30)

	// The free grades are one key away.
	press(t, m, "s")
	wantLine(t, m.View(), "Histoire", "15")
	press(t, m, "s")

	// Results published: official, every evaluation of S3 counts and
	// shows (the exam too), as in the stored average; S4 is not
	// published: still no rank.
	f.publishS3(t)
	drive(t, m, changeMsg{change: domain.Change{Type: domain.EventGradeChanged, StudentID: f.diop.ID}})
	v = m.View()
	wantIn(t, v, "2026-2027 · publié", "Moyenne du semestre : 12,48/20", "Moyenne pondérée : 12,48/20",
		"rang : à la publication des résultats", "Examen final")
	// Its results: Physique has no mark (DEF); UE32 is acquired (4 of 10
	// credits); first of the class.
	wantIn(t, v, "Résultats (session 1) : DEF · 4/10 crédits · rang 1")
	wantLine(t, v, "UE31 Sciences", "12,80")
	wantLine(t, v, "UE32 Langues", "12,00")
	wantNotIn(t, v, "résultats non publiés", "non publiée)")

	press(t, m, "]")
	wantIn(t, m.View(), "UE41 Projet", "Soutenance", "2026-2027 · ouvert", "Moyenne du semestre : résultats non publiés")
}

func TestMyGradesSemestersWithoutFreeGrades(t *testing.T) {
	f := newSemFixture(t)
	m := f.myGrades(t, f.fall, 80, 24)
	v := m.View()
	// Nothing marked yet: the latest semester with an evaluation; the
	// class average (Awa's unpublished S3) is not shown.
	wantIn(t, v, "UE41 Projet", "Moyenne du semestre : résultats non publiés", "Moyenne pondérée : –/20")
	wantNotIn(t, v, "Notes libres", "12,48")
	wantLine(t, v, "Soutenance", "–")
	press(t, m, "[")
	wantIn(t, m.View(), "UE31 Sciences", "Devoir 1")
	wantNotIn(t, m.View(), "Examen final")
	press(t, m, "s") // nothing to switch to
	if !m.semView {
		t.Error("s left the semesters for an empty table")
	}
	for _, k := range helpKeys(m) {
		if k == "s" {
			t.Error("the help offers s without free grades")
		}
	}
	fits(t, v, 80, 24)
}

func TestSemestersAt80x24(t *testing.T) {
	f := newSemFixture(t)
	d := f.detail(t, testAdmin, f.diop, 80, 24)
	v := d.View()
	fits(t, v, 80, 24)
	wantLine(t, v, "Examen final", "16", "(non publiée)")
	// The table scrolls: the last line comes into view.
	press(t, d, "G")
	wantIn(t, d.View(), "Oral")
	fits(t, d.View(), 80, 24)
	m := f.myGrades(t, f.diop, 80, 24)
	fits(t, m.View(), 80, 24)
	wantIn(t, m.View(), "résultats non publiés")
}

func TestDetailWithoutCurriculum(t *testing.T) {
	f := newSemFixture(t)
	st := seedStudent(t, f.svc, studentInput("Sow", "Ibrahima", "70 111 22 33", "L3-GC"),
		domain.GradeInput{Subject: "Topographie", Value: "11"})
	d := f.detail(t, testAdmin, st, 100, 30)
	if d.semView || d.canSwitch() {
		t.Error("a class without a curriculum offers the semesters")
	}
	wantLine(t, d.View(), "Topographie", "11")
	wantNotIn(t, d.View(), "Semestres", "Notes libres")
}
