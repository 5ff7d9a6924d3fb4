package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// detailFixture is one student of L1-INFO with a 10/20 in Maths (coef 1),
// and a classmate with 14, opened by actor at 100×30.
type detailFixture struct {
	svc  *domain.StudentService
	repo *domaintest.StudentRepo
	st   *domain.Student
	d    *detail
}

func openDetail(t *testing.T, actor domain.Actor) *detailFixture {
	t.Helper()
	svc, repo := newTestServices(t)
	st := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"),
		domain.GradeInput{Subject: "maths", Value: "10", Coefficient: "1"})
	seedStudent(t, svc, studentInput("Fall", "Moussa", "77 765 43 21", "L1-INFO"),
		domain.GradeInput{Subject: "maths", Value: "14"})
	d := newDetail(newTestCommon(t, svc, actor), st.Number).(*detail)
	d.now = func() time.Time { return testNow }
	d.SetSize(100, 30)
	start(t, d)
	return &detailFixture{svc: svc, repo: repo, st: st, d: d}
}

func (f *detailFixture) stored(t *testing.T) *domain.Student {
	t.Helper()
	st, err := f.svc.Get(context.Background(), testAdmin, f.st.Number)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func mustContain(t *testing.T, view string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Errorf("view lacks %q:\n%s", w, view)
		}
	}
}

func mustNotContain(t *testing.T, view string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(view, w) {
			t.Errorf("view shows %q:\n%s", w, view)
		}
	}
}

func helpKeys(s screen) []string {
	var out []string
	for _, b := range s.ShortHelp() {
		out = append(out, b.Help().Key)
	}
	for _, col := range s.FullHelp() {
		for _, b := range col {
			out = append(out, b.Keys()...)
		}
	}
	return out
}

func TestDetailShowsIdentityAverageAndRank(t *testing.T) {
	f := openDetail(t, testAdmin)
	v := f.d.View()
	mustContain(t, v, "Diop Awa", "2026-00001", "77 123 45 67", "L1-INFO", "Informatique",
		"06/05/2004 (22 ans)", "Maths", "Moyenne : 10,00/20", "Rang 2/2", "admin")
	mustNotContain(t, v, "Attention")
	if lines := strings.Count(v, "\n") + 1; lines > 30 {
		t.Errorf("view is %d lines high, more than the 30 it was given", lines)
	}
}

func TestDetailAddRefusesOutOfRangeValueInPlace(t *testing.T) {
	f := openDetail(t, testAdmin)
	writes := f.repo.Writes()
	press(t, f.d, "a", "Physique", "tab", "21")
	if !f.d.Capturing() || !f.d.Dirty() {
		t.Fatalf("open editor: Capturing=%v Dirty=%v, want both true", f.d.Capturing(), f.d.Dirty())
	}
	press(t, f.d, "enter")
	mustContain(t, f.d.View(), "Note : doit être entre 0 et 20")
	if got := f.d.inputs[inValue].Value(); got != "21" {
		t.Errorf("value input = %q after refusal, want 21 kept", got)
	}
	if f.d.mode != detailAdding {
		t.Errorf("editor closed after a refused value")
	}
	if f.repo.Writes() != writes {
		t.Errorf("a refused grade was written")
	}
	// "abc" names the reason too, and esc then closes without writing.
	press(t, f.d, "backspace", "backspace", "abc", "enter")
	mustContain(t, f.d.View(), "Note : n'est pas un nombre")
	press(t, f.d, "esc")
	if f.d.Capturing() || f.d.Dirty() || f.repo.Writes() != writes {
		t.Errorf("esc: Capturing=%v Dirty=%v writes=%d→%d", f.d.Capturing(), f.d.Dirty(), writes, f.repo.Writes())
	}
}

