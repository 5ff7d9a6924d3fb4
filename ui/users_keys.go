package ui

import (
	"errors"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// The users screen's SSH keys panel (s: list the selected account's keys,
// add one by pasting its authorized_keys line, remove one after a
// question) and its language question (l).

var usersKeysText = map[string]text{
	"col.keys":                {"Clés", "Keys"},
	"col.lang":                {"Langue", "Lang."},
	"field.key":               {"Clé SSH", "SSH key"},
	"field.lang":              {"Langue", "Language"},
	"lang.fr":                 {"français", "French"},
	"lang.en":                 {"anglais", "English"},
	"users.keys.title":        {"Clés SSH de %s · %d", "SSH keys of %s · %d"},
	"users.keys.none":         {"%s n'a aucune clé SSH : a pour en ajouter une.", "%s has no SSH key: a to add one."},
	"users.keys.paste":        {"Clé publique", "Public key"},
	"users.keys.placeholder":  {"collez la ligne ssh-ed25519 AAAA… du fichier .pub", "paste the ssh-ed25519 AAAA… line of the .pub file"},
	"users.keys.added":        {"Clé %s ajoutée pour %s.", "Key %s added for %s."},
	"users.keys.removed":      {"Clé %s retirée de %s ; les sessions ouvertes avec elle sont fermées.", "Key %s removed from %s; the sessions it opened are closed."},
	"users.keys.ask.remove":   {"Retirer la clé %s de %s ?", "Remove key %s from %s?"},
	"users.keys.ask.sessions": {"Les sessions ouvertes avec elle seront fermées. (o/n)", "The sessions it opened will be closed. (y/n)"},
	"users.keys.taken":        {"déjà enregistrée pour le compte %s", "already registered to the account %s"},
	"users.keys.mine":         {"déjà enregistrée pour ce compte", "already registered to this account"},
	"users.keys.other":        {"déjà enregistrée pour un autre compte", "already registered to another account"},
	"users.lang.ask":          {"Langue de %s :", "Language of %s:"},
	"users.lang.done":         {"Langue de %s : %s.", "Language of %s: %s."},
	"users.key.keys":          {"clés SSH", "SSH keys"},
	"users.key.lang":          {"langue", "language"},
	"users.key.addkey":        {"ajouter une clé", "add a key"},
	"users.key.removekey":     {"retirer la clé", "remove the key"},
	"users.key.back":          {"retour à la liste", "back to the list"},
	"users.key.pick":          {"choisir", "choose"},
	"users.key.confirmlang":   {"valider", "confirm"},
	"reason.is a private key": {"est une clé privée, qui doit rester secrète : donnez la clé publique (le fichier .pub) ; rien n'a été enregistré", "is a private key, which must stay secret: give the public key instead (the .pub file); nothing was stored"},
	"reason.is in the RFC 4716": {"est au format RFC 4716 (SSH2, PuTTY) : convertissez-la avec « ssh-keygen -i -f FICHIER » et collez la ligne obtenue",
		"is in the RFC 4716 (SSH2, PuTTY) format: convert it with 'ssh-keygen -i -f FILE' and paste the one-line result"},
	"reason.is not an SSH public key": {"n'est pas une clé publique SSH : une ligne comme « ssh-ed25519 AAAAC3Nza… awa@portable » est attendue",
		"is not an SSH public key: expected one line such as 'ssh-ed25519 AAAAC3Nza… awa@portable'"},
	"reason.is an SSH certificate":  {"est un certificat SSH : donnez la clé publique qu'il certifie", "is an SSH certificate: give the plain public key it certifies"},
	"reason.is a DSA (ssh-dss) key": {"est une clé DSA, qu'OpenSSH refuse désormais : créez une clé avec « ssh-keygen -t ed25519 »", "is a DSA key, which OpenSSH no longer accepts: make a new key with 'ssh-keygen -t ed25519'"},
	"reason.is an RSA key of":       {"est une clé RSA trop courte : il faut au moins 2048 bits, ou une clé ed25519 (ssh-keygen -t ed25519)", "is an RSA key that is too short: at least 2048 bits, or an ed25519 key (ssh-keygen -t ed25519)"},
	"reason.is an RSA key that":     {"est une clé RSA illisible", "is an RSA key that cannot be read"},
	"reason.holds more than one":    {"contient plusieurs clés publiques : ajoutez-les une à une", "holds more than one public key: add them one at a time"},
	"reason.an account has at most": {"ce compte a déjà le nombre maximal de clés : retirez-en une d'abord", "this account has the most keys allowed: remove one first"},
	"reason.is already registered":  {"est déjà enregistrée", "is already registered"},
	"reason.must be fr or en":       {"doit être fr ou en", "must be fr or en"},
}

// fingerprintWidth is the width of a SHA256 fingerprint: "SHA256:" and
// 43 characters of base64.
const fingerprintWidth = 7 + 43

// userLangs are the languages an account may choose, in the order the
// question shows them.
var userLangs = []string{"fr", "en"}

type (
	usersKeysKeys struct {
		Keys, Lang, Add, Remove, Back, Pick, Confirm key.Binding
	}
	// keyDoneMsg ends a key or language action for account keep.
	keyDoneMsg struct {
		from *users
		keep string
		text string
		err  error
	}
)

func newUsersKeysKeys(t *Translator) usersKeysKeys {
	return usersKeysKeys{
		Keys:    key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("users.key.keys"))),
		Lang:    key.NewBinding(key.WithKeys("l"), key.WithHelp("l", t.T("users.key.lang"))),
		Add:     key.NewBinding(key.WithKeys("a"), key.WithHelp("a", t.T("users.key.addkey"))),
		Remove:  key.NewBinding(key.WithKeys("d", "delete"), key.WithHelp("d/suppr", t.T("users.key.removekey"))),
		Back:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("échap", t.T("users.key.back"))),
		Pick:    key.NewBinding(key.WithKeys("left", "right", "f", "e"), key.WithHelp("←/→", t.T("users.key.pick"))),
		Confirm: key.NewBinding(key.WithKeys("enter"), key.WithHelp("entrée", t.T("users.key.confirmlang"))),
	}
}

