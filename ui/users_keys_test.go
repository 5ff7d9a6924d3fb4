package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// Made by ssh-keygen, with the fingerprints `ssh-keygen -l` printed.
const (
	uiAwaKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICks0pCsgaDZ80mPMVr8aZW+WEXWUaX7AswEBPZU1gqM awa@portable"
	uiAwaFP  = "SHA256:su8BeYMaOVZTrPnWmVLkQAkhVvFEDsmDemtNBXvt8mg"
	uiRSAKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDqoWG01ONxtZtau8d0UqgNaTmpfSTYB6va/feLMRLeaEdnDU5StdE4UpUovnZY62S2Bl4/ms2mgJlOdzu6fFZ6vgVJjuU0ylFV4GfMRJZPTOZcnVwfv+y1O4pag96rbH42WElgL7xfFYjsi8RZLkY0BvushjCtDHnRwANGNPdB4MC+MrkLYYJCBPHUWqZYr+X1iSUvTOn/8QbStWvDnQv0e0WvKxSpCRTL0g7lMLLXN1ZrAHpbyeb3YWrh3Ygs0HKQZrqz11582sGQjyXiCU7zNSxP7AzDohieeEhpFnA2JehHOev2sU0tX8+OC8UOMdnCj8r98OhTYVjwt1yDkLs3 moussa@bureau"
	uiRSAFP  = "SHA256:5u1C/ocjTXvXPrIId/o+hDZpYMK6l0qevLd75a+uzsM"
)

// paste is a bracketed paste of s, as a terminal sends it.
func paste(s string) tea.KeyMsg {
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s), Paste: true}
}

func TestUsersKeysAddAndRemove(t *testing.T) {
	m, env, c := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKeys("G", "s")...) // m.sarr
	v := m.View()
	wantIn(t, v, "Clés SSH de m.sarr · 0", "m.sarr n'a aucune clé SSH")
	if !m.Capturing() {
		t.Error("the panel holds the keys (esc leaves it, q must not quit)")
	}

	// Pasted with the newline the .pub file ends with.
	out := sfDrive(t, m, sfKey("a"), paste(uiAwaKey+"\n"))
	if !m.Dirty() {
		t.Error("a pasted key is an unsaved edit")
	}
	out = append(out, sfDrive(t, m, sfKey("enter"))...)
	if got := sfStatus(c, out); got != "Clé "+uiAwaFP+" ajoutée pour m.sarr." {
		t.Errorf("status %q", got)
	}
	// Typed key by key, as a terminal without bracketed paste sends it.
	out = sfDrive(t, m, sfSeq(sfKeys("a"), sfType(uiRSAKey), sfKeys("enter"))...)
	if got := sfStatus(c, out); !strings.Contains(got, uiRSAFP) {
		t.Errorf("status %q", got)
	}
	u, _ := env.users.ByUsername(context.Background(), "m.sarr")
	if len(u.SSHKeys) != 2 || u.SSHKeys[0].Fingerprint != uiAwaFP || u.SSHKeys[1].Comment != "moussa@bureau" {
		t.Fatalf("stored keys %+v", u.SSHKeys)
	}
	v = m.View()
	wantIn(t, v, "Clés SSH de m.sarr · 2", "ed25519", uiAwaFP, "awa@portable", "rsa")
	fits(t, v, 80, 24)
	// A wider screen has room for the day each key was added.
	m.SetSize(110, 30)
	wantIn(t, m.View(), "moussa@bureau", c.T.Date(u.SSHKeys[1].AddedAt))
	fits(t, m.View(), 110, 30)
	m.SetSize(80, 24)
	if m.keyCursor != 1 {
		t.Errorf("cursor on key %d, want the new one (1)", m.keyCursor)
	}

	// Remove the first: a no keeps it, a yes removes it and ends its
	// sessions.
	sfDrive(t, m, sfKeys("up", "d")...)
	wantIn(t, m.View(), "Retirer la clé « awa@portable » de m.sarr ?", "Les sessions ouvertes avec elle seront fermées.")
	fits(t, m.View(), 80, 24)
	sfDrive(t, m, sfKey("n"))
	if u, _ := env.users.ByUsername(context.Background(), "m.sarr"); len(u.SSHKeys) != 2 {
		t.Fatal("removed without a yes")
	}
	out = sfDrive(t, m, sfKeys("d", "o")...)
	if got := sfStatus(c, out); !strings.HasPrefix(got, "Clé "+uiAwaFP+" retirée de m.sarr") {
		t.Errorf("status %q", got)
	}
	u, _ = env.users.ByUsername(context.Background(), "m.sarr")
	if len(u.SSHKeys) != 1 || u.SSHKeys[0].Fingerprint != uiRSAFP {
		t.Fatalf("keys after removal %+v", u.SSHKeys)
	}
	if len(env.sessions.keysEnded) != 1 || env.sessions.keysEnded[0] != "u2 "+uiAwaFP {
		t.Errorf("sessions ended: %v", env.sessions.keysEnded)
	}
	wantIn(t, m.View(), "Clés SSH de m.sarr · 1")
	wantNotIn(t, m.View(), uiAwaFP)

	// esc goes back to the list, which counts the keys.
	sfDrive(t, m, sfKey("esc"))
	if m.Capturing() {
		t.Error("esc leaves the panel open")
	}
	wantNotIn(t, m.View(), "Clés SSH de")
	if got := m.cell(m.table.Cursor(), 4); got != "1" {
		t.Errorf("keys column %q, want 1", got)
	}
}

