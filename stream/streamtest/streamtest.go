// Package streamtest gives tests a Kafka cluster of either kind: kfake,
// franz-go's in-process imitation, started per test, or a real Apache
// Kafka broker named by SCOLARITE_KAFKA_BROKERS (scripts/kafka.sh start
// writes the variables to <state dir>/kafka.env). A test written once runs
// on both, as sub-tests named kfake and kafka:
//
//	streamtest.Each(t, func(t *testing.T, k streamtest.Kind) {
//		c := streamtest.New(t, k)
//		topic := c.Topic(t, "student-events", 4) // unique, created
//		...
//	})
//
// Without SCOLARITE_KAFKA_BROKERS the kafka sub-tests skip, unless
// SCOLARITE_REQUIRE_KAFKA=1 (as in CI), which makes them fail instead.
//
// A real broker is shared by the packages tested in parallel and keeps its
// state between runs: every topic and group name a test uses comes from
// Cluster.Topic or Cluster.Group, which make it unique, and is deleted
// when the test ends.
package streamtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream"
)

// The variables the real broker is described by (scripts/kafka.sh).
const (
	EnvBrokers        = "SCOLARITE_KAFKA_BROKERS"          // plaintext host:port
	EnvSSLBrokers     = "SCOLARITE_KAFKA_SSL_BROKERS"      // TLS, client certificate required
	EnvSASLSSLBrokers = "SCOLARITE_KAFKA_SASL_SSL_BROKERS" // TLS with client certificate, and SASL
	EnvSASLBrokers    = "SCOLARITE_KAFKA_SASL_BROKERS"     // SASL without TLS
	EnvTLSCA          = "SCOLARITE_KAFKA_TLS_CA"
	EnvTLSCert        = "SCOLARITE_KAFKA_TLS_CERT"
	EnvTLSKey         = "SCOLARITE_KAFKA_TLS_KEY"
	EnvSASLUser       = "SCOLARITE_KAFKA_SASL_USER" // SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN
	EnvSASLPassword   = "SCOLARITE_KAFKA_SASL_PASSWORD"
	EnvRequire        = "SCOLARITE_REQUIRE_KAFKA"
)

// opTimeout bounds one administrative request.
const opTimeout = 30 * time.Second

// Kind is which cluster a test runs on.
type Kind string

// The two kinds.
const (
	Fake Kind = "kfake"
	Real Kind = "kafka"
)

// Kinds are both, in the order Each runs them.
func Kinds() []Kind { return []Kind{Fake, Real} }

// Each runs f once per kind, as a sub-test named after it.
func Each(t *testing.T, f func(t *testing.T, k Kind)) {
	t.Helper()
	for _, k := range Kinds() {
		t.Run(string(k), func(t *testing.T) { f(t, k) })
	}
}

// RequireReal skips the test (or fails it, under SCOLARITE_REQUIRE_KAFKA=1)
// when no real broker is configured, and returns its plaintext address.
func RequireReal(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv(EnvBrokers)
	if addr != "" {
		return addr
	}
	if os.Getenv(EnvRequire) == "1" {
		tb.Fatalf("a real Apache Kafka is required (%s=1) but %s is not set: run `bash scripts/kafka.sh start` and source the kafka.env it writes",
			EnvRequire, EnvBrokers)
	}
	tb.Skipf("no real Apache Kafka: %s is not set (bash scripts/kafka.sh start, then source its kafka.env; %s=1 makes this a failure)",
		EnvBrokers, EnvRequire)
	return ""
}

// Cluster is the cluster of one test.
type Cluster struct {
	Kind    Kind
	Brokers []string       // plaintext bootstrap addresses
	Fake    *kfake.Cluster // the kfake cluster; nil on a real broker
	suffix  string

	mu     sync.Mutex
	topics []string
	groups []string
}

// New starts a one-broker kfake whose groups accept short sessions (with
// fakeOpts added), or connects to the real broker; it is closed, and on
// the real broker the test's topics and groups deleted, when tb ends.
func New(tb testing.TB, k Kind, fakeOpts ...kfake.Opt) *Cluster {
	tb.Helper()
	c := &Cluster{Kind: k, suffix: randomSuffix(tb)}
	switch k {
	case Fake:
		fc, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1),
			kfake.GroupMinSessionTimeout(100 * time.Millisecond)}, fakeOpts...)...)
		if err != nil {
			tb.Fatalf("kfake: %v", err)
		}
		tb.Cleanup(fc.Close)
		c.Fake, c.Brokers = fc, fc.ListenAddrs()
	case Real:
		c.Brokers = stream.SplitList(RequireReal(tb))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Config("", "").Ping(ctx); err != nil {
			tb.Fatalf("the Kafka broker of %s does not answer (bash scripts/kafka.sh start): %v", EnvBrokers, err)
		}
		tb.Cleanup(func() { c.cleanUp(tb) })
	default:
		tb.Fatalf("streamtest: unknown kind %q", k)
	}
	return c
}

func randomSuffix(tb testing.TB) string {
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(b)
}

// Config is a plaintext configuration of this cluster.
func (c *Cluster) Config(topic, group string) stream.Config {
	return stream.Config{Brokers: c.Brokers, Topic: topic, Group: group}
}

// Name makes base unique to this test (the same on both kinds).
func (c *Cluster) Name(base string) string { return base + "-" + c.suffix }

// Topic creates topic Name(base) and its dead-letter topic, each with
// partitions partitions, and returns the name.
func (c *Cluster) Topic(tb testing.TB, base string, partitions int32) string {
	tb.Helper()
	name := c.Name(base)
	c.CreateTopics(tb, partitions, name, stream.Config{Topic: name}.DLQTopic())
	return name
}

