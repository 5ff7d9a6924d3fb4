package stream_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"scolarite/stream"
)

func TestConfigFromEnv(t *testing.T) {
	env := map[string]string{
		"KAFKA_BROKERS": " k1:9093, k2:9093 ,", "KAFKA_TLS": "true", "KAFKA_SASL_MECHANISM": "scram-sha-512",
		"KAFKA_SASL_USER": "scolarite", "KAFKA_SASL_PASSWORD": "tres-secret",
	}
	c := stream.ConfigFromEnv(func(k string) string { return env[k] })
	if strings.Join(c.Brokers, "|") != "k1:9093|k2:9093" || !c.UsesTLS() || c.SASLMechanism != stream.MechanismSCRAM512 ||
		c.Topic != stream.DefaultTopic || c.Group != stream.DefaultGroup || c.DLQTopic() != "student-events.dlq" {
		t.Fatalf("config %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if stream.ConfigFromEnv(func(string) string { return "" }).Configured() {
		t.Fatal("no brokers means not configured")
	}
}

func TestConfigValidate(t *testing.T) {
	cases := map[string]stream.Config{
		"certificate without key": {TLSCert: "c.pem"},
		"unknown mechanism":       {SASLMechanism: "GSSAPI", SASLUser: "u", SASLPassword: "p"},
		"mechanism without user":  {SASLMechanism: "PLAIN"},
		"password without mech":   {SASLPassword: "p"},
		"bad topic":               {Topic: "student events"},
	}
	for name, c := range cases {
		if err := c.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestSecretNeverPrinted: however a configuration is printed or logged,
// the password does not appear.
func TestSecretNeverPrinted(t *testing.T) {
	c := stream.Config{Brokers: []string{"k:9093"}, SASLMechanism: "PLAIN", SASLUser: "u", SASLPassword: "tres-secret"}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("kafka", "config", c, "password", c.SASLPassword)
	j, _ := json.Marshal(c)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), c.String(), logged.String(), string(j),
		fmt.Sprint(c.Describe())} {
		if strings.Contains(s, "tres-secret") {
			t.Fatalf("password printed: %s", s)
		}
	}
	if !strings.Contains(c.String(), "***") {
		t.Fatalf("the description should say a password is set: %s", c.String())
	}
}
