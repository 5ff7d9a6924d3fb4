package notify

import (
	"errors"
	"net/url"
	"strings"
)

// permanentError is a failure that retrying cannot fix: an address the
// server refuses, a message the provider rejects. The record ends failed
// at once instead of being retried.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as not worth retrying.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err: err}
}

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// errNotAttempted is the outcome of a message a sender did not try
// because its context ended first: the record is released, not counted
// as an attempt.
var errNotAttempted = errors.New("not attempted: the worker is stopping")

// Redactor removes secrets (the SMTP password, the SMS provider's token)
// from text bound for logs, records and screens. Errors of the network
// libraries may quote a URL or a command; whatever they quote, the secret
// never leaves the process.
type Redactor struct {
	secrets []string
}

// NewRedactor redacts each non-empty secret, as written and as escaped in
// a URL.
func NewRedactor(secrets ...string) Redactor {
	var r Redactor
	for _, s := range secrets {
		if len(s) < 3 {
			// A one- or two-character secret would blank out ordinary
			// text; it is too weak to protect anyway.
			continue
		}
		r.secrets = append(r.secrets, s, url.QueryEscape(s), url.PathEscape(s), url.UserPassword("", s).String()[1:])
	}
	return r
}

// String returns s with every secret replaced by "***".
func (r Redactor) String(s string) string {
	for _, secret := range r.secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// Error returns err's text, redacted ("" for nil).
func (r Redactor) Error(err error) string {
	if err == nil {
		return ""
	}
	return r.String(err.Error())
}
