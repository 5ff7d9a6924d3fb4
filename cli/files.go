package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"scolarite/domain"
	"scolarite/export"
)

// filesCmds are the commands that move students in and out of files.
func filesCmds(env Env, cfg *Config) []*cobra.Command {
	return []*cobra.Command{exportCmd(env, cfg), importCmd(env, cfg), reportCmd(env, cfg)}
}

func exportCmd(env Env, cfg *Config) *cobra.Command {
	var (
		rf                     rosterFlags
		out, format, sep, lang string
		bom                    bool
	)
	cmd := &cobra.Command{
		Use:   "export -o FILE [--format csv|json|xlsx|pdf] [--class C] [--search Q] [--sort COLUMN] [--asc|--desc] [--separator ';'] [--bom]",
		Short: "Write the students the list shows (filter, sort) to a CSV, JSON, Excel or PDF file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := rf.query()
			if err != nil {
				return err
			}
			opt, err := exportOptions(cmd, out, format, sep, bom)
			if err != nil {
				return err
			}
			opt.Lang = export.ParseLang(lang)
			stdout := io.Writer(env.Stdout)
			if out == "-" && (opt.Format == export.XLSX || opt.Format == export.PDF) {
				var ok bool
				if stdout, ok = env.binaryOut(); !ok {
					return usagef("a %s file is binary: redirect standard output to a file, or give -o FILE", opt.Format)
				}
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if out == "-" {
					_, err := export.Export(cmd.Context(), app.Students, cliActor(), q, stdout, opt)
					return err
				}
				n, err := export.ExportFile(cmd.Context(), app.Students, cliActor(), q, out, opt)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "exported %d student(s) to %s\n", n, out)
				return nil
			})
		},
	}
	rf.register(cmd)
	f := cmd.Flags()
	f.StringVarP(&out, "output", "o", "", "file to write (- for standard output); its extension gives the format")
	f.StringVar(&format, "format", "", "csv, json, xlsx or pdf (default: from the file's extension)")
	f.StringVar(&sep, "separator", ",", "CSV separator: , ; or tab (; also writes decimal commas, for French spreadsheets)")
	f.BoolVar(&bom, "bom", false, "start the CSV with a UTF-8 byte order mark (Excel)")
	f.StringVar(&lang, "lang", envOr(env, "SCOLARITE_LANG", "fr"), "language of headers and documents: fr or en")
	return cmd
}

// exportOptions checks the export flags: the format comes from --format,
// else the file's extension (CSV on standard output).
func exportOptions(cmd *cobra.Command, out, format, sep string, bom bool) (export.Options, error) {
	var opt export.Options
	var err error
	switch {
	case out == "":
		return opt, usagef("-o FILE is required (- for standard output)")
	case cmd.Flags().Changed("format"):
		opt.Format, err = export.ParseFormat(format)
	case out == "-":
		opt.Format = export.CSV
	default:
		opt.Format, err = export.FormatOf(out)
	}
	if err != nil {
		return opt, usagef("%s", reasonOf(err))
	}
	if opt.Separator, err = export.ParseSeparator(sep); err != nil {
		return opt, usagef("--separator %s", reasonOf(err))
	}
	if (cmd.Flags().Changed("separator") || bom) && opt.Format != export.CSV {
		return opt, usagef("--separator and --bom are for CSV files, not %s", opt.Format)
	}
	opt.BOM = bom
	return opt, nil
}

func importCmd(env Env, cfg *Config) *cobra.Command {
	var opt export.ImportOptions
	cmd := &cobra.Command{
		Use:   "import FILE [--dry-run] [--skip-invalid] [--update] [--sheet NAME]",
		Short: "Add (or update) students from a CSV or Excel file; every row is checked before anything is written",
		Args:  exactArgs(1, "FILE (.csv or .xlsx)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				opt.Journal = app.Imports
				res, err := export.ImportFile(cmd.Context(), app.Students, cliActor(), args[0], opt)
				if err != nil {
					return err
				}
				return printImport(env.Stdout, env.Stderr, res)
			})
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opt.DryRun, "dry-run", false, "check every row and count, write nothing")
	f.BoolVar(&opt.SkipInvalid, "skip-invalid", false, "import the valid rows even if others are rejected")
	f.BoolVar(&opt.Update, "update", false, "update the student that already has a row's phone (otherwise a duplicate)")
	f.StringVar(&opt.Sheet, "sheet", "", "Excel: the sheet to read (default: the first)")
	return cmd
}

// maxPrinted is how many problems the command prints; the rest are
// counted (the first ones usually tell what is wrong with the file).
const maxPrinted = 100

