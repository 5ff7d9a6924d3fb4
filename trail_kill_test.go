package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"scolarite/cli"
	"scolarite/domain"
	"scolarite/export"
)

// trailChildEnv names the data dir of a trail-kill child: the test binary
// started with it set runs trailChild instead of the tests.
const trailChildEnv = "SCOLARITE_TRAIL_CHILD"

// A write and its trail are one: a child process writes grades, edits and
// imports in a loop and is SIGKILLed at a random instant, 200 times. After
// each kill, a start (which settles what the child left) must find every
// write the child acknowledged, each write with exactly one audit entry and
// its events, no entry or event without its write, and every stored
// average equal to the one recomputed from the grades.
func TestWritesSurviveSIGKILL(t *testing.T) {
	kills := 200
	if testing.Short() {
		kills = 20
	}
	dir := t.TempDir()
	acked := &ackLog{grades: map[string][]string{}, versions: map[string]int64{}}
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for i := range kills {
		lines := runTrailChild(t, dir, time.Duration(rng.IntN(250))*time.Millisecond)
		for _, l := range lines {
			acked.add(t, l)
		}
		checkTrails(t, dir, acked, i+1)
		if t.Failed() {
			t.Fatalf("after kill %d", i+1)
		}
	}
	t.Logf("%d kills; acknowledged %d grades, %d edits, %d imports", kills, acked.nGrades, acked.nEdits, len(acked.phones))
	if acked.nGrades == 0 || acked.nEdits == 0 || len(acked.phones) == 0 {
		t.Fatal("the children acknowledged no write of some kind: the kills came too early to test anything")
	}
}

// runTrailChild starts a child on dir, lets it write for d after it is
// ready, kills it and returns the lines it printed.
func runTrailChild(t *testing.T, dir string, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), trailChildEnv+"="+dir, "MONGODB_URI=", "REDIS_URL=", "HOME="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 1024)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var got []string
	select {
	case l, ok := <-lines:
		if !ok || l != "ready" {
			_ = cmd.Process.Kill()
			t.Fatalf("child: %q before ready", l)
		}
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("child not ready in 30 s")
	}
	time.Sleep(d)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	for l := range lines {
		got = append(got, l)
	}
	_ = cmd.Wait()
	return got
}

// trailChild is the child's loop: it prints a line for each write only
// once the write returned, so the parent knows what was acknowledged.
func trailChild(dir string) int {
	ctx := context.Background()
	app, err := openApp(ctx, cli.Config{DataDir: dir, Database: "scolarite", Region: "SN"})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: open:", err)
		return 1
	}
	a := domain.SystemActor("kill-test")
	svc := app.Students
	if n, _ := svc.Count(ctx); n == 0 {
		for i := range 6 {
			if _, err := svc.Create(ctx, a, domain.StudentInput{LastName: "Base", FirstName: "Élève " + strconv.Itoa(i),
				Phone: fmt.Sprintf("77 000 00 %02d", i), Class: "L1-INFO", Major: "Informatique", BirthDate: "2004-01-02"}); err != nil {
				fmt.Fprintln(os.Stderr, "child: seed:", err)
				return 1
			}
		}
	}
	evals, err := trailCurriculum(ctx, app, a)
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: curriculum:", err)
		return 1
	}
	all, err := svc.Students(ctx, a, domain.RosterQuery{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "child: list:", err)
		return 1
	}
	numbers := make([]string, 0, len(all))
	for _, st := range all {
		numbers = append(numbers, st.Number)
	}
	fmt.Println("ready")
	rng := rand.New(rand.NewPCG(uint64(os.Getpid()), uint64(time.Now().UnixNano())))
	for {
		number := numbers[rng.IntN(len(numbers))]
		switch op := rng.IntN(25); {
		case op >= 20 && op < 23:
			e := evals[rng.IntN(len(evals))]
			in := domain.MarkInput{Value: strconv.Itoa(rng.IntN(21))}
			if rng.IntN(4) == 0 {
				in = domain.MarkInput{Absent: []string{"ABJ", "ABI"}[rng.IntN(2)]}
			}
			before, err := svc.Get(ctx, a, number)
			if err != nil {
				continue
			}
			st, g, err := svc.Mark(ctx, a, number, before.Version, e.ID, in)
			if err != nil {
				continue
			}
			if len(st.Grades) > len(before.Grades) {
				fmt.Printf("grade %s %s\n", number, g.ID)
			} else {
				fmt.Printf("edit %s %d\n", number, st.Version)
			}
		case op == 23:
			in := domain.EvaluationInput{Class: "L1-INFO", Semester: "S1", Subject: []string{"Analyse", "Anglais"}[rng.IntN(2)], Kind: "cc", Weight: "20"}
			if rng.IntN(2) == 0 {
				if e, err := app.Curricula.AddEvaluation(ctx, a, in); err == nil {
					evals = append(evals, *e)
				}
			} else {
				// Several at once, as the demo adds them (one write).
				tp := in
				tp.Subject, tp.Kind = "Analyse", "tp"
				if es, err := app.Curricula.AddEvaluations(ctx, a, []domain.EvaluationInput{in, tp}); err == nil {
					for _, e := range es {
						evals = append(evals, *e)
					}
				}
			}
			// A remark and a jury decision (refused for a student of
			// another class, or while the semester is closed).
			if st, err := svc.SetRemark(ctx, a, number, "S1", app.Curricula.CurrentYear(), "Analyse", fmt.Sprintf("r%d", rng.IntN(1000))); err == nil {
				fmt.Printf("edit %s %d\n", number, st.Version)
			}
			_, _ = app.Results.Override(ctx, a, domain.JuryInput{Student: number, Semester: "S1", Session: 1,
				Decision: []string{"ADM", "AJ"}[rng.IntN(2)], Reason: "test"})
		case op == 24:
			e := evals[rng.IntN(len(evals))]
			_, _ = app.Curricula.PublishEvaluation(ctx, a, e.ID)
			if rng.IntN(3) == 0 {
				if _, err := app.Curricula.ChangeStatus(ctx, a, "L1-INFO", "S1", "", domain.ActionClose, ""); err == nil {
					_, _ = app.Curricula.ChangeStatus(ctx, a, "L1-INFO", "S1", "", domain.ActionReopen, "test")
				}
			}
		case op < 11:
			in := domain.GradeInput{Subject: []string{"Maths", "Physique", "Anglais"}[rng.IntN(3)],
				Value: strconv.FormatFloat(float64(rng.IntN(2001))/100, 'f', 2, 64), Coefficient: strconv.Itoa(1 + rng.IntN(3))}
			if _, g, err := svc.AddGrade(ctx, a, number, 0, in); err == nil {
				fmt.Printf("grade %s %s\n", number, g.ID)
			}
		case op < 14:
			st, err := svc.Get(ctx, a, number)
			if err != nil || len(st.Grades) == 0 {
				continue
			}
			g := st.Grades[rng.IntN(len(st.Grades))]
			if st, err = svc.SetGrade(ctx, a, number, st.Version, g.ID, strconv.Itoa(rng.IntN(21))); err == nil {
				fmt.Printf("edit %s %d\n", number, st.Version)
			}
		case op < 18:
			st, err := svc.Get(ctx, a, number)
			if err != nil {
				continue
			}
			in := st.Input()
			in.Email = fmt.Sprintf("e%d@esp.sn", rng.IntN(1_000_000))
			if st, err = svc.Update(ctx, a, number, st.Version, in); err == nil {
				fmt.Printf("edit %s %d\n", number, st.Version)
			}
		default:
			phones := make([]string, 8)
			var b strings.Builder
			b.WriteString("Nom;Prénom;Téléphone;Classe;Filière;Date de naissance\n")
			for i := range phones {
				phones[i] = fmt.Sprintf("+22178%07d", rng.IntN(10_000_000))
				fmt.Fprintf(&b, "Importé;Élève %d;%s;L2-INFO;Informatique;2004-05-06\n", i, phones[i])
			}
			file := filepath.Join(dir, "import.csv")
			if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
				continue
			}
			// A refused import (a random phone already taken) returns
			// no error and writes nothing: it is not acknowledged.
			if res, err := export.ImportFile(ctx, svc, a, file, export.ImportOptions{Journal: app.Imports, BatchSize: 3}); err == nil && !res.Refused {
				fmt.Printf("import %s\n", strings.Join(phones, ","))
			}
		}
	}
}

