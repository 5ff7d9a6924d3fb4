package analytics

import (
	"math"
	"time"

	"scolarite/domain"
)

// Report computes the figures of p for the students strictly older than
// minAge.
func Report(p *Partial, minAge int, topic string, at time.Time) *domain.AgeReport {
	r := &domain.AgeReport{GeneratedAt: at.UTC(), Topic: topic, MinAge: minAge,
		Read: p.Read, Rejected: p.Rejected, Majors: []domain.MajorAges{}}
	for age, n := range p.Messages {
		if age <= minAge {
			r.Filtered += n
		} else {
			r.Kept += n
		}
	}
	var sum float64
	for _, m := range p.MajorNames() {
		kept := keptAges(p.Majors[m], minAge)
		row, total, ok := majorStats(m, &kept)
		if !ok {
			continue
		}
		r.Majors = append(r.Majors, row)
		r.Students += row.Students
		sum += total
	}
	if r.Students > 0 {
		mean := sum / float64(r.Students)
		r.Mean = &mean
	}
	return r
}

func keptAges(h *Hist, minAge int) Hist {
	var out Hist
	for age := max(minAge+1, 0); age < len(h); age++ {
		out[age] = h[age]
	}
	return out
}

// majorStats summarises one histogram; ok is false when it is empty. total
// is the sum of the ages, for the overall mean.
func majorStats(major string, h *Hist) (domain.MajorAges, float64, bool) {
	var n int64
	var sum, sumSq float64
	lo, hi := -1, -1
	for age, c := range h {
		if c <= 0 {
			continue
		}
		if lo < 0 {
			lo = age
		}
		hi = age
		n += c
		sum += float64(c) * float64(age)
	}
	if n == 0 {
		return domain.MajorAges{}, 0, false
	}
	mean := sum / float64(n)
	for age, c := range h {
		if c > 0 {
			d := float64(age) - mean
			sumSq += float64(c) * d * d
		}
	}
	row := domain.MajorAges{
		Major: major, Students: n, Mean: mean, Min: float64(lo), Max: float64(hi),
		Q1: quantile(h, n, 0.25), Median: quantile(h, n, 0.5), Q3: quantile(h, n, 0.75),
	}
	if n > 1 {
		std := math.Sqrt(sumSq / float64(n-1))
		row.Std = &std
	}
	return row, sum, true
}

// quantile is the p-quantile of the n ages in h by linear interpolation
// between the order statistics around (n-1)p (numpy's and R's default).
func quantile(h *Hist, n int64, p float64) float64 {
	pos := float64(n-1) * p
	k := int64(math.Floor(pos))
	lo := orderStat(h, k)
	if frac := pos - float64(k); frac > 0 && k+1 < n {
		return lo + frac*(orderStat(h, k+1)-lo)
	}
	return lo
}

// orderStat is the k-th smallest age (from 0).
func orderStat(h *Hist, k int64) float64 {
	var seen int64
	for age, c := range h {
		seen += c
		if seen > k {
			return float64(age)
		}
	}
	return math.NaN()
}
