package cache

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	// connectTimeout bounds the first PING, so a wrong address fails the
	// start-up quickly instead of hanging it.
	connectTimeout = 3 * time.Second
	// dialTimeout replaces go-redis's 5 s when the URL does not set one:
	// the cache is optional, and while Redis is unreachable every read
	// waits for a dial before falling back to MongoDB.
	dialTimeout = 2 * time.Second
)

// Connect opens a client for rawURL (see ParseURL) and checks that Redis
// answers. Errors never show the password.
func Connect(ctx context.Context, rawURL string) (redis.UniversalClient, error) {
	opts, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	client := redis.NewUniversalClient(opts)
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("cache: connect to %s: %w", Redact(rawURL), err)
	}
	return client, nil
}

// ParseURL turns a Redis address into client options. Accepted forms:
//
//	redis://[user:password@]host:port[/db][?options]  one server
//	rediss://...                                      the same over TLS
//	host:port,host:port,...                           Cluster seed nodes
//	redis[s]://[user:password@]host:port,host:port    the same, with
//	                                                  credentials or TLS
//	any of these followed by ?master=name             Sentinel: the hosts
//	                                                  are the sentinels
//
// Options are go-redis's URL options (dial_timeout, pool_size, ...). A host
// without a port gets 6379. unix:///path/to/socket is accepted too.
func ParseURL(rawURL string) (*redis.UniversalOptions, error) {
	raw := strings.TrimSpace(rawURL)
	if raw == "" {
		return nil, errors.New("cache: empty Redis address")
	}
	bad := func(err error) error {
		return fmt.Errorf("cache: invalid Redis address %s: %w", Redact(raw), scrub(err))
	}
	base, query, _ := strings.Cut(raw, "?")
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, bad(err)
	}
	master := q.Get("master")
	q.Del("master")

	scheme, rest, ok := strings.Cut(base, "://")
	if !ok {
		scheme, rest = "redis", base // a bare list of host:port
	}
	if scheme == "unix" {
		o, err := redis.ParseURL(withQuery(base, q))
		if err != nil {
			return nil, bad(err)
		}
		u := universal(o, []string{o.Addr}, master)
		u.Dialer = func(ctx context.Context, _, addr string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", addr)
		}
		return u, nil
	}
	authority, path := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority, path = rest[:i], rest[i:]
	}
	userinfo, hosts := "", authority
	if i := strings.LastIndexByte(authority, '@'); i >= 0 {
		userinfo, hosts = authority[:i+1], authority[i+1:]
	}
	var addrs []string
	for h := range strings.SplitSeq(hosts, ",") {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if _, _, err := net.SplitHostPort(h); err != nil {
			h = net.JoinHostPort(strings.Trim(h, "[]"), "6379")
		}
		addrs = append(addrs, h)
	}
	if len(addrs) == 0 {
		return nil, bad(errors.New("no host"))
	}
	// go-redis parses one server: give it the first and keep the others.
	o, err := redis.ParseURL(withQuery(scheme+"://"+userinfo+addrs[0]+path, q))
	if err != nil {
		return nil, bad(err)
	}
	if len(addrs) > 1 && master == "" && o.DB != 0 {
		return nil, bad(errors.New("a cluster has only database 0"))
	}
	u := universal(o, addrs, master)
	if u.TLSConfig != nil && (len(addrs) > 1 || master != "") {
		// Verify each node against its own name, not the first host's.
		u.TLSConfig.ServerName = ""
	}
	return u, nil
}

func withQuery(base string, q url.Values) string {
	if len(q) == 0 {
		return base
	}
	return base + "?" + q.Encode()
}

// universal copies what ParseURL can set into UniversalOptions, for
// NewUniversalClient to pick a single, Sentinel or Cluster client.
func universal(o *redis.Options, addrs []string, master string) *redis.UniversalOptions {
	u := &redis.UniversalOptions{
		Addrs:                   addrs,
		MasterName:              master,
		ClientName:              o.ClientName,
		DB:                      o.DB,
		Protocol:                o.Protocol,
		Username:                o.Username,
		Password:                o.Password,
		MaxRetries:              o.MaxRetries,
		MinRetryBackoff:         o.MinRetryBackoff,
		MaxRetryBackoff:         o.MaxRetryBackoff,
		DialTimeout:             o.DialTimeout,
		ReadTimeout:             o.ReadTimeout,
		WriteTimeout:            o.WriteTimeout,
		PoolFIFO:                o.PoolFIFO,
		PoolSize:                o.PoolSize,
		MaxConcurrentDials:      o.MaxConcurrentDials,
		PoolTimeout:             o.PoolTimeout,
		MinIdleConns:            o.MinIdleConns,
		MaxIdleConns:            o.MaxIdleConns,
		MaxActiveConns:          o.MaxActiveConns,
		ConnMaxIdleTime:         o.ConnMaxIdleTime,
		ConnMaxLifetime:         o.ConnMaxLifetime,
		ConnMaxLifetimeJitter:   o.ConnMaxLifetimeJitter,
		PipelinePoolSize:        o.PipelinePoolSize,
		PipelineReadBufferSize:  o.PipelineReadBufferSize,
		PipelineWriteBufferSize: o.PipelineWriteBufferSize,
		TLSConfig:               o.TLSConfig,
	}
	if u.DialTimeout == 0 {
		u.DialTimeout = dialTimeout
	}
	// One dial attempt per command instead of five: when Redis is down the
	// caller falls back to MongoDB at once, and go-redis's own retries and
	// background probe bring the cache back when Redis returns.
	u.DialerRetries = 1
	return u
}

// scrub drops the details of URL syntax errors: net/url quotes the whole
// address, password included.
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return errors.New("malformed URL")
	}
	return err
}

// Redact returns rawURL with its password replaced by "xxxxx", fit for logs
// and error messages. Everything before the last "@" counts as credentials,
// so a password with an unescaped "/" or "@" is hidden too, and a user part
// without a colon, which may itself be a password (redis://secret@host), is
// hidden whole.
func Redact(rawURL string) string {
	at := strings.LastIndexByte(rawURL, '@')
	if at < 0 {
		return rawURL
	}
	start := 0
	if i := strings.Index(rawURL[:at], "://"); i >= 0 {
		start = i + len("://")
	}
	user, _, hasPassword := strings.Cut(rawURL[start:at], ":")
	hidden := "xxxxx"
	if hasPassword {
		hidden = user + ":xxxxx"
	}
	return rawURL[:start] + hidden + rawURL[at:]
}
