package domain

import (
	"errors"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Age bounds for a student's birth date.
const (
	MinAge = 10
	MaxAge = 100
)

// Student is one record of the office. Average is nil until the first grade.
type Student struct {
	ID        string `json:"id"`
	Number    string `json:"number"` // matricule, e.g. 2026-00042
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Phone     string `json:"phone"` // E.164
	Email     string `json:"email,omitempty"`
	Class     string `json:"class"`
	Major     string `json:"major"`
	BirthDate Date   `json:"birth_date"`
	// Guardian contact (parent, tutor), optional. The phone is not unique:
	// siblings share a guardian.
	GuardianName  string  `json:"guardian_name,omitempty"`
	GuardianPhone string  `json:"guardian_phone,omitempty"` // E.164
	GuardianEmail string  `json:"guardian_email,omitempty"`
	Grades        []Grade `json:"grades"`
	// Average is the average of the student's latest semester with one
	// (Terms), or, for a student graded only before curricula, the
	// coefficient-weighted mean of those grades.
	Average *float64 `json:"average"`
	// Terms are the student's semester averages, kept with every mark.
	Terms []TermAverage `json:"terms,omitempty"`
	// Remarks are the teachers' remarks (appréciations), one per subject
	// and semester.
	Remarks   []Remark  `json:"remarks,omitempty"`
	Version   int64     `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// StudentInput is a student as typed in a form, a CLI or a file row.
type StudentInput struct {
	LastName  string
	FirstName string
	Phone     string
	Email     string
	Class     string
	Major     string
	BirthDate string // YYYY-MM-DD
	// Guardian contact, all optional.
	GuardianName, GuardianPhone, GuardianEmail string
}

// Identity is the validated, normalised form of a StudentInput.
type Identity struct {
	LastName, FirstName, Phone, Email, Class, Major string
	BirthDate                                       Date
	GuardianName, GuardianPhone, GuardianEmail      string
}

// Validate checks every field and reports all problems at once, so a form
// can mark each field. today bounds the birth date (age 10 to 100).
func (in StudentInput) Validate(phones PhoneParser, today Date) (Identity, error) {
	var p problems
	// Phone and birth date are checked by their parsers.
	refused := p.checkTexts(textField{"last_name", in.LastName}, textField{"first_name", in.FirstName},
		textField{"email", in.Email}, textField{"class", in.Class}, textField{"major", in.Major},
		textField{"guardian_name", in.GuardianName}, textField{"guardian_email", in.GuardianEmail})
	id := Identity{
		LastName:  cleanName(in.LastName),
		FirstName: cleanName(in.FirstName),
		Class:     strings.ToUpper(cleanName(in.Class)),
		Major:     cleanName(in.Major),
		Email:     strings.TrimSpace(in.Email),
	}
	required := []struct{ field, value string }{
		{"last_name", id.LastName}, {"first_name", id.FirstName},
	}
	for _, r := range required {
		switch {
		case refused[r.field]:
		case r.value == "":
			p.add(r.field, "is required")
		case utf8.RuneCountInString(r.value) > 80:
			p.add(r.field, "is longer than 80 characters")
		case !hasLetter(r.value):
			p.add(r.field, "must contain letters")
		}
	}
	phone, err := phones.Parse(in.Phone)
	if err != nil {
		p = append(p, err.(*Error).Problems...)
	}
	id.Phone = phone
	p.email("email", id.Email, refused)
	for _, r := range []struct{ field, value string }{{"class", id.Class}, {"major", id.Major}} {
		switch {
		case refused[r.field]:
		case r.value == "":
			p.add(r.field, "is required")
		case utf8.RuneCountInString(r.value) > 60:
			p.add(r.field, "is longer than 60 characters")
		}
	}
	birth, err := ParseDate(in.BirthDate)
	switch {
	case err != nil:
		p.add("birth_date", err.Error())
	case !birth.Before(today):
		p.add("birth_date", "must be in the past")
	default:
		if age := birth.AgeOn(today); age < MinAge || age > MaxAge {
			p.add("birth_date", "gives an age of "+itoa(age)+", outside 10 to 100 years")
		}
	}
	id.BirthDate = birth
	p = append(p, id.guardian(in, phones, refused)...)
	return id, p.err()
}

// guardian validates the optional guardian contact into id. An empty field
// clears it; the phone is parsed like the student's own but is not unique.
// refused are the fields whose text was already refused.
func (id *Identity) guardian(in StudentInput, phones PhoneParser, refused map[string]bool) problems {
	var p problems
	id.GuardianName = cleanName(in.GuardianName)
	switch {
	case refused["guardian_name"]:
	case utf8.RuneCountInString(id.GuardianName) > 80:
		p.add("guardian_name", "is longer than 80 characters")
	case id.GuardianName != "" && !hasLetter(id.GuardianName):
		p.add("guardian_name", "must contain letters")
	}
	if strings.TrimSpace(in.GuardianPhone) != "" {
		phone, err := phones.Parse(in.GuardianPhone)
		var derr *Error
		switch {
		case errors.As(err, &derr):
			for _, pr := range derr.Problems {
				p.add("guardian_phone", pr.Reason)
			}
		case err != nil:
			p.add("guardian_phone", err.Error())
		}
		id.GuardianPhone = phone
	}
	id.GuardianEmail = strings.TrimSpace(in.GuardianEmail)
	p.email("guardian_email", id.GuardianEmail, refused)
	return p
}

// maxEmail is the longest address SMTP carries (RFC 5321: a 256-octet
// path, its angle brackets included).
const maxEmail = 254

// email checks an optional e-mail address; a reason quotes at most its
// beginning, since the address may be anything pasted.
func (p *problems) email(field, addr string, refused map[string]bool) {
	switch {
	case addr == "" || refused[field]:
	case len(addr) > maxEmail:
		p.add(field, "is longer than 254 characters, the most an e-mail address has ("+Quote(addr, 40)+")")
	case !validEmail(addr):
		p.add(field, "is not a valid e-mail address ("+Quote(addr, 60)+")")
	}
}

// Quote is s for a message, cut after n characters with an ellipsis.
func Quote(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// validEmail accepts a bare address whose domain has a dot.
func validEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	return err == nil && addr.Address == s && strings.Contains(addr.Address[strings.LastIndex(addr.Address, "@")+1:], ".")
}

// Input returns the student's identity as an editable input.
func (s *Student) Input() StudentInput {
	return StudentInput{
		LastName: s.LastName, FirstName: s.FirstName, Phone: s.Phone, Email: s.Email,
		Class: s.Class, Major: s.Major, BirthDate: s.BirthDate.String(),
		GuardianName: s.GuardianName, GuardianPhone: s.GuardianPhone, GuardianEmail: s.GuardianEmail,
	}
}

func (s *Student) apply(id Identity) {
	s.LastName, s.FirstName, s.Phone, s.Email = id.LastName, id.FirstName, id.Phone, id.Email
	s.Class, s.Major, s.BirthDate = id.Class, id.Major, id.BirthDate
	s.GuardianName, s.GuardianPhone, s.GuardianEmail = id.GuardianName, id.GuardianPhone, id.GuardianEmail
}

// FullName is "LAST First" as the office writes it.
func (s *Student) FullName() string { return s.LastName + " " + s.FirstName }

// Age is the student's age in whole years on day `on`.
func (s *Student) Age(on Date) int { return s.BirthDate.AgeOn(on) }

// GradeByID returns the index of the grade with that id, or -1.
func (s *Student) GradeByID(id string) int {
	for i := range s.Grades {
		if s.Grades[i].ID == id {
			return i
		}
	}
	return -1
}

// Row is the student as the roster table shows it.
func (s *Student) Row() RosterRow {
	return RosterRow{
		ID: s.ID, Number: s.Number, LastName: s.LastName, FirstName: s.FirstName,
		Phone: s.Phone, Class: s.Class, Major: s.Major, Average: s.Average,
		GradeCount: len(s.Grades), Terms: slices.Clone(s.Terms),
	}
}

// cleanName trims and collapses inner runs of white space.
func cleanName(s string) string { return strings.Join(strings.Fields(s), " ") }

func hasLetter(s string) bool {
	for _, r := range s {
		if isLetter(r) {
			return true
		}
	}
	return false
}
