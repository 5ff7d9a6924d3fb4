package domain_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"scolarite/domain"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		name   string
		s      string
		lines  domain.Lines
		reason string // "": accepted
	}{
		{"empty", "", domain.SingleLine, ""},
		{"French", "Ndèye Fatou Diallo-Sow", domain.SingleLine, ""},
		{"Wolof", "Ñaŋ Ëllëg", domain.SingleLine, ""},
		{"Arabic", "عبد الله", domain.SingleLine, ""},
		{"emoji with joiners", "👩🏾‍🎓 L3 ✨", domain.SingleLine, ""},
		{"ZWNJ of Persian", "می‌خواهم", domain.SingleLine, ""},
		{"non-breaking space", "N'Diaye\u00a0Fall", domain.SingleLine, ""},
		{"replacement character itself", "Diop\ufffd", domain.SingleLine, ""},
		{"ESC first", "\x1b[31mRED", domain.SingleLine, "contains a control character (U+001B) at position 1"},
		{"OSC title", "X\x1b]0;pwned\a", domain.SingleLine, "contains a control character (U+001B) at position 2"},
		{"BEL", "ab\a", domain.SingleLine, "contains a control character (U+0007) at position 3"},
		{"NUL", "a\x00", domain.SingleLine, "contains a control character (U+0000) at position 2"},
		{"backspace", "Diop\b\b\b\bFall", domain.SingleLine, "contains a control character (U+0008) at position 5"},
		{"DEL", "Diop\x7f", domain.SingleLine, "contains a control character (U+007F) at position 5"},
		{"C1 CSI", "é\u009b2J", domain.SingleLine, "contains a control character (U+009B) at position 2"},
		{"C1 NEL", "a\u0085b", domain.SingleLine, "contains a control character (U+0085) at position 2"},
		{"C1 first and last", "\u0080", domain.SingleLine, "contains a control character (U+0080) at position 1"},
		{"C1 last", "\u009f", domain.SingleLine, "contains a control character (U+009F) at position 1"},
		{"RLO", "abc\u202efed", domain.SingleLine, "contains a bidirectional formatting character (U+202E) at position 4"},
		{"LRE", "\u202a", domain.SingleLine, "contains a bidirectional formatting character (U+202A) at position 1"},
		{"RLI", "a\u2067", domain.SingleLine, "contains a bidirectional formatting character (U+2067) at position 2"},
		{"PDI", "a\u2069", domain.SingleLine, "contains a bidirectional formatting character (U+2069) at position 2"},
		{"LRM", "a\u200e", domain.SingleLine, "contains a bidirectional formatting character (U+200E) at position 2"},
		{"RLM", "a\u200f", domain.SingleLine, "contains a bidirectional formatting character (U+200F) at position 2"},
		{"ALM", "ب\u061c", domain.SingleLine, "contains a bidirectional formatting character (U+061C) at position 2"},
		{"invalid byte", "Di\xffop", domain.SingleLine, "contains an invalid UTF-8 byte (0xFF) at position 3"},
		{"cut rune", "Ndè"[:3], domain.SingleLine, "contains an invalid UTF-8 byte (0xC3) at position 3"},
		{"newline, one line", "a\nb", domain.SingleLine, "contains a control character (U+000A) at position 2"},
		{"tab, one line", "a\tb", domain.SingleLine, "contains a control character (U+0009) at position 2"},
		{"newline and tab, lines", "Bon travail.\n\tContinuez !", domain.MultiLine, ""},
		{"CR, lines", "a\r\nb", domain.MultiLine, "contains a control character (U+000D) at position 2"},
		{"ESC, lines", "a\n\x1b[2J", domain.MultiLine, "contains a control character (U+001B) at position 3"},
		{"RLO, lines", "a\n\u202e", domain.MultiLine, "contains a bidirectional formatting character (U+202E) at position 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := domain.CheckText("last_name", tt.s, tt.lines)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("CheckText(%q) = %v, want accepted", tt.s, err)
				}
				return
			}
			e := wantCode(t, err, domain.EINVALID)
			if len(e.Problems) != 1 || e.Problems[0].Field != "last_name" || e.Problems[0].Reason != tt.reason {
				t.Fatalf("CheckText(%q) problems = %+v, want last_name: %s", tt.s, e.Problems, tt.reason)
			}
			if want := "last_name: " + tt.reason; err.Error() != want {
				t.Errorf("message = %q, want %q", err.Error(), want)
			}
		})
	}
}

