package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"scolarite/stream"
)

func relayCmd(env Env, cfg *Config) *cobra.Command {
	var kf kafkaFlags
	cmd := &cobra.Command{
		Use:   "relay",
		Short: "Publish the outbox's events to Kafka until stopped (Ctrl-C, SIGTERM)",
		Long: "Publishes every domain event of the outbox to the topic, keyed by matricule, and marks it\n" +
			"published once the brokers acknowledged it. Several may run at once: one relays, the others\n" +
			"wait for its lease. The application runs one in the background when KAFKA_BROKERS is set.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			kc := kf.config()
			if err := kc.Validate(); err != nil {
				return usagef("%v", err)
			}
			if !kc.Configured() {
				return usagef("the relay needs a Kafka cluster: set KAFKA_BROKERS or --brokers")
			}
			return withApp(cmd, env, cfg, func(app *App) error {
				if app.Outbox == nil || app.Leases == nil {
					return fmt.Errorf("the relay is not available in this build")
				}
				p, err := stream.NewProducer(kc, "relay")
				if err != nil {
					return err
				}
				defer p.Close()
				fmt.Fprintf(env.Stderr, "scolarite: relaying the outbox to %s\n", kc)
				r := &stream.Relay{Outbox: app.Outbox, Leases: app.Leases, Producer: p, Topic: kc.Topic, Log: app.Log}
				return r.Run(cmd.Context())
			})
		},
	}
	kf.register(cmd, env, false)
	// The relay feeds a real cluster: the embedded broker lives only as
	// long as one analytics or publish command.
	cmd.Flags().Lookup("brokers").Usage = "Kafka brokers host:port,... (env KAFKA_BROKERS; required)"
	return cmd
}
