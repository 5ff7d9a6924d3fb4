package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// TODO(issue 3): this screen is a placeholder until its model lands.

var statsText = map[string]text{}

type statsStub struct{ c *Common }

func newStats(c *Common) screen { return &statsStub{c: c} }

func (s *statsStub) Init() tea.Cmd                    { return nil }
func (s *statsStub) Update(tea.Msg) (screen, tea.Cmd) { return s, nil }
func (s *statsStub) View() string                     { return "" }
func (s *statsStub) SetSize(int, int)                 {}
func (s *statsStub) Capturing() bool                  { return false }
func (s *statsStub) Dirty() bool                      { return false }
func (s *statsStub) ShortHelp() []key.Binding         { return nil }
func (s *statsStub) FullHelp() [][]key.Binding        { return nil }

var _ = domain.RoleAdmin
