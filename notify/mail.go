package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
	"github.com/wneessen/go-mail/smtp"
)

// Sender delivers the messages of one channel. Send tries each message in
// order and returns one error per message: nil when the server or the
// provider accepted it, an error marked Permanent when retrying cannot
// help, errNotAttempted when ctx ended before it was tried.
type Sender interface {
	Send(ctx context.Context, ns []*Notification) []error
}

// Mailer sends e-mail through an SMTP server with go-mail: STARTTLS or
// implicit TLS, SMTP AUTH. One Send is one connection, used for all its
// messages; a caller sends from several goroutines with one Send each.
type Mailer struct {
	client *gomail.Client
	from   string
	now    func() time.Time
}

// NewMailer prepares the client; nothing is dialled until Send.
func NewMailer(c *SMTPConfig, from string) (*Mailer, error) {
	tlsConf := c.TLSConfig
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	}
	opts := []gomail.Option{gomail.WithPort(c.Port), gomail.WithTimeout(c.Timeout), gomail.WithTLSConfig(tlsConf)}
	switch c.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if c.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if c.Auth != "" {
			auth = gomail.SMTPAuthType(c.Auth)
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	client, err := gomail.NewClient(c.Host, opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP client for %s: %w", c, err)
	}
	return &Mailer{client: client, from: from, now: time.Now}, nil
}

// Send delivers ns over one connection, dialling again after a failure
// that may have broken it.
func (m *Mailer) Send(ctx context.Context, ns []*Notification) []error {
	errs := make([]error, len(ns))
	var conn *smtp.Client
	hangUp := func() {
		if conn != nil {
			_ = m.client.CloseWithSMTPClient(conn)
			conn = nil
		}
	}
	defer hangUp()
	for i, n := range ns {
		if ctx.Err() != nil {
			errs[i] = errNotAttempted
			continue
		}
		msg, err := buildMessage(m.from, n, m.now())
		if err != nil {
			errs[i] = err
			continue
		}
		if conn == nil {
			if conn, err = m.client.DialToSMTPClientWithContext(ctx); err != nil {
				conn = nil
				// The server is unreachable: every message left waits
				// for its next attempt.
				for j := i; j < len(ns); j++ {
					errs[j] = fmt.Errorf("connect to the SMTP server: %w", err)
					if ctx.Err() != nil {
						errs[j] = errNotAttempted
					}
				}
				return errs
			}
		}
		if err := m.client.SendWithSMTPClient(conn, msg); err != nil {
			errs[i] = classifySMTP(err)
			if !IsPermanent(errs[i]) {
				hangUp()
			}
		}
	}
	return errs
}

// classifySMTP marks 5xx replies (an unknown mailbox, a refused message)
// permanent; 4xx replies and broken connections are worth another try.
func classifySMTP(err error) error {
	var se *gomail.SendError
	if errors.As(err, &se) {
		if se.Reason == gomail.ErrGetRcpts || se.Reason == gomail.ErrGetSender {
			return Permanent(err)
		}
		if code := se.ErrorCode(); !se.IsTemp() && code >= 500 && code < 600 {
			return Permanent(err)
		}
	}
	return err
}

// buildMessage is the e-mail of n: UTF-8 plain text, a Message-ID made of
// the record's id (a receiver can tell a resent copy), and the headers
// that keep auto-responders quiet.
func buildMessage(from string, n *Notification, now time.Time) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithCharset(gomail.CharsetUTF8))
	if err := msg.From(from); err != nil {
		return nil, Permanent(fmt.Errorf("sender address %q: %w", from, err))
	}
	if _, err := mail.ParseAddress(n.Recipient); err != nil || strings.ContainsAny(n.Recipient, "<>") {
		return nil, Permanent(fmt.Errorf("invalid e-mail address %q", n.Recipient))
	}
	if err := msg.To(n.Recipient); err != nil {
		return nil, Permanent(fmt.Errorf("invalid e-mail address %q: %w", n.Recipient, err))
	}
	msg.Subject(n.Subject)
	msg.SetMessageIDWithValue(n.ID + "." + n.EventID + "@" + senderDomain(from))
	msg.SetDateWithValue(now)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetGenHeader("X-Scolarite-Notification", n.ID)
	msg.SetBodyString(gomail.TypeTextPlain, n.Body)
	return msg, nil
}

func senderDomain(from string) string {
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			return d
		}
	}
	return "scolarite.invalid"
}
