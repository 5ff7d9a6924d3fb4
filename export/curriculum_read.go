package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"scolarite/domain"
)

// A curriculum file has one row per subject: its class, semester, UE
// (code, title, credits), subject, coefficient and, optionally, teachers
// (user names separated by commas or spaces). Headers in English or
// French, in any order.
var curriculumHeaders = map[string][]string{
	"class":       {"class", "classe"},
	"semester":    {"semester", "semestre"},
	"ue_code":     {"ue_code", "ue code", "code ue", "code"},
	"ue_title":    {"ue_title", "ue title", "intitule ue", "intitule", "titre ue"},
	"credits":     {"credits"},
	"subject":     {"subject", "matiere", "ec"},
	"coefficient": {"coefficient", "coef", "coef."},
	"teachers":    {"teachers", "enseignants", "enseignant"},
	"year":        {"year", "annee", "annee universitaire"},
}

// curriculumRequired are the columns a file must have.
var curriculumRequired = []string{"class", "semester", "ue_code", "ue_title", "credits", "subject", "coefficient"}

// maxCurriculumRows bounds a curriculum file: a school's whole offer is a
// few thousand subjects.
const maxCurriculumRows = 20_000

// ReadCurricula reads a curriculum file (.csv or .xlsx) into one
// curriculum per class and semester, of year when the file has no year
// column. Every bad cell is reported "line N, column X: reason"; then
// nothing is returned. Whole-curriculum rules (credits, duplicates) are
// the domain's, checked when importing.
func ReadCurricula(path, year string) ([]*domain.Curriculum, []Problem, error) {
	rows, err := openRows(path, "")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	cells, line, err := rows.Next()
	if errors.Is(err, io.EOF) {
		return nil, nil, fileError("%s is empty: a header line is needed (%s)", path, strings.Join(curriculumRequired, ", "))
	}
	if err != nil {
		return nil, nil, err
	}
	col := map[string]int{}
	titles := map[string]string{}
	for i, c := range cells {
		h := foldHeader(strings.TrimSpace(c))
		for field, names := range curriculumHeaders {
			for _, n := range names {
				if h == n {
					if _, dup := col[field]; !dup {
						col[field], titles[field] = i, strings.TrimSpace(c)
					}
				}
			}
		}
	}
	var missing []string
	for _, f := range curriculumRequired {
		if _, ok := col[f]; !ok {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, nil, headerError(line, "missing column(s): %s (found: %s)", strings.Join(missing, ", "), headersList(cells))
	}
	var (
		out   []*domain.Curriculum
		index = map[string]*domain.Curriculum{}
		// subjectLines: the line of each subject of each curriculum
		subjectLines = map[string]int{}
		probs        []Problem
		n            int
	)
	for {
		cells, line, err := rows.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if blank(cells) {
			continue
		}
		if n++; n > maxCurriculumRows {
			return nil, nil, fileError("%s has more than %d subject rows", path, maxCurriculumRows)
		}
		if i := longCell(cells); i >= 0 {
			probs = append(probs, Problem{Line: line, Column: colName(i), Reason: "cell longer than " + sizeText(maxCell)})
			continue
		}
		get := func(f string) string {
			if i, ok := col[f]; ok && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		bad := func(f, reason string) {
			probs = append(probs, Problem{Line: line, Column: titles[f], Field: f, Reason: reason})
		}
		sem, err := domain.ParseSemester(get("semester"))
		if err != nil {
			bad("semester", err.(*domain.Error).Problems[0].Reason)
		}
		y := year
		if _, ok := col["year"]; ok && get("year") != "" {
			if y, err = domain.ParseYear(get("year")); err != nil {
				bad("year", err.(*domain.Error).Problems[0].Reason)
			}
		}
		credits, cerr := strconv.Atoi(get("credits"))
		if cerr != nil || credits < 1 || credits > 60 {
			bad("credits", "must be a whole number from 1 to 60 (got "+domain.Quote(get("credits"), 20)+")")
		}
		coef, err := domain.ParseCoefficient(get("coefficient"))
		if err != nil {
			bad("coefficient", err.(*domain.Error).Problems[0].Reason)
		}
		// The cells' own rules (the domain's), so that a bad one is named
		// by its line and column rather than by its curriculum.
		checks := map[string]func(string) error{
			"ue_code": domain.CheckUECode, "ue_title": domain.CheckUETitle, "subject": domain.CheckSubject,
		}
		for _, f := range []string{"class", "ue_code", "ue_title", "subject"} {
			if get(f) == "" {
				bad(f, "is required")
			} else if err := domain.CheckText(f, get(f), domain.SingleLine); err != nil {
				bad(f, err.(*domain.Error).Problems[0].Reason)
			} else if check := checks[f]; check != nil {
				if err := check(get(f)); err != nil {
					bad(f, err.(*domain.Error).Problems[0].Reason)
				}
			}
		}
		if len(probs) > 0 && probs[len(probs)-1].Line == line {
			continue
		}
		class := strings.ToUpper(strings.Join(strings.Fields(get("class")), " "))
		key := class + "/" + sem + "/" + y
		subjectKey := key + "/" + domain.FoldLabel(strings.Join(strings.Fields(get("subject")), " "))
		if first, dup := subjectLines[subjectKey]; dup {
			bad("subject", fmt.Sprintf("appears twice in %s %s (line %d): a subject belongs to one UE of a semester", class, sem, first))
			continue
		}
		subjectLines[subjectKey] = line
		c := index[key]
		if c == nil {
			c = &domain.Curriculum{Class: class, Semester: sem, Year: y}
			index[key] = c
			out = append(out, c)
		}
		code := strings.ToUpper(get("ue_code"))
		var ue *domain.UE
		for i := range c.UEs {
			if c.UEs[i].Code == code {
				ue = &c.UEs[i]
			}
		}
		if ue == nil {
			c.UEs = append(c.UEs, domain.UE{Code: code, Title: get("ue_title"), Credits: credits})
			ue = &c.UEs[len(c.UEs)-1]
		} else if ue.Credits != credits || domain.FoldLabel(ue.Title) != domain.FoldLabel(get("ue_title")) {
			bad("credits", fmt.Sprintf("UE %s was given another title or number of credits on an earlier line (%s, %d credits)", code, ue.Title, ue.Credits))
			continue
		}
		ue.Subjects = append(ue.Subjects, domain.CourseSubject{Name: get("subject"), Coefficient: coef,
			Teachers: strings.FieldsFunc(get("teachers"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' })})
	}
	if len(probs) > 0 {
		return nil, probs, nil
	}
	if len(out) == 0 {
		return nil, nil, fileError("%s has no subject rows under its header", path)
	}
	return out, nil, nil
}
