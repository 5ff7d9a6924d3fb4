package notify

import (
	"errors"
	"strings"
	"testing"
)

func env(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) string { return m[k] }
}

func TestParseSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url, tls string
		port     int
		user     string
	}{
		{"smtp://localhost:1025", TLSOpportunistic, 1025, ""},
		{"smtp://mailpit", TLSOpportunistic, 25, ""},
		{"smtp://u%40x.sn:p%40ss@relay.example:587", TLSStartTLS, 587, "u@x.sn"},
		{"smtp://u:p@relay.example", TLSStartTLS, 587, "u"},
		{"smtps://u:p@relay.example", TLSImplicit, 465, "u"},
		{"smtp://relay.example?tls=tls", TLSImplicit, 465, ""},
		{"smtp://u:p@relay.example:2525?tls=none&auth=login", TLSNone, 2525, "u"},
	} {
		c, err := ParseSMTPURL(tc.url)
		if err != nil {
			t.Errorf("%s: %v", tc.url, err)
			continue
		}
		if c.TLS != tc.tls || c.Port != tc.port || c.Username != tc.user {
			t.Errorf("%s: tls %s port %d user %q; want %s %d %q", tc.url, c.TLS, c.Port, c.Username, tc.tls, tc.port, tc.user)
		}
	}
	for _, bad := range []string{"http://x", "smtp://", "smtp://h?tls=maybe", "smtp://h:99999", "smtp://u:s3cr%zzet@h"} {
		if _, err := ParseSMTPURL(bad); err == nil {
			t.Errorf("%s accepted", bad)
		} else if strings.Contains(err.Error(), "s3cr") {
			t.Errorf("error quotes the password: %v", err)
		}
	}
}

func TestLoadConfigDefaultsAndSecrets(t *testing.T) {
	c, err := LoadConfig(env(), "/data")
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP != nil || c.SMSProvider != "log" || c.MailFile != "/data/notifications/mail.mbox" || len(c.Channels) != 2 || c.Lang != "fr" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = LoadConfig(env(EnvSMTPURL, "smtp://scolarite:Tr%C3%A8sSecret@relay.esp221.sn:587", EnvSMSProvider, "twilio",
		EnvTwilioSID, "AC123", EnvTwilioToken, "tok-EN-secret", EnvSMSFrom, "+221770000000",
		EnvStaff, "direction@esp221.sn, 77 000 00 01", EnvLang, "en"), "/data")
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Password != "TrèsSecret" || c.Staff[1] != "+221770000001" || c.Lang != "en" {
		t.Errorf("parsed: %+v %+v", c, c.SMTP)
	}
	d := c.Describe()
	for _, secret := range []string{"TrèsSecret", "Tr%C3%A8sSecret", "tok-EN-secret"} {
		if strings.Contains(d, secret) {
			t.Errorf("Describe shows a secret: %s", d)
		}
	}
	if !strings.Contains(d, "relay.esp221.sn:587") || !strings.Contains(d, "AC123") {
		t.Errorf("Describe: %s", d)
	}
	r := NewRedactor(c.Secrets()...)
	leak := errors.New(`dial smtp://scolarite:Tr%C3%A8sSecret@relay: auth TrèsSecret failed; token tok-EN-secret`)
	if got := r.Error(leak); strings.Contains(got, "Secret") || strings.Contains(got, "secret") {
		t.Errorf("redacted: %s", got)
	}

	for _, bad := range [][]string{
		{EnvSMSProvider, "carrier-pigeon"},
		{EnvSMSProvider, "twilio", EnvTwilioSID, "AC1"},
		{EnvStaff, "not an address"},
		{EnvLang, "wo"},
		{EnvChannels, "email,fax"},
		{EnvSMTPFrom, "nobody"},
	} {
		if _, err := LoadConfig(env(bad...), "/data"); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	c, _ = LoadConfig(env(EnvSMSProvider, "off"), "/data")
	if len(c.Channels) != 1 || c.Channels[0] != Email {
		t.Errorf("SMS_PROVIDER=off: channels %v", c.Channels)
	}
}
