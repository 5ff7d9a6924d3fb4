package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The jury from the command line, on the real store: results of session
// 1 (ADM, ADC, AJ), a jury decision and points, a changed regulation, a
// resit and session 2.
func TestCLIResultsJuryAndResit(t *testing.T) {
	dir := t.TempDir()
	year := []string{"--year", "2026-2027"}
	run := func(args ...string) string { t.Helper(); return mustRun(t, dir, "", append(args, year...)...) }
	try := func(args ...string) result { t.Helper(); return scolarite(t, dir, "", append(args, year...)...) }
	// UE11 (6 credits): Analyse coef 2, Algèbre 1; UE12 (4 credits): Anglais.
	run("curriculum", "import", writeFile(t, "ue.csv", curriculumCSV))
	exam := map[string]string{}
	for _, subject := range []string{"Analyse", "Algèbre", "Anglais"} {
		exam[subject] = strings.TrimSpace(run("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", subject, "--kind", "exam", "--weight", "100"))
	}
	resit := strings.TrimSpace(run("evaluations", "add", "--class", "L1-INFO", "--semester", "S1", "--subject", "Anglais", "--kind", "resit", "--weight", "100"))
	students := map[string]string{}
	// Awa: 12 everywhere → ADM 12. Binta: UE11 9, UE12 12 → (54+48)/10 =
	// 10.2, ADC. Coumba: UE11 12, UE12 7 → (72+28)/10 = 10, but UE12 is
	// below the barrier 8: AJ, 6 credits.
	for _, s := range []struct{ name, phone, ue11, ue12 string }{
		{"Awa", "77 100 00 01", "12", "12"}, {"Binta", "77 100 00 02", "9", "12"}, {"Coumba", "77 100 00 03", "12", "7"}} {
		students[s.name] = addStudent(t, dir, "Ndiaye", s.name, s.phone, "L1-INFO")
		run("grades", "add", students[s.name], "--evaluation", exam["Analyse"], "--value", s.ue11)
		run("grades", "add", students[s.name], "--evaluation", exam["Algèbre"], "--value", s.ue11)
		run("grades", "add", students[s.name], "--evaluation", exam["Anglais"], "--value", s.ue12)
	}
	type line struct {
		Number   string   `json:"number"`
		Average  *float64 `json:"average"`
		Credits  int      `json:"credits"`
		Decision string   `json:"decision"`
		Mention  *string  `json:"mention"`
		Rank     *int     `json:"rank"`
		Jury     *struct {
			Decision *string `json:"decision"`
			Points   float64 `json:"points"`
			Reason   string  `json:"reason"`
		} `json:"jury"`
		UEs []struct {
			Code          string `json:"code"`
			CreditsEarned int    `json:"credits_earned"`
			Status        string `json:"status"`
		} `json:"ues"`
	}
	results := func(session string) map[string]line {
		t.Helper()
		var lines []line
		if err := json.Unmarshal([]byte(run("results", "--class", "l1-info", "--semester", "S1", "--session", session, "--json")), &lines); err != nil {
			t.Fatal(err)
		}
		out := map[string]line{}
		for name, number := range students {
			for _, l := range lines {
				if l.Number == number {
					out[name] = l
				}
			}
		}
		return out
	}
	r := results("1")
	check := func(who, decision string, avg float64, credits, rank int, statuses string) {
		t.Helper()
		l := r[who]
		var got []string
		for _, u := range l.UEs {
			got = append(got, u.Status)
		}
		if l.Decision != decision || l.Average == nil || *l.Average != avg || l.Credits != credits || l.Rank == nil || *l.Rank != rank || strings.Join(got, " ") != statuses {
			t.Errorf("%s: %+v (UEs %v), want %s %v, %d credits, rank %d, %s", who, l, got, decision, avg, credits, rank, statuses)
		}
	}
	check("Awa", "ADM", 12, 10, 1, "ADM ADM")
	check("Binta", "ADC", 10.2, 10, 2, "CMP ADM")
	check("Coumba", "AJ", 10, 6, 3, "ADM AJ")
	if r["Awa"].Mention == nil || *r["Awa"].Mention != "Assez bien" || r["Coumba"].Mention != nil {
		t.Errorf("mentions: Awa %v, Coumba %v", r["Awa"].Mention, r["Coumba"].Mention)
	}

	// The jury: a bad override is refused naming the field; then Binta
	// AJ (jury) with a reason.
	if res := try("jury", "override", students["Binta"], "--semester", "S1", "--decision", "AJ"); res.code != 1 || !strings.Contains(res.stderr, "reason") {
		t.Fatalf("an override without a reason: exit %d, %q", res.code, res.stderr)
	}
	run("jury", "override", students["Binta"], "--semester", "S1", "--decision", "aj", "--reason", "plagiat")
	r = results("1")
	if l := r["Binta"]; l.Decision != "AJ" || l.Jury == nil || l.Jury.Decision == nil || *l.Jury.Decision != "AJ" || l.Jury.Reason != "plagiat" || l.Credits != 4 {
		t.Errorf("Binta after the jury: %+v", l)
	}

	// Without the barrier Coumba is ADC (a new version of the regulation).
	if out := run("rules", "set", "--barrier", "none"); !strings.Contains(out, "Version                  2") {
		t.Errorf("rules set: %q", out)
	}
	r = results("1")
	check("Coumba", "ADC", 10, 10, 3, "ADM CMP")
	run("rules", "set", "--barrier", "8")

	// Session 1 closed and published: its decisions are frozen. The resit
	// session opens; only resits are marked there.
	if res := try("grades", "add", students["Coumba"], "--evaluation", resit, "--value", "11"); res.code != 1 || !strings.Contains(res.stderr, "resit session") {
		t.Errorf("a resit marked before the resit session: exit %d, %q", res.code, res.stderr)
	}
	run("semester", "close", "--class", "L1-INFO", "--semester", "S1")
	if res := try("jury", "override", students["Awa"], "--semester", "S1", "--points", "0.25", "--reason", "x"); res.code != 1 || !strings.Contains(res.stderr, "frozen") {
		t.Errorf("an override of a closed semester: exit %d, %q", res.code, res.stderr)
	}
	run("semester", "publish", "--class", "L1-INFO", "--semester", "S1")
	// Each student is told their result, once (the notifier reads the
	// events back from the store).
	notify := exec.Command(binary, "--data-dir", dir, "notify", "run", "--once")
	notify.Env = notifyEnv(dir)
	if out, err := notify.CombinedOutput(); err != nil {
		t.Fatalf("notify run --once: %v\n%s", err, out)
	}
	sms, _ := os.ReadFile(filepath.Join(dir, "notifications", "sms.log"))
	for _, want := range []string{"ÉSP 221 : Résultats du semestre S1 : admis — 10 crédits, moyenne 12/20.",
		"ÉSP 221 : Résultats du semestre S1 : ajourné (décision du jury) — 4 crédits, moyenne 10,2/20.",
		"ÉSP 221 : Résultats du semestre S1 : ajourné — 6 crédits, moyenne 10/20."} {
		if strings.Count(string(sms), want) != 1 {
			t.Errorf("sms.log has %d × %q:\n%s", strings.Count(string(sms), want), want, sms)
		}
	}
	if n := strings.Count(string(sms), "Résultats du semestre"); n != 3 {
		t.Errorf("%d results messages, want one per student (3):\n%s", n, sms)
	}
	// Published: the student's record says the result.
	var shown struct {
		Semesters []struct {
			Result *struct {
				Decision string  `json:"decision"`
				Credits  int     `json:"credits"`
				Mention  *string `json:"mention"`
			} `json:"result"`
		} `json:"semesters"`
	}
	if err := json.Unmarshal([]byte(run("students", "show", students["Awa"], "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	if len(shown.Semesters) != 1 || shown.Semesters[0].Result == nil || shown.Semesters[0].Result.Decision != "ADM" || shown.Semesters[0].Result.Credits != 10 {
		t.Errorf("Awa's published result in students show: %+v", shown.Semesters)
	}
	if out := run("semester", "resit", "--class", "L1-INFO", "--semester", "S1"); !strings.Contains(out, "session 2 open") {
		t.Errorf("semester resit: %q", out)
	}
	// Coumba's Anglais resit 11 replaces her exam 7 in session 2:
	// (72 + 44)/10 = 11.6, ADM, second behind Awa; session 1 stays AJ.
	run("grades", "add", students["Coumba"], "--evaluation", resit, "--value", "11")
	if res := try("grades", "add", students["Coumba"], "--evaluation", exam["Anglais"], "--value", "20"); res.code != 1 || !strings.Contains(res.stderr, "first session") {
		t.Errorf("an exam marked in the resit session: exit %d, %q", res.code, res.stderr)
	}
	r = results("2")
	check("Coumba", "ADM", 11.6, 10, 2, "ADM ADM")
	check("Awa", "ADM", 12, 10, 1, "ADM ADM") // admitted in session 1: unchanged
	r = results("1")
	check("Coumba", "AJ", 10, 6, 3, "ADM AJ")
	if res := try("jury", "override", students["Coumba"], "--semester", "S1", "--session", "1", "--decision", "ADM", "--reason", "x"); res.code != 1 || !strings.Contains(res.stderr, "frozen") {
		t.Errorf("session 1's jury during session 2: exit %d, %q", res.code, res.stderr)
	}
	run("jury", "override", students["Coumba"], "--semester", "S1", "--session", "2", "--points", "0,25", "--reason", "assiduité")
	if l := results("2")["Coumba"]; l.Jury == nil || l.Jury.Points != 0.25 || *l.Average != 11.85 {
		t.Errorf("Coumba's session 2 after jury points: %+v", l)
	}
}
