package analytics

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"slices"
	"strings"

	"scolarite/stream"
)

// sparkSource is the options of Spark's Kafka source for a run: the
// brokers as Spark reaches them and the security of this process's own
// client, inline (PEM text, a JAAS line), so that nothing needs
// installing on the cluster; and the texts among them that must appear in
// no error and no log.
type sparkSource struct {
	options [][2]string
	secrets []string
}

// The JAAS login modules of Kafka's SASL mechanisms.
const (
	plainLoginModule = "org.apache.kafka.common.security.plain.PlainLoginModule"
	scramLoginModule = "org.apache.kafka.common.security.scram.ScramLoginModule"
)

// newSparkSource is the source's options for c (TLS files read here).
// Kafka's own default stays for the rest, host name verification
// included: the brokers' certificates must name the addresses Spark
// reaches them by.
func newSparkSource(c stream.Config, bootstrap []string) (*sparkSource, error) {
	s := &sparkSource{options: [][2]string{{"kafka.bootstrap.servers", strings.Join(bootstrap, ",")}}}
	tlsOn, sasl := c.UsesTLS(), c.SASLMechanism != ""
	switch {
	case tlsOn && sasl:
		s.add("kafka.security.protocol", "SASL_SSL")
	case tlsOn:
		s.add("kafka.security.protocol", "SSL")
	case sasl:
		s.add("kafka.security.protocol", "SASL_PLAINTEXT")
	}
	if c.TLSCA != "" {
		ca, err := sparkCA(c.TLSCA)
		if err != nil {
			return nil, err
		}
		s.add("kafka.ssl.truststore.type", "PEM")
		s.add("kafka.ssl.truststore.certificates", ca)
	}
	if c.TLSCert != "" || c.TLSKey != "" {
		chain, key, err := sparkClientCert(c.TLSCert, c.TLSKey)
		if err != nil {
			return nil, err
		}
		s.add("kafka.ssl.keystore.type", "PEM")
		s.add("kafka.ssl.keystore.certificate.chain", chain)
		s.add("kafka.ssl.keystore.key", key)
		s.secrets = append(s.secrets, key)
	}
	if sasl {
		module := scramLoginModule
		switch c.SASLMechanism {
		case stream.MechanismPlain:
			module = plainLoginModule
		case stream.MechanismSCRAM256, stream.MechanismSCRAM512:
		default:
			return nil, fmt.Errorf("kafka: unknown SASL mechanism %q (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)", c.SASLMechanism)
		}
		pass := string(c.SASLPassword)
		s.add("kafka.sasl.mechanism", c.SASLMechanism)
		s.add("kafka.sasl.jaas.config", fmt.Sprintf("%s required username=%s password=%s;", module, jaasQuote(c.SASLUser), jaasQuote(pass)))
		s.secrets = append(s.secrets, pass, jaasQuote(pass))
	}
	return s, nil
}

func (s *sparkSource) add(key, value string) { s.options = append(s.options, [2]string{key, value}) }

// jaasQuote quotes s as a JAAS option value: Kafka's parser (Java's
// StreamTokenizer) reads backslash escapes inside double quotes and ends
// a quoted value at a line break.
func jaasQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", `\r`).Replace(s) + `"`
}

// sparkCA is the certificates of the PEM file path, as Kafka's PEM trust
// store reads them (certificate blocks only).
func sparkCA(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("kafka: read TLS CA: %w", err)
	}
	var b strings.Builder
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: block.Bytes}))
		}
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("kafka: no PEM certificate in %s", path)
	}
	return b.String(), nil
}

// sparkClientCert is the client certificate's chain and its key as
// Kafka's PEM key store reads them: the key as unencrypted PKCS#8,
// whatever form Go read it in (PKCS#1, SEC 1 or PKCS#8).
func sparkClientCert(certPath, keyPath string) (chain, key string, err error) {
	pair, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return "", "", fmt.Errorf("kafka: load TLS client certificate: %w", err)
	}
	var b strings.Builder
	for _, der := range pair.Certificate {
		b.Write(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	}
	der, err := x509.MarshalPKCS8PrivateKey(pair.PrivateKey)
	if err != nil {
		return "", "", fmt.Errorf("kafka: the key of the TLS client certificate as PKCS#8: %w", err)
	}
	return b.String(), string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// redact removes the secrets from msg, as written and as a SQL literal
// (sqlString) writes them.
func redact(msg string, secrets []string) string {
	secrets = slices.Clone(secrets)
	slices.SortFunc(secrets, func(a, b string) int { return len(b) - len(a) }) // a secret may hold another
	for _, s := range secrets {
		if s == "" {
			continue
		}
		msg = strings.ReplaceAll(msg, s, "***")
		msg = strings.ReplaceAll(msg, sqlEscape(s), "***")
	}
	return msg
}
