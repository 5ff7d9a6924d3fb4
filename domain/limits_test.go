package domain

import (
	"strings"
	"testing"
	"time"
)

// TestInputLimits: a day that does not exist is told from a text that is
// no date, a grade has at most two decimals, an e-mail at most 254
// characters, and no reason quotes more than the beginning of a long text.
func TestInputLimits(t *testing.T) {
	today := NewDate(2026, time.November, 23)
	long := strings.Repeat("a", 130<<10) + "@example.sn"
	base := StudentInput{LastName: "Diop", FirstName: "Awa", Phone: "771234567", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05"}
	for _, tc := range []struct {
		name  string
		edit  func(*StudentInput)
		field string
		want  string
	}{
		{"day that does not exist", func(in *StudentInput) { in.BirthDate = "2003-02-29" }, "birth_date", "is not a real day: 2003-02-29 does not exist in the calendar"},
		{"month 13", func(in *StudentInput) { in.BirthDate = "2003-13-01" }, "birth_date", "is not a date in the form YYYY-MM-DD (got 2003-13-01)"},
		{"not a date", func(in *StudentInput) { in.BirthDate = "5 avril" }, "birth_date", "is not a date in the form YYYY-MM-DD"},
		{"long e-mail", func(in *StudentInput) { in.Email = long }, "email", "is longer than 254 characters, the most an e-mail address has (" + strings.Repeat("a", 40) + "…)"},
		{"long guardian e-mail", func(in *StudentInput) { in.GuardianEmail = long }, "guardian_email", "is longer than 254 characters"},
		{"invalid e-mail quoted short", func(in *StudentInput) { in.Email = strings.Repeat("b", 200) }, "email", "is not a valid e-mail address (" + strings.Repeat("b", 60) + "…)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			tc.edit(&in)
			_, err := in.Validate(PhoneParser{}, today)
			e, ok := err.(*Error)
			if !ok || len(e.Problems) != 1 || e.Problems[0].Field != tc.field || !strings.Contains(e.Problems[0].Reason, tc.want) {
				t.Fatalf("%v, want %s: %q", err, tc.field, tc.want)
			}
			if len(e.Error()) > 400 {
				t.Errorf("the error is %d bytes long", len(e.Error()))
			}
		})
	}
	in := base
	in.Email = strings.Repeat("a", 240) + "@example.sn" // 251 characters
	if _, err := in.Validate(PhoneParser{}, today); err != nil {
		t.Errorf("a 251-character e-mail: %v", err)
	}
	for _, tc := range []struct{ value, want string }{
		{"12.5", ""}, {"12,25", ""}, {"12.250", ""}, {"20", ""}, {"0.00", ""},
		{"0.0000001", "has more than two decimals (got 0.0000001)"},
		{"12,125", "has more than two decimals (got 12,125)"},
		{"21", "must be between 0 and 20"},
	} {
		_, err := ParseGradeValue(tc.value)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s refused: %v", tc.value, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want %q", tc.value, err, tc.want)
		}
	}
}
