package serve

import (
	"errors"
	"fmt"
	"os"

	"github.com/charmbracelet/keygen"
	gossh "golang.org/x/crypto/ssh"
)

// HostKey loads the server's ed25519 host key from path, creating it (mode
// 0600, with its .pub beside it) on first use, and returns it with its
// SHA-256 fingerprint, the one people compare with what their ssh client
// shows at the first connection. A key others may read is refused, as
// sshd refuses one: whoever reads it can impersonate the server.
func HostKey(path string) (gossh.Signer, string, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, "", fmt.Errorf("host key %s: %w", path, err)
	case info.Mode().Perm()&0o077 != 0:
		return nil, "", fmt.Errorf("host key %s is readable by others (mode %04o): run chmod 600 %s", path, info.Mode().Perm(), path)
	}
	kp, err := keygen.New(path, keygen.WithKeyType(keygen.Ed25519), keygen.WithWrite())
	if err != nil {
		return nil, "", fmt.Errorf("host key %s: %w", path, err)
	}
	signer := kp.Signer()
	if signer == nil {
		return nil, "", fmt.Errorf("host key %s: not a usable private key", path)
	}
	return signer, gossh.FingerprintSHA256(signer.PublicKey()), nil
}
