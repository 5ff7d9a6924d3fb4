package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"scolarite/domain"
)

// maxKeyFile bounds what is read as a key file: a public key is a line of
// at most a few kilobytes (RSA 16384 bits is ~2.8 KB).
const maxKeyFile = 64 << 10

func usersKeysCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "keys", Short: "SSH keys that log a user in over SSH without the password: add, list, remove"}
	cmd.AddCommand(usersKeysAddCmd(env, cfg), usersKeysListCmd(env, cfg), usersKeysRemoveCmd(env, cfg))
	return cmd
}

func usersKeysAddCmd(env Env, cfg *Config) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "add USERNAME --key-file FILE",
		Short: "Register a public key (a .pub file or an authorized_keys line; - reads standard input) and print its fingerprint",
		Args:  exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if file == "" {
				return usagef("--key-file is required (the public key file, e.g. ~/.ssh/id_ed25519.pub, or - for standard input)")
			}
			text, err := readKeyFile(env.Stdin, file)
			if err != nil {
				return opError{err: err}
			}
			// Checked before the back-ends start: a wrong file is told at once.
			if _, err := domain.ParseSSHKey(text); err != nil {
				return opError{err: inFile(file, err)}
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				k, err := app.Auth.AddKey(cmd.Context(), cliActor(), args[0], text)
				if err != nil {
					return inFile(file, err)
				}
				fmt.Fprintln(env.Stdout, k.Fingerprint)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&file, "key-file", "", "the public key file (- for standard input)")
	return cmd
}

// readKeyFile reads the key file, or standard input for "-".
func readKeyFile(stdin io.Reader, file string) (string, error) {
	r, name := stdin, "standard input"
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			reason := err
			var pe *fs.PathError
			if errors.As(err, &pe) {
				reason = pe.Err
			}
			return "", &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("key file %s cannot be read: %v", file, reason)}
		}
		defer f.Close()
		r, name = f, "key file "+file
	}
	b, err := io.ReadAll(io.LimitReader(r, maxKeyFile+1))
	switch {
	case err != nil:
		return "", &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("%s cannot be read: %v", name, err)}
	case len(b) > maxKeyFile:
		return "", &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("%s is larger than %d KiB: it is not a public key", name, maxKeyFile>>10)}
	}
	return string(b), nil
}

// inFile names the key file in a refusal of its key ("key file F: key: is
// a private key..."), which the domain states without knowing the file.
func inFile(file string, err error) error {
	var de *domain.Error
	if !errors.As(err, &de) || de.Field() != "key" {
		return err
	}
	name := "key file " + file
	if file == "-" {
		name = "the key on standard input"
	}
	c := *de
	c.Message = name
	return &c
}

func usersKeysListCmd(env Env, cfg *Config) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list USERNAME [--json]",
		Short: "List a user's SSH keys: fingerprint, type, comment, when added",
		Args:  exactArgs(1, "USERNAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				keys, err := app.Auth.Keys(cmd.Context(), cliActor(), args[0])
				if err != nil {
					return err
				}
				if asJSON {
					return writeJSON(env.Stdout, append([]domain.SSHKey{}, keys...))
				}
				return writeKeys(env.Stdout, args[0], keys)
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

func writeKeys(w io.Writer, username string, keys []domain.SSHKey) error {
	if len(keys) == 0 {
		_, err := fmt.Fprintf(w, "%s has no SSH key\n", username)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FINGERPRINT\tTYPE\tCOMMENT\tADDED")
	for _, k := range keys {
		comment := k.Comment
		if comment == "" {
			comment = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", k.Fingerprint, k.Type, comment, k.AddedAt.Local().Format("2006-01-02 15:04"))
	}
	return tw.Flush()
}

func usersKeysRemoveCmd(env Env, cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "remove USERNAME FINGERPRINT",
		Short: "Remove an SSH key (fingerprint as 'users keys list' or ssh-keygen -l prints it) and end the sessions it opened",
		Args:  exactArgs(2, "USERNAME FINGERPRINT"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				return app.Auth.RemoveKey(cmd.Context(), cliActor(), args[0], args[1])
			})
		},
	}
}

func usersSetLangCmd(env Env, cfg *Config) *cobra.Command {
	return &cobra.Command{
		Use:   "set-lang USERNAME fr|en",
		Short: "Set the language a user's application opens in",
		Args:  exactArgs(2, "USERNAME and a language (fr or en)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				return app.Auth.SetLang(cmd.Context(), cliActor(), args[0], args[1])
			})
		},
	}
}
