package main

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"scolarite/cli"
	"scolarite/serve"
)

// liar presents one key's public half and signs with another: a client
// that offers a registered key it does not hold.
type liar struct {
	gossh.Signer
	shown gossh.PublicKey
}

func (l liar) PublicKey() gossh.PublicKey { return l.shown }

func authorizedLine(s gossh.Signer) string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(s.PublicKey())))
}

// A registered key opens its user's session without a password; a key
// offered but not proved, or unknown, lands on the log-in screen; a removed
// key and a disabled account are refused, open sessions included, within
// seconds.
func TestServeKeyLogin(t *testing.T) {
	school := startServedSchool(t, serve.Config{}, cli.Config{})
	ctx := context.Background()
	awaKey, bintaKey := newSigner(t), newSigner(t)
	for user, key := range map[string]gossh.Signer{"awa": awaKey, "binta": bintaKey} {
		if _, err := school.app.Auth.AddKey(ctx, admin, user, authorizedLine(key)+" "+user+"@lab"); err != nil {
			t.Fatalf("add %s's key: %v", user, err)
		}
	}
	const wait = 20 * time.Second

	awa := openScreen(t, school.addr, withKey(awaKey), 120, 35, "fr_SN.UTF-8")
	awa.waitFor(wait, "Connexion rapide", "Mes notes", "Ndiaye Awa")

	// A key offered and then signed by another: x/crypto ends the
	// connection at the bad signature.
	if c, err := dialSSH(t, school.addr, withKey(liar{Signer: newSigner(t), shown: awaKey.PublicKey()})); err == nil {
		c.Close()
		t.Fatal("a client that offered a registered key it does not hold got a connection")
	}
	// A registered key offered (the server says it would accept it), not
	// used, and then keyboard-interactive: the log-in screen.
	for name, auth := range map[string][]gossh.AuthMethod{
		"offered, not used": offerOnly(awaKey.PublicKey()),
		"unknown key":       withKey(newSigner(t)),
		"no key":            noKey(),
	} {
		scr := openScreen(t, school.addr, auth, 120, 35, "fr_SN.UTF-8")
		scr.waitFor(wait, "Mot de passe")
		time.Sleep(300 * time.Millisecond) // a key log-in would have answered by now
		if text := scr.text(); strings.Contains(text, "Mes notes") {
			t.Errorf("%s: opened a session:\n%s", name, text)
		}
		scr.close()
	}

	// The key is removed: the open session ends, and the key opens nothing.
	fp := gossh.FingerprintSHA256(awaKey.PublicKey())
	if err := school.app.Auth.RemoveKey(ctx, admin, "awa", fp); err != nil {
		t.Fatal(err)
	}
	removed := time.Now()
	awa.waitFor(5*time.Second, "Mot de passe")
	if d := time.Since(removed); d > 3*time.Second {
		t.Errorf("the session of a removed key ended after %v", d)
	}
	again := openScreen(t, school.addr, withKey(awaKey), 120, 35, "fr_SN.UTF-8")
	again.waitFor(wait, "Mot de passe")
	time.Sleep(300 * time.Millisecond)
	if strings.Contains(again.text(), "Mes notes") {
		t.Fatalf("a removed key still opens the session:\n%s", again.text())
	}

	// Binta's account is disabled while she is connected by key.
	binta := openScreen(t, school.addr, withKey(bintaKey), 120, 35, "fr_SN.UTF-8")
	binta.waitFor(wait, "Mes notes", "Sarr Binta")
	if err := school.app.Auth.SetDisabled(ctx, admin, "binta", true); err != nil {
		t.Fatal(err)
	}
	binta.waitFor(5*time.Second, "Mot de passe")
	later := openScreen(t, school.addr, withKey(bintaKey), 120, 35, "fr_SN.UTF-8")
	later.login("binta", password("binta"))
	later.waitFor(wait, "désactivé")
}

// The language: the client's LANG when it names one, else the user's
// saved preference, per connection.
func TestServeLanguagePerConnection(t *testing.T) {
	school := startServedSchool(t, serve.Config{}, cli.Config{})
	if err := school.app.Auth.SetLang(context.Background(), admin, "cheikh", "en"); err != nil {
		t.Fatal(err)
	}
	const wait = 20 * time.Second
	english := openScreen(t, school.addr, noKey(), 120, 35, "en_GB.UTF-8")
	english.waitFor(wait, "Password")
	french := openScreen(t, school.addr, noKey(), 120, 35, "fr_SN.UTF-8")
	french.waitFor(wait, "Mot de passe")

	// No language sent: French on the log-in screen, then Cheikh's English.
	neutral := openScreen(t, school.addr, noKey(), 120, 35, "C.UTF-8")
	neutral.login("cheikh", password("cheikh"))
	neutral.waitFor(wait, "My grades", "Diallo Cheikh")
	// A French terminal keeps French whatever the preference.
	french.send("cheikh\t" + password("cheikh") + "\r")
	french.waitFor(wait, "Mes notes", "Diallo Cheikh")
	if strings.Contains(english.text(), "Mot de passe") {
		t.Fatal("one connection's language reached another's screen")
	}
}

// offerOnly asks whether the server would take key (without a signature),
// then goes on with keyboard-interactive: the key is offered, never used.
func offerOnly(key gossh.PublicKey) []gossh.AuthMethod {
	return append([]gossh.AuthMethod{gossh.PublicKeysCallback(func() ([]gossh.Signer, error) {
		return []gossh.Signer{unusable{key}}, nil
	})}, noKey()...)
}

// unusable is a signer that cannot sign: the client library then moves
// on to the next method after the server said it would accept the key.
type unusable struct{ pub gossh.PublicKey }

func (u unusable) PublicKey() gossh.PublicKey { return u.pub }
func (u unusable) Sign(io.Reader, []byte) (*gossh.Signature, error) {
	return nil, errors.New("no private key here")
}
