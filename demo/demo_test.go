package demo

import (
	"testing"
	"time"

	"scolarite/domain"
)

// TestStudentsValidWithGuardians: every demo student passes the domain's
// validation, and about half have a guardian, some with an e-mail.
func TestStudentsValidWithGuardians(t *testing.T) {
	today := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)
	items := Students(7, 200, today)
	withGuardian, withEmail := 0, 0
	for i, s := range items {
		id, err := s.Input.Validate(domain.PhoneParser{}, domain.DateOf(today))
		if err != nil {
			t.Fatalf("student %d (%+v): %v", i, s.Input, err)
		}
		if id.GuardianPhone != "" {
			withGuardian++
			if id.GuardianName == "" || id.GuardianPhone[:4] != "+221" {
				t.Errorf("student %d guardian = %q %q", i, id.GuardianName, id.GuardianPhone)
			}
		}
		if id.GuardianEmail != "" {
			withEmail++
		}
	}
	if withGuardian < 80 || withGuardian > 120 || withEmail == 0 || withEmail == withGuardian {
		t.Errorf("%d of 200 with a guardian, %d with a guardian e-mail", withGuardian, withEmail)
	}
}

// MarkedStudents are Students with a mark in each evaluation of their
// class: the same students for a seed, the same marks for a seed, spread
// from failing to excellent, a few absences of either kind.
func TestMarkedStudents(t *testing.T) {
	today := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)
	evals := func(class string) []domain.Evaluation {
		return []domain.Evaluation{{ID: class + "-a", Subject: "Analyse 3"}, {ID: class + "-b", Subject: "Anglais 3"}, {ID: class + "-c", Subject: "Réseaux 3"}}
	}
	items := MarkedStudents(7, 300, today, evals)
	plain := Students(7, 300, today)
	values, justified, unjustified := map[float64]int{}, 0, 0
	for i, s := range items {
		if s.Input != plain[i].Input || len(s.Marks) != 3 || s.Marks[0].Evaluation != s.Input.Class+"-a" {
			t.Fatalf("student %d = %+v, want %+v with 3 marks", i, s, plain[i].Input)
		}
		for _, m := range s.Marks {
			switch domain.Absence(m.Mark.Absent) {
			case domain.AbsentJustified:
				justified++
			case domain.AbsentUnjustified:
				unjustified++
			default:
				v, err := domain.ParseGradeValue(m.Mark.Value)
				if err != nil {
					t.Fatalf("student %d: mark %q: %v", i, m.Mark.Value, err)
				}
				values[v]++
			}
		}
	}
	low, high := 0, 0
	for v, n := range values {
		if v < 8 {
			low += n
		}
		if v >= 16 {
			high += n
		}
	}
	if low < 20 || high < 20 || justified == 0 || unjustified == 0 || justified+unjustified > 60 {
		t.Errorf("marks below 8: %d, from 16: %d; ABJ %d, ABI %d of 900", low, high, justified, unjustified)
	}
	again := MarkedStudents(7, 300, today, evals)
	for i := range items {
		for j, m := range items[i].Marks {
			if again[i].Marks[j] != m {
				t.Fatalf("student %d mark %d: %+v then %+v for the same seed", i, j, m, again[i].Marks[j])
			}
		}
	}
}
