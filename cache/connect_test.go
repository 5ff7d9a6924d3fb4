package cache_test

import (
	"net"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"scolarite/cache"
	"scolarite/cache/cachetest"
	"scolarite/domain"
)

func TestParseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url        string
		addrs      []string
		db         int
		user, pass string
		master     string
		tls        bool
		serverName string
		dial       time.Duration
	}{
		{url: "redis://localhost:6379/2", addrs: []string{"localhost:6379"}, db: 2, dial: 2 * time.Second},
		{url: "redis://cache.lan", addrs: []string{"cache.lan:6379"}, dial: 2 * time.Second},
		{url: "rediss://app:s3cret@cache.example.org:6380/0", addrs: []string{"cache.example.org:6380"},
			user: "app", pass: "s3cret", tls: true, serverName: "cache.example.org", dial: 2 * time.Second},
		{url: "10.0.0.1:7000, 10.0.0.2:7001,10.0.0.3", addrs: []string{"10.0.0.1:7000", "10.0.0.2:7001", "10.0.0.3:6379"},
			dial: 2 * time.Second},
		{url: "rediss://:pw@n1:7000,n2:7000", addrs: []string{"n1:7000", "n2:7000"}, pass: "pw", tls: true, dial: 2 * time.Second},
		{url: "redis://:pw@s1:26379,s2:26379/1?master=mymaster", addrs: []string{"s1:26379", "s2:26379"}, db: 1,
			pass: "pw", master: "mymaster", dial: 2 * time.Second},
		{url: "s1:26379?master=mymaster", addrs: []string{"s1:26379"}, master: "mymaster", dial: 2 * time.Second},
		{url: "redis://localhost:6379?dial_timeout=5s", addrs: []string{"localhost:6379"}, dial: 5 * time.Second},
		{url: "redis://[::1]:6379", addrs: []string{"[::1]:6379"}, dial: 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			o, err := cache.ParseURL(tt.url)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(o.Addrs, " ") != strings.Join(tt.addrs, " ") || o.DB != tt.db ||
				o.Username != tt.user || o.Password != tt.pass || o.MasterName != tt.master || o.DialTimeout != tt.dial {
				t.Errorf("got addrs %v db %d user %q pass %q master %q dial %v", o.Addrs, o.DB, o.Username, o.Password, o.MasterName, o.DialTimeout)
			}
			if (o.TLSConfig != nil) != tt.tls {
				t.Fatalf("TLS = %v, want %v", o.TLSConfig != nil, tt.tls)
			}
			if tt.tls && o.TLSConfig.ServerName != tt.serverName {
				t.Errorf("TLS server name = %q, want %q", o.TLSConfig.ServerName, tt.serverName)
			}
		})
	}
}

