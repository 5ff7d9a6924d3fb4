package notify_test

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"scolarite/domain"
	"scolarite/notify"
)

// memOutbox is an in-memory domain.Outbox holding a burst of events.
type memOutbox struct {
	mu     sync.Mutex
	events []*domain.Event // oldest first
	done   map[string]bool
	next   int // events before next are all done
}

func (o *memOutbox) Pending(_ context.Context, _ domain.Consumer, limit int) ([]*domain.Event, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for o.next < len(o.events) && o.done[o.events[o.next].ID] {
		o.next++
	}
	var out []*domain.Event
	for _, e := range o.events[o.next:] {
		if len(out) == limit {
			break
		}
		if !o.done[e.ID] {
			out = append(out, e)
		}
	}
	return out, nil
}

func (o *memOutbox) MarkDone(_ context.Context, _ domain.Consumer, ids []string, _ time.Time) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, id := range ids {
		o.done[id] = true
	}
	return nil
}

// leanRepo is an in-memory notify.Repo that forgets a record's text once
// it is finished, keeping only its key and outcome: what it holds grows by
// a few bytes a record, so a test can see the worker's own memory.
type leanRepo struct {
	mu      sync.Mutex
	keys    map[string]bool
	pending map[string]*notify.Notification
	leases  map[string]string
	counts  map[notify.Status]int
	seq     int
}

func newLeanRepo() *leanRepo {
	return &leanRepo{keys: map[string]bool{}, pending: map[string]*notify.Notification{}, leases: map[string]string{}, counts: map[notify.Status]int{}}
}

func (r *leanRepo) Create(_ context.Context, ns []*notify.Notification) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	created := 0
	for _, n := range ns {
		key := n.EventID + "|" + string(n.Channel) + "|" + n.Recipient
		if r.keys[key] {
			continue
		}
		r.keys[key] = true
		r.seq++
		c := *n
		c.ID = fmt.Sprintf("%024x", r.seq)
		n.ID = c.ID
		created++
		r.counts[c.Status]++
		if c.Status == notify.Pending {
			r.pending[c.ID] = &c
		}
	}
	return created, nil
}

func (r *leanRepo) Claim(_ context.Context, c notify.Claim) ([]*notify.Notification, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var due []*notify.Notification
	for id, n := range r.pending {
		if r.leases[id] == "" && !n.NextAt.After(c.Now) && slices.Contains(c.Channels, n.Channel) {
			due = append(due, n)
		}
	}
	slices.SortFunc(due, func(a, b *notify.Notification) int { return cmp.Compare(a.ID, b.ID) })
	out := make([]*notify.Notification, 0, min(len(due), c.Limit))
	for _, n := range due[:min(len(due), c.Limit)] {
		r.leases[n.ID] = c.Owner
		cp := *n
		out = append(out, &cp)
	}
	return out, nil
}

func (r *leanRepo) Finish(_ context.Context, owner string, done []*notify.Notification) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range done {
		if r.leases[n.ID] != owner {
			return fmt.Errorf("%s finishes %s without its lease", owner, n.ID)
		}
		delete(r.leases, n.ID)
		if n.Status == notify.Pending {
			cp := *n
			r.pending[n.ID] = &cp
			continue
		}
		delete(r.pending, n.ID)
		r.counts[notify.Pending]--
		r.counts[n.Status]++
	}
	return nil
}

func (r *leanRepo) Release(_ context.Context, owner string, ids []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, id := range ids {
		if r.leases[id] == owner {
			delete(r.leases, id)
		}
	}
	return nil
}

func (r *leanRepo) Counts(context.Context) (map[notify.Status]int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps(r.counts), nil
}

func maps(m map[notify.Status]int) map[notify.Status]int {
	out := make(map[notify.Status]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (r *leanRepo) List(context.Context, notify.Filter) ([]*notify.Notification, error) {
	return nil, nil
}
func (r *leanRepo) Purge(context.Context, time.Time) (int, error)  { return 0, nil }
func (r *leanRepo) Retry(context.Context, string, time.Time) error { return nil }
