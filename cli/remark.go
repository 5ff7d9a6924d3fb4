package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"scolarite/domain"
)

func remarkCmd(env Env, cfg *Config) *cobra.Command {
	var semester, subject, text string
	cmd := &cobra.Command{
		Use:   "remark ID --semester S --subject SUBJECT --text TEXT",
		Short: "Write the teacher's remark (appréciation) on a student in a subject of a semester (empty text removes it)",
		Args:  exactArgs(1, "ID (matricule or phone)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				st, err := app.Students.SetRemark(cmd.Context(), cliActor(), args[0], semester, app.Curricula.CurrentYear(), subject, text)
				if err != nil {
					return err
				}
				sem, _ := domain.ParseSemester(semester)
				fmt.Fprintf(env.Stdout, "%s %s %s: %q\n", st.Number, sem, subject, st.RemarkOf(app.Curricula.CurrentYear(), sem, subject))
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&semester, "semester", "", "semester, S1 to S10")
	cmd.Flags().StringVar(&subject, "subject", "", "a subject of the student's curriculum")
	cmd.Flags().StringVar(&text, "text", "", "the remark (at most 300 characters; empty removes it)")
	return cmd
}