func TestDetailAddUpdatesAverageAtOnce(t *testing.T) {
	f := openDetail(t, testAdmin)
	msgs := press(t, f.d, "a", "physique", "tab", "12,5", "tab", "2", "enter")
	// (10×1 + 12.5×2) / 3 = 11.67, still second to the classmate's 14.
	mustContain(t, f.d.View(), "Moyenne : 11,67/20", "Physique", "12,5", "Rang 2/2")
	if s, ok := findMsg[statusMsg](msgs); !ok || s.kind != statusSuccess {
		t.Errorf("no success status after adding: %v", msgs)
	}
	st := f.stored(t)
	if len(st.Grades) != 2 || st.Grades[1].Coefficient != 2 || st.Grades[1].Value != 12.5 {
		t.Errorf("stored grades = %+v", st.Grades)
	}
	if f.d.Capturing() {
		t.Errorf("editor still open after saving")
	}
	if back, _ := findMsg[backMsg](press(t, f.d, "esc")); !back.reload {
		t.Errorf("back after a change must ask the roster to reload")
	}
}

func TestDetailBelowTenWarns(t *testing.T) {
	f := openDetail(t, testAdmin)
	press(t, f.d, "a", "Chimie", "tab", "4", "enter")
	mustContain(t, f.d.View(), "Moyenne : 7,00/20", "Attention : moyenne inférieure à 10/20")
}

func TestDetailEditsGradeValueInPlace(t *testing.T) {
	f := openDetail(t, testAdmin)
	press(t, f.d, "e")
	if got := f.d.inputs[inValue].Value(); got != "10" {
		t.Fatalf("edit prefilled with %q, want 10", got)
	}
	if f.d.Dirty() {
		t.Errorf("Dirty before any change")
	}
	press(t, f.d, "ctrl+u", "15,5")
	if !f.d.Dirty() || !f.d.Capturing() {
		t.Errorf("editing: Dirty=%v Capturing=%v", f.d.Dirty(), f.d.Capturing())
	}
	press(t, f.d, "enter")
	mustContain(t, f.d.View(), "Moyenne : 15,50/20", "Rang 1/2")
	if st := f.stored(t); st.Grades[0].Value != 15.5 {
		t.Errorf("stored value = %v, want 15.5", st.Grades[0].Value)
	}
	// enter opens the editor too; a bad value stays in place.
	press(t, f.d, "enter", "ctrl+u", "abc", "enter")
	mustContain(t, f.d.View(), "n'est pas un nombre")
	if f.d.inputs[inValue].Value() != "abc" || f.d.mode != detailEditing {
		t.Errorf("refused edit lost its text or closed")
	}
}

func TestDetailRemovesGradeAfterConfirmation(t *testing.T) {
	f := openDetail(t, testAdmin)
	press(t, f.d, "d")
	mustContain(t, f.d.View(), "Supprimer la note de Maths (10/20) ? (o/n)")
	press(t, f.d, "n")
	if len(f.stored(t).Grades) != 1 {
		t.Fatal("n removed the grade")
	}
	mustNotContain(t, f.d.View(), "Supprimer la note")
	press(t, f.d, "d", "o")
	if len(f.stored(t).Grades) != 0 {
		t.Fatal("o did not remove the grade")
	}
	mustContain(t, f.d.View(), "Moyenne : –", "Aucune note pour l'instant.", "non classé")
}

func TestDetailConflictShowsMessageAndReloads(t *testing.T) {
	f := openDetail(t, testAdmin)
	// Someone else adds a grade behind the screen's back.
	ctx := context.Background()
	if _, _, err := f.svc.AddGrade(ctx, testAdmin, f.st.Number, 0, domain.GradeInput{Subject: "Anglais", Value: "18"}); err != nil {
		t.Fatal(err)
	}
	press(t, f.d, "e", "ctrl+u", "2", "enter")
	v := f.d.View()
	mustContain(t, v, "Modifié par quelqu'un d'autre entre-temps", "Anglais", "Moyenne : 14,00/20")
	st := f.stored(t)
	if st.Grades[0].Value != 10 {
		t.Errorf("the stale edit was written: %+v", st.Grades[0])
	}
	if f.d.st.Version != st.Version {
		t.Errorf("screen has version %d after reload, store %d", f.d.st.Version, st.Version)
	}
	// The new-grade row stays open after a conflict and saves on the
	// reloaded version once the person presses enter again.
	if _, _, err := f.svc.AddGrade(ctx, testAdmin, f.st.Number, 0, domain.GradeInput{Subject: "Histoire", Value: "12"}); err != nil {
		t.Fatal(err)
	}
	press(t, f.d, "a", "Chimie", "tab", "16", "enter")
	mustContain(t, f.d.View(), "Modifié par quelqu'un d'autre", "Histoire")
	if f.d.mode != detailAdding || len(f.stored(t).Grades) != 3 {
		t.Fatalf("after conflict: mode %v, %d grades stored", f.d.mode, len(f.stored(t).Grades))
	}
	press(t, f.d, "enter")
	if got := len(f.stored(t).Grades); got != 4 {
		t.Errorf("second try stored %d grades, want 4", got)
	}
}

