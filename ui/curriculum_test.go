package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// curFixture is the year 2026-2027 with two curricula: L1-INFO S1 (UE11
// Sciences, 6 credits: Maths coef. 2 taught by prof, Physique; UE12
// Langues, 24 credits: Anglais) and L2-INFO S3 (28 credits, flagged),
// and the accounts admin, prof and m.sarr (teachers) and awa.diop (a
// student), seen by an admin on the curricula screen.
type curFixture struct {
	cs *domain.CurriculumService
	s  *curriculumScreen
}

func newCurFixture(t *testing.T) *curFixture {
	t.Helper()
	ctx := context.Background()
	f := &curFixture{cs: domain.NewCurriculumService(domain.CurriculumDeps{Repo: domaintest.NewCurriculumRepo(), Year: "2026-2027"})}
	list := []*domain.Curriculum{
		{Class: "L1-INFO", Semester: "S1", UEs: []domain.UE{
			{Code: "UE11", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{
				{Name: "Maths", Coefficient: 2, Teachers: []string{"prof"}}, {Name: "Physique", Coefficient: 1}}},
			{Code: "UE12", Title: "Langues", Credits: 24, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}}}},
		{Class: "L2-INFO", Semester: "S3", UEs: []domain.UE{
			{Code: "UE31", Title: "Réseaux", Credits: 28, Subjects: []domain.CourseSubject{{Name: "Routage", Coefficient: 1}}}}},
	}
	if _, _, err := f.cs.Import(ctx, testAdmin, list); err != nil {
		t.Fatal(err)
	}
	users := &sfUserRepo{users: []*domain.User{
		{ID: "u1", Username: "admin", Role: domain.RoleAdmin},
		{ID: "u2", Username: "prof", Role: domain.RoleTeacher},
		{ID: "u3", Username: "m.sarr", Role: domain.RoleTeacher},
		{ID: "u4", Username: "awa.diop", Role: domain.RoleStudent},
	}}
	svc, _ := newTestServices(t)
	c := newTestCommon(t, svc, testAdmin)
	c.Curricula = f.cs
	c.Auth = domain.NewAuthService(domain.AuthDeps{Users: users})
	f.s = newCurriculum(c).(*curriculumScreen)
	f.s.SetSize(100, 30)
	start(t, f.s)
	return f
}

// stored is L1-INFO S1 (or another) as the service has it now.
func (f *curFixture) stored(t *testing.T, class, semester string) *domain.Curriculum {
	t.Helper()
	c, err := f.cs.Get(context.Background(), testAdmin, class, semester, "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// openL1 opens L1-INFO S1 (the first of the list).
func (f *curFixture) openL1(t *testing.T) {
	t.Helper()
	press(t, f.s, "enter")
	if f.s.edit == nil || f.s.edit.Class != "L1-INFO" || f.s.edit.Semester != "S1" {
		t.Fatalf("enter opened %+v, want L1-INFO S1", f.s.edit)
	}
}

func TestCurriculumListsTheYear(t *testing.T) {
	f := newCurFixture(t)
	view := f.s.View()
	wantIn(t, view, "Maquettes 2026-2027", "L1-INFO", "L2-INFO", "S3", "ouvert")
	lines := strings.Split(view, "\n")
	l1 := lines[slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "L1-INFO") })]
	l2 := lines[slices.IndexFunc(lines, func(l string) bool { return strings.Contains(l, "L2-INFO") })]
	if !strings.Contains(l1, " 2 ") || !strings.Contains(l1, "30") || strings.Contains(l1, "≠") {
		t.Errorf("L1-INFO S1 has 2 UEs and 30 credits: %q", l1)
	}
	if !strings.Contains(l2, "28 ≠ 30") {
		t.Errorf("L2-INFO S3's 28 credits are not flagged: %q", l2)
	}
	f.openL1(t)
	view = f.s.View()
	wantIn(t, view, "UE11", "Sciences", "6 crédits", "Maths", "coef. 2", "prof", "Physique", "UE12", "Anglais", "30 crédits")
	if f.s.Capturing() || f.s.Dirty() {
		t.Error("a curriculum just opened captures keys or is dirty")
	}
}

