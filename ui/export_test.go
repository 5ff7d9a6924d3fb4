package ui

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"scolarite/domain"
)

// setPath replaces the dialog's file name with path.
func (a *appDriver) setPath(path string) {
	a.t.Helper()
	a.press("ctrl+u") // textinput: delete before the cursor (at the end)
	a.typeText(path)
}

// The export dialog writes what the table shows: here the filter "l1-info"
// sorted by last name, as CSV (French: semicolons and a BOM) and as Excel.
func TestExportDialog(t *testing.T) {
	a := loggedIn(t, "admin")
	a.press("/")
	a.typeText("l1-info")
	a.press("enter", "s") // leave the filter; sort by the next column (matricule → last name)
	a.press("s")
	a.press("x")
	d, ok := a.m.screen.(*fileDialog)
	if !ok {
		t.Fatalf("x opened %s", screenName(a.m.screen))
	}
	view := a.flatView()
	if !strings.Contains(view, "Exporter la liste") || !strings.Contains(view, "2 étudiant(s)") || !strings.Contains(view, "filtre « l1-info »") {
		t.Fatalf("dialog:\n%s", a.m.View())
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "l1.csv")
	a.setPath(path)
	a.press("enter")
	if d.result == "" || !strings.Contains(a.flatView(), "2 étudiant(s) exporté(s) vers "+path) {
		t.Fatalf("after enter:\n%s", a.m.View())
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 3 || recs[1][1] != "Diop" || recs[2][1] != "Fall" {
		t.Fatalf("CSV %v, %v", recs, err)
	}
	a.press("enter") // close
	if _, ok := a.m.screen.(*students); !ok {
		t.Fatalf("enter after the export left %s open", screenName(a.m.screen))
	}

	// Excel: tab to the next format; the name follows.
	a.press("x", "tab")
	if v := a.m.screen.(*fileDialog).path.Value(); !strings.HasSuffix(v, ".xlsx") {
		t.Fatalf("path after tab: %q", v)
	}
	xlsx := filepath.Join(dir, "l1.xlsx")
	a.setPath(xlsx)
	a.press("enter")
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 3 || rows[0][1] != "Nom" {
		t.Fatalf("workbook rows %v", rows)
	}
	a.press("esc")

	// An existing file is replaced only after a second enter.
	a.press("x")
	a.setPath(path)
	a.press("enter")
	if !strings.Contains(a.flatView(), "existe déjà") {
		t.Fatalf("no warning for an existing file:\n%s", a.m.View())
	}
	a.press("esc", "esc")
	if _, ok := a.m.screen.(*students); !ok {
		t.Fatalf("esc left %s open", screenName(a.m.screen))
	}
}

// The report dialogs from the statistics: p offers the procès-verbal of
// the class shown, of its current semester (L2-INFO S3 of the jury's
// fixture), and the school summary; a class with free grades only (L1-GC)
// has no procès-verbal, and the dialog says why. Then the report card
// from a student's detail.
func TestReportDialogs(t *testing.T) {
	f := newDelibFixture(t)
	seedStudent(t, f.svc, studentInput("Gueye", "Aminata", "76 555 44 33", "L1-GC"), domain.GradeInput{Subject: "Topographie", Value: "11,5", Coefficient: "2"})
	env := newAppEnv(t)
	env.c.Students, env.c.Curricula, env.c.Results = f.svc, f.cs, f.rs
	a := startApp(t, env, 100, 30)
	a.logIn("admin", appPassword)
	dir := t.TempDir()

	a.press("tab", "tab", "tab", "tab", "c") // statistics, first class: L1-GC
	a.press("p")
	d, ok := a.m.screen.(*fileDialog)
	if !ok || len(d.choices) != 1 {
		t.Fatalf("p on L1-GC opened %s:\n%s", screenName(a.m.screen), a.m.View())
	}
	wantIn(t, a.flatView(), "L1-GC n'a pas de curriculum cette année : pas de procès-verbal.", "Synthèse de l'établissement")
	a.press("esc")

	a.press("c") // L2-INFO
	a.press("p")
	d, ok = a.m.screen.(*fileDialog)
	if !ok || len(d.choices) != 2 {
		t.Fatalf("p on L2-INFO opened %s:\n%s", screenName(a.m.screen), a.m.View())
	}
	wantIn(t, a.flatView(), "Procès-verbal de délibération — L2-INFO S3, session 1 (2026-2027)", "pv-L2-INFO-S3-s1.pdf")
	pv := filepath.Join(dir, "pv.pdf")
	a.setPath(pv)
	a.press("enter")
	a.press("enter")
	a.press("p", "tab")
	school := filepath.Join(dir, "ecole.pdf")
	a.setPath(school)
	a.press("enter", "enter")

	a.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "enter") // students, open the first
	a.press("b")
	if _, ok := a.m.screen.(*fileDialog); !ok {
		t.Fatalf("b opened %s", screenName(a.m.screen))
	}
	card := filepath.Join(dir, "bulletin.pdf")
	a.setPath(card)
	a.press("enter")
	for _, p := range []string{pv, school, card} {
		if data, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
			t.Errorf("%s: %v", p, err)
		}
	}
	// The procès-verbal of S3 session 1: the key figures of the five
	// averages (13,20 10,80 9,60 10,00 11,80: mean 11,08), the
	// distribution, every student and the decisions.
	if text := pdfToText(t, pv); text != "" {
		wantIn(t, text, "Procès-verbal de délibération", "L2-INFO · semestre S3 · session 1 · année universitaire 2026-2027",
			"Avec une moyenne", "Moyenne de la classe", "Répartition des moyennes", "8–10", "Résultats de la classe",
			"BA Awa", "SOW Ibrahima", "Signatures du jury")
		if !regexp.MustCompile(`\n\s*5\s+5\s+11,08\s+9,60\s+13,20\s+1\s*\n`).MatchString(text) {
			t.Errorf("key figures, want 5 5 11,08 9,60 13,20 1:\n%s", text)
		}
	}
}

