package cli

import (
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/cobra"
)

// ServeOptions are the flags of `scolarite serve`.
type ServeOptions struct {
	Listen         string
	HostKey        string
	IdleLogout     time.Duration
	MaxSession     time.Duration
	MaxConnections int
	MaxPerAddress  int
	// BackupAt is the local time of day ("15:04") of the daily backup
	// under <data-dir>/backups, or "off"; BackupKeep how many are kept.
	BackupAt   string
	BackupKeep int
	// DemoLogins are shown on the log-in screen of a store filled by --demo.
	DemoLogins []string
}

func serveCmd(env Env, cfg *Config) *cobra.Command {
	var (
		opts      ServeOptions
		printKey  bool
		keepErr   error // a SCOLARITE_BACKUP_KEEP that is not a number
		demo      bool
		keyPathOf = func() string {
			if opts.HostKey != "" {
				return opts.HostKey
			}
			return filepath.Join(cfg.DataDir, "ssh_host_ed25519_key")
		}
	)
	cmd := &cobra.Command{
		Use:   "serve [--listen ADDR] [--host-key FILE] [--print-host-key] [--idle-logout D] [--max-session D] [--demo]",
		Short: "Serve the application over SSH to every user (ssh -p 2222 host)",
		Long: `Serve the full-screen application over SSH. One process holds the data and the
credentials; staff and students connect with any SSH client and log in on the
application's screen (or with an SSH key registered by 'users keys add').
The host key is created on first start; publish its fingerprint so that people
can check it at their first connection.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.HostKey = keyPathOf()
			if opts.BackupAt != "off" {
				if _, err := time.Parse("15:04", opts.BackupAt); err != nil {
					return usagef("--backup-at %q: want a local time of day HH:MM (e.g. 02:00), or off", opts.BackupAt)
				}
			}
			if keepErr != nil && !cmd.Flags().Changed("backup-keep") {
				return keepErr
			}
			if opts.BackupKeep < 1 {
				return usagef("--backup-keep %d: keep at least 1 backup", opts.BackupKeep)
			}
			if env.HostKey == nil || env.Serve == nil {
				return usagef("serving over SSH is not available in this build")
			}
			if printKey {
				fp, err := env.HostKey(opts.HostKey)
				if err != nil {
					return opError{err: err, backend: true}
				}
				fmt.Fprintf(env.Stdout, "%s %s\n", fp, opts.HostKey)
				return nil
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if demo {
					if err := seedIfEmpty(cmd, app, defaultDemoStudents); err != nil {
						return err
					}
					for _, u := range DemoLogins {
						opts.DemoLogins = append(opts.DemoLogins, u+" / "+DemoPassword(u))
					}
				}
				return env.Serve(cmd.Context(), *cfg, opts, app)
			})
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", envOr(env, "SCOLARITE_LISTEN", ":2222"), "address to listen on (env SCOLARITE_LISTEN)")
	f.StringVar(&opts.HostKey, "host-key", env.Getenv("SCOLARITE_HOST_KEY"), "the server's ed25519 host key, created 0600 if missing (default <data-dir>/ssh_host_ed25519_key; env SCOLARITE_HOST_KEY)")
	f.BoolVar(&printKey, "print-host-key", false, "print the host key's fingerprint (creating the key if missing) and exit")
	f.DurationVar(&opts.IdleLogout, "idle-logout", 15*time.Minute, "log out a session after this long without a key press")
	f.DurationVar(&opts.MaxSession, "max-session", 12*time.Hour, "end a connection after this long")
	f.IntVar(&opts.MaxConnections, "max-connections", 200, "connections open at once")
	f.IntVar(&opts.MaxPerAddress, "max-per-address", 20, "connections open at once from one address")
	f.StringVar(&opts.BackupAt, "backup-at", envOr(env, "SCOLARITE_BACKUP_AT", "02:00"), "local time of the daily backup under <data-dir>/backups, HH:MM, or off (env SCOLARITE_BACKUP_AT)")
	keep := 14
	if v := env.Getenv("SCOLARITE_BACKUP_KEEP"); v != "" {
		if keep, keepErr = strconv.Atoi(v); keepErr != nil {
			keepErr = usagef("SCOLARITE_BACKUP_KEEP=%q: want a number of backups, e.g. 14", v)
		}
	}
	f.IntVar(&opts.BackupKeep, "backup-keep", keep, "daily backups kept; older ones are removed (env SCOLARITE_BACKUP_KEEP)")
	f.BoolVar(&demo, "demo", false, "fill an empty store with demo data first (and show the demo accounts on the log-in screen)")
	return cmd
}
