package export

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"scolarite/domain"
)

// resultsClass is L3-INFO S5 with six UEs of three subjects (one exam
// each) and n students: the first with a very long name and marks from
// 8 to 17, the others with marks spread so that every decision shows.
// The second student's decision was changed by the jury and the third
// got points, with reasons.
func resultsClass(t testing.TB, n int, status domain.SemesterStatus) *domain.ClassResults {
	t.Helper()
	c := &domain.Curriculum{Class: "L3-INFO", Semester: "S5", Year: "2026-2027", Status: status}
	var evals []domain.Evaluation
	titles := []string{"Algorithmique avancée et complexité", "Systèmes d'exploitation", "Réseaux et protocoles",
		"Bases de données réparties", "Génie logiciel", "Anglais et communication professionnelle"}
	for i, title := range titles {
		ue := domain.UE{Code: fmt.Sprintf("UE5%d", i+1), Title: title, Credits: 5}
		for j := range 3 {
			name := fmt.Sprintf("%s %d", strings.Fields(title)[0], j+1)
			ue.Subjects = append(ue.Subjects, domain.CourseSubject{Name: name, Coefficient: float64(j + 1)})
			evals = append(evals, domain.Evaluation{ID: name, Subject: name, Kind: domain.KindExam, Weight: 100})
		}
		c.UEs = append(c.UEs, ue)
	}
	reg := domain.DefaultRegulation()
	plan := domain.NewResultPlan(c, evals, reg)
	res := &domain.ClassResults{Curriculum: c, Session: 1, Regulation: reg}
	for k := range n {
		st := &domain.Student{ID: fmt.Sprintf("s%d", k), Number: fmt.Sprintf("2026-%05d", k+1), LastName: fmt.Sprintf("Diallo%d", k),
			FirstName: "Mamadou", BirthDate: domain.NewDate(2003, time.April, 5)}
		if k == 0 {
			st.LastName, st.FirstName = "Ndiaye-Sow de la Très Longue Famille Sénégalaise", "Ndèye Aïssatou Françoise Marie-Thérèse"
		}
		for i, e := range evals {
			v := float64((k*7+i*3)%13) + 6 // 6 to 18
			if k == 0 {
				v = float64(8 + i%10)
			}
			if k%17 == 16 && i == 4 {
				continue // no mark: DEF
			}
			st.Grades = append(st.Grades, domain.Grade{EvaluationID: e.ID, Subject: e.Subject, Value: v})
		}
		var jury []domain.JuryEntry
		switch k {
		case 1:
			jury = []domain.JuryEntry{{StudentID: st.ID, Session: 1, Decision: domain.DecisionAJ, By: "admin", At: fixedAt,
				Reason: "Fraude constatée à l'examen de Réseaux 2 ; le jury ajourne l'étudiant et demande qu'il repasse l'ensemble des épreuves du semestre en session de rattrapage, conformément au règlement des examens."}}
		case 2:
			jury = []domain.JuryEntry{{StudentID: st.ID, Session: 1, Points: 0.5, UE: "UE53", By: "admin", At: fixedAt, Reason: "assiduité"}}
		}
		res.Outcomes = append(res.Outcomes, plan.Compute(st, 1, jury))
	}
	domain.RankOutcomes(res.Outcomes)
	return res
}

func transcriptsOf(res *domain.ClassResults) []domain.Transcript {
	out := make([]domain.Transcript, len(res.Outcomes))
	for i := range res.Outcomes {
		out[i] = domain.TranscriptOf(res.Curriculum, &res.Outcomes[i])
		out[i].IssuedAt = fixedAt
	}
	return out
}

