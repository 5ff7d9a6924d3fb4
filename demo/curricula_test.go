package demo

import (
	"testing"
)

// Every demo curriculum is valid, 30 credits of 3 to 5 UEs of 2 to 4
// subjects, for L1 to L3 of every major, two semesters each.
func TestCurricula(t *testing.T) {
	list := Curricula("2026-2027")
	if len(list) != 5*3*2 {
		t.Fatalf("%d curricula, want 30", len(list))
	}
	for _, c := range list {
		if err := c.Validate(); err != nil {
			t.Fatalf("%s: %v", c.Key(), err)
		}
		if c.Credits() != 30 || len(c.UEs) < 3 || len(c.UEs) > 5 {
			t.Errorf("%s: %d credits in %d UEs", c.Key(), c.Credits(), len(c.UEs))
		}
		for _, ue := range c.UEs {
			if len(ue.Subjects) < 2 || len(ue.Subjects) > 4 {
				t.Errorf("%s %s: %d subjects", c.Key(), ue.Code, len(ue.Subjects))
			}
		}
		if n := len(Evaluations(c)); n < 2*6 {
			t.Errorf("%s: %d evaluations", c.Key(), n)
		}
	}
}
