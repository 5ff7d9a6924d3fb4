package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"scolarite/domain"
	"scolarite/export"
)

// The jury's documents: relevés de notes and the procès-verbal de
// délibération, the class's document (under `report`), and `verify`, which reads back what a
// relevé certifies from its code.

// documentCmds are the `report` subcommands of the jury's documents.
func documentCmds(env Env, cfg *Config) []*cobra.Command {
	return []*cobra.Command{releveCmd(env, cfg), minutesCmd(env, cfg, false), minutesCmd(env, cfg, true)}
}

func releveCmd(env Env, cfg *Config) *cobra.Command {
	var q domain.TranscriptQuery
	var out, lang string
	cmd := &cobra.Command{
		Use:   "releve (STUDENT | --class C) --semester S [--session 1|2] [-o FILE.pdf] [--lang fr|en]",
		Short: "Relevés de notes (A4, one page each) of a student or a whole class, each with its verification code",
		Long: "Writes the relevé de notes of a student (STUDENT: matricule or phone; default file\n" +
			"releve-MATRICULE-SEMESTER-sSESSION.pdf) or of every student of a class in one file (-o required).\n" +
			"Each relevé is recorded under its verification code, which `scolarite verify CODE` checks;\n" +
			"issuing the same relevé again gives the same code.",
		Args: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) > 1:
				return usagef("expected one STUDENT at most, got %d arguments", len(args))
			case len(args) == 1 && q.Class != "":
				return usagef("give a STUDENT or --class, not both")
			case len(args) == 0 && q.Class == "":
				return usagef("give a STUDENT (matricule or phone) or --class C")
			case len(args) == 0 && out == "":
				return usagef("-o FILE.pdf is required for a whole class")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				q.Student = args[0]
			}
			opt := export.ReportOptions{Lang: export.ParseLang(lang)}
			return withApp(cmd, env, cfg, func(app *App) error {
				ts, _, err := app.Results.IssueTranscripts(cmd.Context(), cliActor(), q)
				if err != nil {
					return err
				}
				path := out
				if path == "" {
					path = fmt.Sprintf("releve-%s-%s-s%d.pdf", ts[0].Number, ts[0].Semester, ts[0].Session)
				}
				if err := export.WriteFile(path, func(w io.Writer) error {
					return export.WriteTranscripts(cmd.Context(), ts, w, opt)
				}); err != nil {
					return err
				}
				if len(ts) == 1 {
					t := ts[0]
					fmt.Fprintf(env.Stdout, "wrote %s: relevé of %s %s %s, %s session %d, code %s\n", path, t.Number, t.LastName, t.FirstName, t.Semester, t.Session, t.Code)
					return nil
				}
				fmt.Fprintf(env.Stdout, "wrote %s: %d relevés of %s %s session %d\n", path, len(ts), ts[0].Class, ts[0].Semester, ts[0].Session)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&q.Class, "class", "", "every student of this class, e.g. L1-INFO")
	f.StringVar(&q.Semester, "semester", "", "semester, S1 to S10")
	f.IntVar(&q.Session, "session", 1, "1, or 2 (after the resits)")
	f.StringVarP(&out, "output", "o", "", "PDF file to write")
	f.StringVar(&lang, "lang", envOr(env, "SCOLARITE_LANG", "fr"), "language of the document: fr or en")
	return cmd
}