// trailCurriculum gives the children's class a curriculum and two
// evaluations (once), reopens its semester if a kill left it closed, and
// returns its evaluations.
func trailCurriculum(ctx context.Context, app *cli.App, a domain.Actor) ([]domain.Evaluation, error) {
	cs := app.Curricula
	c, err := cs.Get(ctx, a, "L1-INFO", "S1", "")
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		c = &domain.Curriculum{Class: "L1-INFO", Semester: "S1", UEs: []domain.UE{
			{Code: "UE11", Title: "Mathématiques", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Analyse", Coefficient: 2}}},
			{Code: "UE12", Title: "Langues", Credits: 4, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}}}}
		if _, _, err := cs.Import(ctx, a, []*domain.Curriculum{c}); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	if c.Status == domain.SemesterClosed {
		if _, err := cs.ChangeStatus(ctx, a, "L1-INFO", "S1", "", domain.ActionReopen, "killed while closed"); err != nil {
			return nil, err
		}
	}
	evals, err := cs.Evaluations(ctx, a, "L1-INFO", "S1", "")
	for _, subject := range []string{"Analyse", "Anglais"}[min(len(evals), 2):] {
		e, err := cs.AddEvaluation(ctx, a, domain.EvaluationInput{Class: "L1-INFO", Semester: "S1", Subject: subject, Kind: "exam", Weight: "60"})
		if err != nil {
			return nil, err
		}
		evals = append(evals, *e)
	}
	return evals, err
}

// ackLog is what the children acknowledged.
type ackLog struct {
	grades          map[string][]string // matricule -> grade ids
	versions        map[string]int64    // matricule -> highest version acknowledged
	phones          []string            // of imported students
	nGrades, nEdits int
}

func (l *ackLog) add(t *testing.T, line string) {
	f := strings.Fields(line)
	switch {
	case len(f) == 3 && f[0] == "grade":
		l.grades[f[1]] = append(l.grades[f[1]], f[2])
		l.nGrades++
	case len(f) == 3 && f[0] == "edit":
		v, _ := strconv.ParseInt(f[2], 10, 64)
		l.versions[f[1]] = max(l.versions[f[1]], v)
		l.nEdits++
	case len(f) == 2 && f[0] == "import":
		l.phones = append(l.phones, strings.Split(f[1], ",")...)
	default:
		t.Errorf("child printed %q", line)
	}
}
