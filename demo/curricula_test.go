package demo

import (
	"testing"
	"time"

	"scolarite/domain"
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

// The evaluations of a semester are dated in it: a first semester's CC in
// November and exam in January, a second's in April and June, on
// weekdays; a CC (40) and an exam (60) in every subject.
func TestEvaluationsDatedInTheirSemester(t *testing.T) {
	for _, c := range Curricula("2026-2027") {
		subjects := 0
		for _, ue := range c.UEs {
			subjects += len(ue.Subjects)
		}
		evals := Evaluations(c)
		if len(evals) != 2*subjects {
			t.Errorf("%s: %d evaluations for %d subjects", c.Key(), len(evals), subjects)
		}
		first := c.Semester == "S1" || c.Semester == "S3" || c.Semester == "S5"
		for _, e := range evals {
			d, err := time.Parse(domain.DateLayout, e.Date)
			if err != nil {
				t.Fatalf("%s %s: date %q: %v", c.Key(), e.Subject, e.Date, err)
			}
			want := map[[2]bool]string{{true, true}: "2026-11", {true, false}: "2027-01", {false, true}: "2027-04", {false, false}: "2027-06"}[[2]bool{first, e.Kind == "cc"}]
			if e.Date[:7] != want || d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
				t.Errorf("%s %s %s dated %s (%s), want a weekday of %s", c.Key(), e.Subject, e.Kind, e.Date, d.Weekday(), want)
			}
			if w := map[string]string{"cc": "40", "exam": "60"}[e.Kind]; e.Weight != w || e.Title == "" {
				t.Errorf("%s %s: %+v", c.Key(), e.Subject, e)
			}
		}
	}
}

func TestCurrentSemester(t *testing.T) {
	for class, want := range map[string]string{"L1-INFO": "S1", "L2-GC": "S3", "L3-GEST": "S5"} {
		if got := CurrentSemester(class); got != want {
			t.Errorf("CurrentSemester(%s) = %s, want %s", class, got, want)
		}
	}
}