func TestParseURLErrorsHidePasswords(t *testing.T) {
	t.Parallel()
	for _, url := range []string{
		"",
		"ftp://u:s3cret@host:21",
		"redis://u:s3cret@host:6379/notadb",
		"redis://u:s3cret@h1:1,h2:2/3", // a cluster has only database 0
		"redis://u:s3cret@host:6379?bogus=1",
		"redis://u:s3cr%zzet@host:6379",
		"redis://u:s3cret@host:port",
		"redis://u:s3cret@",
	} {
		t.Run(url, func(t *testing.T) {
			_, err := cache.ParseURL(url)
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), "s3cr") {
				t.Errorf("error shows the password: %v", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"redis://localhost:6379/0":            "redis://localhost:6379/0",
		"redis://u:p4ss@host:6379/0":          "redis://u:xxxxx@host:6379/0",
		"rediss://:p4ss@h1:1,h2:2?master=m":   "rediss://:xxxxx@h1:1,h2:2?master=m",
		"redis://p4ss@host":                   "redis://xxxxx@host",
		"redis://u:p4/s@s@host:6379":          "redis://u:xxxxx@host:6379",
		"u:p4ss@host:6379":                    "u:xxxxx@host:6379",
		"10.0.0.1:7000,10.0.0.2:7000":         "10.0.0.1:7000,10.0.0.2:7000",
		"redis://u:p4ss@host:6379/0?db=1&x=y": "redis://u:xxxxx@host:6379/0?db=1&x=y",
	} {
		if got := cache.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConnect(t *testing.T) {
	t.Parallel()
	mr := miniredis.RunT(t)
	mr.RequireAuth("p4ss")
	client, err := cache.Connect(t.Context(), "redis://:p4ss@"+mr.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	if err := cache.New(client).Ping(t.Context()); err != nil {
		t.Error(err)
	}

	for name, url := range map[string]string{
		"wrong password": "redis://:wr0ng-p4ss@" + mr.Addr(),
		"nobody there":   "redis://:wr0ng-p4ss@" + closedAddr(t),
	} {
		start := time.Now()
		_, err := cache.Connect(t.Context(), url)
		if err == nil {
			t.Errorf("%s: connected", name)
			continue
		}
		if strings.Contains(err.Error(), "wr0ng") || !strings.Contains(err.Error(), "xxxxx") {
			t.Errorf("%s: error does not hide the password: %v", name, err)
		}
		if took := time.Since(start); took > 4*time.Second {
			t.Errorf("%s: took %v to fail", name, took)
		}
	}
}

func closedAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// TestFallbackAndRecovery: while Redis is down every method fails quickly
// with a wrapped error (so the domain reads MongoDB), a missing session is
// never confused with an unreachable store, and the same client works again
// once Redis is back.
func TestFallbackAndRecovery(t *testing.T) {
	t.Parallel()
	servers := []struct {
		name       string
		start      func(t *testing.T) (url string, stop, restart func())
		keepsState bool
	}{
		{"miniredis", func(t *testing.T) (string, func(), func()) {
			mr := miniredis.RunT(t)
			return "redis://" + mr.Addr(), mr.Close, func() {
				if err := mr.Restart(); err != nil {
					t.Fatal(err)
				}
			}
		}, true},
		{"redis-server", func(t *testing.T) (string, func(), func()) {
			srv := cachetest.StartRedisServer(t)
			return srv.URL(), srv.Stop, srv.Restart
		}, false},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			url, stop, restart := s.start(t)
			c := cache.New(cachetest.Connect(t, url))
			ctx := t.Context()
			if err := c.Sessions().Save(ctx, "h", session("u"), time.Hour); err != nil {
				t.Fatal(err)
			}

			stop()
			var rows []domain.RosterRow
			calls := map[string]func() error{
				"cache: read generation":      func() error { _, err := c.Views().Generation(ctx); return err },
				"cache: bump generation":      func() error { return c.Views().Bump(ctx) },
				"cache: load view roster":     func() error { _, err := c.Views().Load(ctx, "roster", 0, &rows); return err },
				"cache: save view roster":     func() error { return c.Views().Save(ctx, "roster", 0, rows) },
				"cache: get session":          func() error { _, err := c.Sessions().Get(ctx, "h"); return err },
				"cache: save session":         func() error { return c.Sessions().Save(ctx, "h", session("u"), time.Hour) },
				"cache: delete session":       func() error { return c.Sessions().Delete(ctx, "h") },
				"cache: delete sessions of":   func() error { _, err := c.Sessions().DeleteUser(ctx, "u"); return err },
				"cache: read log-in lock":     func() error { _, err := c.Limiter().Locked(ctx, "u"); return err },
				"cache: delete sessions of a": func() error { _, err := c.Sessions().DeleteKey(ctx, "u", "SHA256:x"); return err },
				"cache: count log-in failure": func() error { _, err := c.Limiter().Fail(ctx, "u", 5, time.Minute); return err },
				"cache: reset log-in":         func() error { return c.Limiter().Reset(ctx, "u") },
				"cache: publish change":       func() error { return c.Feed().Publish(ctx, domain.Change{}) },
				"cache: ping":                 func() error { return c.Ping(ctx) },
			}
			for want, call := range calls {
				start := time.Now()
				err := call()
				if err == nil || !strings.HasPrefix(err.Error(), want) {
					t.Errorf("while down: %v; want an error starting %q", err, want)
				}
				if domain.ErrorCode(err) == domain.ENOTFOUND {
					t.Errorf("while down, %q says not found: the caller would end the session", want)
				}
				if took := time.Since(start); took > 2*time.Second {
					t.Errorf("while down, %q took %v to fail", want, took)
				}
			}

			restart()
			deadline := time.Now().Add(10 * time.Second)
			for c.Ping(ctx) != nil {
				if time.Now().After(deadline) {
					t.Fatal("the client did not recover within 10 s")
				}
				time.Sleep(100 * time.Millisecond)
			}
			if err := c.Views().Bump(ctx); err != nil {
				t.Errorf("Bump after recovery: %v", err)
			}
			_, err := c.Sessions().Get(ctx, "h")
			if s.keepsState && err != nil || !s.keepsState && domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("Get after recovery: %v", err)
			}
		})
	}
}
