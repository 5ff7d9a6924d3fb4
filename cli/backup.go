package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Backups writes and restores whole-store backups. main implements it on
// the MongoDB database (this package imports domain only) and hands it
// over in App.Backups.
type Backups interface {
	// Backup writes a backup of every collection to path (replaced
	// whole, or left as it was on failure).
	Backup(ctx context.Context, path string) (BackupReport, error)
	// Restore fills the empty store from the backup at path. Returns
	// ECONFLICT if the store holds any document, EINVALID if the file is
	// damaged, truncated or of another format; nothing is written then.
	Restore(ctx context.Context, path string) (BackupReport, error)
}

// BackupReport says what a backup holds.
type BackupReport struct {
	At    time.Time // when its pass ended
	Quiet bool      // no recorded write happened during its pass
	// Counts are the documents per collection, in the file's order.
	Counts []CollectionCount
}

// CollectionCount is one collection's document count.
type CollectionCount struct {
	Name  string
	Count int64
}

func (r BackupReport) counts() string {
	parts := make([]string, 0, len(r.Counts))
	for _, c := range r.Counts {
		parts = append(parts, fmt.Sprintf("%s %d", c.Name, c.Count))
	}
	return strings.Join(parts, ", ")
}

func backupCmds(env Env, cfg *Config) []*cobra.Command {
	var out string
	backup := &cobra.Command{
		Use:   "backup -o FILE",
		Short: "Write a backup of the whole store (every collection) to FILE, a .tar.gz",
		Long: `Write a backup of every collection of the store to FILE: a .tar.gz holding
header.json (format and schema versions, time, counts, SHA-256 checksums) and
one <collection>.jsonl per collection in canonical Extended JSON, which
'mongoimport' also reads. It runs while the application and 'serve' are in use;
when writes go on during it, it reads again (up to 3 times) and says so.
FILE holds password hashes: it is created readable by its owner only.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usagef("backup needs the file to write: -o FILE (e.g. -o scolarite-backup.tar.gz)")
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if app.Backups == nil {
					return errors.New("backups are not available in this build")
				}
				r, err := app.Backups.Backup(cmd.Context(), out)
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "backup written to %s: %s\n", out, r.counts())
				if !r.Quiet {
					fmt.Fprintln(env.Stderr, "scolarite: writes went on during the backup: every document is whole, but a change made meanwhile may lack its audit entry or event")
				}
				return nil
			})
		},
	}
	backup.Flags().StringVarP(&out, "output", "o", "", "file to write (replaced if it exists)")

	restore := &cobra.Command{
		Use:   "restore FILE",
		Short: "Fill an empty store from a backup written by 'scolarite backup'",
		Long: `Fill an empty store (the embedded one of --data-dir, or the MongoDB database of
MONGODB_URI and --database) from FILE. The whole file is checked first (format,
schema version, every checksum and count); a damaged or truncated file, or a
store that already holds data, is refused and nothing is written. Indexes are
created by the store itself.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				if app.Backups == nil {
					return errors.New("backups are not available in this build")
				}
				r, err := app.Backups.Restore(cmd.Context(), args[0])
				if err != nil {
					return err
				}
				fmt.Fprintf(env.Stdout, "restored %s (backup of %s): %s\n", args[0], r.At.Local().Format("2006-01-02 15:04:05"), r.counts())
				return nil
			})
		},
	}
	return []*cobra.Command{backup, restore}
}
