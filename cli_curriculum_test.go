package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const curriculumCSV = `Classe;Semestre;Code UE;Intitulé UE;Crédits;Matière;Coefficient;Enseignants
L1-INFO;S1;UE11;Mathématiques;6;Analyse;2;prof.diop
L1-INFO;S1;UE11;Mathématiques;6;Algèbre;1;
L1-INFO;S1;UE12;Langues;4;Anglais;1;
`

// The LMD structure from the command line: a curriculum file, evaluations,
// marks (values and absences), the averages of every level in
// `students show --json`, and the semester's lifecycle.
func TestCLICurriculumEvaluationsAndMarks(t *testing.T) {
	dir := t.TempDir()
	awa := addStudent(t, dir, "Diop", "Awa", "77 100 00 01", "L1-INFO")
	year := []string{"--year", "2026-2027"}
	run := func(args ...string) string { t.Helper(); return mustRun(t, dir, "", append(args, year...)...) }
	try := func(args ...string) result { t.Helper(); return scolarite(t, dir, "", append(args, year...)...) }

	if out := run("curriculum", "import", writeFile(t, "ue.csv", curriculumCSV)); !strings.Contains(out, "1 created") {
		t.Fatalf("import: %q", out)
	}
	bad := writeFile(t, "bad.csv", "Classe;Semestre;Code UE;Intitulé UE;Crédits;Matière;Coefficient\nL1-INFO;S11;UE11;Maths;six;Analyse;0\n")
	if r := try("curriculum", "import", bad); r.code != 1 ||
		!strings.Contains(r.stderr, "line 2, column Semestre: must be S1 to S10") || !strings.Contains(r.stderr, "line 2, column Crédits:") ||
		!strings.Contains(r.stderr, "line 2, column Coefficient:") || !strings.Contains(r.stderr, "nothing was written") {
		t.Fatalf("a bad file: exit %d, stderr %q", r.code, r.stderr)
	}

	cc := strings.TrimSpace(run("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", "analyse", "--kind", "cc", "--weight", "40"))
	exam := strings.TrimSpace(run("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", "Analyse", "--kind", "exam", "--weight", "60"))
	eng := strings.TrimSpace(run("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", "Anglais", "--kind", "exam", "--weight", "100"))
	if r := try("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", "Chimie", "--kind", "quiz", "--weight", "0"); r.code != 1 ||
		!strings.Contains(r.stderr, "subject: is not a subject of L1-INFO") || !strings.Contains(r.stderr, "kind: must be cc, tp, exam or resit") || !strings.Contains(r.stderr, "weight:") {
		t.Fatalf("a bad evaluation: exit %d, stderr %q", r.code, r.stderr)
	}
	run("grades", "add", awa, "--evaluation", cc, "--value", "10")
	run("grades", "add", awa, "--evaluation", exam, "--value", "15,5")
	run("grades", "add", awa, "--evaluation", eng, "--absent", "justified", "--comment", "certificat médical")

	var show struct {
		Average   *float64 `json:"average"`
		Semesters []struct {
			Semester string   `json:"semester"`
			Status   string   `json:"status"`
			Average  *float64 `json:"average"`
			UEs      []struct {
				Code     string   `json:"code"`
				Average  *float64 `json:"average"`
				Subjects []struct {
					Subject     string   `json:"subject"`
					Average     *float64 `json:"average"`
					Evaluations []struct {
						ID     string   `json:"id"`
						Value  *float64 `json:"value"`
						Absent *string  `json:"absent"`
					} `json:"evaluations"`
				} `json:"subjects"`
			} `json:"ues"`
		} `json:"semesters"`
	}
	if err := json.Unmarshal([]byte(run("students", "show", awa, "--json")), &show); err != nil {
		t.Fatal(err)
	}
	if len(show.Semesters) != 1 || len(show.Semesters[0].UEs) != 2 {
		t.Fatalf("semesters = %+v", show.Semesters)
	}
	s1 := show.Semesters[0]
	analyse := s1.UEs[0].Subjects[0]
	// Analyse: (10×40 + 15.5×60)/100 = 13.3; UE11 = Analyse alone (Algèbre
	// not graded) = 13.3; UE12: Anglais ABJ, no average; S1 = 13.3.
	if analyse.Average == nil || *analyse.Average != 13.3 || s1.UEs[1].Average != nil || s1.Average == nil || *s1.Average != 13.3 ||
		show.Average == nil || *show.Average != 13.3 {
		t.Errorf("averages: Analyse %v, UE12 %v, S1 %v, student %v", analyse.Average, s1.UEs[1].Average, s1.Average, show.Average)
	}
	if ev := s1.UEs[1].Subjects[0].Evaluations[0]; ev.Value != nil || ev.Absent == nil || *ev.Absent != "justified" {
		t.Errorf("Anglais evaluation = %+v", ev)
	}

	// A whole class in one file: refused whole when a row is bad.
	ibou := addStudent(t, dir, "Fall", "Ibou", "77 100 00 02", "L1-INFO")
	marks := writeFile(t, "notes.csv", "Matricule;Note;Commentaire\n"+awa+";14;\n"+ibou+";ABI;absent\n2026-09999;12;\n")
	if r := try("grades", "import", marks, "--evaluation", eng); r.code != 1 || !strings.Contains(r.stderr, "line 4: student: no student") {
		t.Fatalf("marks with an unknown student: exit %d, stderr %q", r.code, r.stderr)
	}
	marks = writeFile(t, "notes.csv", "Matricule;Note;Commentaire\n"+awa+";14;\n"+ibou+";ABI;absent\n")
	if out := run("grades", "import", marks, "--evaluation", eng); !strings.Contains(out, "2 mark(s) recorded") {
		t.Fatalf("marks import: %q", out)
	}
	if err := json.Unmarshal([]byte(run("students", "show", awa, "--json")), &show); err != nil {
		t.Fatal(err)
	}
	// UE12 = Anglais 14; S1 = (13.3×6 + 14×4)/10 = 13.58.
	if s1 := show.Semesters[0]; s1.UEs[1].Average == nil || *s1.UEs[1].Average != 14 || *s1.Average != 13.58 {
		t.Errorf("after the marks file: UE12 %v, S1 %v", s1.UEs[1].Average, s1.Average)
	}

	// Lifecycle: closed locks marks; reopen needs a reason.
	run("semester", "close", "--class", "L1-INFO", "--semester", "S1")
	if r := try("grades", "add", awa, "--evaluation", cc, "--value", "12"); r.code != 1 || !strings.Contains(r.stderr, "is closed") {
		t.Fatalf("a mark in a closed semester: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := try("semester", "reopen", "--class", "L1-INFO", "--semester", "S1"); r.code != 1 || !strings.Contains(r.stderr, "reason") {
		t.Fatalf("reopen without a reason: exit %d, stderr %q", r.code, r.stderr)
	}
	run("semester", "reopen", "--class", "L1-INFO", "--semester", "S1", "--reason", "copie retrouvée")
	var status []struct{ Status, Reason string }
	if err := json.Unmarshal([]byte(run("semester", "status", "--class", "L1-INFO", "--json")), &status); err != nil || len(status) != 1 || status[0].Status != "open" || status[0].Reason != "copie retrouvée" {
		t.Fatalf("status = %+v, %v", status, err)
	}

	// A curriculum that drops a subject with evaluations is refused.
	dropped := strings.Replace(curriculumCSV, "L1-INFO;S1;UE12;Langues;4;Anglais;1;\n", "L1-INFO;S1;UE12;Langues;4;Wolof;1;\n", 1)
	if r := try("curriculum", "import", writeFile(t, "ue2.csv", dropped)); r.code != 1 || !strings.Contains(r.stderr, "subject Anglais: has 1 evaluation(s)") {
		t.Fatalf("dropping Anglais: exit %d, stderr %q", r.code, r.stderr)
	}
}
