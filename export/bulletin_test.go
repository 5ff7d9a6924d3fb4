package export

import (
	"bytes"
	"context"
	"math/big"
	"regexp"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// longRemark is a teacher's remark of nearly 300 characters, the most
// there may be: the bulletin prints it whole.
const longRemark = "Travail sérieux et régulier tout au long du semestre ; les bases sont acquises mais la rédaction des preuves " +
	"reste trop rapide. Il faut justifier chaque étape, relire les énoncés et s'entraîner sur les annales avant la session " +
	"de rattrapage. Participation active en TD, à poursuivre absolument."

// bulletinOf is the bulletin of the k-th student of res, as the domain
// builds it: each subject's class average, lowest and highest.
func bulletinOf(res *domain.ClassResults, k int) *domain.Bulletin {
	o := res.Outcomes[k]
	st := &domain.Student{ID: o.StudentID, Number: o.Number, LastName: o.LastName, FirstName: o.FirstName, BirthDate: o.BirthDate, Class: o.Class}
	b := &domain.Bulletin{Student: st, Curriculum: res.Curriculum, Outcome: o, ClassSize: len(res.Outcomes)}
	for i, ue := range res.Curriculum.UEs {
		for j, sub := range ue.Subjects {
			line := domain.BulletinSubject{UE: ue.Code, Subject: sub.Name, Coefficient: sub.Coefficient, Average: o.UEs[i].Subjects[j].Average}
			sum, n := new(big.Rat), 0
			for _, other := range res.Outcomes {
				v := other.UEs[i].Subjects[j].Average
				if v == nil {
					continue
				}
				sum.Add(sum, v)
				n++
				if line.Min == nil || v.Cmp(line.Min) < 0 {
					line.Min = v
				}
				if line.Max == nil || v.Cmp(line.Max) > 0 {
					line.Max = v
				}
			}
			if n > 0 {
				line.ClassAverage = sum.Quo(sum, big.NewRat(int64(n), 1))
			}
			b.Subjects = append(b.Subjects, line)
		}
	}
	return b
}

// A bulletin of six UEs whose student the jury failed: one page with the
// name whole, every subject with the student's, the class's, the lowest
// and the highest average, a 300-character remark in full, the jury's
// decision as such, the rank, the absences, the overall remark, place,
// date and signature; in French and in English.
func TestWriteBulletin(t *testing.T) {
	res := resultsClass(t, 20, domain.SemesterClosed)
	b := bulletinOf(res, 1) // the jury's AJ, with a reason
	b.Subjects[0].Remark = longRemark
	b.Subjects[4].Remark = "Bon travail."
	b.Justified, b.Unjustified = 1, 2
	b.Remark = "Semestre inégal : des efforts en réseaux, mais le jury attend davantage de rigueur."
	var out bytes.Buffer
	if err := WriteBulletin(b, &out, reportOpt); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "bulletin-fr.pdf", out.Bytes())
	pages := pdfText(t, out.Bytes())
	if len(pages) != 1 {
		t.Fatalf("a bulletin of six UEs on %d pages", len(pages))
	}
	text := pages[0]
	o := b.Outcome
	if !o.Overridden() || o.Rank == 0 {
		t.Fatalf("the fixture's student: decision %s (computed %s), rank %d", o.Decision, o.Computed, o.Rank)
	}
	fr := func(v *big.Rat) string { return French.rat(v) }
	want := []string{"BULLETIN DE NOTES", "ÉSP 221", "Année universitaire 2026-2027", "Semestre S5 · session 1",
		b.Student.LastName + " " + b.Student.FirstName, b.Student.Number, "05/04/2003", "L3-INFO",
		"Moyenne du semestre", fr(o.Average) + "/20", "AJ (jury)", "Décision du jury : Ajourné (jury)",
		"Rang dans la classe", "Absences : 1 justifiée(s) (ABJ) · 2 non justifiée(s) (ABI)",
		"Appréciation générale", "Semestre inégal : des efforts en réseaux", "Fait à Dakar, le 23/11/2026", "Le Directeur des études",
		"Moy.", "classe", "Appréciation", "Bon travail."}
	for i, ue := range res.Curriculum.UEs {
		want = append(want, ue.Code+" "+strings.Fields(ue.Title)[0], fmtUE(French, o.UEs[i], ue.Credits))
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("bulletin lacks %q", w)
		}
	}
	if !regexp.MustCompile(`\b` + itoa(o.Rank) + ` ?/ ?20\b`).MatchString(text) {
		t.Errorf("no rank %d / 20", o.Rank)
	}
	if strings.Contains(text, "provisoire") || strings.Contains(text, "…") {
		t.Errorf("a closed semester's bulletin is provisional, or a text was cut:\n%s", text)
	}
	// A subject's line: name, coefficient, the student's, the class's,
	// min and max.
	for _, s := range b.Subjects {
		line := regexp.QuoteMeta(s.Subject) + `\s+` + French.num(s.Coefficient, -1) + `\s+` + fr(s.Average) + `\s+` +
			fr(s.ClassAverage) + `\s+` + fr(s.Min) + `\s+` + fr(s.Max)
		if !regexp.MustCompile(line).MatchString(text) {
			t.Errorf("no line %q:\n%s", line, text)
		}
	}
	// The long remark, over several lines, every word of it.
	words := strings.Fields(text)
	have := map[string]int{}
	for _, w := range words {
		have[w]++
	}
	for _, w := range strings.Fields(longRemark) {
		if have[w] == 0 {
			t.Errorf("the remark lost %q", w)
		}
	}
	if !strings.Contains(text, "Travail sérieux et régulier") || !strings.Contains(text, "poursuivre absolument.") {
		t.Errorf("the remark's start or end is missing:\n%s", text)
	}

	// In English, an open semester's: provisional; no remark said so.
	res = resultsClass(t, 3, domain.SemesterOpen)
	b = bulletinOf(res, 2) // points of the jury on UE53
	out.Reset()
	if err := WriteBulletin(b, &out, ReportOptions{Lang: English, Now: reportOpt.Now}); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "bulletin-en.pdf", out.Bytes())
	text = strings.Join(pdfText(t, out.Bytes()), "\n")
	for _, w := range []string{"REPORT CARD", "Semester S5 · session 1", "Provisional: the semester is not closed", "Class", "Teacher's remark",
		"Overall remark", "No remark.", "Absences: 0 excused (ABJ) · 0 unexcused (ABI)", string(b.Outcome.Decision) + " (jury)",
		"Dakar, 2026-11-23", "The Director of Studies", "Rank in class", b.Outcome.Number} {
		if !strings.Contains(text, w) {
			t.Errorf("English bulletin lacks %q:\n%s", w, text)
		}
	}
}

