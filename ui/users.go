package ui

import (
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var usersText = map[string]text{
	"users.title":         {"Utilisateurs · %d compte(s)", "Users · %d account(s)"},
	"users.active":        {"actif", "active"},
	"users.disabled":      {"désactivé", "disabled"},
	"users.scope.all":     {"tout l'établissement", "whole school"},
	"users.scope.unknown": {"étudiant introuvable", "student not found"},
	"users.new":           {"Nouveau compte", "New account"},
	"users.reset":         {"Nouveau mot de passe pour %s", "New password for %s"},
	"users.f.student":     {"Matricule ou tél.", "Matricule or phone"},
	"users.f.classes":     {"Classes (a, b)", "Classes (a, b)"},
	"users.f.confirm":     {"Confirmation", "Confirm"},
	"users.mismatch":      {"les deux mots de passe diffèrent", "the two passwords differ"},
	"users.saving":        {"Enregistrement…", "Saving…"},
	"users.created":       {"Compte %s créé.", "Account %s created."},
	"users.pwchanged":     {"Mot de passe de %s remplacé ; ses sessions sont fermées.", "Password of %s replaced; their sessions are closed."},
	"users.ask.disable":   {"Désactiver le compte %s et fermer ses sessions ? (o/n)", "Disable account %s and close its sessions? (y/n)"},
	"users.ask.enable":    {"Réactiver le compte %s ? (o/n)", "Enable account %s again? (y/n)"},
	"users.ask.revoke":    {"Fermer toutes les sessions de %s ? (o/n)", "Close every session of %s? (y/n)"},
	"users.done.disable":  {"Compte %s désactivé.", "Account %s disabled."},
	"users.done.enable":   {"Compte %s réactivé.", "Account %s enabled."},
	"users.done.revoke":   {"%d session(s) fermée(s) pour %s.", "%d session(s) closed for %s."},
	"users.key.new":       {"nouveau compte", "new account"},
	"users.key.password":  {"mot de passe", "password"},
	"users.key.disable":   {"désactiver/réactiver", "disable/enable"},
	"users.key.revoke":    {"fermer les sessions", "close sessions"},
	"users.key.next":      {"champ suivant / valider", "next field / save"},
	"users.key.field":     {"changer de champ", "move between fields"},
	"users.key.role":      {"rôle", "role"},
	"users.key.save":      {"enregistrer", "save"},
	// Domain reasons only this screen meets (Reason matches on the start).
	"reason.is already taken":                   {"est déjà pris", "is already taken"},
	"reason.is neither a matricule nor a phone": {"n'est ni un matricule ni un numéro de téléphone", "is neither a matricule nor a phone number"},
	"reason.must be at most 72 bytes":           {"doit faire au plus 72 octets", "must be at most 72 bytes long"},
}

// Form fields; fRole is a selector, the others text inputs.
const (
	fUsername = iota
	fRole
	fStudent
	fClasses
	fPassword
	fConfirm
	fieldCount
)

// fieldNames are the domain's names for the fields its errors point at.
var fieldNames = [fieldCount]string{"username", "role", "student", "classes", "password", "confirm"}

var userRoles = []domain.Role{domain.RoleAdmin, domain.RoleTeacher, domain.RoleStudent}

type usersMode int

const (
	usersList usersMode = iota
	usersAdd
	usersPassword
	usersAskDisable
	usersAskRevoke
)

type usersKeys struct {
	list                           listKeys
	New, Password, Disable, Revoke key.Binding
	Next, Field, Role, Save, Esc   key.Binding
}

func newUsersKeys(t *Translator) usersKeys {
	return usersKeys{
		list:     newListKeys(t),
		New:      key.NewBinding(key.WithKeys("n"), key.WithHelp("n", t.T("users.key.new"))),
		Password: key.NewBinding(key.WithKeys("p"), key.WithHelp("p", t.T("users.key.password"))),
		Disable:  key.NewBinding(key.WithKeys("x"), key.WithHelp("x", t.T("users.key.disable"))),
		Revoke:   key.NewBinding(key.WithKeys("R"), key.WithHelp("R", t.T("users.key.revoke"))),
		Next:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("entrée", t.T("users.key.next"))),
		Field:    key.NewBinding(key.WithKeys("tab", "shift+tab", "up", "down"), key.WithHelp("tab/↑↓", t.T("users.key.field"))),
		Role:     key.NewBinding(key.WithKeys("left", "right"), key.WithHelp("←/→", t.T("users.key.role"))),
		Save:     key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", t.T("users.key.save"))),
		Esc:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("échap", t.T("key.cancel"))),
	}
}

// users is the admin's account list with an inline form under it. Passwords
// live only in the masked inputs and the command that sends them.
type users struct {
	c      *Common
	keys   usersKeys
	table  *table
	list   []*domain.User
	labels map[string]string // student id → "matricule NAME First"
	mode   usersMode
	target *domain.User // the account `p`, `x` or `R` acts on
	inputs [fieldCount]textinput.Model
	role   int               // index in userRoles
	focus  int               // a field id
	errs   map[string]string // field name ("" for the form) → message
	busy   bool
	keep   string // username to select after a reload
	seq    int
	width  int
	height int
}

