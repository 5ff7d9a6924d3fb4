package notify_test

import (
	"context"
	"crypto/tls"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	"scolarite/notify"
)

// parsed is a received message with its headers and text decoded.
type parsed struct {
	header mail.Header
	body   string
}

func parse(t *testing.T, data string) parsed {
	t.Helper()
	msg, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("not an RFC 5322 message: %v\n%s", err, data)
	}
	var r io.Reader = msg.Body
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		r = quotedprintable.NewReader(msg.Body)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return parsed{header: msg.Header, body: strings.ReplaceAll(string(b), "\r\n", "\n")}
}

func (p parsed) get(t *testing.T, name string) string {
	t.Helper()
	v, err := new(mime.WordDecoder).DecodeHeader(p.header.Get(name))
	if err != nil {
		t.Fatalf("header %s: %v", name, err)
	}
	return v
}

func smtpConfig(t testing.TB, m *mailServer, rawURL string, tlsConf *tls.Config) *notify.SMTPConfig {
	t.Helper()
	c, err := notify.ParseSMTPURL(strings.Replace(rawURL, "ADDR", m.addr, 1))
	if err != nil {
		t.Fatal(err)
	}
	c.TLSConfig, c.Timeout = tlsConf, 5*time.Second
	return c
}

func mailer(t testing.TB, c *notify.SMTPConfig) *notify.Mailer {
	t.Helper()
	m, err := notify.NewMailer(c, "Scolarité ÉSP 221 <scolarite@esp221.sn>")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func emailTo(id, to string) *notify.Notification {
	return &notify.Notification{ID: id, EventID: "6b00000000000000000000e1", Channel: notify.Email, Recipient: to,
		Subject: "ÉSP 221 · Nouvelle note en Mathématiques",
		Body:    "Bonjour Ndèye DIOP,\n\n  Note          : 12,5/20\n  Votre moyenne : 11,25/20\n\n— ÉSP 221 « Scolarité »\n"}
}

func TestMailerSTARTTLSWithAuth(t *testing.T) {
	srv := newMailServer(t)
	srv.user, srv.pass = "scolarite", "pa:ss wörd"
	trust := srv.withTLS(false)
	srv.start()
	c := smtpConfig(t, srv, "smtp://scolarite:pa%3Ass%20w%C3%B6rd@ADDR", trust)
	if c.TLS != notify.TLSStartTLS {
		t.Fatalf("a URL with a user must require STARTTLS, got %s", c.TLS)
	}
	errs := mailer(t, c).Send(t.Context(), []*notify.Notification{
		emailTo("n1", "ndeye.diop@esp221.sn"), emailTo("n2", "awa.fall@esp221.sn"),
	})
	for i, err := range errs {
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
	}
	got := srv.messages()
	if len(got) != 2 {
		t.Fatalf("server received %d messages, want 2", len(got))
	}
	r := got[0]
	if !r.TLS || r.User != "scolarite" || r.From != "scolarite@esp221.sn" || len(r.To) != 1 || r.To[0] != "ndeye.diop@esp221.sn" {
		t.Errorf("envelope: TLS %v user %q from %q to %v", r.TLS, r.User, r.From, r.To)
	}
	if got[1].To[0] != "awa.fall@esp221.sn" {
		t.Errorf("second message to %v", got[1].To)
	}
	p := parse(t, r.Data)
	for name, want := range map[string]string{
		"To":                       "<ndeye.diop@esp221.sn>",
		"Subject":                  "ÉSP 221 · Nouvelle note en Mathématiques",
		"Message-Id":               "<n1.6b00000000000000000000e1@esp221.sn>",
		"Auto-Submitted":           "auto-generated",
		"X-Auto-Response-Suppress": "All",
		"X-Scolarite-Notification": "n1",
		"Mime-Version":             "1.0",
	} {
		if v := p.get(t, name); v != want {
			t.Errorf("header %s = %q, want %q", name, v, want)
		}
	}
	if from, err := p.header.AddressList("From"); err != nil || len(from) != 1 || from[0].Name != "Scolarité ÉSP 221" || from[0].Address != "scolarite@esp221.sn" {
		t.Errorf("From %v, %v", from, err)
	}
	if head, _, _ := strings.Cut(r.Data, "\r\n\r\n"); !isASCII(head) {
		t.Errorf("headers are not 7-bit (non-ASCII must be encoded words):\n%s", head)
	}
	if ct := p.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "charset=utf-8") {
		t.Errorf("Content-Type %q", ct)
	}
	if d, err := p.header.Date(); err != nil || time.Since(d) > time.Minute {
		t.Errorf("Date %v, %v", d, err)
	}
	if p.body != emailTo("", "").Body {
		t.Errorf("body decoded:\n%q\nwant\n%q", p.body, emailTo("", "").Body)
	}
}

func TestMailerImplicitTLS(t *testing.T) {
	srv := newMailServer(t)
	trust := srv.withTLS(true)
	srv.start()
	errs := mailer(t, smtpConfig(t, srv, "smtps://ADDR", trust)).Send(t.Context(), []*notify.Notification{emailTo("n1", "a@esp221.sn")})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if got := srv.messages(); len(got) != 1 || !got[0].TLS {
		t.Fatalf("received %+v", got)
	}
}

func TestMailerRefusesToSendWithoutTheTLSItRequires(t *testing.T) {
	srv := newMailServer(t) // no STARTTLS offered
	srv.start()
	errs := mailer(t, smtpConfig(t, srv, "smtp://u:secret@ADDR", nil)).Send(t.Context(), []*notify.Notification{emailTo("n1", "a@esp221.sn")})
	if errs[0] == nil || notify.IsPermanent(errs[0]) {
		t.Fatalf("want a temporary error, got %v", errs[0])
	}
	if len(srv.messages()) != 0 {
		t.Fatal("a message was sent in clear")
	}
}

func TestMailerPerMessageFailures(t *testing.T) {
	srv := newMailServer(t)
	srv.reject["gone@esp221.sn"] = true
	srv.start()
	m := mailer(t, smtpConfig(t, srv, "smtp://ADDR?tls=none", nil))
	errs := m.Send(t.Context(), []*notify.Notification{
		emailTo("n1", "gone@esp221.sn"),
		emailTo("n2", "pas une adresse"),
		emailTo("n3", "ok@esp221.sn"),
	})
	if !notify.IsPermanent(errs[0]) || !strings.Contains(errs[0].Error(), "550") {
		t.Errorf("refused mailbox: %v (permanent %v)", errs[0], notify.IsPermanent(errs[0]))
	}
	if !notify.IsPermanent(errs[1]) || !strings.Contains(errs[1].Error(), "invalid e-mail address") {
		t.Errorf("invalid address: %v", errs[1])
	}
	if errs[2] != nil {
		t.Errorf("the good one after two failures: %v", errs[2])
	}
	if got := srv.messages(); len(got) != 1 || got[0].To[0] != "ok@esp221.sn" {
		t.Errorf("received %+v", got)
	}
}

func TestMailerServerDown(t *testing.T) {
	srv := newMailServer(t) // never started
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	errs := mailer(t, smtpConfig(t, srv, "smtp://ADDR", nil)).Send(ctx, []*notify.Notification{emailTo("n1", "a@esp221.sn"), emailTo("n2", "b@esp221.sn")})
	for i, err := range errs {
		if err == nil || notify.IsPermanent(err) {
			t.Errorf("message %d: want a temporary error, got %v", i, err)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
