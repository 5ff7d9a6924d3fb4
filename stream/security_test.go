package stream_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// pki is a test certificate authority with a broker and a client
// certificate, written as PEM files.
type pki struct {
	dir                         string
	caFile, certFile, keyFile   string
	otherCertFile, otherKeyFile string // signed by another authority
	server                      tls.Certificate
	pool                        *x509.CertPool
}

func newPKI(t *testing.T) *pki {
	t.Helper()
	p := &pki{dir: t.TempDir()}
	caKey, caCert, caDER := newCA(t, "Scolarité test CA")
	p.caFile = writePEM(t, p.dir, "ca.pem", "CERTIFICATE", caDER)
	p.pool = x509.NewCertPool()
	p.pool.AddCert(caCert)
	serverDER, serverKey := sign(t, caCert, caKey, "broker", x509.ExtKeyUsageServerAuth)
	p.server = tls.Certificate{Certificate: [][]byte{serverDER}, PrivateKey: serverKey}
	clientDER, clientKey := sign(t, caCert, caKey, "scolarite", x509.ExtKeyUsageClientAuth)
	p.certFile = writePEM(t, p.dir, "client.pem", "CERTIFICATE", clientDER)
	p.keyFile = writePEM(t, p.dir, "client-key.pem", "EC PRIVATE KEY", marshalKey(t, clientKey))
	otherKey, otherCA, _ := newCA(t, "someone else")
	otherDER, otherClientKey := sign(t, otherCA, otherKey, "intruder", x509.ExtKeyUsageClientAuth)
	p.otherCertFile = writePEM(t, p.dir, "other.pem", "CERTIFICATE", otherDER)
	p.otherKeyFile = writePEM(t, p.dir, "other-key.pem", "EC PRIVATE KEY", marshalKey(t, otherClientKey))
	return p
}

func newCA(t *testing.T, name string) (*ecdsa.PrivateKey, *x509.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return key, cert, der
}

func sign(t *testing.T, ca *x509.Certificate, caKey *ecdsa.PrivateKey, name string, usage x509.ExtKeyUsage) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

