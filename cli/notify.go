package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Notifier delivers the e-mail and SMS notifications. main builds it on
// the back-ends (this package imports domain only) and hands it over in
// App.Notifier.
type Notifier interface {
	// Run creates and delivers notifications until ctx ends, or with once
	// until nothing more is due now. settings reads the configuration
	// (SMTP_URL, SMS_PROVIDER, ...: flags first, then the environment);
	// status gets one line saying what the configuration does, secrets
	// left out.
	Run(ctx context.Context, settings func(string) string, once bool, status io.Writer) error
	// Counts returns how many notifications have each status.
	Counts(ctx context.Context) (map[string]int, error)
}

// notifyFlags are the settings `notify run` takes as flags; each falls
// back on its environment variable. Secrets (TWILIO_AUTH_TOKEN) have no
// flag: a command line is visible to every user of the machine.
var notifyFlags = []struct{ flag, env, usage string }{
	{"smtp-url", "SMTP_URL", "SMTP server: smtp://user:password@host:587?tls=starttls (smtps:// or tls=tls for port 465, tls=none for a local catcher); unset: e-mail is written to <data-dir>/notifications/mail.mbox. Prefer the environment for a password"},
	{"smtp-from", "SMTP_FROM", "sender of the e-mail, \"Name <address>\""},
	{"sms-provider", "SMS_PROVIDER", "twilio (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN from the environment), log (written to <data-dir>/notifications/sms.log; the default) or off"},
	{"sms-from", "SMS_FROM", "sender number (or name) at the SMS provider"},
	{"twilio-base-url", "TWILIO_BASE_URL", "base URL of the Twilio-compatible API (default https://api.twilio.com)"},
	{"staff", "NOTIFY_STAFF", "e-mail addresses and phones told of every low-average alert, comma-separated"},
	{"lang", "NOTIFY_LANG", "language of the messages: fr or en (default fr)"},
	{"channels", "NOTIFY_CHANNELS", "channels to use (default email,sms)"},
	{"school", "NOTIFY_SCHOOL", "school name the messages sign with (default ÉSP 221)"},
}

func notifyCmd(env Env, cfg *Config) *cobra.Command {
	cmd := &cobra.Command{Use: "notify", Short: "E-mail and SMS notifications of new grades and low averages"}
	var once bool
	run := &cobra.Command{
		Use:   "run",
		Short: "Create and deliver notifications until stopped (Ctrl-C, SIGTERM)",
		Long: "Reads the outbox of grade events, creates one notification per message and delivers it by\n" +
			"e-mail and SMS, retrying with back-off. Several may run at once (on several machines too):\n" +
			"each message is sent by one of them. The application also runs one in the background.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			settings := func(key string) string {
				for _, f := range notifyFlags {
					if f.env == key && cmd.Flags().Changed(f.flag) {
						v, _ := cmd.Flags().GetString(f.flag)
						return v
					}
				}
				return env.Getenv(key)
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if app.Notifier == nil {
					return errors.New("notifications are not available in this build")
				}
				return app.Notifier.Run(cmd.Context(), settings, once, env.Stderr)
			})
		},
	}
	for _, f := range notifyFlags {
		run.Flags().String(f.flag, "", f.usage+" (env "+f.env+")")
	}
	run.Flags().BoolVar(&once, "once", false, "deliver what is due now, then exit")

	var asJSON bool
	status := &cobra.Command{
		Use:   "status",
		Short: "How many notifications are pending, sent, failed and skipped",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withApp(cmd, env, cfg, func(app *App) error {
				if app.Notifier == nil {
					return errors.New("notifications are not available in this build")
				}
				counts, err := app.Notifier.Counts(cmd.Context())
				if err != nil {
					return err
				}
				if asJSON {
					out := map[string]int{"pending": 0, "sent": 0, "failed": 0, "skipped": 0}
					for k, v := range counts {
						out[k] = v
					}
					return json.NewEncoder(env.Stdout).Encode(out)
				}
				for _, s := range []string{"pending", "sent", "failed", "skipped"} {
					fmt.Fprintf(env.Stdout, "%s\t%d\n", s, counts[s])
				}
				return nil
			})
		},
	}
	status.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.AddCommand(run, status)
	return cmd
}
