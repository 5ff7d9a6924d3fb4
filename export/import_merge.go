package export

import (
	"fmt"
	"math"

	"scolarite/domain"
)

// change is how an import row updates an existing student. Grades merge
// by subject: an empty cell leaves the subject alone, a subject the
// student has no grade in gets one, a subject with one grade gets that
// grade's value changed, and a value equal to what the student has (the
// subject's mean, to the two decimals files show) changes nothing. A
// subject with several grades cannot take one value from a file: the row
// is refused rather than a grade guessed. Grades are never removed.
type change struct {
	identity bool
	input    domain.StudentInput
	adds     []domain.GradeInput
	sets     []gradeSet
}

type gradeSet struct{ id, value string }

func (c change) empty() bool { return !c.identity && len(c.adds) == 0 && len(c.sets) == 0 }

// sameValue: a file's value equals a stored one shown with two decimals.
func sameValue(a, b float64) bool { return math.Abs(a-b) < 0.005 }

// diff compares a checked row with the stored student. hasEmail says the
// file has an e-mail column: without one the stored address is kept. The
// guardian is one contact: a file without any guardian column keeps the
// recorded guardian (most files have none, and updating from one must not
// erase what the application holds); a file with some of the columns
// replaces the whole contact, so a new guardian's name never ends up next
// to the previous guardian's phone.
func diff(st *domain.Student, id domain.Identity, hasEmail bool, grades []domain.GradeInput, line int, l *layout) (change, []Problem) {
	var c change
	c.input = domain.StudentInput{LastName: id.LastName, FirstName: id.FirstName, Phone: id.Phone, Email: id.Email,
		Class: id.Class, Major: id.Major, BirthDate: id.BirthDate.String(),
		GuardianName: id.GuardianName, GuardianPhone: id.GuardianPhone, GuardianEmail: id.GuardianEmail}
	if !hasEmail {
		c.input.Email = st.Email
	}
	if l.byField[fieldGuardianName] == nil && l.byField[fieldGuardianPhone] == nil && l.byField[fieldGuardianEmail] == nil {
		c.input.GuardianName, c.input.GuardianPhone, c.input.GuardianEmail = st.GuardianName, st.GuardianPhone, st.GuardianEmail
	}
	c.identity = st.Input() != c.input // both normalised: every identity field, new ones too
	var probs []Problem
	for _, g := range grades {
		v, _ := domain.ParseGradeValue(g.Value) // checked by the planner
		mean, count, ok := SubjectMean(st.Grades, g.Subject)
		switch {
		case !ok:
			c.adds = append(c.adds, g)
		case sameValue(mean, v):
		case count == 1:
			for _, sg := range st.Grades {
				if domain.Fold(sg.Subject) == domain.Fold(g.Subject) {
					c.sets = append(c.sets, gradeSet{id: sg.ID, value: g.Value})
				}
			}
		default:
			probs = append(probs, Problem{Line: line, Column: subjectTitle(l, g.Subject), Field: "value",
				Reason: fmt.Sprintf("student %s has %d grades in %s (mean %s): a file cannot set them to one value; change them in the application",
					st.Number, count, g.Subject, English.num(mean, 2))})
		}
	}
	return c, probs
}

func subjectTitle(l *layout, subject string) string {
	for _, c := range l.subjects {
		if c.subject == subject {
			return c.title()
		}
	}
	return subject
}
