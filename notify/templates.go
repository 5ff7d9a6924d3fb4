package notify

import (
	"embed"
	"fmt"
	"math"
	"strings"
	"text/template"

	"scolarite/domain"
)

// Languages of the messages.
const (
	French  = "fr"
	English = "en"
)

// DefaultSchool is the name the messages sign with.
const DefaultSchool = "ÉSP 221"

//go:embed templates/*.tmpl
var templateFiles embed.FS

// Templates renders the messages in each language from text/template
// files (templates/fr.tmpl, templates/en.tmpl). Each file defines, for
// each of "grade", "correction", "alert", "results" (to the student), "guardian.grade",
// "guardian.correction", "guardian.alert", "guardian.results" (the same news told to the guardian about their
// student) and "staff" (an alert to the staff), a ".subject" (e-mail
// subject), an ".email" body and an ".sms".
type Templates struct {
	byLang map[string]*template.Template
}

// messageData is what a template sees.
type messageData struct {
	School              string
	FirstName, LastName string
	Number, Class       string
	GuardianName        string  // "" when the guardian's name is not recorded
	Subject             string  // the grade's subject (matière)
	Value, Coefficient  float64 // the grade
	Absent              string  // the grade's absence: "", "justified" or "unjustified"
	PreviousValue       float64 // the mark a correction replaced
	PreviousAbsent      string
	Average, Previous   *float64
	PassMark            float64
	Result              *domain.ResultNotice // results.published
}

// NewTemplates parses the embedded templates.
func NewTemplates() (*Templates, error) {
	t := &Templates{byLang: map[string]*template.Template{}}
	for _, lang := range []string{French, English} {
		tmpl, err := template.New(lang).Option("missingkey=error").Funcs(template.FuncMap{
			"num":      func(v any) string { return formatNumber(lang, v) },
			"on20":     func(v any) string { return on20(lang, v) },
			"decision": func(r *domain.ResultNotice) string { return decisionWords(lang, r) },
			"mark":     func(v float64, absent string) string { return markWords(lang, v, absent) },
		}).ParseFS(templateFiles, "templates/"+lang+".tmpl")
		if err != nil {
			return nil, fmt.Errorf("parse %s message templates: %w", lang, err)
		}
		t.byLang[lang] = tmpl
	}
	return t, nil
}

// render returns the subject (e-mail only) and the body of a message.
func (t *Templates) render(lang string, kind Kind, audience Audience, ch Channel, d messageData) (subject, body string, err error) {
	tmpl, ok := t.byLang[lang]
	if !ok {
		return "", "", fmt.Errorf("no messages in language %q", lang)
	}
	name := string(kind)
	switch audience {
	case ToStaff:
		name = "staff"
	case ToGuardian:
		name = "guardian." + string(kind)
	}
	exec := func(part string) (string, error) {
		var b strings.Builder
		if err := tmpl.ExecuteTemplate(&b, name+"."+part, d); err != nil {
			return "", fmt.Errorf("render message %s.%s (%s): %w", name, part, lang, err)
		}
		return strings.TrimSpace(b.String()), nil
	}
	if ch == SMS {
		body, err = exec("sms")
		return "", body, err
	}
	if subject, err = exec("subject"); err != nil {
		return "", "", err
	}
	if body, err = exec("email"); err != nil {
		return "", "", err
	}
	return subject, body + "\n", nil
}

// dataFor is the template data of an event.
func dataFor(school string, e *domain.Event) messageData {
	d := messageData{
		School: school, FirstName: e.Student.FirstName, LastName: e.Student.LastName,
		Number: e.Student.Number, Class: e.Student.Class, GuardianName: e.Student.GuardianName,
		Average: e.Average, Previous: e.PreviousAverage,
		PassMark: domain.PassMark, Result: e.Result,
	}
	if e.Grade != nil {
		d.Subject, d.Value, d.Coefficient, d.Absent = e.Grade.Subject, e.Grade.Value, e.Grade.Coefficient, string(e.Grade.Absent)
	}
	if e.PreviousGrade != nil {
		d.PreviousValue, d.PreviousAbsent = e.PreviousGrade.Value, string(e.PreviousGrade.Absent)
	}
	return d
}

// markWords is a mark as a message says it: "12,5/20", or the absence.
func markWords(lang string, v float64, absent string) string {
	i := 0
	if lang != French {
		i = 1
	}
	switch domain.Absence(absent) {
	case domain.AbsentJustified:
		return [2]string{"absence justifiée (ABJ)", "justified absence (ABJ)"}[i]
	case domain.AbsentUnjustified:
		return [2]string{"absence non justifiée (ABI, compte 0)", "unjustified absence (ABI, counts as 0)"}[i]
	}
	return on20(lang, v)
}

// decisionWords is a semester decision as a sentence says it.
func decisionWords(lang string, r *domain.ResultNotice) string {
	words := map[domain.Decision][2]string{
		domain.DecisionADM: {"admis", "passed"},
		domain.DecisionADC: {"admis par compensation", "passed by compensation"},
		domain.DecisionAJ:  {"ajourné", "not passed"},
		domain.DecisionDEF: {"défaillant (note manquante)", "incomplete (a mark is missing)"},
	}[r.Decision]
	i := 0
	if lang != French {
		i = 1
	}
	out := words[i]
	if out == "" {
		out = string(r.Decision)
	}
	if r.Jury {
		out += [2]string{" (décision du jury)", " (jury decision)"}[i]
	}
	return out
}

// formatNumber writes a grade, coefficient or average with at most two
// decimals and no trailing zeros: "12,5" in French, "12.5" in English,
// "–" for no value (a nil average).
func formatNumber(lang string, v any) string {
	var f float64
	switch x := v.(type) {
	case float64:
		f = x
	case *float64:
		if x == nil {
			return "–"
		}
		f = *x
	case int:
		f = float64(x)
	default:
		return fmt.Sprint(v)
	}
	return domain.FormatDecimal(math.Round(f*100)/100, -1, lang == French)
}

// on20 writes a value out of 20 ("12,5/20"), or "–" for none.
func on20(lang string, v any) string {
	s := formatNumber(lang, v)
	if s == "–" {
		return s
	}
	return s + "/20"
}
