package analytics

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scolarite/stream"
	"scolarite/stream/streamtest"
)

// testCertFiles writes a self-signed certificate and its key (SEC 1, not
// PKCS#8) to dir.
func testCertFiles(t testing.TB, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "scolarite"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kd, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	for path, b := range map[string]*pem.Block{cert: {Type: "CERTIFICATE", Bytes: der}, key: {Type: "EC PRIVATE KEY", Bytes: kd}} {
		if err := os.WriteFile(path, pem.EncodeToMemory(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return cert, key
}

// TestSparkSourceOptions: the Kafka source's options carry this
// process's TLS and SASL settings inline, the key as PKCS#8, the JAAS
// values quoted.
func TestSparkSourceOptions(t *testing.T) {
	cert, key := testCertFiles(t, t.TempDir())
	pass := `mot "de" passe\ ok`
	for _, tc := range []struct {
		name string
		cfg  stream.Config
		want map[string]string
	}{
		{"plaintext", stream.Config{}, map[string]string{"kafka.bootstrap.servers": "k:1,k:2"}},
		{"tls", stream.Config{TLS: true}, map[string]string{"kafka.security.protocol": "SSL"}},
		{"mutual tls", stream.Config{TLSCA: cert, TLSCert: cert, TLSKey: key}, map[string]string{"kafka.security.protocol": "SSL",
			"kafka.ssl.truststore.type": "PEM", "kafka.ssl.keystore.type": "PEM"}},
		{"sasl", stream.Config{SASLMechanism: stream.MechanismPlain, SASLUser: "u", SASLPassword: stream.Secret(pass)}, map[string]string{
			"kafka.security.protocol": "SASL_PLAINTEXT", "kafka.sasl.mechanism": "PLAIN",
			"kafka.sasl.jaas.config": plainLoginModule + ` required username="u" password="mot \"de\" passe\\ ok";`}},
		{"sasl over tls", stream.Config{TLSCA: cert, SASLMechanism: stream.MechanismSCRAM512, SASLUser: "u", SASLPassword: "p"}, map[string]string{
			"kafka.security.protocol": "SASL_SSL", "kafka.sasl.mechanism": "SCRAM-SHA-512",
			"kafka.sasl.jaas.config": scramLoginModule + ` required username="u" password="p";`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src, err := newSparkSource(tc.cfg, []string{"k:1", "k:2"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, kv := range src.options {
				got[kv[0]] = kv[1]
			}
			for k, v := range tc.want {
				if got[k] != v {
					t.Errorf("%s = %q, want %q", k, got[k], v)
				}
			}
			if tc.cfg.TLSCert != "" {
				b, _ := pem.Decode([]byte(got["kafka.ssl.keystore.key"]))
				if b == nil || b.Type != "PRIVATE KEY" {
					t.Fatalf("the key is not PEM PKCS#8: %q", got["kafka.ssl.keystore.key"])
				}
				if _, err := x509.ParsePKCS8PrivateKey(b.Bytes); err != nil {
					t.Fatal(err)
				}
				if !strings.HasPrefix(got["kafka.ssl.keystore.certificate.chain"], "-----BEGIN CERTIFICATE-----") ||
					!strings.HasPrefix(got["kafka.ssl.truststore.certificates"], "-----BEGIN CERTIFICATE-----") {
					t.Fatalf("certificates: %v", got)
				}
			}
		})
	}
	if _, err := newSparkSource(stream.Config{TLSCA: key}, nil); err == nil || !strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("a CA file without a certificate: %v", err)
	}
}

// TestSparkErrorsHideSecrets: when the statement that creates the Kafka
// view fails, Spark's error (which may quote the statement) shows neither
// the SASL password nor the client key.
func TestSparkErrorsHideSecrets(t *testing.T) {
	remote := streamtest.SparkRemote(t)
	cert, key := testCertFiles(t, t.TempDir())
	const pass = "s3cret-'pass\"word-4242"
	src, err := newSparkSource(stream.Config{TLSCA: cert, TLSCert: cert, TLSKey: key, SASLMechanism: stream.MechanismSCRAM512,
		SASLUser: "scolarite", SASLPassword: pass}, []string{"127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sp, err := newSparkSession(ctx, remote, src.secrets)
	if err != nil {
		t.Fatal(err)
	}
	var keyLines []string
	for _, kv := range src.options {
		if kv[0] == "kafka.ssl.keystore.key" {
			for _, l := range strings.Split(kv[1], "\n") {
				if !strings.HasPrefix(l, "-----") && l != "" {
					keyLines = append(keyLines, l)
				}
			}
		}
	}
	if len(keyLines) == 0 {
		t.Fatal("no client key in the options")
	}
	bad := strings.Replace(sparkViewSQL("v", src.options), "USING kafka", "USING kafka kafka", 1)
	for _, tc := range []struct {
		name string
		run  func() error
		want string
	}{
		{"syntax error", func() error { _, err := sp.exec(ctx, "read", bad); return err }, "PARSE_SYNTAX_ERROR"},
		{"refused offsets", func() error {
			_, err := sp.decode(ctx, src, "t", []offsetRange{{partition: 0, from: -1, to: 5}})
			return err
		}, "latest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.run()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one about %q", err, tc.want)
			}
			t.Logf("%v", err)
			for _, s := range append([]string{pass, "s3cret", "4242"}, keyLines...) {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("the error shows %q: %v", s, err)
				}
			}
		})
	}
}

// TestSparkParitySecure: over the broker's SASL_SSL listener (TLS with a
// client certificate, and SCRAM-SHA-512), Spark's Kafka client given the
// same settings inline reads the topic, and the two engines give the same
// table and reject the same messages.
func TestSparkParitySecure(t *testing.T) {
	remote := streamtest.SparkRemote(t)
	cfg := sparkKafka(t)
	sec := streamtest.RealSecure(t)
	secure := cfg
	secure.Brokers = sec.SASLSSLBrokers
	secure.TLSCA, secure.TLSCert, secure.TLSKey = sec.CA, sec.Cert, sec.Key
	secure.SASLMechanism, secure.SASLUser, secure.SASLPassword = stream.MechanismSCRAM512, sec.User, stream.Secret(sec.Password)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir := t.TempDir()
	opts := func(name string) Options {
		o := runOpts(t, secure, dir)
		o.DBPath = filepath.Join(dir, name+".db")
		o.Kafka.Group = cfg.Group + "-" + name
		return o
	}

	parityTopic(t, cfg, 2000, 1)
	a := mustRun(t, opts("inproc"))
	b, err := RunSpark(ctx, opts("spark"), SparkOptions{Remote: remote})
	if err != nil {
		t.Fatalf("spark run over SASL_SSL: %v", err)
	}
	sameTable(t, "SASL_SSL", a.Report, b.Report)
	if a.Consumed.Read != b.Consumed.Read || b.Consumed.Read < 2000 || b.Report.Rejected == 0 {
		t.Fatalf("read %d in-process, %d on Spark (%s)", a.Consumed.Read, b.Consumed.Read, totals(b.Report))
	}
	dead := deadLetters(t, cfg)
	if int64(len(dead)) != a.Report.Rejected {
		t.Fatalf("%d messages in the dead-letter topic, %d rejected", len(dead), a.Report.Rejected)
	}
	for at, reasons := range dead {
		if len(reasons) != 2 {
			t.Fatalf("message %s sent %d times to the dead-letter topic, want once per engine", at, len(reasons))
		}
	}
}
