package analytics

import (
	"maps"
	"slices"
)

// Hist counts by age in whole years (0 to MaxValidAge). Exact quantiles,
// means and standard deviations come from it, and two of them add up:
// this is what makes the aggregation mergeable.
type Hist [MaxValidAge + 1]int64

// Add adds o into h.
func (h *Hist) Add(o *Hist) {
	for i, n := range o {
		h[i] += n
	}
}

// Partial summarises some partitions of the topic. Partials of disjoint
// partitions merge by addition, whichever consumer (or machine) computed
// them, so one consumer or several in one group give the same totals.
type Partial struct {
	Read     int64          // messages read
	Rejected int64          // sent to the dead-letter topic
	Formats  [formats]int64 // decoded messages per format
	// Messages counts decoded messages by age: the filter's counts.
	Messages Hist
	// Majors counts the students the stream describes (the latest state
	// of each matricule; each keyless message is one student) by major
	// and age, before the age filter.
	Majors map[string]*Hist
}

// NewPartial is an empty partial.
func NewPartial() *Partial { return &Partial{Majors: map[string]*Hist{}} }

// Merge adds o into p.
func (p *Partial) Merge(o *Partial) {
	p.Read += o.Read
	p.Rejected += o.Rejected
	for i, n := range o.Formats {
		p.Formats[i] += n
	}
	p.Messages.Add(&o.Messages)
	for m, h := range o.Majors {
		p.major(m).Add(h)
	}
}

func (p *Partial) major(m string) *Hist {
	h := p.Majors[m]
	if h == nil {
		h = new(Hist)
		p.Majors[m] = h
	}
	return h
}

// MajorNames are the majors in alphabetical order.
func (p *Partial) MajorNames() []string { return slices.Sorted(maps.Keys(p.Majors)) }
