package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

var loginText = map[string]text{
	"login.title":     {"Connexion", "Log in"},
	"login.username":  {"Utilisateur", "User name"},
	"login.password":  {"Mot de passe", "Password"},
	"login.submit":    {"se connecter", "log in"},
	"login.field":     {"champ suivant", "next field"},
	"login.checking":  {"Vérification…", "Checking…"},
	"login.resuming":  {"Connexion rapide…", "Quick reconnection…"},
	"login.welcome":   {"Bienvenue, %s.", "Welcome, %s."},
	"login.resumed":   {"Connexion rapide : bienvenue, %s.", "Quick reconnection: welcome, %s."},
	"login.empty":     {"Saisissez votre nom d'utilisateur et votre mot de passe.", "Enter your user name and password."},
	"login.demo":      {"Démo :", "Demo:"},
	"login.tokenfail": {"Session non enregistrée : la prochaine fois il faudra se reconnecter.", "Session not saved: you will have to log in next time."},
}

type loginKeys struct {
	Submit, Field key.Binding
}

// login asks for a user name and a masked password. On start it first
// tries the saved session ("connexion rapide").
type login struct {
	c        *Common
	keys     loginKeys
	user     textinput.Model
	pass     textinput.Model
	focus    int
	busy     string
	err      string
	width    int
	height   int
	tryToken bool
}

type loginFailedMsg struct{ err error }

// noSessionMsg says there is no usable saved session: ask for a password.
type noSessionMsg struct{}

func newLogin(c *Common) *login {
	l := newLoginAfterLogout(c)
	l.tryToken = true
	l.busy = c.T.T("login.resuming")
	return l
}

func newLoginAfterLogout(c *Common) *login {
	user := newInput(c.Styles, 40)
	user.Focus()
	pass := newPasswordInput(c.Styles)
	t := c.T
	return &login{c: c, user: user, pass: pass, keys: loginKeys{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp(t.T("keyname.enter"), c.T.T("login.submit"))),
		Field:  key.NewBinding(key.WithKeys("tab", "shift+tab", "up", "down"), key.WithHelp("tab", c.T.T("login.field"))),
	}}
}

func (l *login) Init() tea.Cmd {
	if !l.tryToken {
		return nil
	}
	c := l.c
	return func() tea.Msg {
		token, err := c.Tokens.Load()
		if err != nil {
			c.Log.Warn("session file", "err", err)
			return noSessionMsg{}
		}
		if token == "" {
			return noSessionMsg{}
		}
		in, err := c.Auth.Resume(c.Ctx, token)
		if err != nil {
			c.Log.Info("saved session not resumed", "err", err)
			_ = c.Tokens.Clear()
			return noSessionMsg{}
		}
		return loggedInMsg{login: in, resumed: true}
	}
}

func (l *login) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case noSessionMsg:
		l.busy = ""
		return l, nil
	case loginFailedMsg:
		l.busy = ""
		l.err = ErrorText(l.c.T, msg.err)
		l.pass.SetValue("")
		return l, nil
	case tea.KeyMsg:
		if l.busy != "" {
			return l, nil
		}
		switch {
		case key.Matches(msg, l.keys.Submit):
			if l.focus == 0 && l.pass.Value() == "" {
				l.setFocus(1)
				return l, nil
			}
			return l, l.submit()
		case key.Matches(msg, l.keys.Field):
			l.setFocus(1 - l.focus)
			return l, nil
		}
	}
	var cmd tea.Cmd
	if l.focus == 0 {
		l.user, cmd = l.user.Update(msg)
	} else {
		l.pass, cmd = l.pass.Update(msg)
	}
	return l, cmd
}

func (l *login) setFocus(i int) {
	l.focus = i
	if i == 0 {
		l.user.Focus()
		l.pass.Blur()
	} else {
		l.pass.Focus()
		l.user.Blur()
	}
}

func (l *login) submit() tea.Cmd {
	username, password := strings.TrimSpace(l.user.Value()), l.pass.Value()
	if username == "" || password == "" {
		l.err = l.c.T.T("login.empty")
		return nil
	}
	l.busy, l.err = l.c.T.T("login.checking"), ""
	c := l.c
	return func() tea.Msg {
		in, err := c.Auth.Login(c.Ctx, username, password)
		if err != nil {
			return loginFailedMsg{err: err}
		}
		if err := c.Tokens.Save(in.Token); err != nil {
			c.Log.Warn("session file not written", "err", err)
			return loggedInMsg{login: in, unsaved: true}
		}
		return loggedInMsg{login: in}
	}
}

func (l *login) View() string {
	s := l.c.Styles
	var b strings.Builder
	b.WriteString(s.Title.Render(l.c.T.T("login.title")) + "\n\n")
	b.WriteString(s.Label.Render(fit(l.c.T.T("login.username"), 14, false)) + " " + l.user.View() + "\n")
	b.WriteString(s.Label.Render(fit(l.c.T.T("login.password"), 14, false)) + " " + l.pass.View() + "\n\n")
	switch {
	case l.busy != "":
		b.WriteString(s.Muted.Render(l.busy))
	case l.err != "":
		b.WriteString(s.Error.Render(l.err))
	}
	if len(l.c.DemoLogins) > 0 {
		b.WriteString("\n\n" + s.Muted.Render(l.c.T.T("login.demo")+" "+strings.Join(l.c.DemoLogins, " · ")))
	}
	box := s.Box.Width(min(60, max(20, l.width-4))).Render(b.String())
	return lipgloss.Place(l.width, l.height, lipgloss.Center, lipgloss.Center, box)
}

func (l *login) SetSize(w, h int) { l.width, l.height = w, h }
func (l *login) Capturing() bool  { return true }
func (l *login) Dirty() bool      { return false }
func (l *login) ShortHelp() []key.Binding {
	return []key.Binding{l.keys.Submit, l.keys.Field}
}
func (l *login) FullHelp() [][]key.Binding { return [][]key.Binding{l.ShortHelp()} }
