package domain

import (
	"regexp"
	"strings"
	"time"
)

// isoDay is the form of DateLayout, to tell a day that does not exist
// (2003-02-29) from a text that is no date.
var isoDay = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`)

// DateLayout is how dates are written in files, JSON and the CLI.
const DateLayout = "2006-01-02"

// Date is a calendar day (no time, no zone), written YYYY-MM-DD.
type Date struct{ t time.Time }

// NewDate returns the day y-m-d.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date { return NewDate(t.Date()) }

// ParseDate reads YYYY-MM-DD and refuses impossible days (2023-02-30).
func ParseDate(s string) (Date, error) {
	s = strings.TrimSpace(s)
	if reason := textReason(s, SingleLine); reason != "" {
		return Date{}, parseError(reason)
	}
	if s == "" {
		return Date{}, parseError("is required")
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		if isoDay.MatchString(s) {
			return Date{}, parseError("is not a real day: " + s + " does not exist in the calendar")
		}
		return Date{}, parseError("is not a date in the form YYYY-MM-DD (got " + Quote(s, 40) + ")")
	}
	return Date{t}, nil
}

func (d Date) IsZero() bool       { return d.t.IsZero() }
func (d Date) String() string     { return d.t.Format(DateLayout) }
func (d Date) Time() time.Time    { return d.t }
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) Equal(o Date) bool  { return d.t.Equal(o.t) }

// AgeOn returns the age in whole years on day `on`.
func (d Date) AgeOn(on Date) int {
	age := on.t.Year() - d.t.Year()
	if on.t.Month() < d.t.Month() || (on.t.Month() == d.t.Month() && on.t.Day() < d.t.Day()) {
		age--
	}
	return age
}

func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
