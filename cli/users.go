package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"scolarite/domain"
)

func usersCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "users", Short: "Manage accounts: add, list, passwd, disable, enable, revoke, keys, set-lang"}
	cmd.AddCommand(usersAddCmd(env, cfg), usersListCmd(env, cfg), usersPasswdCmd(env, cfg),
		usersDisableCmd(env, cfg, true), usersDisableCmd(env, cfg, false), usersRevokeCmd(env, cfg),
		usersKeysCmd(env, cfg), usersSetLangCmd(env, cfg))
	return cmd
}

func usersAddCmd(env Env, cfg *Config) *cobra.Command {
	var (
		in            domain.UserInput
		passwordStdin bool
	)
	cmd := &cobra.Command{
		Use:   "add --username U --role admin|teacher|student [--student MATRICULE|PHONE] [--classes C1,C2] --password-stdin",
		Short: "Add an account; the password is read from standard input",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			pw, err := readPassword(env.Stdin, passwordStdin)
			if err != nil {
				return err
			}
			in.Password = pw
			return withApp(cmd, env, cfg, func(app *App) error {
				u, err := app.Auth.CreateUser(cmd.Context(), cliActor(), in)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "user %s added (%s)\n", u.Username, u.Role)
				return nil
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.Username, "username", "", "log-in name")
	f.StringVar(&in.Role, "role", "", "admin, teacher or student")
	f.StringVar(&in.Student, "student", "", "the student's matricule or phone (role student)")
	f.StringSliceVar(&in.Classes, "classes", nil, "classes taught, comma-separated (role teacher)")
	f.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (required)")
	return cmd
}

// readPassword takes the first line of stdin. Passwords are never taken as
// flags: they would show in the process list and the shell history.
func readPassword(r io.Reader, enabled bool) (string, error) {
	if !enabled {
		return "", usagef("--password-stdin is required (passwords are never given as arguments)")
	}
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", usagef("reading the password from standard input: %v", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", usagef("no password on standard input")
	}
	return pw, nil
}

func usersListCmd(env Env, cfg *Config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List accounts",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				users, err := app.Auth.Users(cmd.Context(), cliActor())
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, users)
				}
				return writeUsers(env.Stdout, users)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func usersPasswdCmd(env Env, cfg *Config) *cobra.Command {
	var passwordStdin bool
	cmd := &cobra.Command{
		Use:   "passwd USERNAME --password-stdin",
		Short: "Set a new password (ends the user's sessions)",
		Args:  exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			pw, err := readPassword(env.Stdin, passwordStdin)
			if err != nil {
				return err
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				return app.Auth.SetPassword(cmd.Context(), cliActor(), args[0], pw)
			})
		},
	}
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input (required)")
	return cmd
}

func usersDisableCmd(env Env, cfg *Config, disable bool) *cobra.Command {
	use, short := "enable USERNAME", "Re-enable a disabled account"
	if disable {
		use, short = "disable USERNAME", "Disable an account and end its sessions"
	}
	return &cobra.Command{
		Use:   use,
		Short: short,
		Args:  exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				return app.Auth.SetDisabled(cmd.Context(), cliActor(), args[0], disable)
			})
		},
	}
}

func usersRevokeCmd(env Env, cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke USERNAME",
		Short: "End every session of a user",
		Args:  exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				n, err := app.Auth.RevokeSessions(cmd.Context(), cliActor(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "%d session(s) ended\n", n)
				return nil
			})
		},
	}
}
