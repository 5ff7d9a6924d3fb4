package domain

import (
	"strings"
	"unicode"

	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region assumed for phones written without a country
// code: the school is in Senegal.
const DefaultRegion = "SN"

// PhoneParser turns any written form of a phone number into E.164, so that
// "77 123 45 67", "+221 77-123-45-67" and "00221771234567" are one phone.
type PhoneParser struct {
	Region string // ISO 3166 region for national numbers; DefaultRegion if empty
}

func (p PhoneParser) region() string {
	if p.Region == "" {
		return DefaultRegion
	}
	return strings.ToUpper(p.Region)
}

// Parse returns the E.164 form of raw, or an EINVALID error on field "phone".
func (p PhoneParser) Parse(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if err := CheckText("phone", raw, SingleLine); err != nil {
		return "", err
	}
	if raw == "" {
		return "", Invalid("phone", "is required")
	}
	if len(raw) > 40 {
		return "", Invalid("phone", "is too long to be a phone number")
	}
	for _, r := range raw {
		if !unicode.IsDigit(r) && !strings.ContainsRune("+-. ()/", r) {
			return "", Invalid("phone", "may only contain digits, spaces and + - . ( )")
		}
	}
	num, err := phonenumbers.Parse(raw, p.region())
	if err != nil {
		return "", Invalid("phone", "is not a phone number ("+raw+")")
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", Invalid("phone", "is not a valid number for its country ("+raw+")")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// Digits keeps only the digits of s; used to match phones in any written form.
func Digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if d, ok := digitValue(r); ok {
			b.WriteByte('0' + d)
		}
	}
	return b.String()
}

// digitValue is the value of a decimal digit of any script: the phone
// parser accepts Arabic-Indic (٧٧) and full-width (７７) digits, so a search
// typed with them must find the number stored in ASCII. Unicode puts the
// digits of each script in runs of ten from 0; a run may follow another
// (the mathematical digits), hence the modulo.
func digitValue(r rune) (byte, bool) {
	if r >= '0' && r <= '9' {
		return byte(r - '0'), true
	}
	if !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	start := r
	for unicode.Is(unicode.Nd, start-1) {
		start--
	}
	return byte((r - start) % 10), true
}

// Display is how a screen shows a stored (E.164) phone: as the office
// writes it, in the national format for numbers of the parser's region
// ("77 123 45 67" in Senegal) and with their country code for the others
// ("+33 6 12 34 56 78"). Anything that is not a valid number is returned
// as it is. Files and JSON keep E.164; only screens use this.
func (p PhoneParser) Display(e164 string) string {
	num, err := phonenumbers.Parse(e164, p.region())
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return e164
	}
	if int(num.GetCountryCode()) == phonenumbers.GetCountryCodeForRegion(p.region()) {
		return phonenumbers.Format(num, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}