func TestCurriculumAddsAUEAndASubject(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	press(t, f.s, "G", "n", "UE13", "tab", "Projet", "tab", "4", "enter")
	if f.s.form != nil || len(f.s.edit.UEs) != 3 || f.s.edit.UEs[2].Code != "UE13" || f.s.edit.UEs[2].Credits != 4 {
		t.Fatalf("the new UE: form %+v, UEs %+v", f.s.form, f.s.edit.UEs)
	}
	press(t, f.s, "s", "Stage", "tab", "ctrl+u", "2,5", "tab", "m.sarr", "enter")
	got := f.s.edit.UEs[2].Subjects
	if len(got) != 1 || got[0].Name != "Stage" || got[0].Coefficient != 2.5 || !slices.Equal(got[0].Teachers, []string{"m.sarr"}) {
		t.Fatalf("the new subject: %+v (form %+v)", got, f.s.form)
	}
	if !f.s.Dirty() || !f.s.Capturing() {
		t.Error("the changed curriculum is not dirty, or lets tab switch screens")
	}
	wantIn(t, f.s.View(), "● modifiée", "UE13", "Projet", "Stage", "coef. 2,5", "m.sarr", "34 crédits ≠ 30")
	if len(f.stored(t, "L1-INFO", "S1").UEs) != 2 {
		t.Fatal("something was stored before ctrl+s")
	}
	msgs := press(t, f.s, "ctrl+s")
	c := f.stored(t, "L1-INFO", "S1")
	if len(c.UEs) != 3 || c.UEs[2].Code != "UE13" || c.UEs[2].Subjects[0].Name != "Stage" || c.UEs[2].Subjects[0].Teachers[0] != "m.sarr" {
		t.Fatalf("stored after ctrl+s: %+v", c.UEs)
	}
	if st, ok := findMsg[statusMsg](msgs); !ok || !strings.Contains(st.text, "enregistrée") {
		t.Errorf("no success message: %+v", msgs)
	}
	if f.s.Dirty() || f.s.edit.Version != c.Version {
		t.Errorf("after saving: dirty %v, version %d (stored %d)", f.s.Dirty(), f.s.edit.Version, c.Version)
	}
	// A new row cancelled with esc leaves nothing behind.
	press(t, f.s, "n", "UE14", "esc", "s", "esc")
	if f.s.Dirty() || len(f.s.edit.UEs) != 3 || len(f.s.edit.UEs[f.s.rows()[f.s.row].ue].Subjects) != len(c.UEs[f.s.rows()[f.s.row].ue].Subjects) {
		t.Errorf("cancelled new rows stayed: dirty %v, %+v", f.s.Dirty(), f.s.edit.UEs)
	}
}

func TestCurriculumEditsACoefficient(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	press(t, f.s, "down", "e", "tab", "ctrl+u", "0", "enter")
	if f.s.form == nil || !strings.Contains(f.s.View(), "supérieur à 0") {
		t.Fatalf("a coefficient of 0 was taken, or not explained:\n%s", f.s.View())
	}
	press(t, f.s, "ctrl+u", "3", "enter")
	if f.s.form != nil || f.s.edit.UEs[0].Subjects[0].Coefficient != 3 || f.s.loaded.UEs[0].Subjects[0].Coefficient != 2 {
		t.Fatalf("edit %+v, loaded %+v", f.s.edit.UEs[0].Subjects[0], f.s.loaded.UEs[0].Subjects[0])
	}
	wantIn(t, f.s.View(), "coef. 3", "● modifiée")
	press(t, f.s, "ctrl+s")
	if got := f.stored(t, "L1-INFO", "S1").UEs[0].Subjects[0]; got.Name != "Maths" || got.Coefficient != 3 {
		t.Errorf("stored Maths: %+v", got)
	}
}

func TestCurriculumAssignsTeachers(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	press(t, f.s, "G", "t")
	if f.s.form == nil || f.s.form.focus != 2 {
		t.Fatalf("t on Anglais: form %+v", f.s.form)
	}
	tests := []struct{ typed, want string }{
		{"m.sarr, awa.diop", "« awa.diop » n'est pas un enseignant (étudiant)"},
		{"prof inconnu", "aucun compte « inconnu »"},
	}
	for _, tt := range tests {
		press(t, f.s, "ctrl+u", tt.typed, "enter")
		if f.s.form == nil || !strings.Contains(f.s.View(), tt.want) {
			t.Errorf("%q: form closed or %q not shown:\n%s", tt.typed, tt.want, f.s.View())
		}
	}
	press(t, f.s, "ctrl+u", "M.Sarr, prof", "enter", "ctrl+s")
	if got := f.stored(t, "L1-INFO", "S1").UEs[1].Subjects[0].Teachers; !slices.Equal(got, []string{"m.sarr", "prof"}) {
		t.Errorf("stored teachers of Anglais: %v", got)
	}
	wantIn(t, f.s.View(), "m.sarr, prof")
}

