package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"scolarite/atomicfile"
	"strings"
)

// TokenFile keeps the raw session token between runs ("connexion rapide"),
// readable by its owner only. The token is all a thief would need, so the
// file is 0600 in a 0700 directory, and a file others can read is refused.
type TokenFile struct{ Path string }

// DefaultTokenPath is $XDG_STATE_HOME/scolarite/session, else
// ~/.local/state/scolarite/session.
func DefaultTokenPath(getenv func(string) string) string {
	if d := getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "scolarite", "session")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "state", "scolarite", "session")
	}
	return filepath.Join(os.TempDir(), "scolarite-session")
}

// Load returns the saved token, or "" when there is none.
func (t TokenFile) Load() (string, error) {
	info, err := os.Stat(t.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read session file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("session file %s is readable by others (mode %v); remove it and log in again", t.Path, info.Mode().Perm())
	}
	b, err := os.ReadFile(t.Path)
	if err != nil {
		return "", fmt.Errorf("read session file: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}

// Save writes the token with mode 0600, atomically.
func (t TokenFile) Save(token string) error {
	if err := os.MkdirAll(filepath.Dir(t.Path), 0o700); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	// CreateTemp makes the file 0600 before the token is in it.
	err := atomicfile.Write(t.Path, 0o600, func(w io.Writer) error {
		_, err := io.WriteString(w, token+"\n")
		return err
	})
	if err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// Clear forgets the token (log-out).
func (t TokenFile) Clear() error {
	if err := os.Remove(t.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove session file: %w", err)
	}
	return nil
}
