package export

import (
	"fmt"
	"strings"
	"time"

	"scolarite/domain"
)

// Lang is the language of headers and documents: French (the default, the
// school's language) or English.
type Lang string

const (
	French  Lang = "fr"
	English Lang = "en"
)

// label is one text in both languages.
type label struct{ fr, en string }

// labels are every text written into files and reports.
var labels = map[string]label{
	// Column headers of CSV and Excel files (the importer reads them back).
	"col.number":         {"Matricule", "Matricule"},
	"col.last_name":      {"Nom", "Last name"},
	"col.first_name":     {"Prénom", "First name"},
	"col.phone":          {"Téléphone", "Phone"},
	"col.email":          {"E-mail", "E-mail"},
	"col.class":          {"Classe", "Class"},
	"col.major":          {"Filière", "Major"},
	"col.birth_date":     {"Date de naissance", "Birth date"},
	"col.guardian_name":  {"Tuteur", "Guardian"},
	"col.guardian_phone": {"Téléphone tuteur", "Guardian phone"},
	"col.guardian_email": {"E-mail tuteur", "Guardian e-mail"},
	"col.average":        {"Moyenne", "Average"},
	"col.grades":         {"Notes", "Grades"},
	"col.rank":           {"Rang", "Rank"},
	"col.name":           {"Nom et prénom", "Name"},
	"col.subject":        {"Matière", "Subject"},
	"col.values":         {"Notes", "Grades"},
	"col.coef":           {"Coef.", "Coef."},
	"col.subjavg":        {"Moyenne", "Average"},
	"col.points":         {"Points", "Points"},
	"col.students":       {"Effectif", "Students"},
	"col.graded":         {"Notés", "Graded"},
	"col.min":            {"Min.", "Min."},
	"col.max":            {"Max.", "Max."},
	"col.below":          {"Sous 10", "Below 10"},
	"coef.suffix":        {"%s (coef. %s)", "%s (coef. %s)"},
	"sheet":              {"Étudiants", "Students"},

	// Documents.
	"school":          {"ÉSP 221 · Scolarité", "ÉSP 221 · Scolarité"},
	"page":            {"Page %d/{nb}", "Page %d/{nb}"},
	"printed":         {"Édité le %s", "Printed on %s"},
	"list.title":      {"Liste des étudiants", "List of students"},
	"list.count":      {"%d étudiant(s)", "%d student(s)"},
	"list.class":      {"classe %s", "class %s"},
	"list.search":     {"recherche « %s »", "search “%s”"},
	"list.sort":       {"tri : %s %s", "sort: %s %s"},
	"list.all":        {"toutes les classes", "all classes"},
	"sort.asc":        {"croissant", "ascending"},
	"sort.desc":       {"décroissant", "descending"},
	"card.title":      {"Bulletin de notes", "Report card"},
	"card.student":    {"Étudiant", "Student"},
	"card.number":     {"Matricule", "Matricule"},
	"card.class":      {"Classe", "Class"},
	"card.major":      {"Filière", "Major"},
	"card.birth":      {"Né(e) le", "Born on"},
	"card.average":    {"Moyenne générale", "Overall average"},
	"card.rank":       {"Rang dans la classe", "Rank in class"},
	"card.rankof":     {"%d sur %d", "%d of %d"},
	"card.unranked":   {"non classé", "not ranked"},
	"card.classavg":   {"Moyenne de la classe", "Class average"},
	"card.total":      {"Total", "Total"},
	"card.nogrades":   {"Aucune note pour l'instant.", "No grades yet."},
	"remark.none":     {"Pas encore de moyenne.", "No average yet."},
	"remark.alert":    {"Alerte : moyenne inférieure à 10", "Alert: average below 10"},
	"remark.pass":     {"Passable", "Pass"},
	"remark.fair":     {"Assez bien", "Fairly good"},
	"remark.good":     {"Bien", "Good"},
	"remark.verygood": {"Très bien", "Very good"},
	"remark.excel":    {"Excellent — félicitations", "Excellent — congratulations"},
	"school.title":    {"Synthèse de l'établissement", "School summary"},
	"school.summary":  {"%d étudiant(s) · %d noté(s) · moyenne générale %s · %d sous 10/20", "%d student(s) · %d graded · overall average %s · %d below 10/20"},
	"school.classes":  {"Par classe", "By class"},
	"school.top":      {"Les 10 meilleures moyennes de l'établissement", "The school's 10 best averages"},
	"none":            {"–", "–"},
}

// t returns the text of key in the language, formatted with args.
func (l Lang) t(key string, args ...any) string {
	lb, ok := labels[key]
	if !ok {
		if lb, ok = resultLabels[key]; !ok {
			return key
		}
	}
	s := lb.fr
	if l == English {
		s = lb.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// ParseLang reads "fr" or "en" (anything else is French).
func ParseLang(s string) Lang {
	if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "en") {
		return English
	}
	return French
}

// num writes a number with at most decimals decimals (-1: as many as
// needed), with a decimal comma in French.
func (l Lang) num(v float64, decimals int) string {
	return domain.FormatDecimal(v, decimals, l != English)
}

// avg writes an average with two decimals, or a dash.
func (l Lang) avg(v *float64) string {
	if v == nil {
		return l.t("none")
	}
	return l.num(*v, 2)
}

// day writes a calendar day as the office reads it: 05/04/2003 in French.
func (l Lang) day(t time.Time) string {
	if l == English {
		return t.Format("2006-01-02")
	}
	return t.Format("02/01/2006")
}
