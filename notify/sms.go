package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// SMSProvider sends one text message. Errors retrying cannot fix (a number
// the provider refuses) are marked with Permanent.
type SMSProvider interface {
	SendSMS(ctx context.Context, to, body string) error
}

// SMSSender is the SMS channel over a provider.
type SMSSender struct {
	Provider SMSProvider
}

// Send sends each message in turn.
func (s SMSSender) Send(ctx context.Context, ns []*Notification) []error {
	errs := make([]error, len(ns))
	for i, n := range ns {
		switch {
		case ctx.Err() != nil:
			errs[i] = errNotAttempted
		case !isE164(n.Recipient):
			errs[i] = Permanent(fmt.Errorf("invalid phone number %q (want +country digits)", n.Recipient))
		default:
			errs[i] = s.Provider.SendSMS(ctx, n.Recipient, n.Body)
			if errs[i] != nil && ctx.Err() != nil && errors.Is(errs[i], ctx.Err()) {
				errs[i] = errNotAttempted
			}
		}
	}
	return errs
}

func isE164(s string) bool {
	if len(s) < 8 || len(s) > 16 || s[0] != '+' {
		return false
	}
	for _, r := range s[1:] {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Twilio sends SMS with the Twilio "Messages" REST call, which several
// providers also accept: POST {base}/2010-04-01/Accounts/{sid}/Messages.json
// with the form fields To, From and Body, authenticated with HTTP basic
// auth as sid:token. The base URL is configurable.
type Twilio struct {
	cfg    TwilioConfig
	from   string
	client *http.Client
}

// NewTwilio returns the provider; a nil client gets a 30-second timeout.
func NewTwilio(c TwilioConfig, from string, client *http.Client) *Twilio {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Twilio{cfg: c, from: from, client: client}
}

// SendSMS posts one message. 4xx answers are permanent (a refused number,
// a message too long), except 401/403 (credentials to fix), 408 and 429;
// 5xx answers and network errors are retried.
func (t *Twilio) SendSMS(ctx context.Context, to, body string) error {
	endpoint := t.cfg.BaseURL + "/2010-04-01/Accounts/" + url.PathEscape(t.cfg.AccountSID) + "/Messages.json"
	form := url.Values{"To": {to}, "From": {t.from}, "Body": {body}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return Permanent(fmt.Errorf("SMS request: %w", err))
	}
	req.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return fmt.Errorf("SMS provider unreachable: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	var apiErr struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(raw, &apiErr)
	if apiErr.Message == "" {
		apiErr.Message = strings.TrimSpace(string(raw))
		if len(apiErr.Message) > 200 {
			apiErr.Message = apiErr.Message[:200] + "…"
		}
	}
	err = fmt.Errorf("SMS provider refused: HTTP %d, code %d: %s", resp.StatusCode, apiErr.Code, apiErr.Message)
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized, s == http.StatusForbidden, s == http.StatusRequestTimeout, s == http.StatusTooManyRequests, s >= 500:
		return err
	}
	return Permanent(err)
}

// NewSenders builds the sender of each configured channel.
func NewSenders(c Config) (map[Channel]Sender, error) {
	out := map[Channel]Sender{}
	for _, ch := range c.Channels {
		switch {
		case ch == Email && c.SMTP != nil:
			m, err := NewMailer(c.SMTP, c.From)
			if err != nil {
				return nil, err
			}
			out[Email] = m
		case ch == Email:
			out[Email] = NewMailFile(c.MailFile, c.From)
		case c.SMSProvider == "twilio":
			out[SMS] = SMSSender{Provider: NewTwilio(c.Twilio, c.SMSFrom, nil)}
		default:
			out[SMS] = SMSSender{Provider: NewSMSLog(c.SMSFile, c.SMSFrom)}
		}
	}
	return out, nil
}
