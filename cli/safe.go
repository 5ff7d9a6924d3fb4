package cli

import (
	"bytes"
	"io"
	"os"
	"unicode/utf8"

	"github.com/mattn/go-isatty"

	"scolarite/domain"
)

// safeWriter is the one edge every byte of the command line goes out
// through (standard output and standard error, cobra's help and errors
// included): stored texts that predate the domain's check, error messages
// that quote what was typed, and analytics majors read from Kafka may hold
// characters a terminal obeys. They come out as domain.EscapeText writes
// them (\u001b), keeping line feeds, tabs and CRLF line ends (CSV
// exports), so tables, JSON (the escape is JSON's own: same value) and
// CSV stay what they were for every clean text.
//
// A character may be split across two Writes (fmt writes pieces): the
// bytes of an incomplete one, and a CR that may start a CRLF, are held
// until the next Write or Flush.
type safeWriter struct {
	w    io.Writer
	held []byte
}

func newSafeWriter(w io.Writer) *safeWriter { return &safeWriter{w: w} }

var crlf = []byte("\r\n")

func (s *safeWriter) Write(p []byte) (int, error) {
	buf := p
	if len(s.held) > 0 {
		buf = append(s.held, p...)
		s.held = nil
	}
	cut := completeUpTo(buf)
	if cut < len(buf) {
		s.held = append([]byte(nil), buf[cut:]...)
	}
	if cut > 0 {
		if _, err := s.w.Write(escapeOutput(buf[:cut])); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes what was held (an incomplete character then shows as
// \ufffd, a lone CR as \u000d).
func (s *safeWriter) Flush() error {
	if len(s.held) == 0 {
		return nil
	}
	held := s.held
	s.held = nil
	_, err := s.w.Write([]byte(domain.EscapeText(string(held), domain.MultiLine)))
	return err
}

// completeUpTo is the length of b's prefix that can be escaped now: all
// of it, but for a final CR or a final incomplete UTF-8 sequence.
func completeUpTo(b []byte) int {
	n := len(b)
	if n > 0 && b[n-1] == '\r' {
		return n - 1
	}
	for i := n - 1; i >= 0 && i >= n-utf8.UTFMax; i-- {
		if utf8.RuneStart(b[i]) {
			if !utf8.FullRune(b[i:]) {
				return i
			}
			break
		}
	}
	return n
}

// escapeOutput escapes b as a multi-line text whose CRLF line ends stay.
func escapeOutput(b []byte) []byte {
	parts := bytes.Split(b, crlf)
	for i, part := range parts {
		if esc := domain.EscapeText(string(part), domain.MultiLine); len(esc) != len(part) {
			parts[i] = []byte(esc)
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return bytes.Join(parts, crlf)
}

// binaryOut returns where a binary file (Excel, PDF) written to standard
// output goes: the raw standard output, since no escaping can keep such a
// file intact; or false when that is a terminal, which would draw its
// bytes and could obey them.
func (e Env) binaryOut() (io.Writer, bool) {
	w := e.raw
	if w == nil {
		w = e.Stdout
	}
	if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil, false
	}
	return w, true
}
