package analytics

import (
	"github.com/twmb/franz-go/pkg/kgo"
)

// student is the latest state of a matricule: its major and age.
type student struct {
	major string
	age   uint8
}

type cell struct {
	major string // "" for the message counts
	age   uint8
}

// partitionState is what this process knows of one partition it owns:
// the next offset to apply, its partial, the students of its keys, and
// the cells changed since the last save.
type partitionState struct {
	next     int64
	partial  *Partial
	students map[string]student
	dirty    map[cell]struct{}
	changed  bool
}

func newPartitionState() *partitionState {
	return &partitionState{partial: NewPartial(), students: map[string]student{}, dirty: map[cell]struct{}{}}
}

// snapshot is what a batch changed in a partition, copied for the
// writer so the next batch can go on changing the partition meanwhile.
type snapshot struct {
	partition      int32
	next           int64
	read, rejected int64
	formats        [formats]int64
	cells          []cellValue
}

type cellValue struct {
	major string
	age   int
	n     int64
}

// take copies the partition's changes and starts a new set.
func (s *partitionState) take(part int32) snapshot {
	p := s.partial
	snap := snapshot{partition: part, next: s.next, read: p.Read, rejected: p.Rejected, formats: p.Formats,
		cells: make([]cellValue, 0, len(s.dirty))}
	for c := range s.dirty {
		n := p.Messages[c.age]
		if c.major != "" {
			n = p.Majors[c.major][c.age]
		}
		snap.cells = append(snap.cells, cellValue{major: c.major, age: int(c.age), n: n})
	}
	clear(s.dirty)
	s.changed = false
	return snap
}

// stored is a decoded record with its place in the topic.
type stored struct {
	partition int32
	offset    int64
	rec       Record
}

// apply counts one message at offset; false when it was applied already
// (read again after a restart: neither lost nor counted twice).
func (s *partitionState) apply(r *kgo.Record, rec *Record, rejected bool, intern func(string) string) bool {
	if r.Offset < s.next {
		return false
	}
	s.next = r.Offset + 1
	s.changed = true
	p := s.partial
	p.Read++
	if rejected {
		p.Rejected++
		return true
	}
	p.Formats[rec.Format]++
	p.Messages[rec.Age]++
	s.dirty[cell{age: uint8(rec.Age)}] = struct{}{}
	if rec.Key != "" {
		if prev, ok := s.students[rec.Key]; ok {
			s.count(prev, -1)
			delete(s.students, rec.Key)
		}
	}
	if rec.Deleted() {
		return true
	}
	st := student{major: intern(rec.Major), age: uint8(rec.Age)}
	if rec.Key != "" {
		s.students[rec.Key] = st
	}
	s.count(st, 1)
	return true
}

func (s *partitionState) count(st student, delta int64) {
	s.partial.major(st.major)[st.age] += delta
	s.dirty[cell{major: st.major, age: st.age}] = struct{}{}
}

// replay rebuilds the students of the keys from stored records (in
// offset order) after a restart or a rebalance.
func (s *partitionState) replay(key, typ, major string, age int, intern func(string) string) {
	if typ == "student.deleted" {
		delete(s.students, key)
		return
	}
	s.students[key] = student{major: intern(major), age: uint8(age)}
}
