package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

// A key made by ssh-keygen and the fingerprint `ssh-keygen -l` printed.
const (
	cliAwaKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICks0pCsgaDZ80mPMVr8aZW+WEXWUaX7AswEBPZU1gqM awa@portable"
	cliAwaFP  = "SHA256:su8BeYMaOVZTrPnWmVLkQAkhVvFEDsmDemtNBXvt8mg"
)

// TestCLIUserKeys: users keys add / list / remove and users set-lang, as
// an operator runs them, with the refusals an operator must understand.
func TestCLIUserKeys(t *testing.T) {
	dir := t.TempDir()
	const pw = "s3cret-Passw0rd"
	number := addStudent(t, dir, "Diop", "Ndèye", "77 123 45 67", "L3-INFO")
	mustRun(t, dir, pw+"\n", "users", "add", "--username", "awa", "--role", "teacher", "--classes", "L3-INFO", "--password-stdin")
	mustRun(t, dir, pw+"\n", "users", "add", "--username", "ndeye", "--role", "student", "--student", number, "--password-stdin")

	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	awaPub := write("id_ed25519.pub", cliAwaKey+"\n")
	if out := mustRun(t, dir, "", "users", "keys", "add", "awa", "--key-file", awaPub); strings.TrimSpace(out) != cliAwaFP {
		t.Fatalf("keys add printed %q, want the fingerprint %s", out, cliAwaFP)
	}
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	phoneKey := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sshPub))) + " ndeye@telephone"
	phoneFP := ssh.FingerprintSHA256(sshPub)
	if out := mustRun(t, dir, phoneKey+"\n", "users", "keys", "add", "ndeye", "--key-file", "-"); strings.TrimSpace(out) != phoneFP {
		t.Fatalf("keys add from stdin printed %q, want %s", out, phoneFP)
	}

	block, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	private := string(pem.EncodeToMemory(block))
	privFile := write("id_ed25519", private)
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		code  int
		says  []string
	}{
		{"no key file flag", []string{"users", "keys", "add", "awa"}, "", 2, []string{"--key-file"}},
		{"private key", []string{"users", "keys", "add", "awa", "--key-file", privFile}, "", 1, []string{privFile, "private key"}},
		{"private key on stdin", []string{"users", "keys", "add", "awa", "--key-file", "-"}, private, 1, []string{"standard input", "private key"}},
		{"missing file", []string{"users", "keys", "add", "awa", "--key-file", filepath.Join(dir, "nope.pub")}, "", 1, []string{"nope.pub", "no such file"}},
		{"not a key", []string{"users", "keys", "add", "awa", "--key-file", write("notes.txt", "bonjour\n")}, "", 1, []string{"notes.txt", "not an SSH public key"}},
		{"held by another user", []string{"users", "keys", "add", "ndeye", "--key-file", awaPub}, "", 1, []string{awaPub, "already registered to the account awa"}},
		{"unknown user", []string{"users", "keys", "list", "nobody"}, "", 1, []string{"nobody"}},
		{"remove unknown key", []string{"users", "keys", "remove", "awa", "SHA256:nothing"}, "", 1, []string{"no SSH key SHA256:nothing"}},
		{"remove without fingerprint", []string{"users", "keys", "remove", "awa"}, "", 2, []string{"FINGERPRINT"}},
		{"bad language", []string{"users", "set-lang", "awa", "wolof"}, "", 1, []string{"lang", "fr or en"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scolarite(t, dir, tc.stdin, tc.args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", r.code, tc.code, r.stderr)
			}
			for _, s := range tc.says {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr %q does not say %q", r.stderr, s)
				}
			}
			if strings.Contains(r.stderr+r.stdout, "b3BlbnNzaC1rZXktdjE") {
				t.Error("the private key was echoed")
			}
		})
	}

	out := mustRun(t, dir, "", "users", "keys", "list", "awa")
	for _, want := range []string{"FINGERPRINT", cliAwaFP, "ssh-ed25519", "awa@portable"} {
		if !strings.Contains(out, want) {
			t.Errorf("keys list lacks %q:\n%s", want, out)
		}
	}
	var keys []map[string]any
	out = mustRun(t, dir, "", "users", "keys", "list", "ndeye", "--json")
	if err := json.Unmarshal([]byte(out), &keys); err != nil || len(keys) != 1 || keys[0]["fingerprint"] != phoneFP ||
		keys[0]["comment"] != "ndeye@telephone" || keys[0]["type"] != "ssh-ed25519" || keys[0]["added_at"] == nil {
		t.Fatalf("keys list --json: %v\n%s", err, out)
	}

	mustRun(t, dir, "", "users", "set-lang", "ndeye", "EN")
	var users []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "users", "list", "--json")), &users); err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		if u["username"] == "ndeye" && (u["lang"] != "en" || len(u["ssh_keys"].([]any)) != 1) {
			t.Errorf("ndeye in users list --json: %v", u)
		}
	}
	if out := mustRun(t, dir, "", "users", "list"); !strings.Contains(out, "SSH KEYS") || !strings.Contains(out, "en") {
		t.Errorf("users list does not show keys and language:\n%s", out)
	}

	// As ssh-keygen -l prints it, without the prefix.
	mustRun(t, dir, "", "users", "keys", "remove", "awa", strings.TrimPrefix(cliAwaFP, "SHA256:"))
	if out := mustRun(t, dir, "", "users", "keys", "list", "awa"); !strings.Contains(out, "awa has no SSH key") {
		t.Errorf("keys list after remove:\n%s", out)
	}
	if out := mustRun(t, dir, "", "users", "keys", "list", "awa", "--json"); strings.TrimSpace(out) != "[]" {
		t.Errorf("keys list --json of no keys = %q, want []", out)
	}
	// Free again: another account may now have it.
	mustRun(t, dir, "", "users", "keys", "add", "ndeye", "--key-file", awaPub)
}