func fmtUE(l Lang, u domain.UEOutcome, credits int) string {
	return l.t("bulletin.ue", u.Status, u.Earned, credits)
}

// resultsSchool is the services over a fresh store: L1-INFO S1 of
// 2026-2027 with UE11 (Analyse coef 2, Algèbre) and UE12 (Anglais: a CC
// and an exam).
type resultsSchool struct {
	students  *domain.StudentService
	curricula *domain.CurriculumService
	results   *domain.ResultsService
}

func newResultsSchool(t *testing.T) *resultsSchool {
	t.Helper()
	st := storetest.Open(t)
	s := &resultsSchool{students: domain.NewStudentService(domain.StudentDeps{Repo: st.Students(), Curricula: st.Curricula()})}
	s.results = domain.NewResultsService(domain.ResultsDeps{Repo: st.Results(), Curricula: st.Curricula(), Students: s.students, Year: "2026-2027"})
	s.curricula = domain.NewCurriculumService(domain.CurriculumDeps{Repo: st.Curricula(), Students: st.Students(), Results: s.results, Year: "2026-2027"})
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", UEs: []domain.UE{
		{Code: "UE11", Title: "Mathématiques", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Analyse", Coefficient: 2}, {Name: "Algèbre", Coefficient: 1}}},
		{Code: "UE12", Title: "Langues", Credits: 4, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}},
	}}
	if _, _, err := s.curricula.Import(context.Background(), admin, []*domain.Curriculum{c}); err != nil {
		t.Fatal(err)
	}
	return s
}

// marks gives each student (by matricule) their marks: per subject, the
// exam's, and for Anglais the CC's first ("ABJ", "ABI" or a value).
func (s *resultsSchool) marks(t *testing.T, marks map[string]map[string][]string) {
	t.Helper()
	ctx := context.Background()
	evals := map[string][]string{}
	for _, e := range []struct{ subject, kind, weight string }{{"Anglais", "cc", "40"}, {"Analyse", "exam", "100"}, {"Algèbre", "exam", "100"}, {"Anglais", "exam", "60"}} {
		ev, err := s.curricula.AddEvaluation(ctx, admin, domain.EvaluationInput{Class: "L1-INFO", Semester: "S1", Subject: e.subject, Kind: e.kind, Weight: e.weight})
		if err != nil {
			t.Fatal(err)
		}
		evals[e.subject] = append(evals[e.subject], ev.ID)
	}
	for number, bySubject := range marks {
		for subject, values := range bySubject {
			for i, v := range values {
				in := domain.MarkInput{Value: v}
				if v == "ABJ" || v == "ABI" {
					in = domain.MarkInput{Absent: v}
				}
				if _, _, err := s.students.Mark(ctx, admin, number, 0, evals[subject][i], in); err != nil {
					t.Fatalf("%s %s %s: %v", number, subject, v, err)
				}
			}
		}
	}
}

