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

// TestTLSClientCertificateAndSASL runs the producer and a group consumer
// against a broker that demands a client certificate from our authority
// and a SASL log-in, for each mechanism; and checks that a wrong
// password, a missing or foreign certificate are refused.
func TestTLSClientCertificateAndSASL(t *testing.T) {
	p := newPKI(t)
	c := newCluster(t,
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{p.server}, ClientCAs: p.pool,
			ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}),
		kfake.EnableSASL(),
		kfake.Superuser(stream.MechanismSCRAM256, "alice", "sel-de-mer"),
		kfake.Superuser(stream.MechanismSCRAM512, "bob", "thiéboudienne"),
		kfake.Superuser(stream.MechanismPlain, "carol", "yassa"),
		kfake.GroupMinSessionTimeout(100*time.Millisecond),
	)
	base := stream.Config{Brokers: c.ListenAddrs(), Topic: topic, TLSCA: p.caFile, TLSCert: p.certFile, TLSKey: p.keyFile}
	users := []struct{ mech, user, pass string }{
		{stream.MechanismSCRAM256, "alice", "sel-de-mer"},
		{stream.MechanismSCRAM512, "bob", "thiéboudienne"},
		{stream.MechanismPlain, "carol", "yassa"},
	}
	for i, u := range users {
		t.Run(u.mech, func(t *testing.T) {
			cfg := base
			cfg.SASLMechanism, cfg.SASLUser, cfg.SASLPassword = u.mech, u.user, stream.Secret(u.pass)
			cfg.Group = "group-" + u.user
			if err := cfg.Ping(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			prod, err := stream.NewProducer(cfg, "test")
			if err != nil {
				t.Fatal(err)
			}
			defer prod.Close()
			if err := stream.PublishAll(ctxT(t), prod, []*kgo.Record{{Topic: topic, Value: []byte(u.user)}}); err != nil {
				t.Fatal(err)
			}
			h := &countHandler{}
			res, err := stream.Consume(ctxT(t), cfg, stream.ConsumeOptions{Idle: 700 * time.Millisecond, SessionTimeout: time.Second}, h)
			if err != nil {
				t.Fatal(err)
			}
			if res.Read != int64(i+1) || h.n != i+1 {
				t.Fatalf("group consumer read %d (handled %d), want %d", res.Read, h.n, i+1)
			}
			if s := cfg.String(); strings.Contains(s, u.pass) || !strings.Contains(s, u.user) {
				t.Fatalf("configuration shown as %q", s)
			}
		})
	}

	refused := map[string]func(*stream.Config){
		"wrong password": func(c *stream.Config) {
			c.SASLMechanism, c.SASLUser, c.SASLPassword = stream.MechanismSCRAM256, "alice", "wrong"
		},
		"no client certificate": func(c *stream.Config) {
			c.TLSCert, c.TLSKey = "", ""
			c.SASLMechanism, c.SASLUser, c.SASLPassword = stream.MechanismSCRAM256, "alice", "sel-de-mer"
		},
		"certificate of another authority": func(c *stream.Config) {
			c.TLSCert, c.TLSKey = p.otherCertFile, p.otherKeyFile
			c.SASLMechanism, c.SASLUser, c.SASLPassword = stream.MechanismSCRAM256, "alice", "sel-de-mer"
		},
		"no SASL": func(*stream.Config) {},
	}
	for name, change := range refused {
		t.Run(name, func(t *testing.T) {
			cfg := base
			change(&cfg)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if err := cfg.Ping(ctx); err == nil {
				t.Fatal("the broker let the client in")
			}
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
