package analytics

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// naive computes the figures from the sorted ages themselves.
func naive(ages []float64) (mean, std, q1, med, q3 float64) {
	slices.Sort(ages)
	n := float64(len(ages))
	for _, a := range ages {
		mean += a
	}
	mean /= n
	for _, a := range ages {
		std += (a - mean) * (a - mean)
	}
	std = math.Sqrt(std / (n - 1))
	q := func(p float64) float64 {
		pos := (n - 1) * p
		lo := math.Floor(pos)
		hi := math.Min(lo+1, n-1)
		return ages[int(lo)] + (pos-lo)*(ages[int(hi)]-ages[int(lo)])
	}
	return mean, std, q(0.25), q(0.5), q(0.75)
}

func TestReportMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		p := NewPartial()
		var ages []float64
		n := 2 + rng.IntN(300)
		for i := 0; i < n; i++ {
			age := 15 + rng.IntN(30)
			p.major("M")[age]++
			p.Messages[age]++
			p.Read++
			if age > 20 {
				ages = append(ages, float64(age))
			}
		}
		r := Report(p, 20, "t", time.Now())
		if len(ages) < 2 {
			continue
		}
		m := r.Majors[0]
		mean, std, q1, med, q3 := naive(ages)
		for _, c := range []struct {
			name      string
			got, want float64
		}{{"mean", m.Mean, mean}, {"std", *m.Std, std}, {"q1", m.Q1, q1}, {"median", m.Median, med}, {"q3", m.Q3, q3},
			{"min", m.Min, ages[0]}, {"max", m.Max, ages[len(ages)-1]}} {
			if math.Abs(c.got-c.want) > 1e-9 {
				t.Fatalf("trial %d %s = %v, want %v", trial, c.name, c.got, c.want)
			}
		}
		if m.Students != int64(len(ages)) || r.Kept+r.Filtered != r.Read {
			t.Fatalf("counts %+v", r)
		}
	}
}

func TestReportEdges(t *testing.T) {
	p := NewPartial()
	p.major("Seul")[22] = 1
	p.major("Jeunes")[18] = 4
	p.Messages[22], p.Messages[18], p.Read = 1, 4, 6
	p.Rejected = 1
	r := Report(p, 20, "t", time.Now())
	if len(r.Majors) != 1 || r.Majors[0].Major != "Seul" || r.Majors[0].Std != nil || r.Majors[0].Q1 != 22 {
		t.Fatalf("majors %+v", r.Majors)
	}
	if r.Filtered != 4 || r.Kept != 1 || r.Students != 1 || *r.Mean != 22 {
		t.Fatalf("report %+v", r)
	}
	empty := Report(NewPartial(), 20, "t", time.Now())
	if empty.Mean != nil || len(empty.Majors) != 0 {
		t.Fatalf("empty %+v", empty)
	}
}

func TestPartialMerge(t *testing.T) {
	a, b := NewPartial(), NewPartial()
	a.major("X")[21], a.Read, a.Formats[FormatEvent] = 2, 3, 2
	b.major("X")[21], b.major("Y")[30], b.Read, b.Rejected = 1, 1, 2, 1
	a.Merge(b)
	if a.Majors["X"][21] != 3 || a.Majors["Y"][30] != 1 || a.Read != 5 || a.Rejected != 1 || a.Formats[FormatEvent] != 2 {
		t.Fatalf("merged %+v", a)
	}
}
