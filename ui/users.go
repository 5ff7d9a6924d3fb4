package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// TODO(issue 3): this screen is a placeholder until its model lands.

var usersText = map[string]text{}

type usersStub struct{ c *Common }

func newUsers(c *Common) screen { return &usersStub{c: c} }

func (s *usersStub) Init() tea.Cmd                    { return nil }
func (s *usersStub) Update(tea.Msg) (screen, tea.Cmd) { return s, nil }
func (s *usersStub) View() string                     { return "" }
func (s *usersStub) SetSize(int, int)                 {}
func (s *usersStub) Capturing() bool                  { return false }
func (s *usersStub) Dirty() bool                      { return false }
func (s *usersStub) ShortHelp() []key.Binding         { return nil }
func (s *usersStub) FullHelp() [][]key.Binding        { return nil }

var _ = domain.RoleAdmin