func TestDetailReloadsOnChangeUnlessEditing(t *testing.T) {
	f := openDetail(t, testAdmin)
	ctx := context.Background()
	if _, _, err := f.svc.AddGrade(ctx, testAdmin, f.st.Number, 0, domain.GradeInput{Subject: "Anglais", Value: "18"}); err != nil {
		t.Fatal(err)
	}
	drive(t, f.d, changeMsg{change: domain.Change{StudentID: "someone-else"}})
	mustNotContain(t, f.d.View(), "Anglais")
	drive(t, f.d, changeMsg{change: domain.Change{StudentID: f.st.ID}})
	mustContain(t, f.d.View(), "Anglais")

	if _, _, err := f.svc.AddGrade(ctx, testAdmin, f.st.Number, 0, domain.GradeInput{Subject: "Histoire", Value: "12"}); err != nil {
		t.Fatal(err)
	}
	press(t, f.d, "a", "Chi")
	drive(t, f.d, changeMsg{change: domain.Change{StudentID: f.st.ID}})
	if strings.Contains(f.d.View(), "Histoire") || f.d.inputs[inSubject].Value() != "Chi" {
		t.Fatal("a change reloaded under an open editor")
	}
	press(t, f.d, "esc") // the change held back is loaded now
	mustContain(t, f.d.View(), "Histoire")
}

func TestDetailOffersGradeEditsOnlyToWhoMay(t *testing.T) {
	svc, _ := newTestServices(t)
	st := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"),
		domain.GradeInput{Subject: "maths", Value: "10"})
	loaded := detailLoadedMsg{st: st, ranked: false}
	cases := []struct {
		name       string
		actor      domain.Actor
		grade, adm bool
	}{
		{"admin", testAdmin, true, true},
		{"teacher of the class", testTeacher("L1-INFO"), true, false},
		{"teacher of another class", testTeacher("L2-MATH"), false, false},
		{"the student", domain.Actor{Name: "awa", Role: domain.RoleStudent, StudentID: st.ID}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := newDetail(newTestCommon(t, svc, tc.actor), st.Number).(*detail)
			d.SetSize(100, 30)
			// Hand-fed, so the check holds even if a stale permission let
			// the record through.
			loaded.from, loaded.seq = d, d.loadSeq
			drive(t, d, loaded)
			keys := helpKeys(d)
			for _, k := range []string{"a", "e", "d"} {
				if slices.Contains(keys, k) != tc.grade {
					t.Errorf("help lists %q: %v, want %v (%v)", k, !tc.grade, tc.grade, keys)
				}
			}
			for _, k := range []string{"E", "D"} {
				if slices.Contains(keys, k) != tc.adm {
					t.Errorf("help lists %q: %v, want %v", k, !tc.adm, tc.adm)
				}
			}
			if !tc.grade {
				for _, k := range []string{"a", "e", "enter", "d", "E", "D"} {
					if msgs := press(t, d, k); d.mode != detailBrowse || d.Capturing() || len(msgs) != 1 {
						t.Errorf("%q did something: mode %v, msgs %v", k, d.mode, msgs)
					}
				}
			}
		})
	}
}

