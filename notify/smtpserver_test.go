package notify_test

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// mailServer is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that
// keeps what it receives. It can require authentication, offer STARTTLS
// or speak TLS from the start, refuse chosen recipients, and be stopped and
// started again on the same address (an SMTP server down for a while).
type mailServer struct {
	t        testing.TB
	addr     string
	user     string // "" : no authentication
	pass     string
	tls      *tls.Config // offered with STARTTLS, or implicit when implicit
	implicit bool
	reject   map[string]bool // recipients answered 550 5.1.1

	mu   sync.Mutex
	got  []received
	srv  *smtp.Server
	done chan struct{}
}

type received struct {
	From string
	To   []string
	Data string
	TLS  bool
	User string
}

func newMailServer(t testing.TB) *mailServer {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	m := &mailServer{t: t, addr: addr, reject: map[string]bool{}}
	t.Cleanup(m.stop)
	return m
}

// start serves on m.addr (again).
func (m *mailServer) start() *mailServer {
	m.t.Helper()
	var l net.Listener
	var err error
	for range 50 { // the port may linger a moment after a stop
		if l, err = net.Listen("tcp", m.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		m.t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &mailSession{m: m, conn: c}, nil
	}))
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.EnableSMTPUTF8 = true
	srv.AllowInsecureAuth = m.tls == nil
	if m.tls != nil {
		srv.TLSConfig = m.tls
		if m.implicit {
			l = tls.NewListener(l, m.tls)
		}
	}
	done := make(chan struct{})
	m.mu.Lock()
	m.srv, m.done = srv, done
	m.mu.Unlock()
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	return m
}

func (m *mailServer) stop() {
	m.mu.Lock()
	srv, done := m.srv, m.done
	m.srv = nil
	m.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
		<-done
	}
}

func (m *mailServer) messages() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.got...)
}

// withTLS makes the server present a certificate for 127.0.0.1 and
// returns the client configuration that trusts it.
func (m *mailServer) withTLS(implicit bool) *tls.Config {
	ts := httptest.NewUnstartedServer(nil)
	ts.StartTLS()
	cert := ts.Certificate()
	m.tls = &tls.Config{Certificates: ts.TLS.Certificates}
	ts.Close()
	m.implicit = implicit
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

type mailSession struct {
	m    *mailServer
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (s *mailSession) AuthMechanisms() []string {
	if s.m.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *mailSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.m.user || pass != s.m.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.user = user
		return nil
	}), nil
}

func (s *mailSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.m.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *mailSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.m.reject[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such mailbox here"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(s.to) == 0 {
		return errors.New("no recipient")
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.m.mu.Lock()
	s.m.got = append(s.m.got, received{From: s.from, To: s.to, Data: string(b), TLS: isTLS, User: s.user})
	s.m.mu.Unlock()
	return nil
}

func (s *mailSession) Reset()        { s.from, s.to = "", nil }
func (s *mailSession) Logout() error { return nil }
