package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// TODO(issue 3): this screen is a placeholder until its model lands.

var detailText = map[string]text{}

type detailStub struct{ c *Common }

func newDetail(c *Common, ref string) screen { return &detailStub{c: c} }

func (s *detailStub) Init() tea.Cmd                    { return nil }
func (s *detailStub) Update(tea.Msg) (screen, tea.Cmd) { return s, nil }
func (s *detailStub) View() string                     { return "" }
func (s *detailStub) SetSize(int, int)                 {}
func (s *detailStub) Capturing() bool                  { return false }
func (s *detailStub) Dirty() bool                      { return false }
func (s *detailStub) ShortHelp() []key.Binding         { return nil }
func (s *detailStub) FullHelp() [][]key.Binding        { return nil }

var _ = domain.RoleAdmin