// A student prints their own report card from "Mes notes" (the domain
// lets them read their record, and nothing else).
func TestStudentPrintsOwnReportCard(t *testing.T) {
	a := loggedIn(t, "awa.diop")
	wantIn(t, a.m.View(), "b bulletin")
	a.press("b")
	if _, ok := a.m.screen.(*fileDialog); !ok {
		t.Fatalf("b opened %s", screenName(a.m.screen))
	}
	card := filepath.Join(t.TempDir(), "bulletin.pdf")
	a.setPath(card)
	a.press("enter")
	data, err := os.ReadFile(card)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("%s: %v\n%s", card, err, a.m.View())
	}
	wantIn(t, a.flatView(), "bulletin.pdf")
}

// The import screen: a check with the problems in French, nothing written
// while a row is refused, then "s" to skip it and enter to import.
func TestImportScreen(t *testing.T) {
	a := loggedIn(t, "admin")
	path := filepath.Join(t.TempDir(), "inscrits.csv")
	content := "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Maths\n" +
		"Ba;Binta;76 123 45 67;L1-INFO;Informatique;03/03/2003;12,5\n" +
		"Sy;;77 123 45 67;L1-INFO;Informatique;31/02/2003;25\n"
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	a.press("i")
	if _, ok := a.m.screen.(*importScreen); !ok {
		t.Fatalf("i opened %s", screenName(a.m.screen))
	}
	a.typeText(path)
	a.press("enter")
	view := a.flatView()
	for _, want := range []string{"2 ligne(s) : 1 à ajouter", "1 refusée(s)", "ligne 3, colonne Prénom : est obligatoire",
		"ligne 3, colonne Téléphone : est déjà celui de l'étudiant", "ligne 3, colonne Date de naissance : n'est pas un jour qui existe (saisi : 31/02/2003)",
		"ligne 3, colonne Maths : doit être entre 0 et 20", "Rien ne sera écrit"} {
		if !strings.Contains(view, want) {
			t.Errorf("preview lacks %q:\n%s", want, a.m.View())
		}
	}
	a.press("enter") // refused: nothing happens
	if page, _ := a.env.svc.Roster(a.env.c.Ctx, a.env.c.Actor, domain.RosterQuery{}); page.Total != 4 {
		t.Fatalf("a refused import wrote: %d students", page.Total)
	}
	a.press("s", "enter")
	if !strings.Contains(a.flatView(), "Import terminé : 1 ajouté(s), 0 mis à jour, 0 inchangé(s), 1 refusé(s).") {
		t.Fatalf("after import:\n%s", a.m.View())
	}
	a.press("enter")
	if _, ok := a.m.screen.(*students); !ok || !strings.Contains(a.m.View(), "Binta") {
		t.Fatalf("back on %s:\n%s", screenName(a.m.screen), a.m.View())
	}
}