// keepPDF writes a rendered document to $SCOLARITE_PDF_DIR, to convert
// with pdftoppm and look at.
func keepPDF(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("SCOLARITE_PDF_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A relevé with a long name and six UEs, in French and in English: one
// page, the name whole, every UE and subject with its mark, the summary,
// place, signature and the code.
func TestWriteTranscripts(t *testing.T) {
	res := resultsClass(t, 3, domain.SemesterClosed)
	ts := transcriptsOf(res)
	ts[0].UEs[1].Subjects[0].Resit = true // its mark is marked, and the legend says why
	var b bytes.Buffer
	if err := WriteTranscripts(context.Background(), ts[:1], &b, reportOpt); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "releve-fr.pdf", b.Bytes())
	pages := pdfText(t, b.Bytes())
	if len(pages) != 1 {
		t.Fatalf("a relevé of six UEs on %d pages", len(pages))
	}
	tr := ts[0]
	text := pages[0]
	want := []string{"RELEVÉ DE NOTES", "ÉSP 221", "Année universitaire 2026-2027", "Semestre S5 · session 1",
		"Ndiaye-Sow de la Très Longue Famille Sénégalaise Ndèye Aïssatou Françoise", "Marie-Thérèse",
		tr.Number, "05/04/2003", "L3-INFO", "Fait à Dakar, le 23/11/2026", "Le Directeur des études",
		"Code de vérification", tr.Code, "scolarite verify " + tr.Code, "Relevé de notes n° " + tr.Code,
		"Moyenne du semestre", lang(French, tr.Average) + "/20", fmt.Sprintf("%d/30", tr.Credits), string(tr.Decision),
		"Décision du jury : " + French.decision(tr.Decision), "* " + lang(French, tr.UEs[1].Subjects[0].Average), "· * note de rattrapage"}
	for _, ue := range tr.UEs {
		want = append(want, ue.Code, ue.Title)
		for _, s := range ue.Subjects {
			want = append(want, s.Name)
		}
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("relevé lacks %q", w)
		}
	}
	if strings.Contains(text, "provisoire") {
		t.Error("a closed semester's relevé says it is provisional")
	}
	if n := strings.Count(text, "* "); n != 2 {
		t.Errorf("%d asterisks, want the resit mark's and the legend's", n)
	}
	// A UE's line: code, title, credits, its average and status; a
	// subject's: coefficient and mark.
	ue := tr.UEs[0]
	if !regexp.MustCompile(ue.Code + `\s+` + regexp.QuoteMeta(ue.Title) + `\s+5\s+` + lang(French, ue.Average) + `\s+` + string(ue.Status)).MatchString(text) {
		t.Errorf("no line for %s %s %s:\n%s", ue.Code, ue.Average, ue.Status, text)
	}
	s := ue.Subjects[2]
	if !regexp.MustCompile(regexp.QuoteMeta(s.Name) + `\s+3\s+` + lang(French, s.Average)).MatchString(text) {
		t.Errorf("no line for %s coef 3 %s", s.Name, s.Average)
	}

	// The whole class in English, one relevé a page; the jury's decision
	// shows as such; an open semester's are provisional.
	open := transcriptsOf(resultsClass(t, 3, domain.SemesterOpen))
	b.Reset()
	if err := WriteTranscripts(context.Background(), open, &b, ReportOptions{Lang: English, Now: reportOpt.Now}); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "releve-en.pdf", b.Bytes())
	pages = pdfText(t, b.Bytes())
	if len(pages) != 3 {
		t.Fatalf("3 relevés on %d pages", len(pages))
	}
	for i, p := range pages {
		for _, w := range []string{"TRANSCRIPT OF RECORDS", "Provisional: the semester is not closed", "The Director of Studies", "Transcript no. " + open[i].Code, open[i].Number, "Dakar, 2026-11-23"} {
			if !strings.Contains(p, w) {
				t.Errorf("English relevé %d lacks %q", i+1, w)
			}
		}
	}
	if strings.Contains(pages[0], "resit mark") {
		t.Error("the legend explains a resit mark the relevé does not have")
	}
	if !strings.Contains(pages[1], "AJ (jury)") || !strings.Contains(pages[1], "Decision of the jury: Failed (jury)") {
		t.Errorf("the jury's decision does not show:\n%s", pages[1])
	}
}

func lang(l Lang, s string) string { return l.mark(s) }

