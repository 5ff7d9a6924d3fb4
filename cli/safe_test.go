package cli

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"scolarite/domain"
)

func TestSafeWriter(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"clean text and tables", []string{"Ndèye\tDiop 👩🏾‍🎓\n", "L3-INFO\n"}, "Ndèye\tDiop 👩🏾‍🎓\nL3-INFO\n"},
		{"CRLF kept", []string{"a;b\r\n", "c\r", "\nd\r\n"}, "a;b\r\nc\r\nd\r\n"},
		{"lone CR escaped", []string{"50%\r", "100%\n"}, `50%\u000d100%` + "\n"},
		{"ESC sequences", []string{"\x1b[2J\x1b[HL1\n"}, `\u001b[2J\u001b[HL1` + "\n"},
		{"title and BEL", []string{"X\x1b]0;pwned\a"}, `X\u001b]0;pwned\u0007`},
		{"C1 split across writes", []string{"a\xc2", "\x9bb"}, `a\u009bb`},
		{"accent split across writes", []string{"Nd\xc3", "\xa8ye"}, "Ndèye"},
		{"RLO split in three", []string{"x\xe2", "\x80", "\xaey"}, `x\u202ey`},
		{"emoji split in four", []string{"\xf0", "\x9f", "\x91", "\xa9!"}, "👩!"},
		{"invalid byte", []string{"a\xffb"}, `a\ufffdb`},
		{"cut rune at the end", []string{"Nd\xc3"}, `Nd\ufffd`},
		{"CR at the end", []string{"a\r"}, `a\u000d`},
		{"DEL and BS", []string{"Diop\b\b\x7f"}, `Diop\u0008\u0008\u007f`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := newSafeWriter(&b)
			for _, s := range tt.writes {
				if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", s, n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("wrote %q, want %q", b.String(), tt.want)
			}
		})
	}
}

// FuzzSafeWriter: however the output is cut into writes, the terminal
// gets valid UTF-8 with no character it would obey (LF, tab and CRLF
// aside), and clean output goes through unchanged.
func FuzzSafeWriter(f *testing.F) {
	f.Add("Ndèye\x1b[2J\u009b\u202e\r\n\xff", uint8(3))
	f.Add("a\r\nb\rc", uint8(1))
	f.Fuzz(func(t *testing.T, s string, step uint8) {
		n := int(step)%7 + 1
		var b bytes.Buffer
		w := newSafeWriter(&b)
		for i := 0; i < len(s); i += n {
			_, _ = w.Write([]byte(s[i:min(len(s), i+n)]))
		}
		_ = w.Flush()
		out := b.String()
		if !utf8.ValidString(out) {
			t.Fatalf("%q came out as %q: not UTF-8", s, out)
		}
		if err := domain.CheckText("out", strings.ReplaceAll(out, "\r\n", "\n"), domain.MultiLine); err != nil {
			t.Fatalf("%q came out as %q: %v", s, out, err)
		}
		if domain.CheckText("in", strings.ReplaceAll(s, "\r\n", "\n"), domain.MultiLine) == nil && out != s {
			t.Fatalf("clean %q came out as %q", s, out)
		}
	})
}

// TestRunEscapesErrors: a usage error quoting what was typed goes
// through the safe writer too.
func TestRunEscapesErrors(t *testing.T) {
	var out, errb bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Stdin: strings.NewReader("")}
	code := Run(context.Background(), []string{"students", "list", "--sort", "a\x1b]0;pwned\a\u009b"}, env)
	if code != ExitUsage || !strings.Contains(errb.String(), `(got a\u001b]0;pwned\u0007\u009b)`) {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// A binary export on standard output is refused when that is a terminal
// (it would draw the file's bytes), before any back-end is opened.
func TestExportBinaryRefusedOnATerminal(t *testing.T) {
	tty, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("open a pseudo-terminal: %v", err)
	}
	defer tty.Close()
	var errb bytes.Buffer
	opened := false
	env := Env{Stdout: tty, Stderr: &errb, Getenv: func(string) string { return "" }, Stdin: strings.NewReader(""),
		Open: func(context.Context, Config) (*App, error) { opened = true; return nil, os.ErrInvalid }}
	for _, format := range []string{"xlsx", "pdf"} {
		errb.Reset()
		code := Run(context.Background(), []string{"--data-dir", t.TempDir(), "export", "-o", "-", "--format", format}, env)
		if code != ExitUsage || !strings.Contains(errb.String(), "a "+format+" file is binary: redirect standard output to a file") || opened {
			t.Errorf("%s: exit %d, opened %v, stderr %q", format, code, opened, errb.String())
		}
	}
}
