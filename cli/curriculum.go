package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"scolarite/domain"
	"scolarite/export"
)

// DefaultYear is the academic year a date falls in: it starts in
// September ("2026-2027" from September 2026 to August 2027).
func DefaultYear(now time.Time) string {
	y := now.Year()
	if now.Month() < time.September {
		y--
	}
	return fmt.Sprintf("%d-%d", y, y+1)
}

func curriculumCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "curriculum", Short: "The UEs and subjects of each class and semester"}
	imp := &cobra.Command{
		Use:   "import FILE",
		Short: "Set curricula from a .csv or .xlsx file: class, semester, ue_code, ue_title, credits, subject, coefficient[, teachers]",
		Args:  exactArgs(1, "FILE (.csv or .xlsx)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				items, probs, err := export.ReadCurricula(args[0], app.Curricula.CurrentYear())
				if err != nil {
					return err
				}
				if len(probs) > 0 {
					for _, p := range probs[:min(len(probs), maxPrinted)] {
						fmt.Fprintf(env.Stderr, "%s\n", p)
					}
					return domain.Errorf(domain.EINVALID, "%d problem(s) in %s; nothing was written", len(probs), args[0])
				}
				created, replaced, err := app.Curricula.Import(cmd.Context(), cliActor(), items)
				var be *domain.BatchError
				if errors.As(err, &be) {
					for _, p := range be.Problems {
						fmt.Fprintf(env.Stderr, "%s: %s: %s\n", items[p.Index].Key(), p.Field, p.Reason)
					}
					return domain.Errorf(domain.EINVALID, "%d problem(s) in %s; nothing was written", len(be.Problems), args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "curricula: %d created, %d replaced\n", created, replaced)
				for _, c := range items {
					n, err := app.Students.RecomputeTerms(cmd.Context(), cliActor(), c)
					if err != nil {
						return fmt.Errorf("recompute the averages of %s: %w", c.Key(), err)
					}
					if n > 0 {
						fmt.Fprintf(env.Stdout, "%s: %d student average(s) recomputed\n", c.Key(), n)
					}
				}
				return nil
			})
		},
	}
	var class, semester string
	var asJSON bool
	show := &cobra.Command{
		Use:   "show --class C [--semester S] [--json]",
		Short: "Show a class's curricula of the year (one semester, or all)",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				list, err := curricula(cmd, app, class, semester)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, list)
				}
				return writeCurricula(env.Stdout, list)
			})
		},
	}
	show.Flags().StringVar(&class, "class", "", "class, e.g. L1-INFO")
	show.Flags().StringVar(&semester, "semester", "", "semester, S1 to S10 (default: all)")
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(imp, show)
	return cmd
}

// curricula returns one class's curriculum of a semester, or all of its
// semesters of the year.
func curricula(cmd *cobra.Command, app *App, class, semester string) ([]*domain.Curriculum, error) {
	if strings.TrimSpace(class) == "" {
		return nil, domain.Invalid("class", "is required (--class)")
	}
	if semester != "" {
		c, err := app.Curricula.Get(cmd.Context(), cliActor(), class, semester, "")
		if err != nil {
			return nil, err
		}
		return []*domain.Curriculum{c}, nil
	}
	list, err := app.Curricula.List(cmd.Context(), cliActor(), "", class)
	if err == nil && len(list) == 0 {
		err = domain.Errorf(domain.ENOTFOUND, "no curriculum for %s in %s (curriculum import sets one)", strings.ToUpper(class), app.Curricula.CurrentYear())
	}
	return list, err
}

func writeCurricula(w io.Writer, list []*domain.Curriculum) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range list {
		fmt.Fprintf(tw, "%s %s %s — %s, %d credits\n", c.Class, c.Semester, c.Year, c.Status, c.Credits())
		for _, ue := range c.UEs {
			fmt.Fprintf(tw, "  %s\t%s\t%d credits\n", ue.Code, ue.Title, ue.Credits)
			for _, s := range ue.Subjects {
				fmt.Fprintf(tw, "    %s\tcoef. %s\t%s\n", s.Name, formatNumber(s.Coefficient), strings.Join(s.Teachers, ", "))
			}
		}
	}
	return tw.Flush()
}

func evaluationsCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "evaluations", Short: "The evaluations (CC, TP, exam, resit) of a class's subjects"}
	var in domain.EvaluationInput
	add := &cobra.Command{
		Use:   "add --class C --semester S --subject SUBJECT --kind cc|tp|exam|resit --weight W [--title T] [--date YYYY-MM-DD]",
		Short: "Add an evaluation to a subject; prints its id",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				e, err := app.Curricula.AddEvaluation(cmd.Context(), cliActor(), in)
				if err != nil {
					return err
				}
				fmt.Fprintln(env.Stdout, e.ID)
				return nil
			})
		},
	}
	f := add.Flags()
	f.StringVar(&in.Class, "class", "", "class, e.g. L1-INFO")
	f.StringVar(&in.Semester, "semester", "", "semester, S1 to S10")
	f.StringVar(&in.Subject, "subject", "", "a subject of the class's curriculum")
	f.StringVar(&in.Kind, "kind", "", "cc, tp, exam or resit")
	f.StringVar(&in.Weight, "weight", "", "weight inside the subject, e.g. 40")
	f.StringVar(&in.Title, "title", "", "title (default: from the kind)")
	f.StringVar(&in.Date, "date", "", "date, YYYY-MM-DD (default: today)")

	var class, semester string
	var asJSON bool
	list := &cobra.Command{
		Use:   "list --class C [--semester S] [--json]",
		Short: "List a class's evaluations of the year (one semester, or all)",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				cs, err := curricula(cmd, app, class, semester)
				if err != nil {
					return err
				}
				var all []domain.Evaluation
				for _, c := range cs {
					evals, err := app.Curricula.Evaluations(cmd.Context(), cliActor(), c.Class, c.Semester, c.Year)
					if err != nil {
						return err
					}
					all = append(all, evals...)
				}
				if asJSON {
					if all == nil {
						all = []domain.Evaluation{}
					}
					return writeJSON(env.Stdout, all)
				}
				tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
				fmt.Fprintln(tw, "ID\tSEMESTER\tSUBJECT\tKIND\tTITLE\tWEIGHT\tDATE\tPUBLISHED")
				for _, e := range all {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%v\n", e.ID, e.Semester, e.Subject, e.Kind, e.Title, formatNumber(e.Weight), e.Date, e.Published)
				}
				return tw.Flush()
			})
		},
	}
	list.Flags().StringVar(&class, "class", "", "class, e.g. L1-INFO")
	list.Flags().StringVar(&semester, "semester", "", "semester (default: all)")
	list.Flags().BoolVar(&asJSON, "json", false, "print JSON")

	publish := &cobra.Command{
		Use:   "publish EVAL_ID",
		Short: "Show an evaluation's marks to the students",
		Args:  exactArgs(1, "EVAL_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				e, err := app.Curricula.PublishEvaluation(cmd.Context(), cliActor(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "published %s (%s, %s)\n", e.ID, e.Subject, e.Title)
				return nil
			})
		},
	}
	cmd.AddCommand(add, list, publish)
	return cmd
}

func semesterCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "semester", Short: "Close, reopen and publish a class's semester; its status"}
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionReopen, domain.ActionPublish, domain.ActionResit} {
		var class, semester, reason string
		c := &cobra.Command{
			Use: string(act) + " --class C --semester S [--reason TEXT]",
			Short: map[domain.SemesterAction]string{domain.ActionClose: "Lock a semester's grades", domain.ActionReopen: "Reopen a closed or published semester (a reason is required)", domain.ActionPublish: "Show a closed session's results to its students (one message each)",
				domain.ActionResit: "Open the resit session (session 2) once the first is closed"}[act],
			Args: exactArgs(0, ""),
			RunE: func(cmd *cobra.Command, args []string) error {
				return withApp(cmd, env, cfg, func(app *App) error {
					cur, err := app.Curricula.ChangeStatus(cmd.Context(), cliActor(), class, semester, "", act, reason)
					if err != nil {
						return err
					}
					fmt.Fprintf(env.Stdout, "%s: session %d %s\n", cur.Key(), cur.CurrentSession(), cur.Status)
					return nil
				})
			},
		}
		c.Flags().StringVar(&class, "class", "", "class, e.g. L1-INFO")
		c.Flags().StringVar(&semester, "semester", "", "semester, S1 to S10")
		c.Flags().StringVar(&reason, "reason", "", "why (kept in the audit log; required to reopen)")
		cmd.AddCommand(c)
	}
	var class string
	var asJSON bool
	status := &cobra.Command{
		Use:   "status --class C [--json]",
		Short: "The status of each semester of a class this year",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				list, err := curricula(cmd, app, class, "")
				if err != nil {
					return err
				}
				type row struct {
					Class    string                `json:"class"`
					Semester string                `json:"semester"`
					Year     string                `json:"year"`
					Session  int                   `json:"session"`
					Status   domain.SemesterStatus `json:"status"`
					Reason   string                `json:"reason,omitempty"`
				}
				rows := make([]row, len(list))
				for i, c := range list {
					rows[i] = row{c.Class, c.Semester, c.Year, c.CurrentSession(), c.Status, c.Reason}
				}
				if asJSON {
					return writeJSON(env.Stdout, rows)
				}
				for _, r := range rows {
					fmt.Fprintf(env.Stdout, "%s %s %s\tsession %d\t%s\n", r.Class, r.Semester, r.Year, r.Session, r.Status)
				}
				return nil
			})
		},
	}
	status.Flags().StringVar(&class, "class", "", "class, e.g. L1-INFO")
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(status)
	return cmd
}

// writeSemesters prints a student's semesters: UEs, subjects and marks.
func writeSemesters(w io.Writer, semesters []domain.SemesterResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range semesters {
		fmt.Fprintf(tw, "\n%s %s (%s)\taverage %s\n", r.Semester, r.Year, r.Status, formatAverage(r.Average))
		if o := r.Outcome; o != nil {
			fmt.Fprintf(tw, "  results (session %d): %s, %d credits, mention %s, rank %d\n", o.Session, o.Decision, o.Credits, orDash(string(o.Mention)), o.Rank)
		}
		for _, ue := range r.UEs {
			fmt.Fprintf(tw, "  %s %s\t%d credits\taverage %s\n", ue.Code, ue.Title, ue.Credits, formatAverage(ue.Average))
			for _, sub := range ue.Subjects {
				fmt.Fprintf(tw, "    %s (coef. %s)\t\taverage %s\t%s\n", sub.Subject, formatNumber(sub.Coefficient), formatAverage(sub.Average), sub.Remark)
				for _, m := range sub.Marks {
					mark := formatAverage(m.Value)
					switch m.Absent {
					case domain.AbsentJustified:
						mark = "ABJ"
					case domain.AbsentUnjustified:
						mark = "ABI"
					}
					fmt.Fprintf(tw, "      %s (%s %%)\t%s\t%s\n", m.Evaluation.Title, formatNumber(m.Evaluation.Weight), mark, m.Comment)
				}
			}
		}
	}
	return tw.Flush()
}
