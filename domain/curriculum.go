package domain

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A class's curriculum for one semester of an academic year, in the LMD
// system (docs/ARCHITECTURE.md, "Curriculum"): teaching units (UE) worth
// credits, each made of subjects (EC) with a coefficient inside their UE.

// Curriculum is what a class follows in one semester of a year.
type Curriculum struct {
	ID       string `json:"id"`
	Class    string `json:"class"`
	Semester string `json:"semester"` // S1 … S10
	Year     string `json:"year"`     // 2026-2027
	UEs      []UE   `json:"ues"`
	// Status is the semester's lifecycle (lifecycle.go); Reason the last
	// reopening's.
	Status SemesterStatus `json:"status"`
	// Session is the session Status is about: 1, or 2 once the resit
	// session is open (0 in stores written before sessions: 1).
	Session int    `json:"session,omitempty"`
	Reason  string `json:"reason,omitempty"`
	// Regulations is the regulation version each session was closed
	// under (index 0: session 1; 0 or absent: not closed, the regulation
	// in force applies): closing a session freezes its decisions, a
	// later change of the regulation included.
	Regulations []int `json:"regulations,omitempty"`
	// Published is the latest session whose results were published (0:
	// none); see PublishedSession.
	Published int   `json:"published,omitempty"`
	Version   int64 `json:"version"`
}

// UE is a teaching unit (unité d'enseignement).
type UE struct {
	Code     string          `json:"code"`
	Title    string          `json:"title"`
	Credits  int             `json:"credits"`
	Subjects []CourseSubject `json:"subjects"`
}

// CourseSubject is a subject (élément constitutif) of a UE.
type CourseSubject struct {
	Name        string   `json:"subject"`
	Coefficient float64  `json:"coefficient"`
	Teachers    []string `json:"teachers,omitempty"` // user names
}

// Limits of a curriculum: an LMD semester is 30 credits; these bound what
// a file may hold, far above any real one.
const (
	maxCredits     = 60
	maxUEs         = 20
	maxUESubjects  = 20
	maxCodeLength  = 20
	maxTitleLength = 120
)

var (
	semesterPattern = regexp.MustCompile(`^S([1-9]|10)$`)
	yearPattern     = regexp.MustCompile(`^(\d{4})-(\d{4})$`)
	uePattern       = regexp.MustCompile(`^[\p{L}\p{N}._-]+$`)
)

// ParseSemester accepts "S1" … "S10" in any case, with or without spaces.
func ParseSemester(s string) (string, error) {
	v := strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	if !semesterPattern.MatchString(v) {
		return "", Invalid("semester", "must be S1 to S10 (got "+Quote(strings.TrimSpace(s), 20)+")")
	}
	return v, nil
}

