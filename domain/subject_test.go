package domain

import (
	"strings"
	"testing"
)

func TestCheckSubject(t *testing.T) {
	for _, tc := range []struct {
		subject, want string // want "" accepted
	}{
		{"Maths", ""},
		{"Moyenne de TP", ""},
		{"Nombre", ""},
		{"Maths (TP)", ""},
		{"", "is required"},
		{strings.Repeat("a", 61), "is longer than 60 characters"},
		{"Moyenne", "cannot be named Moyenne: files use it as a column of their own"},
		{"observations", "cannot be named observations"},
		{"NOM", "cannot be named NOM"},
		{"Prénom.", "cannot be named Prénom."},
		{"Date de naissance", "cannot be named Date de naissance"},
		{"  e-mail ", "cannot be named e-mail"},
		{"Maths (coef. 2)", "cannot end with a coefficient in brackets (Maths (coef. 2))"},
		{"Physique (coefficient 1,5)", "cannot end with a coefficient in brackets"},
		{"Maths\x1b[2J", "contains a control character"},
	} {
		err := CheckSubject(tc.subject)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q refused: %v", tc.subject, err)
		case tc.want != "" && err == nil:
			t.Errorf("%q accepted, want %q", tc.subject, tc.want)
		case tc.want != "":
			e := err.(*Error)
			if len(e.Problems) != 1 || e.Problems[0].Field != "subject" || !strings.Contains(e.Problems[0].Reason, tc.want) {
				t.Errorf("%q: %+v, want subject: %q", tc.subject, e.Problems, tc.want)
			}
		}
	}
}