// The minutes of a 60-student class: every student, the counts, the
// jury's decisions with their reasons in full, the signature lines.
func TestWriteMinutes(t *testing.T) {
	res := resultsClass(t, 60, domain.SemesterClosed)
	var b bytes.Buffer
	if err := WriteMinutes(context.Background(), res, &b, reportOpt); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "pv-fr.pdf", b.Bytes())
	pages := pdfText(t, b.Bytes())
	all := strings.Join(pages, "\n")
	counts := map[domain.Decision]int{}
	for _, o := range res.Outcomes {
		counts[o.Decision]++
		if !strings.Contains(all, o.Number) {
			t.Errorf("the minutes lack %s", o.Number)
		}
	}
	for _, dec := range []domain.Decision{domain.DecisionADM, domain.DecisionADC, domain.DecisionAJ, domain.DecisionDEF} {
		if counts[dec] == 0 {
			t.Errorf("the fixture has no %s", dec)
		}
	}
	rate := func(k int) string { return French.num(float64(k)*100/60, 1) }
	want := []string{"Procès-verbal de délibération", "L3-INFO · semestre S5 · session 1 · année universitaire 2026-2027 · règlement version 1",
		"Effectif", "60", fmt.Sprintf("%d (%s %%)", counts[domain.DecisionADM], rate(counts[domain.DecisionADM])),
		fmt.Sprintf("%d (%s %%)", counts[domain.DecisionAJ], rate(counts[domain.DecisionAJ])),
		"Taux de réussite", rate(counts[domain.DecisionADM]+counts[domain.DecisionADC]) + " %",
		"UE51", "UE56", "5 cr.", "Décisions du jury", "AJ (calculée : ", "+0,5 pt sur UE53", "assiduité",
		"des examens.", "Signatures du jury", "Le Président du jury", "Membre du jury",
		"Fait à Dakar, le 23/11/2026", "Page 1/" + itoa(len(pages))}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("the minutes lack %q", w)
		}
	}
	if strings.Contains(all, "provisoire") {
		t.Error("a closed semester's minutes say they are provisional")
	}
	// The class table goes on over pages, its header repeated.
	if len(pages) < 2 || !strings.Contains(pages[1], "Matricule") {
		t.Errorf("%d page(s); the second without the table's header", len(pages))
	}
	// The first page has the key figures of the averages and their
	// distribution, counted here from the averages as printed.
	graded, below := 0, 0
	var low, high *big.Rat
	var bands [10]int
	for _, o := range res.Outcomes {
		a := o.Average
		if a == nil {
			continue
		}
		graded++
		if a.Cmp(big.NewRat(10, 1)) < 0 {
			below++
		}
		if low == nil || a.Cmp(low) < 0 {
			low = a
		}
		if high == nil || a.Cmp(high) > 0 {
			high = a
		}
		for b := 9; b >= 0; b-- {
			if a.Cmp(big.NewRat(int64(2*b), 1)) >= 0 {
				bands[b]++
				break
			}
		}
	}
	first := pages[0]
	figures := regexp.MustCompile(`Effectif\s+Avec une moyenne\s+Moyenne de la classe\s+Min\.\s+Max\.\s+Sous 10\s*\n\s*60\s+(\d+)\s+(\d+,\d\d)\s+(\d+,\d\d)\s+(\d+,\d\d)\s+(\d+)`).FindStringSubmatch(first)
	if figures == nil {
		t.Fatalf("no key figures on the first page:\n%s", first)
	}
	if figures[1] != itoa(graded) || figures[3] != domain.FormatAverage(low, true) || figures[4] != domain.FormatAverage(high, true) || figures[5] != itoa(below) {
		t.Errorf("key figures %q, want %d graded, min %s, max %s, %d below 10", figures[1:], graded, low.FloatString(2), high.FloatString(2), below)
	}
	if !strings.Contains(first, "Répartition des moyennes") || !strings.Contains(first, "0–2") || !strings.Contains(first, "18–20") {
		t.Errorf("no distribution on the first page:\n%s", first)
	}
	// The counts over the bars, left to right, are the bands' (a zero is
	// printed too).
	var perBand []string
	for _, n := range bands {
		perBand = append(perBand, itoa(n))
	}
	if got := barCounts(first); strings.Join(got, " ") != strings.Join(perBand, " ") {
		t.Errorf("the bars count %v, want %v:\n%s", got, perBand, first)
	}

	b.Reset()
	if err := WriteMinutes(context.Background(), resultsClass(t, 5, domain.SemesterOpen), &b, ReportOptions{Lang: English, Now: reportOpt.Now}); err != nil {
		t.Fatal(err)
	}
	keepPDF(t, "pv-en.pdf", b.Bytes())
	text := strings.Join(pdfText(t, b.Bytes()), "\n")
	for _, w := range []string{"Minutes of the deliberation", "Provisional: the semester is not closed", "Pass rate", "The President of the jury", "AJ (computed: ",
		"With an average", "Class average", "Below 10", "Distribution of averages", "18–20"} {
		if !strings.Contains(text, w) {
			t.Errorf("English minutes lack %q", w)
		}
	}
}

