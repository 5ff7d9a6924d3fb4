package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"scolarite/domain"
	"scolarite/export"
)

func studentsCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "students", Short: "Add, list, show and delete students"}
	cmd.AddCommand(studentsAddCmd(env, cfg), studentsListCmd(env, cfg), studentsShowCmd(env, cfg), studentsDeleteCmd(env, cfg))
	return cmd
}

func studentsAddCmd(env Env, cfg *Config) *cobra.Command {
	var in domain.StudentInput
	cmd := &cobra.Command{
		Use:   "add --last-name L --first-name F --phone P --class C --major M --birth-date YYYY-MM-DD [--email E] [--guardian-name N --guardian-phone P --guardian-email E]",
		Short: "Add a student and print the new matricule",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				st, err := app.Students.Create(cmd.Context(), cliActor(), in)
				if err != nil {
					return err
				}
				fmt.Fprintln(env.Stdout, st.Number)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.LastName, "last-name", "", "last name (nom)")
	f.StringVar(&in.FirstName, "first-name", "", "first name (prénom)")
	f.StringVar(&in.Phone, "phone", "", "phone, any written form (77 123 45 67, +221…)")
	f.StringVar(&in.Class, "class", "", "class, e.g. L3-INFO")
	f.StringVar(&in.Major, "major", "", "major (filière), e.g. Informatique")
	f.StringVar(&in.BirthDate, "birth-date", "", "birth date, YYYY-MM-DD")
	f.StringVar(&in.Email, "email", "", "e-mail address (optional)")
	f.StringVar(&in.GuardianName, "guardian-name", "", "guardian's name (tuteur, optional)")
	f.StringVar(&in.GuardianPhone, "guardian-phone", "", "guardian's phone, any written form (optional; may be shared by siblings)")
	f.StringVar(&in.GuardianEmail, "guardian-email", "", "guardian's e-mail address (optional)")
	return cmd
}

// rosterFlags are the list options shared by every command that lists.
type rosterFlags struct {
	class, search, sort string
	asc, desc           bool
	limit               int
}

func (r *rosterFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVar(&r.class, "class", "", "only this class")
	f.StringVar(&r.search, "search", "", "text found in last name, first name, phone (any form) or class")
	f.StringVar(&r.sort, "sort", "average", "column: average|last_name|first_name|class|major|phone|number|grade_count")
	f.BoolVar(&r.asc, "asc", false, "ascending order (default: best average first, A to Z for text)")
	f.BoolVar(&r.desc, "desc", false, "descending order")
	f.IntVar(&r.limit, "limit", 0, "at most N students (0: all)")
}

func (r *rosterFlags) query() (domain.RosterQuery, error) {
	key, err := domain.ParseSortKey(r.sort)
	if err != nil {
		return domain.RosterQuery{}, usagef("--sort: %s", err.(*domain.Error).Problems[0].Reason)
	}
	q := domain.RosterQuery{Class: r.class, Search: r.search, Sort: key, Limit: r.limit}
	switch {
	case r.asc && r.desc:
		return q, usagef("--asc and --desc exclude each other")
	case r.asc:
		q.Order = domain.OrderAsc
	case r.desc:
		q.Order = domain.OrderDesc
	}
	if r.limit < 0 {
		return q, usagef("--limit must be 0 or more")
	}
	return q, nil
}

func studentsListCmd(env Env, cfg *Config) *cobra.Command {
	var (
		rf     rosterFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list [--class C] [--search Q] [--sort COLUMN] [--asc|--desc] [--limit N] [--json]",
		Short: "List students, best average first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := rf.query()
			if err != nil {
				return err
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if asJSON {
					students, err := app.Students.Students(cmd.Context(), cliActor(), q)
					if err != nil {
						return err
					}
					return export.WriteJSON(cmd.Context(), students, env.Stdout, export.Options{})
				}
				page, err := app.Students.Roster(cmd.Context(), cliActor(), q)
				if err != nil {
					return err
				}
				return writeRoster(env.Stdout, page, app.Students.Phones())
			})
		},
	}
	rf.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array of students")
	return cmd
}

func studentsShowCmd(env Env, cfg *Config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID [--json]",
		Short: "Show a student (ID: matricule or phone) with grades",
		Args:  exactArgs(1, "ID (matricule or phone)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				st, err := app.Students.Get(cmd.Context(), cliActor(), args[0])
				if err != nil {
					return err
				}
				semesters, err := app.Curricula.Semesters(cmd.Context(), cliActor(), st)
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, export.DetailJSON(st, semesters))
				}
				if err := writeStudent(env.Stdout, st, app.Students.Phones()); err != nil {
					return err
				}
				return writeSemesters(env.Stdout, semesters)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON object")
	return cmd
}

func studentsDeleteCmd(env Env, cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "delete ID",
		Short: "Delete a student (ID: matricule or phone)",
		Args:  exactArgs(1, "ID (matricule or phone)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				return app.Students.Delete(cmd.Context(), cliActor(), args[0], 0)
			})
		},
	}
}

// exactArgs is cobra.ExactArgs with a message that names the argument.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %s, got %d argument(s)", what, len(args))
		}
		return nil
	}
}