// Group returns Name(base), a consumer group deleted at the end.
func (c *Cluster) Group(base string) string {
	name := c.Name(base)
	c.mu.Lock()
	c.groups = append(c.groups, name)
	c.mu.Unlock()
	return name
}

// CreateTopics creates topics (exact names) with one replica each.
func (c *Cluster) CreateTopics(tb testing.TB, partitions int32, topics ...string) {
	tb.Helper()
	adm := c.Admin(tb)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	res, err := adm.CreateTopics(ctx, partitions, 1, nil, topics...)
	if err == nil {
		err = res.Error()
	}
	if err != nil {
		tb.Fatalf("create topics %v: %v", topics, err)
	}
	c.mu.Lock()
	c.topics = append(c.topics, topics...)
	c.mu.Unlock()
	// A new topic's partitions may take a moment to have a leader on a
	// real broker: wait until the metadata says so.
	for {
		md, err := adm.Metadata(ctx, topics...)
		if err == nil && ready(md, topics, partitions) {
			return
		}
		if ctx.Err() != nil {
			tb.Fatalf("topics %v never got their leaders: %v", topics, errors.Join(err, ctx.Err()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func ready(md kadm.Metadata, topics []string, partitions int32) bool {
	for _, name := range topics {
		td, ok := md.Topics[name]
		if !ok || td.Err != nil || int32(len(td.Partitions)) != partitions {
			return false
		}
		for _, p := range td.Partitions {
			if p.Err != nil || p.Leader < 0 {
				return false
			}
		}
	}
	return true
}

// Admin is an administrative client of the cluster (plaintext).
func (c *Cluster) Admin(tb testing.TB) *kadm.Client {
	tb.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.Brokers...))
	if err != nil {
		tb.Fatalf("kafka admin client: %v", err)
	}
	tb.Cleanup(cl.Close)
	return kadm.NewClient(cl)
}

// cleanUp deletes what the test made on the real broker; a failure is
// only logged: the names are unique, what stays behind harms no one.
func (c *Cluster) cleanUp(tb testing.TB) {
	c.mu.Lock()
	topics, groups := c.topics, c.groups
	c.mu.Unlock()
	if len(topics) == 0 && len(groups) == 0 {
		return
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.Brokers...))
	if err != nil {
		tb.Logf("clean-up: %v", err)
		return
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if len(groups) > 0 {
		if res, err := adm.DeleteGroups(ctx, groups...); err != nil {
			tb.Logf("clean-up: delete groups: %v", err)
		} else {
			for _, r := range res {
				if r.Err != nil && !isGone(r.Err) {
					tb.Logf("clean-up: delete group %s: %v", r.Group, r.Err)
				}
			}
		}
	}
	if len(topics) > 0 {
		if _, err := adm.DeleteTopics(ctx, topics...); err != nil {
			tb.Logf("clean-up: delete topics: %v", err)
		}
	}
}

func isGone(err error) bool { return errors.Is(err, kerr.GroupIDNotFound) }

// Secure describes the real broker's authenticated listeners.
type Secure struct {
	SSLBrokers     []string // TLS, client certificate required
	SASLSSLBrokers []string // TLS with a client certificate, and SASL
	SASLBrokers    []string // SASL without TLS
	CA             string   // PEM of the authority of the broker and of the client
	Cert, Key      string   // the client's certificate and key (PEM)
	User           string   // known to SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN
	Password       string
}

// RealSecure reads the real broker's authenticated listeners from the
// environment (skipping or failing as RequireReal does without a broker).
func RealSecure(tb testing.TB) Secure {
	tb.Helper()
	RequireReal(tb)
	s := Secure{
		SSLBrokers: stream.SplitList(os.Getenv(EnvSSLBrokers)), SASLSSLBrokers: stream.SplitList(os.Getenv(EnvSASLSSLBrokers)),
		SASLBrokers: stream.SplitList(os.Getenv(EnvSASLBrokers)),
		CA:          os.Getenv(EnvTLSCA), Cert: os.Getenv(EnvTLSCert), Key: os.Getenv(EnvTLSKey),
		User: os.Getenv(EnvSASLUser), Password: os.Getenv(EnvSASLPassword),
	}
	var missing []string
	for name, v := range map[string]bool{EnvSSLBrokers: len(s.SSLBrokers) > 0, EnvSASLSSLBrokers: len(s.SASLSSLBrokers) > 0,
		EnvSASLBrokers: len(s.SASLBrokers) > 0, EnvTLSCA: s.CA != "", EnvTLSCert: s.Cert != "", EnvTLSKey: s.Key != "",
		EnvSASLUser: s.User != "", EnvSASLPassword: s.Password != ""} {
		if !v {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		tb.Fatalf("%s is set but not %s: source the kafka.env that scripts/kafka.sh start wrote", EnvBrokers, strings.Join(missing, ", "))
	}
	return s
}

// SparkRemote is the Spark Connect server of the Spark tests
// (scripts/spark.sh start prints it): CI sets SCOLARITE_SPARK_REMOTE and
// SCOLARITE_REQUIRE_SPARK=1, which makes its absence a failure.
func SparkRemote(t testing.TB) string {
	t.Helper()
	r := os.Getenv("SCOLARITE_SPARK_REMOTE")
	if r == "" {
		if os.Getenv("SCOLARITE_REQUIRE_SPARK") == "1" {
			t.Fatal("a Spark Connect server is required (SCOLARITE_REQUIRE_SPARK=1) but SCOLARITE_SPARK_REMOTE is not set: scripts/spark.sh start prints it")
		}
		t.Skip("no Spark Connect server (SCOLARITE_SPARK_REMOTE, from scripts/spark.sh start)")
	}
	return r
}