// A save the domain refuses shows its reasons and keeps the edit on
// screen, unsaved; nothing is stored.
func TestCurriculumRefusedSaveKeepsTheEdit(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want string
	}{
		{"a subject with evaluations dropped", []string{"down", "d"}, "it cannot be dropped from the curriculum"},
		{"no credits", []string{"e", "tab", "tab", "ctrl+u", "0", "enter"}, "must be a whole number from 1 to 60"},
		{"a subject twice", []string{"G", "e", "ctrl+u", "Maths", "enter"}, "appears twice in the semester"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newCurFixture(t)
			if _, err := f.cs.AddEvaluation(context.Background(), testAdmin, domain.EvaluationInput{Class: "L1-INFO", Semester: "S1",
				Subject: "Maths", Kind: "cc", Weight: "40"}); err != nil {
				t.Fatal(err)
			}
			before := f.stored(t, "L1-INFO", "S1")
			f.openL1(t)
			press(t, f.s, tt.keys...)
			edited := f.s.edit.Clone()
			if !f.s.Dirty() {
				t.Fatal("the edit did not take")
			}
			press(t, f.s, "ctrl+s")
			wantIn(t, f.s.View(), tt.want, "● modifiée")
			if !f.s.Dirty() || !curEqual(f.s.edit, edited) {
				t.Errorf("the edit did not stay: dirty %v, %+v", f.s.Dirty(), f.s.edit.UEs)
			}
			if now := f.stored(t, "L1-INFO", "S1"); now.Version != before.Version || !curEqual(now, before) {
				t.Errorf("a refused save stored %+v", now.UEs)
			}
		})
	}
}

// curEqual compares the UEs and subjects of two curricula.
func curEqual(a, b *domain.Curriculum) bool {
	return slices.EqualFunc(a.UEs, b.UEs, func(x, y domain.UE) bool {
		return x.Code == y.Code && x.Title == y.Title && x.Credits == y.Credits &&
			slices.EqualFunc(x.Subjects, y.Subjects, func(p, q domain.CourseSubject) bool {
				return p.Name == q.Name && p.Coefficient == q.Coefficient && slices.Equal(p.Teachers, q.Teachers)
			})
	})
}

// Someone else saved the curriculum after it was opened: ctrl+s does not
// overwrite their change, and the edit stays.
func TestCurriculumDoesNotOverwriteAnotherSave(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	other := f.stored(t, "L1-INFO", "S1")
	other.UEs[0].Title = "Sciences exactes"
	if _, _, err := f.cs.Import(context.Background(), testAdmin, []*domain.Curriculum{other}); err != nil {
		t.Fatal(err)
	}
	press(t, f.s, "e", "tab", "ctrl+u", "Mathématiques", "enter", "ctrl+s")
	wantIn(t, f.s.View(), "modifiée par quelqu'un d'autre")
	if got := f.stored(t, "L1-INFO", "S1").UEs[0].Title; got != "Sciences exactes" {
		t.Errorf("the other person's title became %q", got)
	}
	if f.s.edit.UEs[0].Title != "Mathématiques" || !f.s.Dirty() {
		t.Errorf("the edit was lost: %+v", f.s.edit.UEs[0])
	}
}

func TestCurriculumLeavingWithChangesAsksFirst(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	press(t, f.s, "down", "d", "esc")
	if f.s.asking != "leave" || f.s.edit == nil {
		t.Fatalf("esc with changes did not ask (asking %q)", f.s.asking)
	}
	wantIn(t, f.s.View(), "Abandonner les modifications")
	press(t, f.s, "n")
	if f.s.edit == nil || !f.s.Dirty() {
		t.Fatal("no dropped the edit")
	}
	press(t, f.s, "esc", "o")
	if f.s.edit != nil || f.s.Dirty() {
		t.Fatal("yes did not go back to the list")
	}
	if len(f.stored(t, "L1-INFO", "S1").UEs[0].Subjects) != 2 {
		t.Error("leaving stored the edit")
	}
	// Unchanged: esc goes back at once.
	f.openL1(t)
	press(t, f.s, "esc")
	if f.s.edit != nil || f.s.asking != "" {
		t.Error("esc on an unchanged curriculum asked")
	}
}