func TestDetailTeacherOfAnotherClassCannotOpen(t *testing.T) {
	svc, _ := newTestServices(t)
	st := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"))
	d := newDetail(newTestCommon(t, svc, testTeacher("L2-MATH")), st.Number).(*detail)
	d.SetSize(100, 30)
	msgs := start(t, d)
	if _, ok := findMsg[errMsg](msgs); !ok {
		t.Errorf("refusal not reported to the root: %v", msgs)
	}
	mustContain(t, d.View(), "Votre rôle ne permet pas cette action.")
	for _, b := range d.ShortHelp() {
		if key.Matches(keyMsg("a"), b) || key.Matches(keyMsg("d"), b) {
			t.Errorf("offered %v", b.Help())
		}
	}
}

func TestDetailAdminEditsAndDeletesStudent(t *testing.T) {
	f := openDetail(t, testAdmin)
	if m, ok := findMsg[openFormMsg](press(t, f.d, "E")); !ok || m.student == nil || m.student.Number != f.st.Number {
		t.Errorf("E did not open the form on this student: %+v", m)
	}
	press(t, f.d, "D")
	mustContain(t, f.d.View(), "Supprimer définitivement Diop Awa (2026-00001)")
	if !f.d.Capturing() {
		t.Error("a pending question must take the keys (q would quit)")
	}
	press(t, f.d, "q")
	if n, _ := f.repo.Count(context.Background()); n != 2 {
		t.Fatal("q deleted the student")
	}
	msgs := press(t, f.d, "D", "o")
	if back, ok := findMsg[backMsg](msgs); !ok || !back.reload {
		t.Errorf("delete did not go back with reload: %v", msgs)
	}
	if n, _ := f.repo.Count(context.Background()); n != 1 {
		t.Errorf("%d students left, want 1", n)
	}
}

func TestDetailDeleteConflictReloads(t *testing.T) {
	f := openDetail(t, testAdmin)
	if _, _, err := f.svc.AddGrade(context.Background(), testAdmin, f.st.Number, 0, domain.GradeInput{Subject: "Anglais", Value: "18"}); err != nil {
		t.Fatal(err)
	}
	msgs := press(t, f.d, "D", "o")
	if _, ok := findMsg[backMsg](msgs); ok {
		t.Fatal("went back although the delete was refused")
	}
	mustContain(t, f.d.View(), "Modifié par quelqu'un d'autre", "Anglais")
}

func TestDetailEnglish(t *testing.T) {
	f := openDetail(t, testAdmin)
	f.d.c.T = NewTranslator(English)
	press(t, f.d, "a", "Chemistry", "tab", "4,5", "enter")
	mustContain(t, f.d.View(), "Average: 7.25/20", "Rank 2/2", "Birth date", "2004-05-06 (22 years old)",
		"Warning: average below 10/20", "4.5")
}

// A student opened right after another never shows the first one's late
// answer: both screens number their loads from 1.
func TestDetailIgnoresAnotherScreensLoad(t *testing.T) {
	svc, _ := newTestServices(t)
	a := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"))
	b := seedStudent(t, svc, studentInput("Fall", "Modou", "78 123 45 67", "L1-INFO"))
	c := newTestCommon(t, svc, testAdmin)
	first := newDetail(c, a.Number).(*detail)
	late := runCmd(t, first.Init()) // the first screen's answer, not yet delivered
	second := newDetail(c, b.Number).(*detail)
	second.SetSize(100, 30)
	second.Init() // its own load is under way
	drive(t, second, late...)
	if second.st != nil {
		t.Fatalf("the screen of %s shows %s", b.Number, second.st.Number)
	}
}

// Every question takes the same answer: the language's "yes" letter in
// either case, and nothing else (an English "o" deletes nothing).
func TestIsYes(t *testing.T) {
	for _, c := range []struct {
		lang Lang
		key  string
		want bool
	}{
		{French, "o", true}, {French, "O", true}, {French, "y", false}, {French, "n", false},
		{English, "y", true}, {English, "Y", true}, {English, "o", false}, {English, "enter", false},
	} {
		if got := isYes(NewTranslator(c.lang), keyMsg(c.key)); got != c.want {
			t.Errorf("%v %q: isYes = %v, want %v", c.lang, c.key, got, c.want)
		}
	}
}