// A file that cannot be read says why, in French, and stays on the path.
func TestImportScreenBadFile(t *testing.T) {
	a := loggedIn(t, "admin")
	path := filepath.Join(t.TempDir(), "vide.csv")
	if err := os.WriteFile(path, []byte("foo;bar\n1;2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a.press("i")
	a.typeText(path)
	a.press("enter")
	if !strings.Contains(a.flatView(), "ligne 1 : aucune colonne attendue") {
		t.Fatalf("bad header:\n%s", a.m.View())
	}
	a.press("esc")
	if _, ok := a.m.screen.(*students); !ok {
		t.Fatalf("esc left %s", screenName(a.m.screen))
	}
}

// Teachers export their classes but cannot import.
func TestTeacherCannotImport(t *testing.T) {
	a := loggedIn(t, "m.sarr")
	a.press("i")
	if _, ok := a.m.screen.(*students); !ok {
		t.Fatalf("i opened %s for a teacher", screenName(a.m.screen))
	}
	a.press("x")
	if _, ok := a.m.screen.(*fileDialog); !ok || !strings.Contains(a.flatView(), "2 étudiant(s)") {
		t.Fatalf("teacher's export:\n%s", a.m.View())
	}
}

// cardOf presses b on s and returns the report card's dialog, sized.
func cardOf(t *testing.T, s screen) *fileDialog {
	t.Helper()
	open, ok := findMsg[openScreenMsg](press(t, s, "b"))
	if !ok {
		t.Fatal("b opened nothing")
	}
	d, ok := open.screen.(*fileDialog)
	if !ok {
		t.Fatalf("b opened %s", screenName(open.screen))
	}
	d.SetSize(120, 30)
	return d
}

// writeCard writes the dialog's document to a temporary file and returns
// its text (pdftotext), or "" where poppler is not installed.
func writeCard(t *testing.T, d *fileDialog) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "bulletin.pdf")
	d.path.SetValue(path)
	press(t, d, "enter")
	data, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("%s: %v\n%s", path, err, d.View())
	}
	return pdfToText(t, path)
}

