package domain_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/crypto/ssh"

	"scolarite/domain"
)

// Keys made by OpenSSH's ssh-keygen, with the fingerprints `ssh-keygen -l`
// printed for them: the domain must agree with the tool people use.
const (
	awaKey   = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICks0pCsgaDZ80mPMVr8aZW+WEXWUaX7AswEBPZU1gqM awa@portable"
	awaFP    = "SHA256:su8BeYMaOVZTrPnWmVLkQAkhVvFEDsmDemtNBXvt8mg"
	moussaFP = "SHA256:5u1C/ocjTXvXPrIId/o+hDZpYMK6l0qevLd75a+uzsM"
	// 2048 bits.
	moussaKey = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDqoWG01ONxtZtau8d0UqgNaTmpfSTYB6va/feLMRLeaEdnDU5StdE4UpUovnZY62S2Bl4/ms2mgJlOdzu6fFZ6vgVJjuU0ylFV4GfMRJZPTOZcnVwfv+y1O4pag96rbH42WElgL7xfFYjsi8RZLkY0BvushjCtDHnRwANGNPdB4MC+MrkLYYJCBPHUWqZYr+X1iSUvTOn/8QbStWvDnQv0e0WvKxSpCRTL0g7lMLLXN1ZrAHpbyeb3YWrh3Ygs0HKQZrqz11582sGQjyXiCU7zNSxP7AzDohieeEhpFnA2JehHOev2sU0tX8+OC8UOMdnCj8r98OhTYVjwt1yDkLs3 moussa@bureau"
	// The same ed25519 key as ssh-keygen -e writes it (RFC 4716).
	awaRFC4716 = "---- BEGIN SSH2 PUBLIC KEY ----\nComment: \"256-bit ED25519, converted by root@vm from OpenSSH\"\n" +
		"AAAAC3NzaC1lZDI1NTE5AAAAICks0pCsgaDZ80mPMVr8aZW+WEXWUaX7AswEBPZU1gqM\n---- END SSH2 PUBLIC KEY ----\n"
)

// edKey returns a fresh ed25519 key from seed as an authorized_keys line
// (with comment) and its fingerprint, and the private key.
func edKey(t testing.TB, seed byte, comment string) (line, fp string, priv ed25519.PrivateKey) {
	t.Helper()
	priv = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	pub, err := ssh.NewPublicKey(priv.Public())
	if err != nil {
		t.Fatal(err)
	}
	line = strings.TrimSpace(string(ssh.MarshalAuthorizedKey(pub)))
	if comment != "" {
		line += " " + comment
	}
	return line, ssh.FingerprintSHA256(pub), priv
}

func TestParseSSHKey(t *testing.T) {
	bare := strings.Fields(awaKey)[1]
	for _, tc := range []struct {
		name, in, fp, typ, comment string
	}{
		{"ed25519 line from ssh-keygen", awaKey, awaFP, "ssh-ed25519", "awa@portable"},
		{"rsa 2048 from ssh-keygen", moussaKey, moussaFP, "ssh-rsa", "moussa@bureau"},
		{"no comment", "ssh-ed25519 " + bare, awaFP, "ssh-ed25519", ""},
		{"bare base64 blob", "  " + bare + "\n", awaFP, "ssh-ed25519", ""},
		{"options are ignored", `from="10.0.0.0/8",no-pty ` + awaKey, awaFP, "ssh-ed25519", "awa@portable"},
		{"a .pub file with a comment line and CRLF", "# portable d'Awa\r\n\r\n" + awaKey + "\r\n", awaFP, "ssh-ed25519", "awa@portable"},
		{"comment with spaces kept", "ssh-ed25519 " + bare + "  Awa  Diop   (bureau) ", awaFP, "ssh-ed25519", "Awa Diop (bureau)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := domain.ParseSSHKey(tc.in)
			if err != nil {
				t.Fatalf("ParseSSHKey: %v", err)
			}
			if k.Fingerprint != tc.fp || k.Type != tc.typ || k.Comment != tc.comment || !k.AddedAt.IsZero() {
				t.Errorf("got %+v, want fingerprint %s type %s comment %q", k, tc.fp, tc.typ, tc.comment)
			}
			if want := strings.Join(strings.Fields(awaKey)[:2], " "); tc.typ == "ssh-ed25519" && k.Key != want {
				t.Errorf("Key = %q, want %q (no comment, no options)", k.Key, want)
			}
			if fp, err := domain.KeyFingerprint(tc.in); err != nil || fp != tc.fp {
				t.Errorf("KeyFingerprint = %q, %v", fp, err)
			}
		})
	}
	long := "ssh-ed25519 " + bare + " " + strings.Repeat("é", 300)
	if k, err := domain.ParseSSHKey(long); err != nil || len([]rune(k.Comment)) != 100 || !strings.HasSuffix(k.Comment, "…") {
		t.Errorf("long comment kept as %d runes (%v)", len([]rune(k.Comment)), err)
	}
}