// The report card is the bulletin of the student's latest semester with
// an average, or of the semester asked for; a student with none, or a
// student reading theirs before it is published, gets the card of the
// free grades.
func TestReportCard(t *testing.T) {
	ctx := context.Background()
	s := newResultsSchool(t)
	create := func(last, phone string) *domain.Student {
		st, err := s.students.Create(ctx, admin, domain.StudentInput{LastName: last, FirstName: "Awa", Phone: phone, Class: "L1-INFO", Major: "Informatique", BirthDate: "2004-01-02"})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	ndiaye, sow, fall := create("Ndiaye", "77 100 00 01"), create("Sow", "77 100 00 02"), create("Fall", "77 100 00 03")
	// Ndiaye: Analyse 12, Algèbre 8, Anglais ABJ then 14 → 12 ADM.
	// Sow: Analyse 9, Algèbre 9, Anglais ABI then 12 (7,20).
	s.marks(t, map[string]map[string][]string{
		ndiaye.Number: {"Analyse": {"12"}, "Algèbre": {"8"}, "Anglais": {"ABJ", "14"}},
		sow.Number:    {"Analyse": {"9"}, "Algèbre": {"9"}, "Anglais": {"ABI", "12"}},
	})
	if _, _, err := s.students.AddGrade(ctx, admin, fall.Number, 0, domain.GradeInput{Subject: "Soutien", Value: "11", Coefficient: "1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.students.SetRemark(ctx, admin, ndiaye.Number, "S1", "2026-2027", "Analyse", longRemark); err != nil {
		t.Fatal(err)
	}
	if _, err := s.students.SetRemark(ctx, admin, ndiaye.Number, "S1", "2026-2027", "", "Très bon semestre."); err != nil {
		t.Fatal(err)
	}
	card := func(a domain.Actor, q CardQuery) (*domain.Bulletin, string) {
		t.Helper()
		var out bytes.Buffer
		b, err := ReportCard(ctx, s.students, s.results, a, q, &out, reportOpt)
		if err != nil {
			t.Fatalf("report card of %s: %v", q.Student, err)
		}
		return b, strings.Join(pdfText(t, out.Bytes()), "\n")
	}

	// The latest semester with an average: S1.
	b, text := card(admin, CardQuery{Student: ndiaye.Number})
	if b == nil || b.Curriculum.Semester != "S1" {
		t.Fatalf("Ndiaye's card is no bulletin of S1: %+v", b)
	}
	for _, w := range []string{"BULLETIN DE NOTES", "Ndiaye Awa", "Document provisoire", "UE11 Mathématiques", "Analyse", "12,00", "10,50", "9,00",
		"ADM", "Absences : 1 justifiée(s) (ABJ) · 0 non justifiée(s) (ABI)", "poursuivre absolument.", "Très bon semestre."} {
		if !strings.Contains(text, w) {
			t.Errorf("Ndiaye's bulletin lacks %q:\n%s", w, text)
		}
	}
	if !regexp.MustCompile(`\b1 ?/ ?3\b`).MatchString(text) {
		t.Errorf("Ndiaye is not ranked 1 / 3:\n%s", text)
	}
	// The semester asked for, the same; a semester without curriculum: an error.
	if b, _ := card(admin, CardQuery{Student: sow.Number, Semester: "s1"}); b == nil || b.Unjustified != 1 || b.Outcome.Rank != 2 {
		t.Errorf("Sow's bulletin of S1: %+v", b)
	}
	if _, err := ReportCard(ctx, s.students, s.results, admin, CardQuery{Student: sow.Number, Semester: "S2"}, &bytes.Buffer{}, reportOpt); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a bulletin of S2, which has no curriculum: %v", err)
	}
	// Fall has free grades only: their card.
	if b, text := card(admin, CardQuery{Student: fall.Number}); b != nil || !strings.Contains(text, "Soutien") || !strings.Contains(text, "Moyenne générale") {
		t.Errorf("Fall's card: %v\n%s", b, text)
	}
	// Ndiaye reads theirs: the free grades' card until S1 is published
	// (with no mark of it), then the bulletin.
	student := domain.Actor{Name: "ndiaye", Role: domain.RoleStudent, StudentID: ndiaye.ID}
	if b, text := card(student, CardQuery{Student: ndiaye.Number}); b != nil || !strings.Contains(text, "Aucune note pour l'instant.") {
		t.Errorf("Ndiaye's own card before publication: %v\n%s", b, text)
	}
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionPublish} {
		if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", act, ""); err != nil {
			t.Fatal(err)
		}
	}
	if b, text := card(student, CardQuery{Student: ndiaye.Number}); b == nil || !strings.Contains(text, "Très bon semestre.") || strings.Contains(text, "provisoire") {
		t.Errorf("Ndiaye's own card once published: %v\n%s", b, text)
	}
}