// pdfToText is the text of a PDF (pdftotext -layout), or "" where poppler
// is not installed.
func pdfToText(t *testing.T, path string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return ""
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// b prints the bulletin of the semester shown: from the detail, S3 then
// S4 (with the free grades on screen, the latest semester's, or the free
// grades' card); from "Mes notes", the free grades' card until S3 is published,
// then its bulletin.
func TestReportCardPrintsShownSemester(t *testing.T) {
	f := newSemFixture(t)
	d := f.detail(t, testAdmin, f.diop, 100, 30)
	dlg := cardOf(t, d)
	wantIn(t, dlg.View(), "Bulletin de Diop Awa ("+f.diop.Number+") — semestre S3, 2026-2027", "bulletin-"+f.diop.Number+"-S3.pdf")
	if text := writeCard(t, dlg); text != "" {
		wantIn(t, text, "BULLETIN DE NOTES", "Semestre S3 · session 1", "UE31", "Maths", "12,80", "Document provisoire")
	}
	press(t, d, "]")
	wantIn(t, cardOf(t, d).View(), "semestre S4, 2026-2027")
	press(t, d, "s") // the free grades on screen: the report card picks
	if v := cardOf(t, d).View(); strings.Contains(v, "semestre S") {
		t.Errorf("the free grades shown, the card still names a semester:\n%s", v)
	}

	m := f.myGrades(t, f.diop, 100, 30)
	dlg = cardOf(t, m)
	wantIn(t, dlg.View(), "Bulletin de Diop Awa ("+f.diop.Number+")", "bulletin-"+f.diop.Number+".pdf")
	wantNotIn(t, dlg.View(), "semestre S3")
	if text := writeCard(t, dlg); text != "" {
		wantIn(t, text, "Bulletin de notes", "Histoire", "Moyenne générale")
		wantNotIn(t, text, "BULLETIN DE NOTES", "12,80")
	}
	f.publishS3(t)
	m = f.myGrades(t, f.diop, 100, 30)
	dlg = cardOf(t, m)
	wantIn(t, dlg.View(), "semestre S3, 2026-2027")
	if text := writeCard(t, dlg); text != "" {
		wantIn(t, text, "BULLETIN DE NOTES", "Semestre S3 · session 1", "UE32", "Anglais", "12,48/20", "DEF")
	}
}

// p on a class with no procès-verbal says why: L1-GC has free grades only
// (no curriculum), L3-INFO has no student (the domain's two ENOTFOUND).
func TestReportDialogSaysWhyNoMinutes(t *testing.T) {
	f := newDelibFixture(t)
	seedStudent(t, f.svc, studentInput("Gueye", "Aminata", "76 555 44 33", "L1-GC"), domain.GradeInput{Subject: "Topographie", Value: "11,5", Coefficient: "2"})
	for _, tc := range []struct {
		class, want, not string
	}{
		{"L1-GC", "L1-GC n'a pas de curriculum cette année : pas de procès-verbal.", "aucun étudiant"},
		{"L3-INFO", "L3-INFO n'a aucun étudiant (ou n'est pas une de vos classes) : pas de procès-verbal.", "pas de curriculum"},
	} {
		t.Run(tc.class, func(t *testing.T) {
			d := reportDialogOf(t, statsOf(t, f, tc.class), 1)
			v := d.View()
			wantIn(t, v, tc.want, "Synthèse de l'établissement")
			wantNotIn(t, v, tc.not)
		})
	}
}

// The procès-verbal is of the semester's session current when it is
// written: L2-INFO S3 moves to the resit session after the statistics
// loaded (the dialog still offers session 1), and p writes session 2.
func TestReportDialogWritesTheCurrentSession(t *testing.T) {
	f := newDelibFixture(t)
	m := statsOf(t, f, "L2-INFO")
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionResit} {
		if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L2-INFO", "S3", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
	d := reportDialogOf(t, m, 2)
	wantIn(t, d.View(), "L2-INFO S3, session 1")
	path := filepath.Join(t.TempDir(), "pv.pdf")
	d.path.SetValue(path)
	press(t, d, "enter")
	if d.err != "" || d.result == "" {
		t.Fatalf("not written: %q\n%s", d.err, d.View())
	}
	wantIn(t, d.result, "Procès-verbal de L2-INFO S3, session 2, écrit : "+path)
	if text := pdfToText(t, path); text != "" {
		wantIn(t, text, "L2-INFO · semestre S3 · session 2")
		wantNotIn(t, text, "session 1")
	}
}

// statsOf is the statistics screen of an admin on class, loaded.
func statsOf(t *testing.T, f *delibFixture, class string) *stats {
	t.Helper()
	c := newTestCommon(t, f.svc, testAdmin)
	c.Curricula, c.Results = f.cs, f.rs
	m := newStats(c).(*stats)
	m.class = class
	m.SetSize(120, 30)
	start(t, m)
	return m
}

// reportDialogOf presses p on m and returns the dialog it opens, which
// must offer choices documents.
func reportDialogOf(t *testing.T, m *stats, choices int) *fileDialog {
	t.Helper()
	open, ok := findMsg[openScreenMsg](press(t, m, "p"))
	if !ok {
		t.Fatalf("p opened nothing:\n%s", m.View())
	}
	d, ok := open.screen.(*fileDialog)
	if !ok || len(d.choices) != choices {
		t.Fatalf("p opened %s", screenName(open.screen))
	}
	d.SetSize(200, 30)
	return d
}
