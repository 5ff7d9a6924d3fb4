// Package stream carries the domain's events over Kafka with franz-go: the
// outbox relay (producer), a group consumer that commits only after its
// handler has made a batch durable, the embedded kfake broker, and the
// TLS / SASL configuration shared by all of them.
package stream

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// Defaults of the topic and of the analytics job's consumer group.
const (
	DefaultTopic = "student-events"
	DefaultGroup = "scolarite-analytics"
)

// SASL mechanisms Config accepts.
const (
	MechanismPlain     = "PLAIN"
	MechanismSCRAM256  = "SCRAM-SHA-256"
	MechanismSCRAM512  = "SCRAM-SHA-512"
	redacted           = "***"
	envBrokers         = "KAFKA_BROKERS"
	envTopic           = "KAFKA_TOPIC"
	envGroup           = "KAFKA_GROUP"
	envTLS             = "KAFKA_TLS"
	envTLSCA           = "KAFKA_TLS_CA"
	envTLSCert         = "KAFKA_TLS_CERT"
	envTLSKey          = "KAFKA_TLS_KEY"
	envSASLMechanism   = "KAFKA_SASL_MECHANISM"
	envSASLUser        = "KAFKA_SASL_USER"
	envSASLPassword    = "KAFKA_SASL_PASSWORD"
	defaultClientIDFmt = "scolarite-%s"
)

// Secret is a string that never prints: fmt, slog and JSON all show ***.
type Secret string

func (s Secret) String() string               { return mask(string(s)) }
func (s Secret) GoString() string             { return mask(string(s)) }
func (s Secret) LogValue() slog.Value         { return slog.StringValue(mask(string(s))) }
func (s Secret) MarshalText() ([]byte, error) { return []byte(mask(string(s))), nil }

func mask(s string) string {
	if s == "" {
		return ""
	}
	return redacted
}

// Config says which cluster to use and how to reach it. No brokers means
// no cluster is configured: the analytics job then starts the embedded one.
type Config struct {
	Brokers []string
	Topic   string
	Group   string
	// TLS is implied by any of the files below; set it alone to use TLS
	// with the system's certificate authorities (cloud clusters).
	TLS     bool
	TLSCA   string // PEM file of the authorities that signed the brokers
	TLSCert string // PEM client certificate (with TLSKey: mutual TLS)
	TLSKey  string
	// SASL: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; empty for none.
	SASLMechanism string
	SASLUser      string
	SASLPassword  Secret
}

// ConfigFromEnv reads the KAFKA_* variables.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{
		Brokers:       SplitList(getenv(envBrokers)),
		Topic:         getenv(envTopic),
		Group:         getenv(envGroup),
		TLSCA:         getenv(envTLSCA),
		TLSCert:       getenv(envTLSCert),
		TLSKey:        getenv(envTLSKey),
		SASLMechanism: getenv(envSASLMechanism),
		SASLUser:      getenv(envSASLUser),
		SASLPassword:  Secret(getenv(envSASLPassword)),
	}
	switch strings.ToLower(strings.TrimSpace(getenv(envTLS))) {
	case "1", "true", "yes", "on":
		c.TLS = true
	}
	return c.withDefaults()
}

// SplitList reads "host1:9092, host2:9092".
func SplitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (c Config) withDefaults() Config {
	if c.Topic == "" {
		c.Topic = DefaultTopic
	}
	if c.Group == "" {
		c.Group = DefaultGroup
	}
	c.SASLMechanism = strings.ToUpper(strings.TrimSpace(c.SASLMechanism))
	return c
}

// Configured reports whether a cluster was given.
func (c Config) Configured() bool { return len(c.Brokers) > 0 }

// DLQTopic is where messages the analytics job cannot read go.
func (c Config) DLQTopic() string { return c.withDefaults().Topic + ".dlq" }

// UsesTLS reports whether connections are encrypted.
func (c Config) UsesTLS() bool { return c.TLS || c.TLSCA != "" || c.TLSCert != "" || c.TLSKey != "" }

// Validate checks the settings that do not need the network.
func (c Config) Validate() error {
	c = c.withDefaults()
	var errs []error
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("kafka: a TLS client certificate needs its key and the key its certificate (KAFKA_TLS_CERT, KAFKA_TLS_KEY)"))
	}
	switch c.SASLMechanism {
	case "":
		if c.SASLUser != "" || c.SASLPassword != "" {
			errs = append(errs, errors.New("kafka: a SASL user or password needs a mechanism (KAFKA_SASL_MECHANISM: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)"))
		}
	case MechanismPlain, MechanismSCRAM256, MechanismSCRAM512:
		if c.SASLUser == "" || c.SASLPassword == "" {
			errs = append(errs, fmt.Errorf("kafka: SASL %s needs a user and a password (KAFKA_SASL_USER, KAFKA_SASL_PASSWORD)", c.SASLMechanism))
		}
	default:
		errs = append(errs, fmt.Errorf("kafka: unknown SASL mechanism %q (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", c.SASLMechanism))
	}
	if strings.ContainsAny(c.Topic, " ,/\\") {
		errs = append(errs, fmt.Errorf("kafka: invalid topic name %q", c.Topic))
	}
	return errors.Join(errs...)
}

