package analytics

import (
	"maps"
	"math/bits"

	"github.com/twmb/franz-go/pkg/kgo"
)

// majors numbers the job's major names, so a student's state is one
// word and changed cells are bits.
type majors struct {
	names []string
	index map[string]uint32
}

func newMajors() *majors { return &majors{index: map[string]uint32{}} }

// id returns the number of name, giving it one if new.
func (m *majors) id(name string) uint32 {
	if i, ok := m.index[name]; ok {
		return i
	}
	i := uint32(len(m.names))
	m.names = append(m.names, name)
	m.index[name] = i
	return i
}

// student is the latest state of a matricule: major number << 8 | age.
type student uint32

func newStudent(major uint32, age int) student { return student(major<<8 | uint32(age)) }
func (s student) major() uint32                { return uint32(s) >> 8 }
func (s student) age() int                     { return int(s & 0xff) }

// ageBits marks ages (0 to MaxValidAge) whose count changed.
type ageBits [(MaxValidAge + 64) / 64]uint64

func (b *ageBits) set(age int) { b[age/64] |= 1 << (age % 64) }

// each calls fn for each marked age, and clears the marks.
func (b *ageBits) each(fn func(age int)) {
	for w := range b {
		for b[w] != 0 {
			i := bits.TrailingZeros64(b[w])
			b[w] &^= 1 << i
			fn(w*64 + i)
		}
	}
}

// partitionState is what this process knows of one partition it owns:
// the next offset to apply, its partial, the students of its keys, and
// the cells changed since the last save.
type partitionState struct {
	next       int64
	partial    *Partial
	majors     *majors
	students   map[string]student
	dirtyMsg   ageBits
	dirtyMajor []ageBits // by major number
	decoder    Decoder
	presized   bool
}

func newPartitionState(m *majors) *partitionState {
	return &partitionState{partial: NewPartial(), majors: m, students: map[string]student{}}
}

// maxPresize bounds the keys presize makes room for in advance.
const maxPresize = 1 << 20

// presize makes room in the students map, once, for the keys the lag of
// the partition will bring, estimated from those its first batch added
// (handled messages): a map growing to a million keys rehashes each of
// them several times on the way.
func (s *partitionState) presize(added, handled int, lag int64) {
	if s.presized || handled == 0 {
		return
	}
	s.presized = true
	want := len(s.students) + int(min(lag*int64(added)/int64(handled), maxPresize))
	if want <= 2*len(s.students) {
		return
	}
	students := make(map[string]student, want)
	maps.Copy(students, s.students)
	s.students = students
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
	major string // "" for the message counts
	age   int
	n     int64
}

// take copies the partition's changes and starts a new set.
func (s *partitionState) take(part int32) snapshot {
	p := s.partial
	snap := snapshot{partition: part, next: s.next, read: p.Read, rejected: p.Rejected, formats: p.Formats}
	s.dirtyMsg.each(func(age int) {
		snap.cells = append(snap.cells, cellValue{age: age, n: p.Messages[age]})
	})
	for id := range s.dirtyMajor {
		name := s.majors.names[id]
		s.dirtyMajor[id].each(func(age int) {
			snap.cells = append(snap.cells, cellValue{major: name, age: age, n: p.Majors[name][age]})
		})
	}
	return snap
}

// apply counts one message at r's offset, which the caller checked is
// not below next (a message read again after a restart is skipped there:
// neither lost nor counted twice).
func (s *partitionState) apply(r *kgo.Record, rec *Record, rejected bool) {
	s.next = r.Offset + 1
	p := s.partial
	p.Read++
	if rejected {
		p.Rejected++
		return
	}
	p.Formats[rec.Format]++
	p.Messages[rec.Age]++
	s.dirtyMsg.set(rec.Age)
	if rec.Key != "" {
		if prev, ok := s.students[rec.Key]; ok {
			s.count(prev, -1)
			if rec.Deleted() {
				delete(s.students, rec.Key)
			}
		}
	}
	if rec.Deleted() {
		return
	}
	st := newStudent(s.majors.id(rec.Major), rec.Age)
	if rec.Key != "" {
		s.students[rec.Key] = st
	}
	s.count(st, 1)
}

func (s *partitionState) count(st student, delta int64) {
	id := st.major()
	s.partial.major(s.majors.names[id])[st.age()] += delta
	for int(id) >= len(s.dirtyMajor) {
		s.dirtyMajor = append(s.dirtyMajor, ageBits{})
	}
	s.dirtyMajor[id].set(st.age())
}

// replay rebuilds the students of the keys from stored records (in
// offset order) after a restart or a rebalance.
func (s *partitionState) replay(key, typ, major string, age int) {
	if typ == "student.deleted" {
		delete(s.students, key)
		return
	}
	if age < 0 || age > MaxValidAge {
		return
	}
	s.students[key] = newStudent(s.majors.id(major), age)
}
