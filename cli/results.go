package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"scolarite/domain"
	"scolarite/export"
)

func resultsCmd(env Env, cfg *Config) *cobra.Command {
	var class, semester string
	var session int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "results --class C --semester S [--session 1|2] [--json]",
		Short: "A class's semester results: UE averages, credits, decisions, mentions, ranks (the jury's decisions included)",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				res, err := app.Results.Results(cmd.Context(), cliActor(), class, semester, "", session)
				if err != nil {
					return err
				}
				years, err := app.Results.YearOutcomes(cmd.Context(), cliActor(), res)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, export.ResultsJSON(res, years))
				}
				return writeResults(env.Stdout, res, years)
			})
		},
	}
	cmd.Flags().StringVar(&class, "class", "", "class, e.g. L1-INFO")
	cmd.Flags().StringVar(&semester, "semester", "", "semester, S1 to S10")
	cmd.Flags().IntVar(&session, "session", 1, "1, or 2 (after the resits)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (averages unrounded)")
	return cmd
}

// writeResults prints one line per student: UE averages and statuses,
// the semester's average, credits, decision, mention and rank.
func writeResults(w io.Writer, res *domain.ClassResults, years map[string]domain.YearOutcome) error {
	c := res.Curriculum
	fmt.Fprintf(w, "%s %s %s, session %d (regulation version %d)\n\n", c.Class, c.Semester, c.Year, res.Session, res.Regulation.Version)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := []string{"RANK", "MATRICULE", "NAME"}
	for _, ue := range c.UEs {
		head = append(head, ue.Code)
	}
	head = append(head, "AVERAGE", "CREDITS", "DECISION", "MENTION")
	if years != nil {
		head = append(head, "YEAR")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, o := range res.Outcomes {
		rank := "-"
		if o.Rank > 0 {
			rank = strconv.Itoa(o.Rank)
		}
		line := []string{rank, o.Number, o.LastName + " " + o.FirstName}
		for _, u := range o.UEs {
			line = append(line, orDash(domain.FormatAverage(u.Average, false))+" "+string(u.Status))
		}
		decision := string(o.Decision)
		if o.Overridden() || len(o.Jury) > 0 {
			decision += " (jury)"
		}
		line = append(line, orDash(domain.FormatAverage(o.Average, false)), fmt.Sprintf("%d/%d", o.Credits, c.Credits()), decision, orDash(string(o.Mention)))
		if y, ok := years[o.StudentID]; ok {
			line = append(line, fmt.Sprintf("%s %d cr.", y.Decision, y.Credits))
		}
		fmt.Fprintln(tw, strings.Join(line, "\t"))
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func juryCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "jury", Short: "The jury's decisions on students' semesters"}
	var in domain.JuryInput
	override := &cobra.Command{
		Use:   "override STUDENT --semester S --session N (--decision CODE | --points P [--ue CODE]) --reason TEXT",
		Short: "Change a student's decision (ADM, ADC, AJ, DEF) or add jury points to a UE or the semester, with a reason",
		Args:  exactArgs(1, "STUDENT (matricule or phone)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			in.Student = args[0]
			return withApp(cmd, env, cfg, func(app *App) error {
				e, err := app.Results.Override(cmd.Context(), cliActor(), in)
				if err != nil {
					return err
				}
				what := "decision " + string(e.Decision)
				if e.Decision == "" {
					what = fmt.Sprintf("%s jury point(s) on %s", strconv.FormatFloat(e.Points, 'f', -1, 64), orDash(e.UE))
					if e.UE == "" {
						what = strings.TrimSuffix(what, "-") + "the semester"
					}
				}
				fmt.Fprintf(env.Stdout, "%s %s %s session %d: %s (%s)\n", in.Student, e.Class, e.Semester, e.Session, what, e.Reason)
				return nil
			})
		},
	}
	f := override.Flags()
	f.StringVar(&in.Semester, "semester", "", "semester, S1 to S10")
	f.IntVar(&in.Session, "session", 1, "1, or 2 (after the resits)")
	f.StringVar(&in.Decision, "decision", "", "the jury's decision: ADM, ADC, AJ or DEF")
	f.StringVar(&in.Points, "points", "", "jury points to add (at most the regulation's cap in all)")
	f.StringVar(&in.UE, "ue", "", "the UE the points go to (default: the semester)")
	f.StringVar(&in.Reason, "reason", "", "why (required; audited, printed on the minutes)")
	cmd.AddCommand(override)
	return cmd
}

func rulesCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "rules", Short: "The regulation the results follow (barrier, jury points, AJAC, year compensation)"}
	var asJSON bool
	show := &cobra.Command{
		Use:   "show [--json]",
		Short: "Print the regulation in force",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				r, err := app.Results.Regulation(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, r)
				}
				return writeRegulation(env.Stdout, r)
			})
		},
	}
	show.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	var barrier, pointsCap, compensation string
	var ajac int
	set := &cobra.Command{
		Use:   "set [--barrier N|none] [--jury-points-cap P] [--ajac-credits N] [--year-compensation on|off]",
		Short: "Change the regulation (a new version; results say which version computed them)",
		Args:  exactArgs(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				r, err := app.Results.Regulation(cmd.Context())
				if err != nil {
					return err
				}
				if r, err = changedRegulation(cmd, r, barrier, pointsCap, compensation, ajac); err != nil {
					return err
				}
				if r, err = app.Results.SetRegulation(cmd.Context(), cliActor(), r); err != nil {
					return err
				}
				return writeRegulation(env.Stdout, r)
			})
		},
	}
	sf := set.Flags()
	sf.StringVar(&barrier, "barrier", "", "the UE average below which no compensation (e.g. 8), or none")
	sf.StringVar(&pointsCap, "jury-points-cap", "", "the most jury points on a UE or a semester (e.g. 0.5)")
	sf.IntVar(&ajac, "ajac-credits", 0, "the year's credits from which a student may go on (AJAC)")
	sf.StringVar(&compensation, "year-compensation", "", "on: the two semesters of a year compensate each other")
	cmd.AddCommand(show, set)
	return cmd
}