// BenchmarkTranscripts1000 writes a 1,000-student class's relevés (six
// UEs of three subjects each) in one PDF. It reports the peak heap in use
// while writing, sampled every 5 ms as BenchmarkExportXLSX100k does
// (relevés included), and the live heap the document held just before
// its output (ReportMemStats after a GC: what fpdf keeps of every page
// until Output). Goals: under 10 s; the peak under the export's 300 MB.
func BenchmarkTranscripts1000(b *testing.B) {
	const n = 1000
	ts := transcriptsOf(resultsClass(b, n, domain.SemesterClosed))
	var peak atomic.Uint64
	for b.Loop() {
		runtime.GC()
		stop := sampleHeap(&peak)
		var out countWriter
		err := WriteTranscripts(context.Background(), ts, &out, reportOpt)
		stop()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(out)/1e6, "MB")
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(liveDocument(b, ts)/n/1024, "live-KB/page")
	if peak.Load() > 300<<20 {
		b.Errorf("peak heap %d MB, goal under 300 MB", peak.Load()>>20)
	}
}

// liveDocument is the heap a whole document of the relevés holds before
// its output, in bytes: what grows with the number of pages.
func liveDocument(b *testing.B, ts []domain.Transcript) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	d := newPDF(French, "P", "relevés", fixedAt)
	for i := range ts {
		if i > 0 {
			d.AddPageFormat("P", d.GetPageSizeStr())
		}
		releve(d, &ts[i])
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err := d.Error(); err != nil {
		b.Fatal(err)
	}
	runtime.KeepAlive(d)
	return float64(after.HeapAlloc) - float64(before.HeapAlloc)
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// barCounts reads the counts printed over the bars of a distribution,
// left to right: the numbers between its title and its axis, ordered by
// their column (pdftotext -layout prints each at its height).
func barCounts(page string) []string {
	start := strings.Index(page, "Répartition des moyennes")
	end := strings.Index(page, "0–2")
	if start < 0 || end < start {
		return nil
	}
	lineStart := strings.LastIndex(page[:end], "\n") + 1
	type count struct {
		col int
		n   string
	}
	var counts []count
	for _, line := range strings.Split(page[start:lineStart], "\n")[1:] {
		for _, m := range regexp.MustCompile(`\d+`).FindAllStringIndex(line, -1) {
			counts = append(counts, count{utf8.RuneCountInString(line[:m[0]]), line[m[0]:m[1]]})
		}
	}
	slices.SortStableFunc(counts, func(a, b count) int { return a.col - b.col })
	out := make([]string, len(counts))
	for i, c := range counts {
		out[i] = c.n
	}
	return out
}

// The procès-verbal's default file name, the one the command line and the
// statistics screen both propose.
func TestMinutesFileName(t *testing.T) {
	for _, tc := range []struct {
		class, semester string
		session         int
		want            string
	}{
		{"L2-INFO", "S3", 1, "pv-L2-INFO-S3-s1.pdf"},
		{"M1-GC", "S10", 2, "pv-M1-GC-S10-s2.pdf"},
	} {
		if got := MinutesFileName(tc.class, tc.semester, tc.session); got != tc.want {
			t.Errorf("MinutesFileName(%q, %q, %d) = %q, want %q", tc.class, tc.semester, tc.session, got, tc.want)
		}
	}
}
