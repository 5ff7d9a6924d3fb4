package notify

import (
	"crypto/tls"
	"fmt"
	"net/mail"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"scolarite/domain"
)

// Settings read by LoadConfig; `scolarite notify run` has a flag for each
// non-secret one, and the application reads the environment.
const (
	EnvSMTPURL     = "SMTP_URL"     // smtp://user:pass@host:587?tls=starttls; unset: e-mail to a file
	EnvSMTPFrom    = "SMTP_FROM"    // sender address, "Name <addr>" allowed
	EnvSMSProvider = "SMS_PROVIDER" // twilio | log | off (default log)
	EnvSMSFrom     = "SMS_FROM"     // sender number or name at the provider
	EnvTwilioSID   = "TWILIO_ACCOUNT_SID"
	EnvTwilioToken = "TWILIO_AUTH_TOKEN"
	EnvTwilioBase  = "TWILIO_BASE_URL" // default https://api.twilio.com
	EnvStaff       = "NOTIFY_STAFF"    // e-mails and phones told of every alert
	EnvLang        = "NOTIFY_LANG"     // fr | en (default fr)
	EnvSchool      = "NOTIFY_SCHOOL"   // default ÉSP 221
	EnvChannels    = "NOTIFY_CHANNELS" // default email,sms
)

// DefaultFrom is the sender when SMTP_FROM is not set.
const DefaultFrom = "Scolarité ÉSP 221 <scolarite@localhost>"

// DefaultTwilioBase is the Twilio API.
const DefaultTwilioBase = "https://api.twilio.com"

// TLS modes of an SMTP connection.
const (
	TLSStartTLS      = "starttls"      // STARTTLS required
	TLSImplicit      = "tls"           // TLS from the first byte (smtps, port 465)
	TLSOpportunistic = "opportunistic" // STARTTLS when the server offers it
	TLSNone          = "none"          // plain text (a local catcher)
)

// Config is the notifier's configuration.
type Config struct {
	Channels []Channel
	SMTP     *SMTPConfig // nil: e-mail is written to MailFile
	From     string
	MailFile string
	// SMSProvider is "twilio" or "log" (SMS written to SMSFile).
	SMSProvider string
	SMSFrom     string
	Twilio      TwilioConfig
	SMSFile     string
	Staff       []string // e-mail addresses and E.164 phones
	Lang        string
	School      string
}

// SMTPConfig is where and how to send e-mail.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      string // one of the TLS modes
	Auth     string // SMTP AUTH mechanism; "" picks the best the server offers
	Timeout  time.Duration
	// TLSConfig overrides the TLS settings (tests trust their own
	// certificate this way); nil verifies the server against Host.
	TLSConfig *tls.Config
}

// TwilioConfig is an account at a Twilio-compatible SMS API.
type TwilioConfig struct {
	BaseURL    string
	AccountSID string
	AuthToken  string
}

// Configured reports whether any delivery setting is given: without one,
// the application only runs the notifier on the embedded demo store.
func Configured(getenv func(string) string) bool {
	return getenv(EnvSMTPURL) != "" || getenv(EnvSMSProvider) != ""
}

// LoadConfig reads the settings; files of the log sinks go under dataDir.
// Errors name the setting and never quote a secret.
func LoadConfig(getenv func(string) string, dataDir string) (Config, error) {
	c := Config{
		From:        orDefault(getenv(EnvSMTPFrom), DefaultFrom),
		MailFile:    filepath.Join(dataDir, "notifications", "mail.mbox"),
		SMSProvider: strings.ToLower(orDefault(getenv(EnvSMSProvider), "log")),
		SMSFrom:     getenv(EnvSMSFrom),
		SMSFile:     filepath.Join(dataDir, "notifications", "sms.log"),
		Lang:        strings.ToLower(orDefault(getenv(EnvLang), French)),
		School:      orDefault(getenv(EnvSchool), DefaultSchool),
		Twilio: TwilioConfig{
			BaseURL:    strings.TrimRight(orDefault(getenv(EnvTwilioBase), DefaultTwilioBase), "/"),
			AccountSID: getenv(EnvTwilioSID), AuthToken: getenv(EnvTwilioToken),
		},
	}
	if c.Lang != French && c.Lang != English {
		return Config{}, fmt.Errorf("%s: must be fr or en (got %q)", EnvLang, c.Lang)
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return Config{}, fmt.Errorf("%s: not an e-mail address (%q): %w", EnvSMTPFrom, c.From, err)
	}
	for _, name := range strings.Split(orDefault(getenv(EnvChannels), "email,sms"), ",") {
		switch ch := Channel(strings.ToLower(strings.TrimSpace(name))); ch {
		case Email, SMS:
			c.Channels = append(c.Channels, ch)
		case "":
		default:
			return Config{}, fmt.Errorf("%s: unknown channel %q (email, sms)", EnvChannels, name)
		}
	}
	switch c.SMSProvider {
	case "twilio":
		if c.Twilio.AccountSID == "" || c.Twilio.AuthToken == "" || c.SMSFrom == "" {
			return Config{}, fmt.Errorf("SMS_PROVIDER=twilio needs %s, %s and %s", EnvTwilioSID, EnvTwilioToken, EnvSMSFrom)
		}
		if u, err := url.Parse(c.Twilio.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Config{}, fmt.Errorf("%s: not an http(s) URL", EnvTwilioBase)
		}
	case "log":
	case "off", "none":
		c.Channels = without(c.Channels, SMS)
	default:
		return Config{}, fmt.Errorf("%s: unknown provider %q (twilio, log or off)", EnvSMSProvider, c.SMSProvider)
	}
	if raw := getenv(EnvSMTPURL); raw != "" {
		s, err := ParseSMTPURL(raw)
		if err != nil {
			return Config{}, err
		}
		c.SMTP = s
	}
	staff, err := parseStaff(getenv(EnvStaff))
	if err != nil {
		return Config{}, err
	}
	c.Staff = staff
	return c, nil
}