// changedRegulation applies the flags given to r.
func changedRegulation(cmd *cobra.Command, r domain.Regulation, barrier, pointsCap, compensation string, ajac int) (domain.Regulation, error) {
	flags := cmd.Flags()
	if flags.Changed("barrier") {
		if strings.EqualFold(barrier, "none") {
			r.Barrier = nil
		} else {
			v, err := domain.ParseGradeValue(barrier)
			if err != nil {
				return r, domain.Invalid("barrier", "must be a mark such as 8, or none (got "+domain.Quote(barrier, 10)+")")
			}
			r.Barrier = &v
		}
	}
	if flags.Changed("jury-points-cap") {
		v, err := domain.ParseGradeValue(pointsCap)
		if err != nil {
			return r, domain.Invalid("jury_points_cap", "must be a number such as 0.5 (got "+domain.Quote(pointsCap, 10)+")")
		}
		r.JuryPointsCap = v
	}
	if flags.Changed("ajac-credits") {
		r.AJACCredits = ajac
	}
	if flags.Changed("year-compensation") {
		switch strings.ToLower(compensation) {
		case "on", "true", "yes", "oui":
			r.YearCompensation = true
		case "off", "false", "no", "non":
			r.YearCompensation = false
		default:
			return r, domain.Invalid("year_compensation", "must be on or off (got "+domain.Quote(compensation, 10)+")")
		}
	}
	return r, nil
}

func writeRegulation(w io.Writer, r domain.Regulation) error {
	barrier := "none"
	if r.Barrier != nil {
		barrier = formatNumber(*r.Barrier)
	}
	compensation := "off"
	if r.YearCompensation {
		compensation = "on"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "Version\t%d\n", r.Version)
	fmt.Fprintf(tw, "Barrier (note plancher)\t%s\n", barrier)
	fmt.Fprintf(tw, "Jury points cap\t%s\n", formatNumber(r.JuryPointsCap))
	fmt.Fprintf(tw, "AJAC from\t%d credits\n", r.AJACCredits)
	fmt.Fprintf(tw, "Year compensation\t%s\n", compensation)
	if r.ChangedBy != "" {
		fmt.Fprintf(tw, "Changed\t%s by %s\n", r.ChangedAt.Format("2006-01-02 15:04"), r.ChangedBy)
	}
	return tw.Flush()
}