// ClientOpts are the franz-go options that reach the cluster: seeds,
// client id, TLS and SASL. role names the client ("relay", "analytics").
func (c Config) ClientOpts(role string) ([]kgo.Opt, error) {
	c = c.withDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if !c.Configured() {
		return nil, errors.New("kafka: no brokers configured (KAFKA_BROKERS)")
	}
	opts := []kgo.Opt{kgo.SeedBrokers(c.Brokers...), kgo.ClientID(fmt.Sprintf(defaultClientIDFmt, role))}
	if c.UsesTLS() {
		tc, err := c.tlsConfig()
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	if m := c.mechanism(); m != nil {
		opts = append(opts, kgo.SASL(m))
	}
	return opts, nil
}

func (c Config) tlsConfig() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLSCA != "" {
		pem, err := os.ReadFile(c.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("kafka: read TLS CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("kafka: no PEM certificate in %s", c.TLSCA)
		}
		tc.RootCAs = pool
	}
	if c.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("kafka: load TLS client certificate: %w", err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

func (c Config) mechanism() sasl.Mechanism {
	user, pass := c.SASLUser, string(c.SASLPassword)
	switch c.SASLMechanism {
	case MechanismPlain:
		return plain.Auth{User: user, Pass: pass}.AsMechanism()
	case MechanismSCRAM256:
		return scram.Auth{User: user, Pass: pass}.AsSha256Mechanism()
	case MechanismSCRAM512:
		return scram.Auth{User: user, Pass: pass}.AsSha512Mechanism()
	}
	return nil
}

// Words are the words a description of the settings is written in.
type Words struct {
	Embedded, Yes, No, CA, ClientCert, None, User, Password string
}

// EnglishWords are Describe's words.
func EnglishWords() Words {
	return Words{Embedded: "embedded (kfake)", Yes: "yes", No: "no", CA: "CA", ClientCert: "client certificate",
		None: "none", User: "user", Password: "password"}
}

// Describe lists the settings for a report or a log, without secrets:
// the password is never included, only whether one is set.
func (c Config) Describe() [][2]string { return c.DescribeIn(EnglishWords()) }

// DescribeIn is Describe in other words: brokers, topic, dlq, group, tls
// and sasl, in this order.
func (c Config) DescribeIn(w Words) [][2]string {
	c = c.withDefaults()
	brokers := strings.Join(c.Brokers, ", ")
	if !c.Configured() {
		brokers = w.Embedded
	}
	tlsDesc := w.No
	if c.UsesTLS() {
		tlsDesc = w.Yes
		if c.TLSCA != "" {
			tlsDesc += ", " + w.CA + " " + c.TLSCA
		}
		if c.TLSCert != "" {
			tlsDesc += ", " + w.ClientCert + " " + c.TLSCert
		}
	}
	saslDesc := w.None
	if c.SASLMechanism != "" {
		saslDesc = c.SASLMechanism + ", " + w.User + " " + c.SASLUser + ", " + w.Password + " " + c.SASLPassword.String()
	}
	return [][2]string{
		{"brokers", brokers}, {"topic", c.Topic}, {"dlq", c.DLQTopic()}, {"group", c.Group},
		{"tls", tlsDesc}, {"sasl", saslDesc},
	}
}

// String is Describe on one line.
func (c Config) String() string {
	parts := make([]string, 0, 6)
	for _, kv := range c.Describe() {
		parts = append(parts, kv[0]+"="+kv[1])
	}
	return strings.Join(parts, " ")
}

// Ping checks that the cluster answers with these settings.
func (c Config) Ping(ctx context.Context) error {
	opts, err := c.ClientOpts("ping")
	if err != nil {
		return err
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("kafka: %w", err)
	}
	defer cl.Close()
	if err := cl.Ping(ctx); err != nil {
		return fmt.Errorf("kafka: reach %s: %w", strings.Join(c.Brokers, ","), err)
	}
	return nil
}

// ClusterID asks the cluster for its identity: the analytics database
// records it so that offsets of two clusters never mix.
func (c Config) ClusterID(ctx context.Context) (string, error) {
	opts, err := c.ClientOpts("admin")
	if err != nil {
		return "", err
	}
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return "", fmt.Errorf("kafka: %w", err)
	}
	defer cl.Close()
	md, err := kadm.NewClient(cl).BrokerMetadata(ctx)
	if err != nil {
		return "", fmt.Errorf("kafka: reach %s: %w", strings.Join(c.Brokers, ","), err)
	}
	return md.Cluster, nil
}