func TestEscape(t *testing.T) {
	tests := []struct {
		name, in, want string
		lines          domain.Lines
	}{
		{"clean", "Ndèye Diallo-Sow 👩🏾‍🎓 عبد", "Ndèye Diallo-Sow 👩🏾‍🎓 عبد", domain.SingleLine},
		{"backslash kept", `C:\u001b`, `C:\u001b`, domain.SingleLine},
		{"clear screen", "\x1b[2J\x1b[HL1", `\u001b[2J\u001b[HL1`, domain.SingleLine},
		{"title", "X\x1b]0;pwned\a", `X\u001b]0;pwned\u0007`, domain.SingleLine},
		{"C1 and DEL", "a\u009bb\x7f", `a\u009bb\u007f`, domain.SingleLine},
		{"bidi", "abc\u202efed\u2066", `abc\u202efed\u2066`, domain.SingleLine},
		{"invalid bytes", "a\xff\xfeb", `a\ufffd\ufffdb`, domain.SingleLine},
		{"newline escaped on one line", "a\nb\tc", `a\u000ab\u0009c`, domain.SingleLine},
		{"newline kept in lines", "a\nb\tc\r", `a` + "\n" + `b` + "\t" + `c\u000d`, domain.MultiLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := domain.EscapeText(tt.in, tt.lines); got != tt.want {
				t.Errorf("EscapeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if tt.lines == domain.SingleLine {
				if got := domain.Escape(tt.in); got != tt.want {
					t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
				}
			}
		})
	}
}

// TestEscapeInJSONMeansTheSameString: the escape of a character inside a
// JSON string decodes to that very character, so JSON output passed
// through Escape decodes to the value that was encoded.
func TestEscapeInJSONMeansTheSameString(t *testing.T) {
	for _, s := range []string{"\x1b[2J", "a\u009b\u202e\x7f", `back\slash` + "\u0085", "\xffx", "\\\x1b", "ok"} {
		raw, err := json.Marshal(map[string]string{"last_name": s})
		if err != nil {
			t.Fatal(err)
		}
		esc := domain.EscapeText(string(raw), domain.MultiLine)
		var back, want map[string]string
		if err := json.Unmarshal([]byte(esc), &back); err != nil {
			t.Fatalf("escaped JSON %s does not decode: %v", esc, err)
		}
		_ = json.Unmarshal(raw, &want)
		if back["last_name"] != want["last_name"] {
			t.Errorf("%q: escaped JSON decodes to %q, the original to %q", s, back["last_name"], want["last_name"])
		}
	}
}

func TestEscapeDoesNotCopyCleanText(t *testing.T) {
	s := strings.Repeat("Ndèye Diop ", 20)
	if n := testing.AllocsPerRun(100, func() { _ = domain.Escape(s) }); n != 0 {
		t.Errorf("Escape of a clean text allocates %v times, want 0", n)
	}
}

// unsafeIn reports a byte sequence Escape must never write: a C0 control
// (but \n and \t in lines), DEL, a C1 control or a bidirectional
// formatting character.
func unsafeIn(s string, lines domain.Lines) (rune, bool) {
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
			if lines == domain.SingleLine {
				return r, true
			}
		case r < 0x20 || (r >= 0x7f && r <= 0x9f):
			return r, true
		case r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069):
			return r, true
		}
	}
	return 0, false
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "Ndèye", "\x1b[2J\x1b[HL1", "X\x1b]0;pwned\a", "\u009b", "abc\u202efed", "\xff\xc3", "a\nb\tc\r\n", "👩🏾‍🎓", "\\u001b"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, multi bool) {
		lines := domain.Lines(multi)
		out := domain.EscapeText(s, lines)
		if !utf8.ValidString(out) {
			t.Fatalf("EscapeText(%q) = %q, not valid UTF-8", s, out)
		}
		if r, bad := unsafeIn(out, lines); bad {
			t.Fatalf("EscapeText(%q) = %q still holds U+%04X", s, out, r)
		}
		if err := domain.CheckText("f", out, lines); err != nil {
			t.Fatalf("CheckText refuses EscapeText's output %q: %v", out, err)
		}
		accepted := domain.CheckText("f", s, lines) == nil
		if accepted && out != s {
			t.Fatalf("EscapeText changed the accepted text %q into %q", s, out)
		}
		if _, bad := unsafeIn(s, lines); accepted && (bad || !utf8.ValidString(s)) {
			t.Fatalf("CheckText accepted %q", s)
		}
		if !accepted && out == s {
			t.Fatalf("CheckText refused %q but EscapeText left it as it is", s)
		}
	})
}