type (
	usersLoadedMsg struct {
		from   *users
		seq    int
		list   []*domain.User
		labels map[string]string
		err    error
	}
	// userDoneMsg ends an action: text for the status line, or err.
	userDoneMsg struct {
		from *users
		keep string
		text string
		err  error
	}
)

func newUsers(c *Common) screen {
	m := &users{c: c, keys: newUsersKeys(c.T), role: 1}
	for i := range m.inputs {
		in := newInput(c.Styles, 200)
		if i == fPassword || i == fConfirm {
			in = newPasswordInput(c.Styles)
		}
		m.inputs[i] = in
	}
	t := c.T
	m.table = newTable([]column{
		{title: t.T("col.username"), width: 12, grow: 1},
		{title: t.T("col.role"), width: 14},
		{title: t.T("col.scope"), width: 14, grow: 2},
		{title: t.T("col.status"), width: 9},
	}, m.cell)
	return m
}

func (m *users) Init() tea.Cmd { return m.load() }

// load reads the accounts and, when some are students', the roster once
// to name them (an account only holds the student's internal id).
func (m *users) load() tea.Cmd {
	m.seq++
	c, seq := m.c, m.seq
	return func() tea.Msg {
		list, err := c.Auth.Users(c.Ctx, c.Actor)
		if err != nil {
			return usersLoadedMsg{from: m, seq: seq, err: err}
		}
		labels := map[string]string{}
		if slices.ContainsFunc(list, func(u *domain.User) bool { return u.StudentID != "" }) {
			page, err := c.Students.Roster(c.Ctx, c.Actor, domain.RosterQuery{})
			if err != nil {
				c.Log.Warn("student names for accounts", "err", err)
			}
			for _, r := range page.Rows {
				labels[r.ID] = r.Number + " " + r.LastName + " " + r.FirstName
			}
		}
		return usersLoadedMsg{from: m, seq: seq, list: list, labels: labels}
	}
}

func (m *users) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case usersLoadedMsg:
		if msg.from != m || msg.seq != m.seq {
			return m, nil
		}
		if msg.err != nil {
			return m, func() tea.Msg { return failed(msg.err) }
		}
		slices.SortFunc(msg.list, func(a, b *domain.User) int { return strings.Compare(a.Username, b.Username) })
		m.list, m.labels = msg.list, msg.labels
		m.table.SetRows(len(m.list))
		if i := slices.IndexFunc(m.list, func(u *domain.User) bool { return u.Username == m.keep }); i >= 0 {
			m.table.Move(i - m.table.Cursor())
		}
		return m, nil
	case userDoneMsg:
		if msg.from != m {
			return m, nil
		}
		return m, m.done(msg)
	case changeMsg:
		if msg.change.Type == "user.changed" {
			return m, m.load()
		}
		return m, nil
	case tea.MouseMsg:
		if m.mode == usersList {
			m.table.HandleWheel(msg)
		}
		return m, nil
	case tea.KeyMsg:
		switch m.mode {
		case usersList:
			return m, m.listKey(msg)
		case usersAskDisable, usersAskRevoke:
			return m, m.answer(msg)
		}
		return m, m.formKey(msg)
	}
	if m.mode == usersAdd || m.mode == usersPassword {
		var cmd tea.Cmd
		m.inputs[m.focus], cmd = m.inputs[m.focus].Update(msg) // cursor blink
		return m, cmd
	}
	return m, nil
}

func (m *users) selected() *domain.User {
	if i := m.table.Cursor(); i >= 0 && i < len(m.list) {
		return m.list[i]
	}
	return nil
}

func (m *users) listKey(msg tea.KeyMsg) tea.Cmd {
	u := m.selected()
	switch {
	case key.Matches(msg, m.keys.New):
		m.openForm(usersAdd, nil)
		return m.setFocus(fUsername)
	case u == nil:
	case key.Matches(msg, m.keys.Password):
		m.openForm(usersPassword, u)
		return m.setFocus(fPassword)
	case key.Matches(msg, m.keys.Disable):
		m.mode, m.target = usersAskDisable, u
	case key.Matches(msg, m.keys.Revoke):
		m.mode, m.target = usersAskRevoke, u
	default:
		m.table.HandleKey(msg, m.keys.list)
	}
	return nil
}

// answer runs the confirmed action; any key but "yes" cancels.
func (m *users) answer(msg tea.KeyMsg) tea.Cmd {
	mode, u := m.mode, m.target
	m.mode, m.target = usersList, nil
	if !isYes(m.c.T, msg) {
		return nil
	}
	c, name, t := m.c, u.Username, m.c.T
	if mode == usersAskRevoke {
		return func() tea.Msg {
			n, err := c.Auth.RevokeSessions(c.Ctx, c.Actor, name)
			return userDoneMsg{from: m, keep: name, text: t.T("users.done.revoke", n, name), err: err}
		}
	}
	disable, done := !u.Disabled, t.T("users.done.disable", name)
	if !disable {
		done = t.T("users.done.enable", name)
	}
	return func() tea.Msg {
		err := c.Auth.SetDisabled(c.Ctx, c.Actor, name, disable)
		return userDoneMsg{from: m, keep: name, text: done, err: err}
	}
}
