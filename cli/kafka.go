package cli

import (
	"strings"

	"github.com/spf13/cobra"

	"scolarite/stream"
)

// kafkaFlags are the cluster settings of publish, analytics and relay;
// each falls back on its KAFKA_* variable. The SASL password has no flag
// (a command line is visible to every user of the machine): it comes
// from KAFKA_SASL_PASSWORD only.
type kafkaFlags struct {
	brokers, topic, group   string
	tls                     bool
	tlsCA, tlsCert, tlsKey  string
	saslMechanism, saslUser string
	cmd                     *cobra.Command
	fromEnv                 stream.Config
}

func (k *kafkaFlags) register(cmd *cobra.Command, env Env, withGroup bool) {
	k.cmd = cmd
	k.fromEnv = stream.ConfigFromEnv(env.Getenv)
	f := cmd.Flags()
	f.StringVar(&k.brokers, "brokers", "", "Kafka brokers host:port,... (env KAFKA_BROKERS; none: the embedded broker)")
	f.StringVar(&k.topic, "topic", "", "topic of the student events (env KAFKA_TOPIC; default "+stream.DefaultTopic+")")
	if withGroup {
		f.StringVar(&k.group, "group", "", "consumer group (env KAFKA_GROUP; default "+stream.DefaultGroup+")")
	}
	f.BoolVar(&k.tls, "tls", false, "use TLS with the system's authorities (env KAFKA_TLS; implied by the files below)")
	f.StringVar(&k.tlsCA, "tls-ca", "", "PEM file of the authorities of the brokers' certificates (env KAFKA_TLS_CA)")
	f.StringVar(&k.tlsCert, "tls-cert", "", "PEM client certificate (env KAFKA_TLS_CERT)")
	f.StringVar(&k.tlsKey, "tls-key", "", "PEM key of the client certificate (env KAFKA_TLS_KEY)")
	f.StringVar(&k.saslMechanism, "sasl-mechanism", "", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (env KAFKA_SASL_MECHANISM; password from KAFKA_SASL_PASSWORD only)")
	f.StringVar(&k.saslUser, "sasl-user", "", "SASL user (env KAFKA_SASL_USER)")
}

// config is the environment's settings with the flags given on top.
func (k *kafkaFlags) config() stream.Config {
	c := k.fromEnv
	set := func(name string, dst *string, v string) {
		if k.cmd.Flags().Changed(name) {
			*dst = strings.TrimSpace(v)
		}
	}
	if k.cmd.Flags().Changed("brokers") {
		c.Brokers = stream.SplitList(k.brokers)
	}
	set("topic", &c.Topic, k.topic)
	set("group", &c.Group, k.group)
	set("tls-ca", &c.TLSCA, k.tlsCA)
	set("tls-cert", &c.TLSCert, k.tlsCert)
	set("tls-key", &c.TLSKey, k.tlsKey)
	set("sasl-mechanism", &c.SASLMechanism, strings.ToUpper(k.saslMechanism))
	set("sasl-user", &c.SASLUser, k.saslUser)
	if k.cmd.Flags().Changed("tls") {
		c.TLS = k.tls
	}
	if c.Topic == "" {
		c.Topic = stream.DefaultTopic
	}
	if c.Group == "" {
		c.Group = stream.DefaultGroup
	}
	return c
}