// TestUsersKeysScroll: an account with the most keys allowed still fits
// 80×24, and the cursor's key is always shown.
func TestUsersKeysScroll(t *testing.T) {
	m, env, _ := newSfUsers(t, 80, 24)
	u, _ := env.users.ByUsername(context.Background(), "m.sarr")
	for i := range domain.MaxSSHKeys {
		u.SSHKeys = append(u.SSHKeys, domain.SSHKey{Fingerprint: fmt.Sprintf("SHA256:%043d", i), Type: "ssh-ed25519", Comment: fmt.Sprintf("poste-%02d", i)})
	}
	if err := env.users.Update(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	sfRun(t, m, changeMsg{change: domain.Change{Type: "user.changed"}})
	sfDrive(t, m, sfKeys("G", "s")...)
	fits(t, m.View(), 80, 24)
	wantIn(t, m.View(), "Clés SSH de m.sarr · 20", "poste-00")
	for range domain.MaxSSHKeys - 1 {
		sfDrive(t, m, sfKey("down"))
	}
	fits(t, m.View(), 80, 24)
	wantIn(t, m.View(), "poste-19")
	wantNotIn(t, m.View(), "poste-00")
	sfDrive(t, m, sfKey("d"))
	fits(t, m.View(), 80, 24)
	wantIn(t, m.View(), "Retirer la clé « poste-19 »")
}

func TestUsersKeysRefusals(t *testing.T) {
	m, env, _ := newSfUsers(t, 80, 24)
	if _, err := env.auth.AddKey(context.Background(), domain.SystemActor("test"), "admin", uiAwaKey); err != nil {
		t.Fatal(err)
	}
	sfRun(t, m, changeMsg{change: domain.Change{Type: "user.changed"}})
	sfDrive(t, m, sfKeys("G", "s", "a")...)
	for _, tc := range []struct{ name, in, says string }{
		{"private key", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "rien n'a été enregistré"},
		{"not a key", "bonjour", "n'est pas une clé publique SSH"},
		{"another account's", uiAwaKey, "déjà enregistrée pour le compte admin"},
		{"nothing", "", "est obligatoire"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m.keyInput.SetValue("")
			sfDrive(t, m, paste(tc.in), sfKey("enter"))
			v := m.View()
			wantIn(t, v, tc.says)
			wantNotIn(t, v, "b3BlbnNzaC1rZXktdjE")
			fits(t, v, 80, 24)
			if m.mode != usersKeyAdd {
				t.Error("a refused key closes the paste field")
			}
			if tc.name == "private key" && m.keyInput.Value() != "" {
				t.Error("a pasted private key stays in the field")
			}
		})
	}
	if u, _ := env.users.ByUsername(context.Background(), "m.sarr"); len(u.SSHKeys) != 0 {
		t.Errorf("refused keys were stored: %+v", u.SSHKeys)
	}
	// esc leaves the field, then the panel.
	sfDrive(t, m, sfKey("esc"))
	if m.mode != usersKeyList || m.keyErr != "" || m.keyInput.Value() != "" {
		t.Errorf("after esc: mode %d, error %q, input %q", m.mode, m.keyErr, m.keyInput.Value())
	}
	// The same key again on its own account.
	sfDrive(t, m, sfKeys("esc", "g", "s", "a")...)
	sfDrive(t, m, paste(uiAwaKey), sfKey("enter"))
	wantIn(t, m.View(), "déjà enregistrée pour ce compte")
}

