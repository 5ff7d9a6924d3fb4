package cli

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"

	"github.com/spf13/cobra"

	"scolarite/demo"
	"scolarite/domain"
)

const defaultDemoStudents = 300

func seedCmd(env Env, cfg *Config) *cobra.Command {
	var n int
	cmd := &cobra.Command{
		Use:   "seed-demo [--students N]",
		Short: "Fill an empty store with demo students and users; prints their log-ins once",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 || n > 1_000_000 {
				return usagef("--students must be between 1 and 1000000")
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				count, err := app.Students.Count(cmd.Context())
				if err != nil {
					return err
				}
				if count > 0 {
					return domain.Errorf(domain.ECONFLICT, "the store already holds %d students; seed-demo only fills an empty store", count)
				}
				users, err := app.Auth.Users(cmd.Context(), cliActor())
				if err != nil {
					return err
				}
				if len(users) > 0 {
					return domain.Errorf(domain.ECONFLICT, "the store already holds %d accounts; seed-demo only fills an empty store", len(users))
				}
				return seed(cmd, app, n, randomPassword)
			})
		},
	}
	cmd.Flags().IntVar(&n, "students", defaultDemoStudents, "number of demo students")
	return cmd
}

// seedIfEmpty fills an empty store for `scolarite --demo`, with the
// well-known demo passwords (DemoPassword) that the log-in screen shows.
func seedIfEmpty(cmd *cobra.Command, app *App, n int) error {
	count, err := app.Students.Count(cmd.Context())
	if err != nil || count > 0 {
		return err
	}
	return seed(cmd, app, n, DemoPassword)
}

// DemoPassword is the password `--demo` gives a demo account: a demo store
// is for trying the application, and its log-ins must be known to do so.
func DemoPassword(username string) string { return username + "-demo" }

// DemoLogins are the accounts the demo data creates.
var DemoLogins = []string{"admin", "prof", "etudiant"}

func seed(cmd *cobra.Command, app *App, n int, password func(username string) string) error {
	ctx, actor := cmd.Context(), cliActor()
	curricula, evals, err := seedCurricula(cmd, app)
	if err != nil {
		return err
	}
	// The students come with their marks in the contrôles continus of
	// their current semester, as they come with their free grades: in
	// student.created events, which call for no message, so a first start
	// queues no notification. The CC is published first, while nobody is
	// marked in it (its publication tells nobody).
	marked := map[string][]domain.Evaluation{}
	var current []domain.Evaluation
	for _, e := range evals {
		if e.Kind == domain.KindCC && demo.CurrentSemester(e.Class) == e.Semester {
			marked[e.Class] = append(marked[e.Class], e)
			current = append(current, e)
		}
	}
	items := demo.MarkedStudents(uint64(time.Now().UnixNano()), n, time.Now(), func(class string) []domain.Evaluation { return marked[class] })
	for _, e := range current {
		if _, err := app.Curricula.PublishEvaluation(ctx, actor, e.ID); err != nil {
			return fmt.Errorf("demo evaluations: %w", err)
		}
	}
	students, err := app.Students.CreateMany(ctx, actor, items, "seed-demo")
	if err != nil {
		return err
	}
	classes := demo.Classes()
	accounts := []domain.UserInput{
		{Username: DemoLogins[0], Role: "admin"},
		{Username: DemoLogins[1], Role: "teacher", Classes: classes[:2]},
		{Username: DemoLogins[2], Role: "student", Student: students[0].Number},
	}
	out := cmd.OutOrStdout()
	fmt.Fprintf(out, "%d demo students added.\nDemo log-ins (shown only now, keep them):\n", len(students))
	for _, in := range accounts {
		in.Password = password(in.Username)
		if _, err := app.Auth.CreateUser(ctx, actor, in); err != nil {
			return err
		}
		detail := ""
		switch in.Role {
		case "teacher":
			detail = fmt.Sprintf(" (classes %v)", in.Classes)
		case "student":
			detail = " (" + students[0].FullName() + ", " + students[0].Number + ")"
		}
		fmt.Fprintf(out, "  %-9s %-8s password %s%s\n", in.Role, in.Username, in.Password, detail)
	}
	fmt.Fprintf(out, "%d curricula (L1 to L3, S1 to S6) and %d evaluations added; the %d contrôles continus of S1, S3 and S5 published, each student marked in those of their class.\n",
		curricula, len(evals), len(current))
	return nil
}

// seedCurricula gives the demo its curricula (L1 to L3 of every major, S1
// to S6) and, in every subject of every semester, a CC and an exam; it
// returns how many curricula, and the evaluations.
func seedCurricula(cmd *cobra.Command, app *App) (int, []domain.Evaluation, error) {
	ctx, actor := cmd.Context(), cliActor()
	list := demo.Curricula(app.Curricula.CurrentYear())
	if _, _, err := app.Curricula.Import(ctx, actor, list); err != nil {
		return 0, nil, fmt.Errorf("demo curricula: %w", err)
	}
	var ins []domain.EvaluationInput
	for _, c := range list {
		ins = append(ins, demo.Evaluations(c)...)
	}
	added, err := app.Curricula.AddEvaluations(ctx, actor, ins)
	if err != nil {
		return 0, nil, fmt.Errorf("demo evaluations: %w", err)
	}
	evals := make([]domain.Evaluation, len(added))
	for i, e := range added {
		evals[i] = *e
	}
	return len(list), evals, nil
}

// randomPassword is 12 characters without look-alikes (0/O, 1/l).
func randomPassword(string) string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alphabet))))
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		b[i] = alphabet[n.Int64()]
	}
	return string(b)
}
