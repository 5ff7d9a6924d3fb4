package domain

import (
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/ssh"
)

// SSHKey is a public key a user registered to log in over SSH without a
// password.
type SSHKey struct {
	Fingerprint string    `json:"fingerprint"` // ssh.FingerprintSHA256 form: "SHA256:..."
	Type        string    `json:"type"`        // "ssh-ed25519", "ssh-rsa", ...
	Key         string    `json:"key"`         // authorized_keys form without the comment: "ssh-ed25519 AAAA..."
	Comment     string    `json:"comment,omitempty"`
	AddedAt     time.Time `json:"added_at"`
}

// Limits on registered keys.
const (
	// MaxSSHKeys bounds the keys of one account (a laptop, a phone, a
	// spare...): the users document stays small, and a lookup by
	// fingerprint reads one short array.
	MaxSSHKeys = 20
	// MinRSABits is the smallest RSA key accepted, as OpenSSH 9 requires.
	MinRSABits = 2048
	// maxKeyComment bounds the comment kept (it is only shown).
	maxKeyComment = 100
)

// Reasons are worded for the UI's catalogue, which translates a reason by
// its first words and keeps a final "(...)" as written: only the
// fingerprint of a conflict ends a reason in parentheses.

// KeyFingerprint parses an authorized_keys line (or a bare public key)
// and returns its SHA256 fingerprint; EINVALID naming field "key"
// otherwise.
func KeyFingerprint(authorizedKey string) (string, error) {
	k, err := ParseSSHKey(authorizedKey)
	if err != nil {
		return "", err
	}
	return k.Fingerprint, nil
}

// ParseSSHKey reads one public key as people paste it: an authorized_keys
// line ("ssh-ed25519 AAAA... awa@portable", options allowed and ignored),
// the contents of a .pub file, or the bare base64 blob. AddedAt is left
// zero. Errors are EINVALID on field "key" and say what was given
// instead: a private key, an RFC 4716 block, a certificate, several keys,
// a DSA or short RSA key.
func ParseSSHKey(text string) (SSHKey, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return SSHKey{}, Invalid("key", "is required: the public key, one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-...")
	case strings.Contains(text, "PRIVATE KEY") || strings.HasPrefix(text, "PuTTY-User-Key-File"):
		// Said first and plainly: whoever pasted it must know that the
		// secret half was shown (and not stored).
		return SSHKey{}, Invalid("key", "is a private key, which must stay secret: give the public key instead "+
			"(the .pub file, one line starting with ssh-ed25519, ssh-rsa or ecdsa-sha2-...); nothing was stored")
	case strings.HasPrefix(text, "---- BEGIN SSH2 PUBLIC KEY"):
		return SSHKey{}, Invalid("key", "is in the RFC 4716 (SSH2, PuTTY) format: convert it with "+
			"'ssh-keygen -i -f FILE' and give the one-line result")
	}
	pub, comment, rest, err := parsePublicKey(text)
	if err != nil {
		return SSHKey{}, err
	}
	if more, _, _, _, err := ssh.ParseAuthorizedKey(rest); err == nil && more != nil {
		return SSHKey{}, Invalid("key", "holds more than one public key: give one key at a time")
	}
	if err := acceptable(pub); err != nil {
		return SSHKey{}, err
	}
	// The comment is shown to whoever lists the keys; the key's own line
	// is checked so that the position counts from what was pasted.
	line, _, _ := strings.Cut(text, "\n")
	if err := CheckText("key", strings.TrimRight(line, "\r"), SingleLine); err != nil {
		return SSHKey{}, err
	}
	return SSHKey{
		Fingerprint: ssh.FingerprintSHA256(pub),
		Type:        pub.Type(),
		Key:         strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub))),
		Comment:     cleanComment(comment),
	}, nil
}

// parsePublicKey tries the authorized_keys form, then the bare blob.
func parsePublicKey(text string) (ssh.PublicKey, string, []byte, error) {
	pub, comment, _, rest, err := ssh.ParseAuthorizedKey([]byte(text))
	if err == nil {
		return pub, comment, rest, nil
	}
	if !strings.ContainsAny(text, " \t\r\n") {
		if blob, err := base64.StdEncoding.DecodeString(text); err == nil {
			if pub, err := ssh.ParsePublicKey(blob); err == nil {
				return pub, "", nil, nil
			}
		}
	}
	return nil, "", nil, Invalid("key", "is not an SSH public key: expected one line such as 'ssh-ed25519 AAAAC3Nza... awa@portable'")
}

// acceptable refuses the keys OpenSSH itself no longer accepts, and
// certificates (whose fingerprint changes at every renewal, so a
// registered one would stop working without warning).
func acceptable(pub ssh.PublicKey) error {
	if _, ok := pub.(*ssh.Certificate); ok {
		return Invalid("key", "is an SSH certificate: give the plain public key it certifies")
	}
	switch pub.Type() {
	case ssh.InsecureKeyAlgoDSA:
		return Invalid("key", "is a DSA (ssh-dss) key, which OpenSSH no longer accepts: make a new key with 'ssh-keygen -t ed25519'")
	case ssh.KeyAlgoRSA:
		cpk, ok := pub.(ssh.CryptoPublicKey)
		if !ok {
			return Invalid("key", "is an RSA key that cannot be read")
		}
		if rk, ok := cpk.CryptoPublicKey().(*rsa.PublicKey); !ok || rk.N.BitLen() < MinRSABits {
			bits := 0
			if ok {
				bits = rk.N.BitLen()
			}
			return Invalid("key", fmt.Sprintf("is an RSA key of %d bits; at least %d are required, or make an ed25519 key with 'ssh-keygen -t ed25519'", bits, MinRSABits))
		}
	}
	return nil
}

// cleanComment keeps a comment fit for a terminal: no control characters
// (an escape sequence in a pasted comment would redraw the screen of
// whoever lists the keys), single spaces, at most maxKeyComment runes.
func cleanComment(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = cleanName(s)
	if r := []rune(s); len(r) > maxKeyComment {
		s = string(r[:maxKeyComment-1]) + "…"
	}
	return s
}

// NormaliseFingerprint accepts a fingerprint as people copy it: with or
// without the "SHA256:" prefix (in any case), or the public key itself.
func NormaliseFingerprint(s string) string {
	s = strings.TrimSpace(s)
	if k, err := ParseSSHKey(s); err == nil {
		return k.Fingerprint
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "SHA256:") {
		s = s[7:]
	}
	return "SHA256:" + s
}