// printImport writes the problems (standard error) and the counts; a
// rejected row makes the command fail (exit 1).
func printImport(stdout, stderr io.Writer, res *export.ImportResult) error {
	held := 0
	for i, p := range res.Problems {
		if i < maxPrinted {
			fmt.Fprintln(stderr, p)
		}
		if p.Field == "phone" && strings.HasPrefix(p.Reason, "is already used by") {
			held++
		}
	}
	if more := res.Dropped + max(0, len(res.Problems)-maxPrinted); more > 0 {
		fmt.Fprintf(stderr, "… and %d more problem(s)\n", more)
	}
	if held > 0 {
		fmt.Fprintf(stderr, "%d row(s) have the phone of a student already stored: --update updates those students\n", held)
	}
	note := ""
	switch {
	case res.DryRun:
		note = " (dry run: nothing was written)"
	case res.Refused:
		note = " (nothing was written: fix the rows reported, or use --skip-invalid to import the valid ones)"
	}
	fmt.Fprintln(stdout, res.Summary()+note)
	if res.Rejected > 0 {
		return domain.Errorf(domain.EINVALID, "%d row(s) rejected", res.Rejected)
	}
	return nil
}

func reportCmd(env Env, cfg *Config) *cobra.Command {
	var out, lang string
	cmd := &cobra.Command{Use: "report", Short: "PDF reports: a class's procès-verbal, a student's report card (bulletin), the whole school, relevés de notes"}
	run := func(cmd *cobra.Command, write func(app *App, w io.Writer, opt export.ReportOptions) error) error {
		if out == "" {
			return usagef("-o FILE.pdf is required")
		}
		opt := export.ReportOptions{Lang: export.ParseLang(lang)}
		return withApp(cmd, env, cfg, func(app *App) error {
			if err := export.WriteFile(out, func(w io.Writer) error { return write(app, w, opt) }); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "wrote %s\n", out)
			return nil
		})
	}
	var semester, cardClass string
	student := &cobra.Command{
		Use:   "student (ID | --class C --semester S) [--semester S] -o FILE.pdf",
		Short: "A student's report card (ID: matricule or phone): the bulletin of a semester",
		Long: "Writes the bulletin of a semester (--semester; by default the student's latest semester that\n" +
			"has an average): per subject the student's average, the class's average, lowest and highest, the\n" +
			"teacher's remark; the semester's average, credits, decision, mention and rank; the absences; the\n" +
			"overall remark. A student with no semester's average gets the card of their free grades.\n" +
			"With --class, the bulletins of every student of the class, in one file.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (cardClass != "") || cardClass != "" && semester == "" {
				return usagef("give a student (ID), or --class C with --semester S")
			}
			return run(cmd, func(app *App, w io.Writer, opt export.ReportOptions) error {
				if cardClass != "" {
					bs, err := app.Results.ClassBulletins(cmd.Context(), cliActor(), cardClass, semester, "")
					if err != nil {
						return err
					}
					return export.WriteBulletins(cmd.Context(), bs, w, opt)
				}
				var src export.BulletinSource
				if app.Results != nil {
					src = app.Results
				}
				q := export.CardQuery{Student: args[0], Semester: semester}
				_, err := export.ReportCard(cmd.Context(), app.Students, src, cliActor(), q, w, opt)
				return err
			})
		},
	}
	student.Flags().StringVar(&semester, "semester", "", "semester, S1 to S10 (default: the latest with an average)")
	student.Flags().StringVar(&cardClass, "class", "", "every student of this class (with --semester), in one file")
	school := &cobra.Command{
		Use:   "school -o FILE.pdf",
		Short: "Whole-school summary: one line per class and the overall top 10",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return run(cmd, func(app *App, w io.Writer, opt export.ReportOptions) error {
				return export.SchoolReport(cmd.Context(), app.Students, cliActor(), w, opt)
			})
		},
	}
	for _, c := range []*cobra.Command{student, school} {
		c.Flags().StringVarP(&out, "output", "o", "", "PDF file to write")
		c.Flags().StringVar(&lang, "lang", envOr(env, "SCOLARITE_LANG", "fr"), "language of the document: fr or en")
		cmd.AddCommand(c)
	}
	cmd.AddCommand(documentCmds(env, cfg)...)
	return cmd
}

// reasonOf is the reason of a domain validation error, for usage messages.
func reasonOf(err error) string {
	if e, ok := err.(*domain.Error); ok && len(e.Problems) > 0 {
		return e.Problems[0].Reason
	}
	return err.Error()
}
