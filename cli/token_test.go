package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTokenFile(t *testing.T) {
	dir := t.TempDir()
	tf := TokenFile{Path: filepath.Join(dir, "state", "scolarite", "session")}
	if tok, err := tf.Load(); err != nil || tok != "" {
		t.Fatalf("load before save: %q, %v; want empty, nil", tok, err)
	}
	if err := tf.Save("abc123"); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(tf.Path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Fatalf("session file mode %v, want 0600", perm)
	}
	if dinfo, _ := os.Stat(filepath.Dir(tf.Path)); dinfo.Mode().Perm() != 0o700 {
		t.Fatalf("session dir mode %v, want 0700", dinfo.Mode().Perm())
	}
	if tok, err := tf.Load(); err != nil || tok != "abc123" {
		t.Fatalf("load: %q, %v", tok, err)
	}
	if err := os.Chmod(tf.Path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := tf.Load(); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Fatalf("a world-readable session file was accepted: %v", err)
	}
	if err := tf.Clear(); err != nil {
		t.Fatal(err)
	}
	if tok, err := tf.Load(); err != nil || tok != "" {
		t.Fatalf("load after clear: %q, %v", tok, err)
	}
	if err := tf.Clear(); err != nil {
		t.Fatalf("clearing twice: %v", err)
	}
}

func TestDefaultTokenPath(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, tc := range []struct {
		vars map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/scolarite/session"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/scolarite/session"},
	} {
		if got := DefaultTokenPath(env(tc.vars)); got != tc.want {
			t.Errorf("DefaultTokenPath(%v) = %q, want %q", tc.vars, got, tc.want)
		}
	}
}
