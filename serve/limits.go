package serve

import (
	"net"
	"sync"
	"time"
)

// connLimits caps the connections open at once, in all and per remote
// address. A connection past a cap is told so in one line and closed
// before the SSH handshake, which is where the server's CPU would go.
type connLimits struct {
	total, perAddress int

	mu     sync.Mutex
	open   int
	byAddr map[string]int
}

func newConnLimits(total, perAddress int) *connLimits {
	return &connLimits{total: total, perAddress: perAddress, byAddr: map[string]int{}}
}

// admit takes a place for conn, or returns the sentence refusing it.
func (l *connLimits) admit(conn net.Conn) (net.Conn, string) {
	addr := remoteHost(conn.RemoteAddr())
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case l.total > 0 && l.open >= l.total:
		return nil, "scolarite: the server is full; try again in a few minutes (le serveur est plein ; réessayez dans quelques minutes)."
	case l.perAddress > 0 && l.byAddr[addr] >= l.perAddress:
		return nil, "scolarite: too many connections from your address; close some and try again (trop de connexions depuis votre adresse)."
	}
	l.open++
	l.byAddr[addr]++
	return &limitedConn{Conn: conn, release: func() { l.release(addr) }}, ""
}

func (l *connLimits) release(addr string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.open--
	if l.byAddr[addr]--; l.byAddr[addr] <= 0 {
		delete(l.byAddr, addr)
	}
}

// refuse writes the reason where the client shows what comes before the
// SSH version line (OpenSSH prints it), then closes.
func refuse(conn net.Conn, reason string) {
	_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
	_, _ = conn.Write([]byte(reason + "\r\n"))
	_ = conn.Close()
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	c.once.Do(c.release)
	return c.Conn.Close()
}

// remoteHost is the address without its port: the unit of the caps and of
// the log-in rate limit.
func remoteHost(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}