// openKeys shows the keys panel of u.
func (m *users) openKeys(u *domain.User) tea.Cmd {
	m.mode, m.target, m.keyCursor, m.keyErr = usersKeyList, u, 0, ""
	m.keyInput.SetValue("")
	m.keyInput.Blur()
	return nil
}

// openLang asks u's language, starting from the one recorded.
func (m *users) openLang(u *domain.User) {
	m.mode, m.target, m.langChoice = usersLang, u, 0
	for i, l := range userLangs {
		if l == u.Lang {
			m.langChoice = i
		}
	}
}

// keysKey handles the keys of the panel, its paste field and its
// question.
func (m *users) keysKey(msg tea.KeyMsg) tea.Cmd {
	k, u := m.kkeys, m.target
	switch m.mode {
	case usersKeyAdd:
		switch {
		case m.busy:
		case key.Matches(msg, k.Back):
			m.mode, m.keyErr = usersKeyList, ""
			m.keyInput.SetValue("")
			m.keyInput.Blur()
		case key.Matches(msg, k.Confirm):
			return m.addKey()
		default:
			var cmd tea.Cmd
			m.keyInput, cmd = m.keyInput.Update(msg)
			return cmd
		}
		return nil
	case usersKeyAskRemove:
		m.mode = usersKeyList
		if isYes(m.c.T, msg) && m.keyCursor < len(u.SSHKeys) {
			return m.removeKey(u.SSHKeys[m.keyCursor])
		}
		return nil
	}
	switch {
	case key.Matches(msg, k.Back):
		m.mode, m.target = usersList, nil
	case key.Matches(msg, k.Add):
		m.mode, m.keyErr = usersKeyAdd, ""
		return m.keyInput.Focus()
	case len(u.SSHKeys) == 0:
	case key.Matches(msg, k.Remove):
		m.mode = usersKeyAskRemove
	case key.Matches(msg, m.keys.list.Up):
		m.keyCursor = max(0, m.keyCursor-1)
	case key.Matches(msg, m.keys.list.Down):
		m.keyCursor = min(len(u.SSHKeys)-1, m.keyCursor+1)
	}
	return nil
}

