package serve

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/ssh"
	"github.com/muesli/termenv"
)

// renderer is a connection's own lipgloss renderer: colour profile from the
// client's TERM and COLORTERM, background from COLORFGBG when the client
// sends it, dark otherwise.
//
// Not wish's bubbletea.MakeRenderer: it asks the terminal for its
// background colour and reads the answer from the session, and that read
// cannot be cancelled on an SSH channel, so a terminal that does not answer
// (or a client that sends nothing yet) keeps the screen blank until the
// first key press, which the query then swallows.
func renderer(sess ssh.Session, term string) *lipgloss.Renderer {
	env := append(sess.Environ(), "TERM="+term)
	opts := []termenv.OutputOption{termenv.WithEnvironment(environ(env)), termenv.WithUnsafe(), termenv.WithColorCache(true)}
	if term == "" || term == "dumb" {
		opts = append(opts, termenv.WithProfile(termenv.Ascii))
	}
	r := lipgloss.NewRenderer(sess, opts...)
	r.SetHasDarkBackground(darkBackground(envOf(env)("COLORFGBG")))
	return r
}

// darkBackground reads COLORFGBG ("15;0": light text on colour 0): colours
// 0–6 and 8 are dark backgrounds. Without it, dark, the common default.
func darkBackground(colorfgbg string) bool {
	parts := strings.Split(colorfgbg, ";")
	bg, err := strconv.Atoi(parts[len(parts)-1])
	if colorfgbg == "" || err != nil {
		return true
	}
	return bg <= 6 || bg == 8
}

// environ is a client's environment as termenv reads it.
type environ []string

func (e environ) Environ() []string         { return e }
func (e environ) Getenv(name string) string { return envOf(e)(name) }
