package ui

import (
	"strings"
	"testing"
)

// Every message exists in French and English, with the same formatting
// verbs, and no key is defined by two screens.
func TestCataloguesComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range catalogues() {
		for k, m := range c {
			if seen[k] {
				t.Errorf("message %q is defined twice", k)
			}
			seen[k] = true
			if strings.TrimSpace(m.fr) == "" || strings.TrimSpace(m.en) == "" {
				t.Errorf("message %q lacks a language: fr=%q en=%q", k, m.fr, m.en)
			}
			if verbs(m.fr) != verbs(m.en) {
				t.Errorf("message %q: French verbs %q, English %q", k, verbs(m.fr), verbs(m.en))
			}
		}
	}
	if len(seen) < 100 {
		t.Errorf("only %d messages: a catalogue is missing from catalogues()", len(seen))
	}
}

func verbs(s string) string {
	var out []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			out = append(out, s[i:i+2])
			i++
		}
	}
	return strings.Join(out, "")
}

func TestParseLang(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want Lang
	}{
		{[]string{"en", "fr_SN.UTF-8"}, English},
		{[]string{"", "en_US.UTF-8"}, English},
		{[]string{"", "fr_FR.UTF-8"}, French},
		{[]string{"", "C.UTF-8"}, French},
		{[]string{"", ""}, French},
		{[]string{"FR"}, French},
	} {
		if got := ParseLang(tc.in...); got != tc.want {
			t.Errorf("ParseLang(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNumbersByLanguage(t *testing.T) {
	avg := 12.5
	if got := NewTranslator(French).Average(&avg); got != "12,50" {
		t.Errorf("French average %q, want 12,50", got)
	}
	if got := NewTranslator(English).Average(&avg); got != "12.50" {
		t.Errorf("English average %q, want 12.50", got)
	}
	if got := NewTranslator(French).Average(nil); got != "–" {
		t.Errorf("no average %q", got)
	}
}
