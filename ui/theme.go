package ui

import "github.com/charmbracelet/lipgloss"

// Semantic colours, adaptive to light and dark terminals. Screens use the
// Styles built from them, never colours of their own.
var (
	colorPrimary   = lipgloss.AdaptiveColor{Light: "#1F4E79", Dark: "#7FB4E6"}
	colorMuted     = lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colorError     = lipgloss.AdaptiveColor{Light: "#B00020", Dark: "#FF6B6B"}
	colorWarning   = lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#FFB454"}
	colorSuccess   = lipgloss.AdaptiveColor{Light: "#1B6E20", Dark: "#7BD88F"}
	colorSelectedB = lipgloss.AdaptiveColor{Light: "#D6E4F0", Dark: "#2A3F55"}
	colorBorder    = lipgloss.AdaptiveColor{Light: "#A0A0A0", Dark: "#4A4A4A"}
)

// Styles is the one theme of the application. Every style comes from the
// renderer of one program (one terminal, one SSH connection): its colour
// profile and background are that terminal's, never the server's.
type Styles struct {
	Title, Tab, ActiveTab, User       lipgloss.Style
	Header, Cell, Selected, Muted     lipgloss.Style
	Error, Warning, Success, Info     lipgloss.Style
	StatusBar, Help, Box, Label, Bold lipgloss.Style
	Input, FieldError, Bar            lipgloss.Style
	// Plain has no colour: layout only (widths, heights, wrapping).
	Plain lipgloss.Style
}

// NewStyles builds the theme for the terminal r renders to.
func NewStyles(r *lipgloss.Renderer) Styles {
	return Styles{
		Title:      r.NewStyle().Bold(true).Foreground(colorPrimary),
		Tab:        r.NewStyle().Padding(0, 1).Foreground(colorMuted),
		ActiveTab:  r.NewStyle().Padding(0, 1).Bold(true).Underline(true).Foreground(colorPrimary),
		User:       r.NewStyle().Foreground(colorMuted),
		Header:     r.NewStyle().Bold(true).Foreground(colorPrimary),
		Cell:       r.NewStyle(),
		Selected:   r.NewStyle().Bold(true).Background(colorSelectedB),
		Muted:      r.NewStyle().Foreground(colorMuted),
		Error:      r.NewStyle().Bold(true).Foreground(colorError),
		Warning:    r.NewStyle().Bold(true).Foreground(colorWarning),
		Success:    r.NewStyle().Foreground(colorSuccess),
		Info:       r.NewStyle().Foreground(colorPrimary),
		StatusBar:  r.NewStyle().Foreground(colorMuted),
		Help:       r.NewStyle().Foreground(colorMuted),
		Box:        r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorBorder).Padding(0, 1),
		Label:      r.NewStyle().Foreground(colorMuted),
		Bold:       r.NewStyle().Bold(true),
		Input:      r.NewStyle().Foreground(colorPrimary),
		FieldError: r.NewStyle().Foreground(colorError),
		Bar:        r.NewStyle().Foreground(colorPrimary),
		Plain:      r.NewStyle(),
	}
}
