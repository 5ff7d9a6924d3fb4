package serve

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	gossh "golang.org/x/crypto/ssh"

	"scolarite/domain"
)

// The SSH layer decides nothing about who someone is. It accepts:
//   - a public key that an enabled user registered: only once the client
//     has signed with it does the connection carry it (the library resets
//     the permissions at every attempt, so a key merely offered and then
//     not used leaves nothing behind), and the screen then opens that
//     user's session without a password;
//   - anyone else through keyboard-interactive with no question, onto the
//     log-in screen, as a student on a lab machine with no key would come.
// The SSH user name is never looked at.

// allowKey accepts only registered keys, so that a client holding several
// keys goes on to the one registered rather than stopping at the first.
func (s *Server) allowKey(ctx ssh.Context, key ssh.PublicKey) bool {
	lookup, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ok, err := s.deps.Auth.KeyAllowed(lookup, gossh.FingerprintSHA256(key))
	if err != nil {
		s.log.Warn("ssh key not checked", "remote", remoteHost(ctx.RemoteAddr()), "err", err)
		return false
	}
	return ok
}

func allowWithoutQuestion(ssh.Context, gossh.KeyboardInteractiveChallenge) bool { return true }

// usedKey is the fingerprint of the key the client authenticated with, or
// "" when it came in without one.
func usedKey(sess ssh.Session) string {
	if k := sess.PublicKey(); k != nil {
		return gossh.FingerprintSHA256(k)
	}
	return ""
}

// One shell per connection: a second session channel on the same
// connection (ssh's ControlMaster, a script) is refused when it opens.
type sessionCount struct{ n atomic.Int32 }

type ctxKey struct{ name string }

var sessionsKey = &ctxKey{"sessions"}

func oneSessionPerConn(srv *ssh.Server, conn *gossh.ServerConn, ch gossh.NewChannel, ctx ssh.Context) {
	if n, ok := ctx.Value(sessionsKey).(*sessionCount); ok && n.n.Add(1) > 1 {
		_ = ch.Reject(gossh.Prohibited, "one session per connection")
		return
	}
	ssh.DefaultSessionHandler(srv, conn, ch, ctx)
}

// keyLogin is the SSH form of the local "connexion rapide": where the
// terminal application reads a saved token, a connection that proved a
// registered key opens that user's session. Nothing is saved or cleared:
// the key is the memory.
type keyLogin struct {
	ctx         context.Context
	auth        Auth
	fingerprint string
}

func (k keyLogin) Load() (string, error) {
	if k.fingerprint == "" {
		return "", nil
	}
	in, err := k.auth.LoginWithKey(k.ctx, k.fingerprint)
	if err != nil {
		return "", err
	}
	return in.Token, nil
}

func (keyLogin) Save(string) error { return nil }
func (keyLogin) Clear() error      { return nil }

// originAuth counts every password log-in of a connection against its
// remote address as well as against the account.
type originAuth struct {
	Auth
	origin string
}

func (a originAuth) Login(ctx context.Context, username, password string) (*domain.Login, error) {
	return a.Auth.LoginFrom(ctx, a.origin, username, password)
}
