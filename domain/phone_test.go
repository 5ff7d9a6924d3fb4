package domain_test

import (
	"strings"
	"testing"

	"scolarite/domain"
)

func TestPhoneParseSenegal(t *testing.T) {
	var p domain.PhoneParser // zero value: region SN
	for _, raw := range []string{
		"77 123 45 67",
		"+221 77-123-45-67",
		"00221771234567",
		"771234567",
		"  77.123.45.67  ",
		"(+221) 77 123 45 67",
	} {
		got, err := p.Parse(raw)
		if err != nil {
			t.Errorf("Parse(%q): %v", raw, err)
			continue
		}
		if got != "+221771234567" {
			t.Errorf("Parse(%q) = %q, want +221771234567", raw, got)
		}
	}
}

func TestPhoneParseInvalid(t *testing.T) {
	var p domain.PhoneParser
	for _, raw := range []string{
		"",
		"   ",
		"abc",
		"12",
		"+33 6",
		"77 123 45 67 89 99 99",
		"77 123 45 6x",
		"+221 77 123 45 67 ext. 2",
		"77123456",   // one digit short
		"7712345678", // one digit long
		strings.Repeat("7", 41),
	} {
		got, err := p.Parse(raw)
		if err == nil {
			t.Errorf("Parse(%q) = %q, want an error", raw, got)
			continue
		}
		wantInvalid(t, err, "phone")
		if got != "" {
			t.Errorf("Parse(%q) returned %q with its error", raw, got)
		}
	}
}

func TestPhoneParseCustomRegion(t *testing.T) {
	tests := []struct {
		region, raw, want string
	}{
		{"FR", "06 12 34 56 78", "+33612345678"},
		{"fr", "06 12 34 56 78", "+33612345678"}, // region is case-insensitive
		{"FR", "+221 77 123 45 67", "+221771234567"},
		{"SN", "+33 6 12 34 56 78", "+33612345678"},
	}
	for _, tt := range tests {
		got, err := domain.PhoneParser{Region: tt.region}.Parse(tt.raw)
		if err != nil || got != tt.want {
			t.Errorf("PhoneParser{%s}.Parse(%q) = %q, %v; want %q", tt.region, tt.raw, got, err, tt.want)
		}
	}
	// A French national number is not a Senegalese one.
	if got, err := (domain.PhoneParser{}).Parse("06 12 34 56 78"); err == nil {
		t.Errorf("SN Parse(06 12 34 56 78) = %q, want an error", got)
	}
}

// Screens show a stored phone as the office writes it: national for the
// parser's region, with the country code for the others, as is when it is
// no number; and what they show parses back to the stored phone (a form
// prefilled with it saves the same number).
func TestPhoneDisplay(t *testing.T) {
	tests := []struct {
		region, stored, want string
	}{
		{"", "+221771234567", "77 123 45 67"},
		{"SN", "+221338234567", "33 823 45 67"},
		{"SN", "+33612345678", "+33 6 12 34 56 78"},
		{"SN", "+12025550123", "+1 202-555-0123"},
		{"FR", "+33612345678", "06 12 34 56 78"},
		{"fr", "+221771234567", "+221 77 123 45 67"},
		{"SN", "", ""},
		{"SN", "n/a", "n/a"},
		{"SN", "+22177", "+22177"},          // too short to be a number
		{"SN", "+221 12 34", "+221 12 34"},  // parses, but no valid number
		{"SN", "771234567", "77 123 45 67"}, // a national form stored by hand
	}
	for _, tt := range tests {
		p := domain.PhoneParser{Region: tt.region}
		got := p.Display(tt.stored)
		if got != tt.want {
			t.Errorf("PhoneParser{%q}.Display(%q) = %q, want %q", tt.region, tt.stored, got, tt.want)
		}
		if !strings.HasPrefix(tt.stored, "+") || got == tt.stored {
			continue
		}
		if back, err := p.Parse(got); err != nil || back != tt.stored {
			t.Errorf("PhoneParser{%q}.Parse(%q) = %q, %v; want %q back", tt.region, got, back, err, tt.stored)
		}
	}
}

func TestDigits(t *testing.T) {
	if got := domain.Digits("+221 (77) 123-45.67"); got != "221771234567" {
		t.Errorf("Digits = %q", got)
	}
	if got := domain.Digits("abc"); got != "" {
		t.Errorf("Digits(abc) = %q", got)
	}
}

func FuzzParsePhone(f *testing.F) {
	for _, s := range []string{"77 123 45 67", "+221 77-123-45-67", "00221771234567", "771234567",
		"+33 6", "", "abc", "(+221)/77.123.45.67", "+1 202 555 0143", "٧٧١٢٣٤٥٦٧"} {
		f.Add(s)
	}
	var p domain.PhoneParser
	f.Fuzz(func(t *testing.T, raw string) {
		got, err := p.Parse(raw)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("Parse(%q): error code %q, want invalid", raw, domain.ErrorCode(err))
			}
			return
		}
		if !strings.HasPrefix(got, "+") || domain.Digits(got) != got[1:] {
			t.Fatalf("Parse(%q) = %q, not E.164", raw, got)
		}
		again, err := p.Parse(got)
		if err != nil || again != got {
			t.Fatalf("Parse(%q) = %q, but Parse(%q) = %q, %v", raw, got, got, again, err)
		}
		shown := p.Display(got)
		if back, err := p.Parse(shown); err != nil || back != got {
			t.Fatalf("Display(%q) = %q, which parses to %q, %v", got, shown, back, err)
		}
	})
}

func TestDigitsOfEveryScript(t *testing.T) {
	for in, want := range map[string]string{
		"77 123 45 67":  "771234567",
		"٧٧ ١٢٣ ٤٥ ٦٧":  "771234567", // Arabic-Indic
		"۷۷۱۲۳":         "77123",     // Extended Arabic-Indic (Persian, Urdu)
		"７７１２３":         "77123",     // full-width
		"७७१२३":         "77123",     // Devanagari
		"𝟕𝟕𝟏𝟐𝟑":         "77123",     // mathematical bold
		"+221 (77) 1-2": "221771" + "2",
		"abc":           "",
	} {
		if got := domain.Digits(in); got != want {
			t.Errorf("Digits(%q) = %q, want %q", in, got, want)
		}
	}
}
