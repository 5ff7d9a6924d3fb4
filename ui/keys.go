package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// globalKeys work on every screen (outside text fields, but for ctrl+c).
type globalKeys struct {
	Quit, ForceQuit, Help, Next, Prev, Logout key.Binding
}

func newGlobalKeys(t *Translator) globalKeys {
	return globalKeys{
		Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", t.T("key.quit"))),
		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", t.T("key.quit"))),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", t.T("key.help"))),
		Next:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", t.T("key.next"))),
		Prev:      key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", t.T("key.prev"))),
		Logout:    key.NewBinding(key.WithKeys("ctrl+l"), key.WithHelp("ctrl+l", t.T("key.logout"))),
	}
}

func (k globalKeys) ShortHelp() []key.Binding { return []key.Binding{k.Help, k.Next, k.Quit} }
func (k globalKeys) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Logout}, {k.Help, k.Quit, k.ForceQuit}}
}

// capturedHelp is what the root still does while a screen takes every key
// (Capturing): tab, shift+tab, q and ? are then the screen's (the grade
// sheet's tab moves to the next evaluation, a form's to the next field),
// and its own help says what they do.
func (k globalKeys) capturedHelp(loggedIn bool) [][]key.Binding {
	if !loggedIn {
		return [][]key.Binding{{k.ForceQuit}}
	}
	return [][]key.Binding{{k.Logout, k.ForceQuit}}
}

// listKeys move in a list or table; screens embed them in their key map.
type listKeys struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
}

func newListKeys(t *Translator) listKeys {
	return listKeys{
		Up:       key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", t.T("key.up"))),
		Down:     key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", t.T("key.down"))),
		PageUp:   key.NewBinding(key.WithKeys("pgup", "ctrl+u"), key.WithHelp("pgup", t.T("key.pageup"))),
		PageDown: key.NewBinding(key.WithKeys("pgdown", "ctrl+d"), key.WithHelp("pgdn", t.T("key.pagedown"))),
		Top:      key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "⇤")),
		Bottom:   key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "⇥")),
	}
}

func (k listKeys) bindings() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}
}

// newYesKey answers every yes/no question the same way: the language's
// "yes" letter (o in French, y in English), either case.
func newYesKey(t *Translator) key.Binding {
	y := t.T("yes.key")
	return key.NewBinding(key.WithKeys(strings.ToLower(y), strings.ToUpper(y)), key.WithHelp(y, t.T("key.confirm")))
}

// isYes reports whether msg answers yes.
func isYes(t *Translator, msg tea.KeyMsg) bool { return key.Matches(msg, newYesKey(t)) }