func TestCurriculumCreatesOneForAClassAndSemester(t *testing.T) {
	f := newCurFixture(t)
	press(t, f.s, "n", "l3-info", "tab", "s9", "enter")
	if f.s.edit == nil || f.s.edit.Class != "L3-INFO" || f.s.edit.Semester != "S9" || f.s.loaded != nil {
		t.Fatalf("the new curriculum: %+v", f.s.edit)
	}
	if f.s.form == nil || f.s.form.kind != formUE {
		t.Fatalf("a new curriculum does not start with its first UE: %+v", f.s.form)
	}
	press(t, f.s, "UE91", "tab", "Mémoire", "tab", "30", "enter", "s", "Soutenance", "enter")
	press(t, f.s, "C")
	wantIn(t, f.s.View(), "Enregistrez d'abord la nouvelle maquette")
	press(t, f.s, "ctrl+s")
	c := f.stored(t, "L3-INFO", "S9")
	if len(c.UEs) != 1 || c.UEs[0].Subjects[0].Name != "Soutenance" || c.Year != "2026-2027" {
		t.Fatalf("stored: %+v", c)
	}
	press(t, f.s, "esc")
	wantIn(t, f.s.View(), "L3-INFO", "S9")
	// A class and semester that has one opens it.
	press(t, f.s, "n", "L2-INFO", "tab", "S3", "enter")
	if f.s.edit == nil || f.s.loaded == nil || f.s.edit.UEs[0].Code != "UE31" {
		t.Errorf("n L2-INFO S3 did not open the existing one: %+v", f.s.edit)
	}
	// A bad semester is refused in the form.
	press(t, f.s, "esc", "n", "L1-GC", "tab", "S11", "enter")
	if f.s.form == nil || f.s.edit != nil {
		t.Fatalf("S11 was taken: form %+v, edit %+v", f.s.form, f.s.edit)
	}
	wantIn(t, f.s.View(), "must be S1 to S10")
}

func TestCurriculumTabIsForAdmins(t *testing.T) {
	if !slices.Contains(tabsFor(domain.RoleAdmin), tabCurricula) {
		t.Error("admins have no curricula tab")
	}
	admin := tabsFor(domain.RoleAdmin)
	if i := slices.Index(admin, tabCurricula); i != slices.Index(admin, tabGradeSheet)+1 {
		t.Errorf("the curricula tab is at %d, not after the grade sheet", i)
	}
	for _, r := range []domain.Role{domain.RoleTeacher, domain.RoleStudent} {
		if slices.Contains(tabsFor(r), tabCurricula) {
			t.Errorf("%s has the curricula tab", r)
		}
	}
	if got := tabCurricula.title(NewTranslator(French)); got != "Maquettes" {
		t.Errorf("tab title %q", got)
	}
}

// In the application: the tab follows the grade sheet's, and a changed
// curriculum keeps tab from switching screens; quitting asks first.
func TestCurriculumTabInTheApp(t *testing.T) {
	env := newAppEnv(t)
	cs := domain.NewCurriculumService(domain.CurriculumDeps{Repo: domaintest.NewCurriculumRepo(), Year: "2026-2027"})
	if _, _, err := cs.Import(context.Background(), testAdmin, []*domain.Curriculum{{Class: "L1-INFO", Semester: "S1", UEs: []domain.UE{
		{Code: "UE11", Title: "Sciences", Credits: 30, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2}, {Name: "Physique", Coefficient: 1}}}}}}); err != nil {
		t.Fatal(err)
	}
	env.c.Curricula = cs
	a := startApp(t, env, 100, 30)
	a.logIn("admin", appPassword)
	a.press("tab", "tab")
	if _, ok := a.m.screen.(*curriculumScreen); !ok || !strings.Contains(a.header(), "Maquettes") {
		t.Fatalf("two tabs from the students: %s\n%s", screenName(a.m.screen), a.m.View())
	}
	a.press("enter", "down", "d", "tab")
	if s, ok := a.m.screen.(*curriculumScreen); !ok || !s.Dirty() {
		t.Fatalf("tab left a changed curriculum for %s", screenName(a.m.screen))
	}
	a.press("ctrl+c")
	if !a.m.confirm || a.quit {
		t.Error("ctrl+c with a changed curriculum did not ask first")
	}
}