func TestUsersSetLang(t *testing.T) {
	m, env, c := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKeys("down", "l")...) // awa.diop
	wantIn(t, m.View(), "Langue de awa.diop :", "[français]")
	sfDrive(t, m, sfKeys("right", "esc")...)
	if u, _ := env.users.ByUsername(context.Background(), "awa.diop"); u.Lang != "" {
		t.Fatalf("esc saved %q", u.Lang)
	}
	out := sfDrive(t, m, sfKeys("l", "e")...)
	wantIn(t, m.View(), "[anglais]")
	out = append(out, sfDrive(t, m, sfKey("enter"))...)
	if got := sfStatus(c, out); got != "Langue de awa.diop : anglais." {
		t.Errorf("status %q", got)
	}
	if u, _ := env.users.ByUsername(context.Background(), "awa.diop"); u.Lang != "en" {
		t.Errorf("stored language %q", u.Lang)
	}
	if m.Capturing() {
		t.Error("the question stays open")
	}
	if got := m.cell(m.table.Cursor(), 5); got != "en" {
		t.Errorf("language column %q", got)
	}
	// Asked again, it starts from the recorded language.
	sfDrive(t, m, sfKey("l"))
	wantIn(t, m.View(), "[anglais]")
}

func TestUsersKeysHelp(t *testing.T) {
	m, _, _ := newSfUsers(t, 80, 24)
	helpOf := func() string {
		var keys []string
		for _, b := range m.ShortHelp() {
			keys = append(keys, b.Help().Key+" "+b.Help().Desc)
		}
		for _, col := range m.FullHelp() {
			for _, b := range col {
				keys = append(keys, b.Help().Key+" "+b.Help().Desc)
			}
		}
		return strings.Join(keys, "\n")
	}
	wantIn(t, helpOf(), "s clés SSH", "l langue")
	sfDrive(t, m, sfKey("s"))
	wantIn(t, helpOf(), "a ajouter une clé", "d/suppr retirer la clé", "échap retour à la liste")
	sfDrive(t, m, sfKey("esc"), sfKey("l"))
	wantIn(t, helpOf(), "←/→ choisir", "entrée valider")
}

// TestErrorTextSSH: the two refusals SSH log-in adds, in words.
func TestErrorTextSSH(t *testing.T) {
	env := newAppEnv(t)
	ctx := context.Background()
	var err error
	for i := range domain.MaxOriginFailures {
		_, err = env.auth.LoginFrom(ctx, "192.0.2.1:4000", fmt.Sprintf("guess%d", i), "wrong")
	}
	fr, en := NewTranslator(French), NewTranslator(English)
	if got := ErrorText(fr, err); got != "Trop d'échecs de connexion depuis cette adresse : connexion refusée encore 10 minute(s)." {
		t.Errorf("origin lock: %q", got)
	}
	if got := ErrorText(en, err); !strings.Contains(got, "from this address") {
		t.Errorf("origin lock in English: %q", got)
	}
	// The words TestResumeRemovedKey (domain) checks Resume says.
	gone := domain.Errorf(domain.EUNAUTHORIZED, "the SSH key of this session was removed")
	if got := ErrorText(fr, gone); got != "La clé SSH de cette session a été retirée ; reconnectez-vous." {
		t.Errorf("key removed: %q", got)
	}
}

func TestKeyTypeLabel(t *testing.T) {
	for in, want := range map[string]string{
		"ssh-ed25519": "ed25519", "ssh-rsa": "rsa", "ecdsa-sha2-nistp256": "ecdsa-256", "ecdsa-sha2-nistp521": "ecdsa-521",
		"sk-ssh-ed25519@openssh.com": "ed25519-sk", "sk-ecdsa-sha2-nistp256@openssh.com": "ecdsa-256-sk", "ssh-mldsa-65": "mldsa-65",
	} {
		if got := keyTypeLabel(in); got != want {
			t.Errorf("keyTypeLabel(%s) = %s, want %s", in, got, want)
		}
	}
}