// ParseSMTPURL reads smtp[s]://[user[:password]@]host[:port][?tls=MODE&auth=MECH].
// Without tls=, smtps means implicit TLS, a URL with a user name requires
// STARTTLS (a password never travels in clear), and one without uses
// STARTTLS when offered. The default port follows the mode: 465, 587 or 25.
func ParseSMTPURL(raw string) (*SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse quotes the URL, password included: say less.
		return nil, fmt.Errorf("%s: not a URL (smtp://user:password@host:port?tls=starttls)", EnvSMTPURL)
	}
	c := &SMTPConfig{Host: u.Hostname(), Timeout: 30 * time.Second}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	q := u.Query()
	switch u.Scheme {
	case "smtps":
		c.TLS = TLSImplicit
	case "smtp":
		c.TLS = TLSOpportunistic
		if c.Username != "" {
			c.TLS = TLSStartTLS
		}
	default:
		return nil, fmt.Errorf("%s: scheme must be smtp or smtps (got %q)", EnvSMTPURL, u.Scheme)
	}
	if c.Host == "" {
		return nil, fmt.Errorf("%s: no host", EnvSMTPURL)
	}
	if m := strings.ToLower(q.Get("tls")); m != "" {
		switch m {
		case TLSStartTLS, TLSImplicit, TLSOpportunistic, TLSNone:
			c.TLS = m
		default:
			return nil, fmt.Errorf("%s: tls must be starttls, tls, opportunistic or none (got %q)", EnvSMTPURL, m)
		}
	}
	c.Auth = strings.ToUpper(q.Get("auth"))
	c.Port = map[string]int{TLSImplicit: 465, TLSStartTLS: 587}[c.TLS]
	if c.Port == 0 {
		c.Port = 25
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port <= 0 || c.Port > 65535 {
			return nil, fmt.Errorf("%s: bad port %q", EnvSMTPURL, p)
		}
	}
	return c, nil
}

// String describes the server without its password.
func (c *SMTPConfig) String() string {
	u := url.URL{Scheme: "smtp", Host: c.Host + ":" + strconv.Itoa(c.Port), RawQuery: "tls=" + c.TLS}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "xxxxx")
	}
	return u.Redacted()
}

// Describe says what the configuration does, without secrets, for the
// log and the start of `notify run`.
func (c Config) Describe() string {
	var parts []string
	for _, ch := range c.Channels {
		switch {
		case ch == Email && c.SMTP != nil:
			parts = append(parts, "e-mail via "+c.SMTP.String()+" from "+c.From)
		case ch == Email:
			parts = append(parts, "e-mail written to "+c.MailFile)
		case c.SMSProvider == "twilio":
			parts = append(parts, "SMS via "+c.Twilio.BaseURL+" (account "+c.Twilio.AccountSID+") from "+c.SMSFrom)
		default:
			parts = append(parts, "SMS written to "+c.SMSFile)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no channel")
	}
	return strings.Join(parts, "; ") + fmt.Sprintf("; %d staff recipient(s) of alerts; language %s", len(c.Staff), c.Lang)
}

// Secrets lists the values to redact wherever text leaves the notifier.
func (c Config) Secrets() []string {
	s := []string{c.Twilio.AuthToken}
	if c.SMTP != nil {
		s = append(s, c.SMTP.Password)
	}
	return s
}

// parseStaff reads "a@x.sn, +221770000000": e-mail addresses and phones
// (Senegalese when written without a country code).
func parseStaff(list string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
		case strings.Contains(item, "@"):
			a, err := mail.ParseAddress(item)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is not an e-mail address", EnvStaff, item)
			}
			out = append(out, a.Address)
		default:
			phone, err := domain.PhoneParser{}.Parse(item)
			if err != nil {
				return nil, fmt.Errorf("%s: %q is neither an e-mail address nor a phone number", EnvStaff, item)
			}
			out = append(out, phone)
		}
	}
	return out, nil
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func without(chs []Channel, drop Channel) []Channel {
	out := chs[:0:0]
	for _, ch := range chs {
		if ch != drop {
			out = append(out, ch)
		}
	}
	return out
}
