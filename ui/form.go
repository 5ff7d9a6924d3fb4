package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// TODO(issue 3): this screen is a placeholder until its model lands.

var formText = map[string]text{}

type formStub struct{ c *Common }

func newForm(c *Common, st *domain.Student) screen { return &formStub{c: c} }

func (s *formStub) Init() tea.Cmd                    { return nil }
func (s *formStub) Update(tea.Msg) (screen, tea.Cmd) { return s, nil }
func (s *formStub) View() string                     { return "" }
func (s *formStub) SetSize(int, int)                 {}
func (s *formStub) Capturing() bool                  { return false }
func (s *formStub) Dirty() bool                      { return false }
func (s *formStub) ShortHelp() []key.Binding         { return nil }
func (s *formStub) FullHelp() [][]key.Binding        { return nil }

var _ = domain.RoleAdmin