func (m *users) addKey() tea.Cmd {
	line := strings.TrimSpace(m.keyInput.Value())
	m.busy, m.keyErr = true, ""
	c, name, t := m.c, m.target.Username, m.c.T
	return func() tea.Msg {
		k, err := c.Auth.AddKey(c.Ctx, c.Actor, name, line)
		if err != nil {
			return keyDoneMsg{from: m, keep: name, err: err}
		}
		return keyDoneMsg{from: m, keep: name, text: t.T("users.keys.added", k.Fingerprint, name)}
	}
}

func (m *users) removeKey(k domain.SSHKey) tea.Cmd {
	m.busy = true
	c, name, t := m.c, m.target.Username, m.c.T
	return func() tea.Msg {
		err := c.Auth.RemoveKey(c.Ctx, c.Actor, name, k.Fingerprint)
		return keyDoneMsg{from: m, keep: name, text: t.T("users.keys.removed", k.Fingerprint, name), err: err}
	}
}

// langKey picks a language with ←/→ (or its first letter: f, e) and
// saves it with enter.
func (m *users) langKey(msg tea.KeyMsg) tea.Cmd {
	k := m.kkeys
	switch {
	case key.Matches(msg, k.Back):
		m.mode, m.target = usersList, nil
	case key.Matches(msg, k.Confirm):
		c, name, lang, t := m.c, m.target.Username, userLangs[m.langChoice], m.c.T
		m.mode, m.target, m.busy = usersList, nil, true
		return func() tea.Msg {
			err := c.Auth.SetLang(c.Ctx, c.Actor, name, lang)
			return keyDoneMsg{from: m, keep: name, text: t.T("users.lang.done", name, t.T("lang."+lang)), err: err}
		}
	case key.Matches(msg, k.Pick):
		switch msg.String() {
		case "f":
			m.langChoice = 0
		case "e":
			m.langChoice = 1
		default:
			m.langChoice = 1 - m.langChoice
		}
	}
	return nil
}

// keyDone: a refused key stays in the paste field with the reason under
// it; anything else goes to the status line, and the list is read again
// (the panel follows the account through the reload).
func (m *users) keyDone(msg keyDoneMsg) tea.Cmd {
	m.busy = false
	m.keep = msg.keep
	if msg.err != nil {
		if m.mode == usersKeyAdd {
			m.keyErr = m.keyErrorText(msg.err)
			return nil
		}
		return tea.Batch(func() tea.Msg { return failed(msg.err) }, m.load())
	}
	if m.mode == usersKeyAdd {
		m.mode = usersKeyList
		m.keyInput.SetValue("")
		m.keyInput.Blur()
		m.keyCursor = len(m.target.SSHKeys) // the new key, once reloaded
	}
	return tea.Batch(status(statusSuccess, msg.text), m.load())
}

// keyErrorText says why a key was refused; a conflict names the account
// holding it when the domain told (it tells admins only).
func (m *users) keyErrorText(err error) string {
	t := m.c.T
	var e *domain.Error
	if errors.As(err, &e) && e.Code == domain.ECONFLICT && e.Field() == "key" {
		switch e.Existing {
		case "":
			return t.T("users.keys.other")
		case m.target.Username:
			return t.T("users.keys.mine")
		}
		return t.T("users.keys.taken", e.Existing)
	}
	if errors.As(err, &e) && e.Code == domain.EINVALID && e.Field() == "key" {
		if strings.HasPrefix(e.Problems[0].Reason, "is a private key") {
			// The secret must not stay on screen.
			m.keyInput.SetValue("")
		}
		return Reason(t, e.Problems[0])
	}
	return ErrorText(t, err)
}

// followTarget points the panel at the reloaded copy of its account, or
// closes it when the account is gone.
func (m *users) followTarget() {
	if m.target == nil {
		return
	}
	for _, u := range m.list {
		if u.Username == m.target.Username {
			m.target = u
			m.keyCursor = max(0, min(m.keyCursor, len(u.SSHKeys)-1))
			return
		}
	}
	m.mode, m.target = usersList, nil
}

