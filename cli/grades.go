package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"scolarite/domain"
	"scolarite/export"
)

func gradesCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "grades", Short: "Add, change and remove grades"}
	var in domain.GradeInput
	var evaluation string
	var mark domain.MarkInput
	add := &cobra.Command{
		Use:   "add ID (--evaluation EVAL_ID (--value V | --absent justified|unjustified) [--comment TEXT] | --subject S --value V [--coefficient C])",
		Short: "Add a grade to a student (ID: matricule or phone): a mark in an evaluation, or a free grade; prints the grade id and new average",
		Args:  exactArgs(1, "ID (matricule or phone)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				if evaluation != "" {
					if in.Subject != "" {
						return domain.Invalid("subject", "an evaluation's subject is its own: give --evaluation or --subject, not both")
					}
					mark.Value = in.Value
					st, g, err := app.Students.Mark(cmd.Context(), cliActor(), args[0], 0, evaluation, mark)
					if err != nil {
						return err
					}
					fmt.Fprintf(env.Stdout, "%s	average %s\n", g.ID, formatAverage(st.Average))
					return nil
				}
				st, g, err := app.Students.AddGrade(cmd.Context(), cliActor(), args[0], 0, in)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "%s\taverage %s\n", g.ID, formatAverage(st.Average))
				return nil
			})
		},
	}
	add.Flags().StringVar(&in.Subject, "subject", "", "subject, e.g. Mathématiques")
	add.Flags().StringVar(&in.Value, "value", "", "value out of 20 (12.5 or 12,5)")
	add.Flags().StringVar(&in.Coefficient, "coefficient", "1", "coefficient, greater than 0")
	add.Flags().StringVar(&evaluation, "evaluation", "", "the evaluation marked (its id, from evaluations add or list)")
	add.Flags().StringVar(&mark.Absent, "absent", "", "instead of a value: justified (ABJ) or unjustified (ABI)")
	add.Flags().StringVar(&mark.Comment, "comment", "", "a comment on the mark")

	var value string
	set := &cobra.Command{
		Use:   "set ID GRADE_ID --value V",
		Short: "Change a grade's value",
		Args:  exactArgs(2, "ID and GRADE_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				st, err := app.Students.SetGrade(cmd.Context(), cliActor(), args[0], 0, args[1], value)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "average %s\n", formatAverage(st.Average))
				return nil
			})
		},
	}
	set.Flags().StringVar(&value, "value", "", "new value out of 20")

	remove := &cobra.Command{
		Use:   "remove ID GRADE_ID",
		Short: "Remove a grade",
		Args:  exactArgs(2, "ID and GRADE_ID"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				st, err := app.Students.RemoveGrade(cmd.Context(), cliActor(), args[0], 0, args[1])
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "average %s\n", formatAverage(st.Average))
				return nil
			})
		},
	}
	var importEval string
	imp := &cobra.Command{
		Use:   "import FILE --evaluation EVAL_ID",
		Short: "Mark a whole class in one evaluation from a .csv or .xlsx file: a column of matricules (or phones), one of marks (ABJ / ABI for absences)",
		Args:  exactArgs(1, "FILE (.csv or .xlsx)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				lines, err := export.ReadMarks(args[0])
				if err != nil {
					return err
				}
				rows := make([]domain.MarkRow, len(lines))
				for i, l := range lines {
					rows[i] = l.Row
				}
				n, err := app.Students.MarkMany(cmd.Context(), cliActor(), importEval, rows)
				var be *domain.BatchError
				if errors.As(err, &be) {
					for _, p := range be.Problems[:min(len(be.Problems), maxPrinted)] {
						fmt.Fprintf(env.Stderr, "line %d: %s: %s\n", lines[p.Index].Line, p.Field, p.Reason)
					}
					return domain.Errorf(domain.EINVALID, "%d problem(s) in %s; nothing was written", len(be.Problems), args[0])
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "%d mark(s) recorded\n", n)
				return nil
			})
		},
	}
	imp.Flags().StringVar(&importEval, "evaluation", "", "the evaluation marked (its id)")
	cmd.AddCommand(add, set, remove, imp, remarkCmd(env, cfg))
	return cmd
}

func statsCmd(env Env, cfg *Config) *cobra.Command {
	var (
		class  string
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "stats [--class C] [--json]",
		Short: "Average per class, overall average and top 10",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				st, err := app.Students.Stats(cmd.Context(), cliActor(), class)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, st)
				}
				return writeStats(env.Stdout, st)
			})
		},
	}
	cmd.Flags().StringVar(&class, "class", "", "only this class")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}