// ParseYear accepts an academic year "2026-2027" (the second year follows
// the first).
func ParseYear(s string) (string, error) {
	v := strings.TrimSpace(s)
	m := yearPattern.FindStringSubmatch(v)
	if m == nil {
		return "", Invalid("year", "must be an academic year such as 2026-2027 (got "+Quote(v, 20)+")")
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	if b != a+1 {
		return "", Invalid("year", "must be two consecutive years such as 2026-2027 (got "+v+")")
	}
	return v, nil
}

// Validate checks a curriculum as typed or imported and normalises it
// (class, semester and year forms; subject names capitalised as grades
// have them). Problems name the UE or subject they are about.
func (c *Curriculum) Validate() error {
	var p problems
	c.Class = strings.ToUpper(cleanName(c.Class))
	if c.Class == "" {
		p.add("class", "is required")
	}
	if s, err := ParseSemester(c.Semester); err != nil {
		p = append(p, err.(*Error).Problems...)
	} else {
		c.Semester = s
	}
	if y, err := ParseYear(c.Year); err != nil {
		p = append(p, err.(*Error).Problems...)
	} else {
		c.Year = y
	}
	if len(c.UEs) == 0 {
		p.add("ues", "a semester needs at least one UE")
	}
	if len(c.UEs) > maxUEs {
		p.add("ues", "at most "+strconv.Itoa(maxUEs)+" UEs in a semester")
	}
	codes := map[string]bool{}
	subjects := map[string]string{} // folded name -> UE code
	for i := range c.UEs {
		ue := &c.UEs[i]
		ue.Code = strings.ToUpper(cleanName(ue.Code))
		ue.Title = cleanName(ue.Title)
		field := "ue " + ue.Code
		switch {
		case ue.Code == "":
			p.add("ue code", "is required (UE "+strconv.Itoa(i+1)+")")
		case CheckUECode(ue.Code) != nil:
			p.add(field, "code "+ueCodeRule)
		case codes[ue.Code]:
			p.add(field, "appears twice in the semester")
		}
		codes[ue.Code] = true
		if err := CheckUETitle(ue.Title); err != nil {
			for _, q := range err.(*Error).Problems {
				p.add(field+" title", q.Reason)
			}
		}
		if ue.Credits < 1 || ue.Credits > maxCredits {
			p.add(field+" credits", "must be a whole number from 1 to 60 (got "+strconv.Itoa(ue.Credits)+")")
		}
		if len(ue.Subjects) == 0 || len(ue.Subjects) > maxUESubjects {
			p.add(field, "needs 1 to 20 subjects")
		}
		for j := range ue.Subjects {
			s := &ue.Subjects[j]
			if err := CheckSubject(s.Name); err != nil {
				for _, q := range err.(*Error).Problems {
					p.add(field+" subject", q.Reason)
				}
				continue
			}
			s.Name = capitalize(cleanName(s.Name))
			if other, dup := subjects[FoldLabel(s.Name)]; dup {
				p.add("subject "+s.Name, "appears twice in the semester (UE "+other+" and UE "+ue.Code+")")
			}
			subjects[FoldLabel(s.Name)] = ue.Code
			if s.Coefficient <= 0 || s.Coefficient > maxCoeffs {
				p.add("subject "+s.Name+" coefficient", "must be greater than 0 and at most 100")
			}
			for k, t := range s.Teachers {
				s.Teachers[k] = strings.ToLower(strings.TrimSpace(t))
			}
			s.Teachers = slices.Compact(slices.Sorted(slices.Values(s.Teachers)))
		}
	}
	return p.err()
}

const ueCodeRule = "must be letters, digits, '.', '_' or '-', at most 20"

// CheckUECode checks a UE's code as a file or a form gives it (case and
// spaces around it do not matter).
func CheckUECode(code string) error {
	c := strings.ToUpper(cleanName(code))
	switch {
	case c == "":
		return Invalid("ue code", "is required")
	case utf8.RuneCountInString(c) > maxCodeLength || !uePattern.MatchString(c):
		return Invalid("ue code", ueCodeRule+" (got "+Quote(c, 30)+")")
	}
	return nil
}

// CheckUETitle checks a UE's title: one line, 1 to 120 characters.
func CheckUETitle(title string) error {
	t := cleanName(title)
	if err := CheckText("ue title", t, SingleLine); err != nil {
		return err
	}
	if t == "" || utf8.RuneCountInString(t) > maxTitleLength {
		return Invalid("ue title", "is required, at most 120 characters")
	}
	return nil
}

// Credits is the total of the semester's UEs (30 in an LMD semester).
func (c *Curriculum) Credits() int {
	n := 0
	for _, ue := range c.UEs {
		n += ue.Credits
	}
	return n
}

// Subject finds a subject by name (accents and case folded) and its UE.
func (c *Curriculum) Subject(name string) (*UE, *CourseSubject, bool) {
	want := FoldLabel(cleanName(name))
	for i := range c.UEs {
		for j := range c.UEs[i].Subjects {
			if FoldLabel(c.UEs[i].Subjects[j].Name) == want {
				return &c.UEs[i], &c.UEs[i].Subjects[j], true
			}
		}
	}
	return nil, nil, false
}

// Teaches reports whether the actor teaches subject in this class: named
// among the subject's teachers, or holding the whole class (the scope of
// accounts made before curricula: every subject of their classes).
func (c *Curriculum) Teaches(a Actor, subject string) bool {
	if a.Role != RoleTeacher {
		return false
	}
	if slices.Contains(a.Classes, c.Class) {
		return true
	}
	_, s, ok := c.Subject(subject)
	return ok && slices.Contains(s.Teachers, strings.ToLower(a.Name))
}

// Clone is a deep copy of c (nil for nil): changing the copy's UEs,
// subjects or teachers never changes c. A screen edits a copy, so that a
// refused save leaves what was loaded as it is stored.
func (c *Curriculum) Clone() *Curriculum {
	if c == nil {
		return nil
	}
	out := *c
	if c.UEs != nil {
		out.UEs = make([]UE, len(c.UEs))
	}
	for i, ue := range c.UEs {
		out.UEs[i] = ue
		if ue.Subjects != nil {
			out.UEs[i].Subjects = make([]CourseSubject, len(ue.Subjects))
		}
		for j, s := range ue.Subjects {
			s.Teachers = slices.Clone(s.Teachers)
			out.UEs[i].Subjects[j] = s
		}
	}
	return &out
}