// keysLines draws the panel under the table.
func (m *users) keysLines() []string {
	s, t, u := m.c.Styles, m.c.T, m.target
	lines := []string{"", s.Title.Render(fit(t.T("users.keys.title", u.Username, len(u.SSHKeys)), m.width, false))}
	if len(u.SSHKeys) == 0 {
		lines = append(lines, s.Muted.Render(fit(t.T("users.keys.none", u.Username), m.width, false)))
	}
	// The fingerprint is shown whole (it is what ssh-keygen -l prints to
	// compare); the comment takes what is left, and the day has room
	// from 100 columns.
	dateW := 0
	if m.width >= 100 {
		dateW = 12
	}
	commentW := max(8, min(30, m.width-2-11-fingerprintWidth-1-dateW))
	// The table keeps its header and three rows, the screen title and this
	// panel's own lines (blank, title, field, a reason of up to three):
	// the keys scroll in what is left.
	shown := max(1, m.height-11)
	first := max(0, m.keyCursor-shown+1)
	for i, k := range u.SSHKeys {
		if i < first || i >= first+shown {
			continue
		}
		marker := "  "
		if i == m.keyCursor && m.mode != usersKeyAdd {
			marker = "▸ "
		}
		line := marker + fit(keyTypeLabel(k.Type), 10, false) + " " + fit(k.Comment, commentW, false) + " " + k.Fingerprint
		if dateW > 0 {
			line += "  " + t.Date(k.AddedAt)
		}
		if marker == "▸ " {
			lines = append(lines, s.Selected.Render(fit(line, m.width, false)))
		} else {
			lines = append(lines, fit(line, m.width, false))
		}
	}
	switch m.mode {
	case usersKeyAdd:
		lines = append(lines, fit("▸ "+s.Input.Render(t.T("users.keys.paste"))+" "+m.keyInput.View(), m.width, false))
		switch {
		case m.busy:
			lines = append(lines, s.Muted.Render(t.T("users.saving")))
		case m.keyErr != "":
			// Wrapped: a refusal says what to do instead, which does not
			// fit one line. At most three lines.
			wrapped := strings.Split(s.Plain.Width(max(10, m.width-4)).Render(m.keyErr), "\n")
			for _, l := range wrapped[:min(3, len(wrapped))] {
				lines = append(lines, s.FieldError.Render(fit("    "+strings.TrimRight(l, " "), m.width, false)))
			}
		}
	case usersKeyAskRemove:
		k := u.SSHKeys[m.keyCursor]
		name := k.Fingerprint
		if k.Comment != "" {
			name = "« " + k.Comment + " »"
			if t.Lang() == English {
				name = `"` + k.Comment + `"`
			}
		}
		lines = append(lines, s.Warning.Render(fit(t.T("users.keys.ask.remove", name, u.Username), m.width, false)),
			s.Warning.Render(fit(t.T("users.keys.ask.sessions"), m.width, false)))
	}
	return lines
}

// langLines draws the language question.
func (m *users) langLines() []string {
	s, t := m.c.Styles, m.c.T
	parts := make([]string, len(userLangs))
	for i, l := range userLangs {
		if i == m.langChoice {
			parts[i] = s.Selected.Render("[" + t.T("lang."+l) + "]")
		} else {
			parts[i] = s.Muted.Render(" " + t.T("lang."+l) + " ")
		}
	}
	return []string{"", fit(s.Title.Render(t.T("users.lang.ask", m.target.Username))+" ◀ "+strings.Join(parts, " ")+" ▶", m.width, false)}
}

// keyTypeLabel shortens a key type for the panel: "ssh-ed25519" is
// "ed25519", "ecdsa-sha2-nistp256" "ecdsa-256", a security key's "-sk".
func keyTypeLabel(typ string) string {
	sk := strings.HasPrefix(typ, "sk-")
	typ = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(typ, "sk-"), "ssh-"), "@openssh.com")
	if bits, ok := strings.CutPrefix(typ, "ecdsa-sha2-nistp"); ok {
		if _, err := strconv.Atoi(bits); err == nil {
			typ = "ecdsa-" + bits
		} else {
			typ = "ecdsa"
		}
	}
	if sk {
		typ += "-sk"
	}
	return typ
}