// minutesCmd is `report pv --class C` (the issue's name) or, positional,
// `report class C` (the class's document, which the procès-verbal
// became): the same command either way.
func minutesCmd(env Env, cfg *Config, positional bool) *cobra.Command {
	var class, semester, out, lang string
	var session int
	use := "pv --class C"
	args := exactArgs(0, "no argument (the class is --class C)")
	if positional {
		use, args = "class CLASS", exactArgs(1, "CLASS")
	}
	cmd := &cobra.Command{
		Use:   use + " [--semester S] [--session 1|2] [-o FILE.pdf] [--lang fr|en]",
		Short: "Procès-verbal de délibération (A4 landscape): key figures, distribution, counts per decision, every student's results, the jury's decisions, signatures",
		Long: "Writes the procès-verbal de délibération of a session of a class's semester, the class's document:\n" +
			"the key figures (students, with an average, class average, min, max, below 10) and the distribution\n" +
			"of the averages; the count and rate of each decision; every student with each UE's average, the\n" +
			"semester's average, credits, decision and mention; the jury's decisions with their reasons; the\n" +
			"jury's signature lines. By default the class's current semester (the latest one its students have\n" +
			"an average in) and that semester's current session; default file pv-CLASS-SEMESTER-sSESSION.pdf.\n" +
			"`report class C` and `report pv --class C` are the same command.",
		Args: args,
		RunE: func(cmd *cobra.Command, args []string) error {
			if positional {
				class = args[0]
			}
			if session != 0 && session != 1 && session != 2 {
				return usagef("--session must be 1 or 2 (got %d)", session)
			}
			opt := export.ReportOptions{Lang: export.ParseLang(lang)}
			return withApp(cmd, env, cfg, func(app *App) error {
				res, err := app.Results.MinutesResults(cmd.Context(), cliActor(), class, semester, "", session)
				if err != nil {
					return err
				}
				c := res.Curriculum
				path := out
				if path == "" {
					path = export.MinutesFileName(c.Class, c.Semester, res.Session)
				}
				if err := export.WriteFile(path, func(w io.Writer) error { return export.WriteMinutes(cmd.Context(), res, w, opt) }); err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "wrote %s: minutes of %s %s session %d, %d student(s)\n", path, c.Class, c.Semester, res.Session, len(res.Outcomes))
				return nil
			})
		},
	}
	f := cmd.Flags()
	if !positional {
		f.StringVar(&class, "class", "", "class, e.g. L1-INFO")
	}
	f.StringVar(&semester, "semester", "", "semester, S1 to S10 (default: the class's current semester)")
	f.IntVar(&session, "session", 0, "1, or 2 (after the resits); default: the semester's current session")
	f.StringVarP(&out, "output", "o", "", "PDF file to write (default pv-CLASS-SEMESTER-sSESSION.pdf)")
	f.StringVar(&lang, "lang", envOr(env, "SCOLARITE_LANG", "fr"), "language of the document: fr or en")
	return cmd
}

func verifyCmd(env Env, cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "verify CODE",
		Short: "Check a relevé de notes by its verification code (e.g. 7KQ2-M9XD-4T1A) and print what it certifies",
		Args:  exactArgs(1, "CODE (as printed on the relevé, e.g. 7KQ2-M9XD-4T1A)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				t, err := app.Results.VerifyTranscript(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				return writeTranscript(env.Stdout, t)
			})
		},
	}
}

// writeTranscript prints what a relevé certifies.
func writeTranscript(w io.Writer, t *domain.Transcript) error {
	fmt.Fprintf(w, "Relevé de notes %s: issued by this school on %s by %s\n", t.Code, t.IssuedAt.Format("2006-01-02"), t.IssuedBy)
	if t.Provisional {
		fmt.Fprintln(w, "Provisional: issued while the semester was still open")
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	birth := ""
	if !t.BirthDate.IsZero() {
		birth = ", born " + t.BirthDate.String()
	}
	decision := string(t.Decision)
	if t.Jury {
		decision += " (jury)"
	}
	fmt.Fprintf(tw, "Student\t%s %s, matricule %s%s\n", t.LastName, t.FirstName, t.Number, birth)
	fmt.Fprintf(tw, "Class\t%s, semester %s, session %d, year %s\n", t.Class, t.Semester, t.Session, t.Year)
	fmt.Fprintf(tw, "Average\t%s\n", outOf20(t.Average))
	fmt.Fprintf(tw, "Credits\t%d/%d\n", t.Credits, t.TotalCredits)
	fmt.Fprintf(tw, "Decision\t%s\n", decision)
	fmt.Fprintf(tw, "Mention\t%s\n", orDash(string(t.Mention)))
	for i, u := range t.UEs {
		label := ""
		if i == 0 {
			label = "UEs"
		}
		var subjects []string
		for _, s := range u.Subjects {
			subjects = append(subjects, s.Name+" "+orDash(s.Average))
		}
		fmt.Fprintf(tw, "%s\t%s %s: %s %s, %d/%d credits (%s)\n", label, u.Code, u.Title, outOf20(u.Average), u.Status, u.Earned, u.Credits, strings.Join(subjects, ", "))
	}
	return tw.Flush()
}

func outOf20(avg string) string {
	if avg == "" {
		return "-"
	}
	return avg + "/20"
}
