package demo

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"

	"scolarite/domain"
)

// Absence rates of the demo's marks: about one mark in fifty is a
// justified absence, one in a hundred an unjustified one.
const (
	justifiedRate   = 0.02
	unjustifiedRate = 0.01
)

// justifications are the comments of some justified absences.
var justifications = [...]string{"Certificat médical", "Convocation administrative", "Décès dans la famille", ""}

// MarkedStudents is Students (the same students for a seed) with a mark in
// every evaluation evals gives for their class: around the student's level,
// as their free grades are, harder or easier by subject, with a few
// absences, justified or not. The marks are drawn from a generator of
// their own, deterministic for the seed and the evaluations' order.
func MarkedStudents(seed uint64, n int, today time.Time, evals func(class string) []domain.Evaluation) []domain.NewStudent {
	out, levels := students(seed, n, today)
	rng := rand.New(rand.NewPCG(seed^0x3a7c5, seed))
	for i := range out {
		s := &out[i]
		for _, e := range evals(s.Input.Class) {
			s.Marks = append(s.Marks, domain.NewMark{Evaluation: e.ID, Mark: mark(rng, levels[i]+difficulty(e.Subject))})
		}
	}
	return out
}

// mark draws one mark of a student whose expected mark is level.
func mark(rng *rand.Rand, level float64) domain.MarkInput {
	switch r := rng.Float64(); {
	case r < justifiedRate:
		return domain.MarkInput{Absent: string(domain.AbsentJustified), Comment: justifications[rng.IntN(len(justifications))]}
	case r < justifiedRate+unjustifiedRate:
		return domain.MarkInput{Absent: string(domain.AbsentUnjustified)}
	}
	return domain.MarkInput{Value: fmt.Sprint(halfPoint(level + rng.NormFloat64()*2.5))}
}

// difficulty shifts a subject's marks by -1.5 to +1.5 points, the same
// for every class and seed: some subjects are marked harder.
func difficulty(subject string) float64 {
	h := fnv.New32a()
	h.Write([]byte(subject))
	return float64(h.Sum32()%7)/2 - 1.5
}