func marshalKey(t *testing.T, k *ecdsa.PrivateKey) []byte {
	b, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// login is a SASL mechanism, user and password.
type login struct{ mech, user, pass string }

// secured is a cluster whose listeners demand a client certificate from
// its authority: one with TLS alone, one with SASL too.
type secured struct {
	tlsOnly, saslSSL []string
	topic            string
	ca, cert, key    string
	foreign          [2]string // certificate and key of another authority
	logins           []login   // SCRAM-SHA-512 first
	group            func(string) string
	shared           bool // both listeners reach one topic (a real broker's)
}

// fakeSecured is two kfake clusters (one for each listener: a kfake
// cluster has one) with users of each mechanism.
func fakeSecured(t *testing.T) secured {
	p := newPKI(t)
	mtls := func() kfake.Opt {
		return kfake.TLS(&tls.Config{Certificates: []tls.Certificate{p.server}, ClientCAs: p.pool,
			ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12})
	}
	tlsOnly := streamtest.New(t, streamtest.Fake, mtls(), kfake.SeedTopics(4, topic))
	saslSSL := streamtest.New(t, streamtest.Fake, mtls(), kfake.SeedTopics(4, topic),
		kfake.EnableSASL(),
		kfake.Superuser(stream.MechanismSCRAM512, "bob", "thiéboudienne"),
		kfake.Superuser(stream.MechanismSCRAM256, "alice", "sel-de-mer"),
		kfake.Superuser(stream.MechanismPlain, "carol", "yassa"))
	return secured{tlsOnly: tlsOnly.Brokers, saslSSL: saslSSL.Brokers, topic: topic,
		ca: p.caFile, cert: p.certFile, key: p.keyFile, foreign: [2]string{p.otherCertFile, p.otherKeyFile},
		logins: []login{
			{stream.MechanismSCRAM512, "bob", "thiéboudienne"},
			{stream.MechanismSCRAM256, "alice", "sel-de-mer"},
			{stream.MechanismPlain, "carol", "yassa"},
		},
		group: func(base string) string { return base }}
}

// realSecured is the real broker's SSL and SASL_SSL listeners
// (scripts/kafka.sh), its user known to every mechanism; the test's own
// authority is the foreign one.
func realSecured(t *testing.T) secured {
	s := streamtest.RealSecure(t)
	c := streamtest.New(t, streamtest.Real)
	p := newPKI(t)
	return secured{tlsOnly: s.SSLBrokers, saslSSL: s.SASLSSLBrokers, topic: c.Topic(t, topic, 4),
		ca: s.CA, cert: s.Cert, key: s.Key, foreign: [2]string{p.certFile, p.keyFile},
		logins: []login{
			{stream.MechanismSCRAM512, s.User, s.Password},
			{stream.MechanismSCRAM256, s.User, s.Password},
			{stream.MechanismPlain, s.User, s.Password},
		},
		group: c.Group, shared: true}
}

// TestTLSClientCertificateAndSASL runs the producer and a group consumer
// against a listener that demands a client certificate from our authority,
// and one that demands a SASL log-in too, for each mechanism; and checks
// that a wrong password, a missing or foreign certificate are refused.
func TestTLSClientCertificateAndSASL(t *testing.T) {
	streamtest.Each(t, func(t *testing.T, k streamtest.Kind) {
		s := map[streamtest.Kind]func(*testing.T) secured{streamtest.Fake: fakeSecured, streamtest.Real: realSecured}[k](t)
		testSecured(t, s)
	})
}

func testSecured(t *testing.T, s secured) {
	withCert := stream.Config{Topic: s.topic, TLSCA: s.ca, TLSCert: s.cert, TLSKey: s.key}
	roundTrip := func(t *testing.T, cfg stream.Config, value string, want int) {
		t.Helper()
		if err := cfg.Ping(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		prod, err := stream.NewProducer(cfg, "test")
		if err != nil {
			t.Fatal(err)
		}
		defer prod.Close()
		if err := stream.PublishAll(ctxT(t), prod, []*kgo.Record{{Topic: cfg.Topic, Value: []byte(value)}}); err != nil {
			t.Fatal(err)
		}
		h := &countHandler{}
		res, err := stream.Consume(ctxT(t), cfg, stream.ConsumeOptions{Idle: 700 * time.Millisecond, SessionTimeout: time.Second}, h)
		if err != nil {
			t.Fatal(err)
		}
		if res.Read != int64(want) || h.n != want {
			t.Fatalf("group consumer read %d (handled %d), want %d", res.Read, h.n, want)
		}
	}

	t.Run("TLS", func(t *testing.T) {
		cfg := withCert
		cfg.Brokers, cfg.Group = s.tlsOnly, s.group("group-tls")
		roundTrip(t, cfg, "tls", 1)
	})
	for i, u := range s.logins {
		t.Run(u.mech, func(t *testing.T) {
			cfg := withCert
			cfg.Brokers = s.saslSSL
			cfg.SASLMechanism, cfg.SASLUser, cfg.SASLPassword = u.mech, u.user, stream.Secret(u.pass)
			cfg.Group = s.group("group-" + strings.ToLower(u.mech))
			first := 1 // each log-in adds a record the next group reads too
			if s.shared {
				first = 2 // and the TLS sub-test's
			}
			roundTrip(t, cfg, u.mech, first+i)
			if str := cfg.String(); strings.Contains(str, u.pass) || !strings.Contains(str, u.user) {
				t.Fatalf("configuration shown as %q", str)
			}
		})
	}

	scram := s.logins[0]
	refused := map[string]func(*stream.Config){
		"wrong password": func(c *stream.Config) {
			c.SASLMechanism, c.SASLUser, c.SASLPassword = scram.mech, scram.user, "wrong"
		},
		"no client certificate": func(c *stream.Config) {
			c.TLSCert, c.TLSKey = "", ""
			c.SASLMechanism, c.SASLUser, c.SASLPassword = scram.mech, scram.user, stream.Secret(scram.pass)
		},
		"certificate of another authority": func(c *stream.Config) {
			c.TLSCert, c.TLSKey = s.foreign[0], s.foreign[1]
			c.SASLMechanism, c.SASLUser, c.SASLPassword = scram.mech, scram.user, stream.Secret(scram.pass)
		},
		"no SASL": func(*stream.Config) {},
		"TLS: no client certificate": func(c *stream.Config) {
			c.Brokers, c.TLSCert, c.TLSKey = s.tlsOnly, "", ""
		},
		"TLS: certificate of another authority": func(c *stream.Config) {
			c.Brokers, c.TLSCert, c.TLSKey = s.tlsOnly, s.foreign[0], s.foreign[1]
		},
	}
	for name, change := range refused {
		t.Run(name, func(t *testing.T) {
			cfg := withCert
			cfg.Brokers = s.saslSSL
			change(&cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			err := cfg.Ping(ctx)
			if err == nil {
				t.Fatal("the broker let the client in")
			}
			t.Logf("refused: %v", err)
		})
	}
}

type countHandler struct{ n int }

func (h *countHandler) Assigned(context.Context, string, []int32) error { return nil }
func (h *countHandler) Revoked(string, []int32)                         {}
func (h *countHandler) Handle(_ context.Context, b *stream.Batch) (stream.Durable, error) {
	h.n += len(b.Records)
	return nil, nil
}
