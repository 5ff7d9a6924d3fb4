package ui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/textinput"
)

// newInput is every text field of the application: styled from the
// program's theme (the bubbles defaults come from lipgloss's global
// renderer, which over SSH is the server's terminal, not the user's), with
// a static cursor (a blinking one redraws the whole screen twice a second,
// for every connected user).
func newInput(s Styles, limit int) textinput.Model {
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = limit
	in.PromptStyle = s.Plain
	in.TextStyle = s.Input
	in.PlaceholderStyle = s.Muted
	in.CompletionStyle = s.Muted
	in.Cursor.Style = s.Plain
	in.Cursor.TextStyle = s.Plain
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

// newPasswordInput masks what is typed.
func newPasswordInput(s Styles) textinput.Model {
	in := newInput(s, 72) // bcrypt reads 72 bytes
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	return in
}

// newHelp is the key help, styled from the program's theme.
func newHelp(s Styles) help.Model {
	h := help.New()
	key, desc := s.Help.Bold(true), s.Help
	h.Styles = help.Styles{
		Ellipsis: desc, ShortKey: key, ShortDesc: desc, ShortSeparator: desc,
		FullKey: key, FullDesc: desc, FullSeparator: desc,
	}
	return h
}
