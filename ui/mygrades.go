package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// TODO(issue 3): this screen is a placeholder until its model lands.

var myGradesText = map[string]text{}

type mygradesStub struct{ c *Common }

func newMyGrades(c *Common) screen { return &mygradesStub{c: c} }

func (s *mygradesStub) Init() tea.Cmd                    { return nil }
func (s *mygradesStub) Update(tea.Msg) (screen, tea.Cmd) { return s, nil }
func (s *mygradesStub) View() string                     { return "" }
func (s *mygradesStub) SetSize(int, int)                 {}
func (s *mygradesStub) Capturing() bool                  { return false }
func (s *mygradesStub) Dirty() bool                      { return false }
func (s *mygradesStub) ShortHelp() []key.Binding         { return nil }
func (s *mygradesStub) FullHelp() [][]key.Binding        { return nil }

var _ = domain.RoleAdmin
