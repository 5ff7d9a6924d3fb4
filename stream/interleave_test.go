package stream

import (
	"slices"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
)

// TestInterleave: every record once, each partition in order, and the
// poll's slice untouched (queues are runs of it).
func TestInterleave(t *testing.T) {
	var recs []*kgo.Record
	add := func(p int32, from, to int64) {
		for o := from; o < to; o++ {
			recs = append(recs, &kgo.Record{Topic: "t", Partition: p, Offset: o})
		}
	}
	add(0, 0, 3)
	add(1, 0, 2)
	add(0, 3, 5) // a second fetch of partition 0
	add(2, 0, 4)
	before := slices.Clone(recs)
	next := map[int32]int64{}
	n := 0
	for _, b := range interleave(recs, 4) {
		for _, r := range b {
			if r.Offset != next[r.Partition] {
				t.Fatalf("partition %d: offset %d, want %d", r.Partition, r.Offset, next[r.Partition])
			}
			next[r.Partition]++
			n++
		}
	}
	if n != len(recs) {
		t.Fatalf("%d records in batches, want %d", n, len(recs))
	}
	if !slices.Equal(recs, before) {
		t.Fatal("interleave changed the poll's records")
	}
}
