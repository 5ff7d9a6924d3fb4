package main

import (
	"context"
	"fmt"
	"net"
	"path/filepath"
	"sync"
	"time"
)

// followInterval is how often a process that joined looks whether the
// owner of the servers is gone (the lock is free) or has changed (another
// process took over first). A free lock is one flock call, so this is
// cheap, and short enough that the people at the other screens do not
// notice the change.
const followInterval = 250 * time.Millisecond

// watch follows the data dir's servers until ctx ends. When the owner
// exits (or dies: the kernel drops its lock) one of the processes that
// joined gets the lock and starts the servers on the same SQLite files and
// the session snapshot the owner saved; the others see its new
// servers.json and follow it. Clients keep the addresses they were opened
// with and route sends their new connections to the servers of the moment,
// so neither the MongoDB driver nor go-redis needs to be reopened: their
// own reconnection does it.
func (e *embedded) watch(ctx context.Context) {
	defer close(e.watchDone)
	e.mu.Lock()
	owning := e.owned != nil
	e.mu.Unlock()
	if owning {
		return // servers in this process end with it, never before
	}
	tick := time.NewTicker(followInterval)
	defer tick.Stop()
	var lastErr string
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		previous := e.followed()
		owned, err := e.tryOwn(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			down := fmt.Errorf("the scolarite process %d that ran the embedded servers of %s has stopped, and starting them in this process (%d) failed: %w",
				previous.PID, e.dir, e.pidNow(), err)
			e.route.setDown(down)
			if err.Error() != lastErr { // once per distinct failure, not every tick
				lastErr = err.Error()
				e.log.Error("embedded servers: take-over failed; trying again", "err", down)
			}
			continue
		}
		if owned {
			now := e.followed()
			e.route.set(now)
			e.log.Warn("embedded servers: their owner stopped; this process runs them now",
				"previous_pid", previous.PID, "mongo", now.MongoURI, "redis", now.RedisURL)
			return
		}
		e.follow(previous)
	}
}

// follow switches to the servers named in servers.json when another
// process took them over and they answer.
func (e *embedded) follow(previous serversInfo) {
	info, err := readServers(filepath.Join(e.dir, serversFile))
	if err != nil || (info.MongoURI == previous.MongoURI && info.RedisURL == previous.RedisURL) {
		return // gone (the owner is stopping) or unchanged (or stale: the owner died)
	}
	if info.check(e.needMongo, e.needRedis) != nil {
		return // still starting; next tick
	}
	e.mu.Lock()
	e.current = info
	e.mu.Unlock()
	e.route.set(info)
	e.log.Info("embedded servers: following the process that took them over", "pid", info.PID,
		"previous_pid", previous.PID, "mongo", info.MongoURI, "redis", info.RedisURL)
}

func (e *embedded) followed() serversInfo {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.current
}

func (e *embedded) pidNow() int { return e.followed().PID }

// route is the dialer of the clients of embedded servers: it maps the
// addresses the clients were opened with to those of the servers that run
// now, which change when another process takes the servers over. Other
// addresses (a real server given by MONGODB_URI or REDIS_URL) pass through.
type route struct {
	mongo, redis string // the clients' addresses (host:port)

	mu   sync.RWMutex
	to   map[string]string
	down error // why the servers are unreachable, once a take-over failed
}

func newRoute(info serversInfo) *route {
	r := &route{to: map[string]string{}}
	r.mongo, _ = hostOf(info.MongoURI)
	r.redis, _ = hostOf(info.RedisURL)
	r.set(info)
	return r
}

func (r *route) set(info serversInfo) {
	mongo, _ := hostOf(info.MongoURI)
	redis, _ := hostOf(info.RedisURL)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = nil
	for from, to := range map[string]string{r.mongo: mongo, r.redis: redis} {
		if from != "" && to != "" {
			r.to[from] = to
		}
	}
}

func (r *route) setDown(err error) {
	r.mu.Lock()
	r.down = err
	r.mu.Unlock()
}

// DialContext is options.ContextDialer (MongoDB) and redis.Options.Dialer.
func (r *route) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	r.mu.RLock()
	target, down := r.to[addr], r.down
	r.mu.RUnlock()
	if target == "" {
		target = addr
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, target)
	if err != nil && down != nil {
		// The driver's error ends up in the log: say why, not only
		// "connection refused".
		return nil, fmt.Errorf("%w (%v)", err, down)
	}
	return conn, err
}
