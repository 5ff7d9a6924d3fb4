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

// Styles is the one theme of the application.
type Styles struct {
	Title, Tab, ActiveTab, User       lipgloss.Style
	Header, Cell, Selected, Muted     lipgloss.Style
	Error, Warning, Success, Info     lipgloss.Style
	StatusBar, Help, Box, Label, Bold lipgloss.Style
	Input, FieldError                 lipgloss.Style
}

// NewStyles builds the theme.
func NewStyles() Styles {
	return Styles{
		Title:      lipgloss.NewStyle().Bold(true).Foreground(colorPrimary),
		Tab:        lipgloss.NewStyle().Padding(0, 1).Foreground(colorMuted),
		ActiveTab:  lipgloss.NewStyle().Padding(0, 1).Bold(true).Underline(true).Foreground(colorPrimary),
		User:       lipgloss.NewStyle().Foreground(colorMuted),
		Header:     lipgloss.NewStyle().Bold(true).Foreground(colorPrimary),
		Cell:       lipgloss.NewStyle(),
		Selected:   lipgloss.NewStyle().Bold(true).Background(colorSelectedB),
		Muted:      lipgloss.NewStyle().Foreground(colorMuted),
		Error:      lipgloss.NewStyle().Bold(true).Foreground(colorError),
		Warning:    lipgloss.NewStyle().Bold(true).Foreground(colorWarning),
		Success:    lipgloss.NewStyle().Foreground(colorSuccess),
		Info:       lipgloss.NewStyle().Foreground(colorPrimary),
		StatusBar:  lipgloss.NewStyle().Foreground(colorMuted),
		Help:       lipgloss.NewStyle().Foreground(colorMuted),
		Box:        lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(colorBorder).Padding(0, 1),
		Label:      lipgloss.NewStyle().Foreground(colorMuted),
		Bold:       lipgloss.NewStyle().Bold(true),
		Input:      lipgloss.NewStyle().Foreground(colorPrimary),
		FieldError: lipgloss.NewStyle().Foreground(colorError),
	}
}
