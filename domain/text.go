package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Text hygiene. The application is served to many terminals at once, so a
// stored text is drawn on other people's screens: a character the terminal
// obeys instead of drawing (ESC starts a sequence that can clear the
// screen, set the window title, make text blink; a C1 control such as
// U+009B does the same on its own; BS and DEL rub out what was drawn) or a
// bidirectional override (U+202E shows "Ndèye" where "eyèdN" is stored, the
// "Trojan Source" trick) must never reach a field. CheckText refuses them
// on the way in; Escape makes them visible on the way out, for data stored
// before the check existed.

// Lines says whether a text field may hold several lines.
type Lines bool

const (
	// SingleLine fields (every field today: names, class, major, subject,
	// contact details) accept no control character at all.
	SingleLine Lines = false
	// MultiLine fields (a future remark) also accept line feeds and tabs.
	MultiLine Lines = true
)

// unsafeRune reports a character a terminal may act on: C0 controls (but
// \n and \t in a multi-line text), DEL, C1 controls, and the bidirectional
// formatting characters (embeddings, overrides, isolates, marks). Letters
// of every script, combining marks, the zero-width joiners of emoji and
// Arabic script, and emoji themselves are all drawn, so all allowed.
func unsafeRune(r rune, lines Lines) bool {
	switch {
	case r < 0x20:
		return !(lines == MultiLine && (r == '\n' || r == '\t'))
	case r < 0x7f:
		return false
	case r <= 0x9f: // DEL and C1
		return true
	}
	return isBidiControl(r)
}

// isBidiControl: U+061C ALM, U+200E/U+200F LRM/RLM, U+202A–U+202E
// embeddings and overrides, U+2066–U+2069 isolates.
func isBidiControl(r rune) bool {
	return r == 0x061c || r == 0x200e || r == 0x200f ||
		(r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// firstUnsafe returns the byte offset of the first unsafe character or
// invalid UTF-8 byte of s, or -1. Printable ASCII, most of any text here,
// costs a comparison a byte.
func firstUnsafe(s string, lines Lines) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r, lines) {
			return i
		}
		i += size
	}
	return -1
}

// textReason says why s may not be stored ("" when it may): the first
// offending character, its code and its position in s (1 for the first
// character, counted in characters, as a person counts).
func textReason(s string, lines Lines) string {
	i := firstUnsafe(s, lines)
	if i < 0 {
		return ""
	}
	pos := " at position " + strconv.Itoa(utf8.RuneCountInString(s[:i])+1)
	r, size := utf8.DecodeRuneInString(s[i:])
	switch {
	case r == utf8.RuneError && size == 1:
		return "contains an invalid UTF-8 byte (0x" + strings.ToUpper(strconv.FormatUint(uint64(s[i]), 16)) + ")" + pos
	case isBidiControl(r):
		return "contains a bidirectional formatting character (" + codePoint(r) + ")" + pos
	}
	return "contains a control character (" + codePoint(r) + ")" + pos
}

// codePoint writes r as U+001B.
func codePoint(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	return "U+" + strings.Repeat("0", max(0, 4-len(h))) + h
}

// CheckText refuses, as an EINVALID error on field, a text holding a
// control character (but \n and \t when lines is MultiLine), a
// bidirectional formatting character or invalid UTF-8, e.g. "last_name:
// contains a control character (U+001B) at position 1". Every text field
// of every entity goes through it before anything else looks at it, so
// that no later message quotes the offending text.
func CheckText(field, s string, lines Lines) error {
	if reason := textReason(s, lines); reason != "" {
		return Invalid(field, reason)
	}
	return nil
}

// Escape makes a stored text safe to draw on a terminal: every character
// CheckText(…, SingleLine) refuses is written as a visible \u001b, and each
// invalid UTF-8 byte as \ufffd. Everything else (accents, Wolof and Arabic
// letters, emoji) is kept, and a text CheckText accepts comes back
// unchanged (without a copy). The form is JSON's on purpose: inside a
// JSON string the escape decodes to the very character it replaces (and
// an invalid byte to U+FFFD, as encoding/json writes it), so escaped JSON
// output stays valid and means the same value. A backslash is not
// escaped: Escape is for showing, not a reversible encoding.
func Escape(s string) string { return EscapeText(s, SingleLine) }

// EscapeText is Escape for a text of lines (MultiLine keeps \n and \t).
func EscapeText(s string, lines Lines) string {
	i := firstUnsafe(s, lines)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case unsafeRune(r, lines):
			writeEscape(&b, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// writeEscape writes \uXXXX in lower-case hex, as encoding/json does;
// every unsafe rune is in the Basic Multilingual Plane.
func writeEscape(b *strings.Builder, r rune) {
	const hex = "0123456789abcdef"
	b.WriteString(`\u`)
	for shift := 12; shift >= 0; shift -= 4 {
		b.WriteByte(hex[(r>>shift)&0xf])
	}
}

// textField is one field's text as typed, for checkTexts.
type textField struct{ field, value string }

// checkTexts adds a problem for every field CheckText refuses (single
// line) and returns those fields, which the caller then validates no
// further: one problem a field, and no later reason quoting the text.
// Every field drops its surrounding white space, so that is not checked
// (a spreadsheet cell ending in a line break is fine; one with a line
// break inside is not), and positions count from the first character
// kept.
func (p *problems) checkTexts(fields ...textField) map[string]bool {
	var refused map[string]bool
	for _, f := range fields {
		if reason := textReason(strings.TrimSpace(f.value), SingleLine); reason != "" {
			p.add(f.field, reason)
			if refused == nil {
				refused = map[string]bool{}
			}
			refused[f.field] = true
		}
	}
	return refused
}