func TestParseSSHKeyRefusals(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	block, err := ssh.MarshalPrivateKey(priv, "awa")
	if err != nil {
		t.Fatal(err)
	}
	private := string(pem.EncodeToMemory(block))
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	short, err := ssh.NewPublicKey(&rsa1024.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	// ssh-dss on the wire: Go's crypto/dsa is deprecated and slow to
	// generate with, and the parser checks only the sizes (P 1024 bits, Q
	// 160) and ranges.
	bits := func(n uint) *big.Int { return new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), n-1), big.NewInt(1)) }
	dss := ssh.Marshal(struct {
		Name       string
		P, Q, G, Y *big.Int
	}{ssh.InsecureKeyAlgoDSA, bits(1024), bits(160), big.NewInt(2), big.NewInt(3)})
	dssPub, err := ssh.ParsePublicKey(dss)
	if err != nil {
		t.Fatal(err)
	}
	_, _, caPriv := edKey(t, 9, "")
	signer, err := ssh.NewSignerFromKey(caPriv)
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey([]byte(awaKey))
	if err != nil {
		t.Fatal(err)
	}
	cert := &ssh.Certificate{Key: pub, CertType: ssh.UserCert, ValidPrincipals: []string{"awa"}, ValidBefore: ssh.CertTimeInfinity}
	if err := cert.SignCert(rand.Reader, signer); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in, says string
	}{
		{"empty", "  \n", "is required"},
		{"a control character in the comment", "ssh-ed25519 " + strings.Fields(awaKey)[1] + " awa\x1b[2J\x07@x", "contains a control character (U+001B)"},
		{"OpenSSH private key", private, "is a private key"},
		{"PEM private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----\n", "is a private key"},
		{"PuTTY private key", "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n", "is a private key"},
		{"RFC 4716", awaRFC4716, "ssh-keygen -i"},
		{"a word", "bonjour", "is not an SSH public key"},
		{"truncated blob", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICks0pCsg", "is not an SSH public key"},
		{"type does not match the blob", "ssh-rsa " + strings.Fields(awaKey)[1], "is not an SSH public key"},
		{"two keys", awaKey + "\n" + moussaKey + "\n", "more than one public key"},
		{"short RSA", string(ssh.MarshalAuthorizedKey(short)), "RSA key of 1024 bits"},
		{"DSA", string(ssh.MarshalAuthorizedKey(dssPub)), "DSA (ssh-dss)"},
		{"certificate", string(ssh.MarshalAuthorizedKey(cert)), "certificate"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.ParseSSHKey(tc.in)
			wantInvalid(t, err, "key")
			if !strings.Contains(err.Error(), tc.says) {
				t.Errorf("error %q does not say %q", err, tc.says)
			}
			if strings.Contains(tc.name, "private") && strings.Contains(err.Error(), "MII") {
				t.Errorf("the error repeats the private key: %q", err)
			}
			if _, err := domain.KeyFingerprint(tc.in); domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("KeyFingerprint: %v, want EINVALID", err)
			}
		})
	}
}

func TestNormaliseFingerprint(t *testing.T) {
	for in, want := range map[string]string{
		awaFP:                         awaFP,
		" " + awaFP[7:] + " ":         awaFP,
		"sha256:" + awaFP[7:]:         awaFP,
		awaKey:                        awaFP,
		"SHA256:not-a-real-one":       "SHA256:not-a-real-one",
		strings.Fields(awaKey)[1]:     awaFP, // the bare key
		"  " + moussaKey + "\n":       moussaFP,
		"SHA256:" + moussaFP[7:] + "": moussaFP,
	} {
		if got := domain.NormaliseFingerprint(in); got != want {
			t.Errorf("NormaliseFingerprint(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseSSHKey: whatever is pasted, parsing does not panic, and a key
// it accepts is one it reads back the same from its stored form, with a
// comment fit for a terminal.
func FuzzParseSSHKey(f *testing.F) {
	for _, s := range []string{awaKey, moussaKey, awaRFC4716, "ssh-ed25519 AAAA", "# x\n" + awaKey, "-----BEGIN", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		k, err := domain.ParseSSHKey(in)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		again, err := domain.ParseSSHKey(k.Key)
		if err != nil || again.Fingerprint != k.Fingerprint || again.Type != k.Type {
			t.Fatalf("stored form %q reads back as %+v, %v (was %+v)", k.Key, again, err, k)
		}
		if strings.ContainsFunc(k.Comment, unicode.IsControl) || len([]rune(k.Comment)) > 100 {
			t.Fatalf("comment %q kept control characters or is too long", k.Comment)
		}
	})
}
