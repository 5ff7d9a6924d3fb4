package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// EvalKind is what an evaluation is: contrôle continu, TP, exam, or the
// resit (rattrapage) of the second session.
type EvalKind string

const (
	KindCC    EvalKind = "cc"
	KindTP    EvalKind = "tp"
	KindExam  EvalKind = "exam"
	KindResit EvalKind = "resit"
)

// Absence of a student at an evaluation: justified (ABJ, left out of the
// average) or unjustified (ABI, counts as 0).
type Absence string

const (
	AbsentJustified   Absence = "justified"
	AbsentUnjustified Absence = "unjustified"
)

// Evaluation is one graded piece of a subject, in a class and semester.
type Evaluation struct {
	ID       string   `json:"id"`
	Class    string   `json:"class"`
	Semester string   `json:"semester"`
	Year     string   `json:"year"`
	Subject  string   `json:"subject"`
	Kind     EvalKind `json:"kind"`
	Title    string   `json:"title"`
	Date     Date     `json:"date"`
	Weight   float64  `json:"weight"`  // inside its subject, e.g. 40 and 60
	Session  int      `json:"session"` // 1, or 2 for a resit
	// Published evaluations' marks are shown to students (and notified);
	// until then only teachers and admins see them.
	Published   bool      `json:"published"`
	PublishedAt time.Time `json:"published_at,omitzero"`
	Version     int64     `json:"version"`
}

// EvaluationInput is an evaluation as typed (weight and date are text).
type EvaluationInput struct {
	Class, Semester, Year, Subject string
	Kind, Title, Date, Weight      string
}

// ParseEvalKind accepts cc, tp, exam or resit (and the French words).
func ParseEvalKind(s string) (EvalKind, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cc", "contrôle continu", "controle continu", "devoir":
		return KindCC, nil
	case "tp":
		return KindTP, nil
	case "exam", "examen":
		return KindExam, nil
	case "resit", "rattrapage":
		return KindResit, nil
	}
	return "", Invalid("kind", "must be cc, tp, exam or resit (got "+Quote(strings.TrimSpace(s), 20)+")")
}

// ParseAbsence accepts justified/unjustified (ABJ/ABI); "" is present.
func ParseAbsence(s string) (Absence, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "justified", "abj", "j", "justifié", "justifie":
		return AbsentJustified, nil
	case "unjustified", "abi", "i", "injustifié", "injustifie":
		return AbsentUnjustified, nil
	}
	return "", Invalid("absent", "must be justified (ABJ) or unjustified (ABI) (got "+Quote(strings.TrimSpace(s), 20)+")")
}

// validate parses an evaluation input against the curriculum it belongs
// to; today dates the check of the date.
func (in EvaluationInput) validate(c *Curriculum, today Date) (Evaluation, error) {
	var p problems
	e := Evaluation{Class: c.Class, Semester: c.Semester, Year: c.Year, Session: 1}
	if _, s, ok := c.Subject(in.Subject); ok {
		e.Subject = s.Name
	} else {
		p.add("subject", "is not a subject of "+c.Class+" in "+c.Semester+" "+c.Year+" (got "+Quote(cleanName(in.Subject), 60)+")")
	}
	kind, err := ParseEvalKind(in.Kind)
	if err != nil {
		p = append(p, err.(*Error).Problems...)
	}
	e.Kind = kind
	if kind == KindResit {
		e.Session = 2
	}
	w, err := parseDecimal(in.Weight)
	switch {
	case err != nil:
		p.add("weight", err.Error())
	case w <= 0 || w > 100:
		p.add("weight", "must be greater than 0 and at most 100 (got "+strings.TrimSpace(in.Weight)+")")
	}
	e.Weight = w
	e.Title = cleanName(in.Title)
	if err := CheckText("title", e.Title, SingleLine); err != nil {
		p = append(p, err.(*Error).Problems...)
	} else if utf8.RuneCountInString(e.Title) > maxTitleLength {
		p.add("title", "is longer than 120 characters")
	}
	if e.Title == "" && kind != "" {
		e.Title = defaultTitle(kind)
	}
	if strings.TrimSpace(in.Date) == "" {
		e.Date = today
	} else if d, err := ParseDate(in.Date); err != nil {
		p.add("date", err.Error())
	} else {
		e.Date = d
	}
	return e, p.err()
}

func defaultTitle(k EvalKind) string {
	switch k {
	case KindCC:
		return "Contrôle continu"
	case KindTP:
		return "TP"
	case KindExam:
		return "Examen"
	}
	return "Rattrapage"
}
