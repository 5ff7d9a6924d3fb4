package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The jury's documents through the binary: a student's relevé and its
// code, the same code when issued again, verify (a known code, an unknown
// one, a malformed one), a class's relevés in one file, the report card
// (the bulletin) and the minutes with the jury's decision and its reason.
func TestCLIReleveMinutesAndVerify(t *testing.T) {
	dir := t.TempDir()
	year := []string{"--year", "2026-2027"}
	run := func(args ...string) string { t.Helper(); return mustRun(t, dir, "", append(args, year...)...) }
	try := func(args ...string) result { t.Helper(); return scolarite(t, dir, "", append(args, year...)...) }
	// UE11 (6 credits): Analyse coef 2, Algèbre 1; UE12 (4 credits): Anglais.
	run("curriculum", "import", writeFile(t, "ue.csv", curriculumCSV))
	awa := addStudent(t, dir, "Ndiaye", "Awa", "77 100 00 01", "L1-INFO")
	binta := addStudent(t, dir, "Sow", "Binta", "77 100 00 02", "L1-INFO")
	// Awa: 12 everywhere → ADM 12, Assez bien. Binta: UE11 9, UE12 12 →
	// (54 + 48)/10 = 10.2, ADC; the jury makes it AJ.
	for subject, marks := range map[string]string{"Analyse": "12;9", "Algèbre": "12;9", "Anglais": "12;12"} {
		eval := strings.TrimSpace(run("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", subject, "--kind", "exam", "--weight", "100"))
		m := strings.Split(marks, ";")
		run("grades", "import", writeFile(t, "marks.csv", "Matricule;Note\n"+awa+";"+m[0]+"\n"+binta+";"+m[1]+"\n"), "--evaluation", eval)
	}
	run("jury", "override", binta, "--semester", "S1", "--decision", "AJ", "--reason", "plagiat au partiel d'Analyse")

	// Awa's relevé: written, and its code said.
	releve := filepath.Join(dir, "awa.pdf")
	out := run("report", "releve", awa, "--semester", "S1", "-o", releve)
	code := regexp.MustCompile(`code ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})`).FindStringSubmatch(out)
	if code == nil || !strings.Contains(out, "wrote "+releve) || !strings.Contains(out, awa+" Ndiaye Awa") {
		t.Fatalf("report releve: %q", out)
	}
	pdfCheck(t, releve, "RELEVÉ DE NOTES", "Ndiaye Awa", code[1], "12,00/20", "Assez bien", "Le Directeur des études")
	// Issued again (the English version: the same content): the same code.
	if again := run("report", "releve", "77 100 00 01", "--semester", "s1", "--lang", "en", "-o", filepath.Join(dir, "awa-en.pdf")); !strings.Contains(again, "code "+code[1]) {
		t.Errorf("issued again: %q, want the code %s", again, code[1])
	}

	// verify prints what it certifies, whatever the case and hyphens.
	v := run("verify", strings.ToLower(strings.ReplaceAll(code[1], "-", "")))
	for _, want := range []string{"Relevé de notes " + code[1] + ": issued by this school on ", "Ndiaye Awa, matricule " + awa + ", born 2003-04-05",
		"L1-INFO, semester S1, session 1, year 2026-2027", "12.00/20", "10/10", "ADM", "Assez bien", "Provisional",
		"UE11 Mathématiques: 12.00/20 ADM, 6/6 credits (Analyse 12.00, Algèbre 12.00)"} {
		if !strings.Contains(v, want) {
			t.Errorf("verify lacks %q:\n%s", want, v)
		}
	}
	if r := try("verify", "7KQ2-M9XD-4T1A"); r.code != 1 || !strings.Contains(r.stderr, "no relevé de notes has the code 7KQ2-M9XD-4T1A") {
		t.Errorf("an unknown code: exit %d, %q", r.code, r.stderr)
	}
	if r := try("verify", "7KQ2"); r.code != 1 || !strings.Contains(r.stderr, "12 letters and digits") {
		t.Errorf("a short code: exit %d, %q", r.code, r.stderr)
	}

	// The whole class in one file; the usage mistakes.
	class := filepath.Join(dir, "class.pdf")
	if out := run("report", "releve", "--class", "l1-info", "--semester", "S1", "-o", class); !strings.Contains(out, "2 relevés of L1-INFO S1 session 1") {
		t.Errorf("the class's relevés: %q", out)
	}
	pdfCheck(t, class, "Ndiaye Awa", "Sow Binta", code[1], "AJ (jury)")
	for _, args := range [][]string{{"report", "releve", "--semester", "S1"}, {"report", "releve", "--class", "L1-INFO", "--semester", "S1"},
		{"report", "releve", awa, "--class", "L1-INFO", "--semester", "S1"}, {"report", "pv", "L1-INFO"}, {"report", "class"},
		{"report", "class", "L1-INFO", "--session", "3"}} {
		if r := try(args...); r.code != 2 {
			t.Errorf("%v: exit %d, %q; want a usage error", args, r.code, r.stderr)
		}
	}

	// The report card is the bulletin: Binta's latest semester (S1), with
	// the remark and the jury's decision; a semester asked for, the same.
	run("grades", "remark", binta, "--semester", "S1", "--subject", "Analyse", "--text", "Des efforts à poursuivre en analyse.")
	card := filepath.Join(dir, "binta.pdf")
	if out := run("report", "student", binta, "-o", card); !strings.Contains(out, "wrote "+card) {
		t.Errorf("report student: %q", out)
	}
	pdfCheck(t, card, "BULLETIN DE NOTES", "Semestre S1 · session 1", "Sow Binta", "Analyse", "10,50", "Des efforts à poursuivre en analyse.",
		"AJ (jury)", "Moy.", "Le Directeur des études")
	run("report", "student", awa, "--semester", "s1", "--lang", "en", "-o", card)
	pdfCheck(t, card, "REPORT CARD", "Ndiaye Awa", "12.00/20", "Fairly good")
	if r := try("report", "student", awa, "--semester", "S2", "-o", card); r.code != 1 {
		t.Errorf("a bulletin of S2, which has no curriculum: exit %d, %q", r.code, r.stderr)
	}
	// The whole class's bulletins in one file; a class needs its semester.
	cards := filepath.Join(dir, "bulletins.pdf")
	run("report", "student", "--class", "L1-INFO", "--semester", "S1", "-o", cards)
	pdfCheck(t, cards, "BULLETIN DE NOTES", "Sow Binta", "Ndiaye Awa", "Des efforts à poursuivre en analyse.")
	if r := try("report", "student", "--class", "L1-INFO", "-o", cards); r.code != 2 && r.code != 1 {
		t.Errorf("--class without --semester: exit %d, %q", r.code, r.stderr)
	}

	// The minutes: both students, the counts, the jury's decision and why.
	pv := filepath.Join(dir, "pv.pdf")
	if out := run("report", "pv", "--class", "L1-INFO", "--semester", "S1", "-o", pv); !strings.Contains(out, "minutes of L1-INFO S1 session 1, 2 student(s)") {
		t.Errorf("report pv: %q", out)
	}
	pdfCheck(t, pv, "Procès-verbal de délibération", awa, binta, "règlement version 1", "AJ (calculée : ADC)",
		"plagiat au partiel d'Analyse", "Le Président du jury", "1 (50,0 %)")

	// The class's document is the same procès-verbal: `report class C`,
	// by default of the class's current semester (S1, the one its
	// students have averages in) and its current session, into
	// pv-CLASS-SEMESTER-sSESSION.pdf; with the key figures of the two
	// averages (12 and 10.2: mean 11.1) and their distribution.
	cmd := exec.Command(binary, "--data-dir", dir, "report", "class", "l1-info", "--lang", "en", "--year", "2026-2027")
	cmd.Dir, cmd.Env = t.TempDir(), append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir)
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "wrote pv-L1-INFO-S1-s1.pdf: minutes of L1-INFO S1 session 1, 2 student(s)") {
		t.Fatalf("report class: %v\n%s", err, out)
	}
	pdfCheck(t, filepath.Join(cmd.Dir, "pv-L1-INFO-S1-s1.pdf"), "Minutes of the deliberation", "L1-INFO · semester S1 · session 1", awa, binta,
		"AJ (computed: ADC)", "plagiat au partiel d'Analyse", "Distribution of averages", "10–12")
	pdfMatch(t, filepath.Join(cmd.Dir, "pv-L1-INFO-S1-s1.pdf"), `Students\s+With an average\s+Class average\s+Min\.\s+Max\.\s+Below 10\s*\n\s*2\s+2\s+11\.10\s+10\.20\s+12\.00\s+0\s*\n`)
	// A class with free grades only has no procès-verbal: it says so and
	// writes nothing.
	addStudent(t, dir, "Fall", "Ousmane", "77 100 00 03", "M1-GC")
	if r := try("report", "class", "M1-GC", "-o", filepath.Join(dir, "m1.pdf")); r.code != 1 || !strings.Contains(r.stderr, "class M1-GC has no curriculum in 2026-2027") {
		t.Errorf("a class without curriculum: exit %d, %q", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "m1.pdf")); !os.IsNotExist(err) {
		t.Errorf("a refused procès-verbal left a file: %v", err)
	}
}

// pdfMatch checks, where pdftotext is installed, that the text of the PDF
// at path matches the regular expression re.
func pdfMatch(t *testing.T, path, re string) {
	t.Helper()
	if text, ok := pdfText(t, path); ok && !regexp.MustCompile(re).Match(text) {
		t.Errorf("%s does not match %s:\n%s", filepath.Base(path), re, text)
	}
}

// pdfCheck checks that path is a PDF and, where poppler's pdftotext is
// installed (CI installs it), that its text has each of want.
func pdfCheck(t *testing.T, path string, want ...string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("%s: not a PDF (%v)", path, err)
	}
	text, ok := pdfText(t, path)
	if !ok {
		return
	}
	for _, w := range want {
		if !bytes.Contains(text, []byte(w)) {
			t.Errorf("%s lacks %q:\n%s", filepath.Base(path), w, text)
		}
	}
}

// pdfText is the text of the PDF at path by pdftotext; false where it is
// not installed.
func pdfText(t *testing.T, path string) ([]byte, bool) {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil, false
	}
	text, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return text, true
}
