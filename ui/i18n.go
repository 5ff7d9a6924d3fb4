package ui

import (
	"fmt"
	"strings"
	"time"

	"scolarite/domain"
)

// Lang is a catalogue language.
type Lang string

const (
	French  Lang = "fr"
	English Lang = "en"
)

// ParseLang picks the language from --lang, SCOLARITE_LANG, then LANG
// ("fr_SN.UTF-8" is French); French when none says.
func ParseLang(values ...string) Lang {
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		switch {
		case v == "":
		case strings.HasPrefix(v, "fr"):
			return French
		case strings.HasPrefix(v, "en"):
			return English
		}
	}
	return French
}

// LangFromEnv is the language a terminal's environment asks for:
// SCOLARITE_LANG, then LC_ALL, LC_MESSAGES and LANG. chosen is false when
// none of them names French or English (unset, C.UTF-8, POSIX): the
// user's saved preference then applies.
func LangFromEnv(getenv func(string) string) (lang Lang, chosen bool) {
	for _, name := range []string{"SCOLARITE_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		v := strings.ToLower(strings.TrimSpace(getenv(name)))
		switch {
		case strings.HasPrefix(v, "fr"):
			return French, true
		case strings.HasPrefix(v, "en"):
			return English, true
		}
	}
	return French, false
}

// text is one message in both languages.
type text struct{ fr, en string }

// catalogues lists every screen's messages; each screen keeps its own in
// its file, and a test checks that every message exists in both languages
// and that no key is defined twice.
func catalogues() []map[string]text {
	return []map[string]text{commonText, loginText, studentsText, detailText, formText, usersText, usersKeysText, statsText, statsAgesText, myGradesText, gradeSheetText, gradeSheetPickText, curriculumText, deliberationText, rulesText, semestersText, notificationsText, errorText, sessionText, exportText, reportText, importText, safeText}
}

// Translator turns message keys into text in one language.
type Translator struct {
	lang     Lang
	messages map[string]text
}

// NewTranslator merges the catalogues.
func NewTranslator(lang Lang) *Translator {
	t := &Translator{lang: lang, messages: map[string]text{}}
	for _, c := range catalogues() {
		for k, v := range c {
			t.messages[k] = v
		}
	}
	return t
}

// Lang returns the translator's language.
func (t *Translator) Lang() Lang { return t.lang }

// T returns the message for key, formatted with args; an unknown key shows
// itself, so a missing message is visible rather than blank.
func (t *Translator) T(key string, args ...any) string {
	m, ok := t.messages[key]
	if !ok {
		return key
	}
	s := m.fr
	if t.lang == English {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Number writes a grade or an average: "12,5" in French, "12.5" in English.
func (t *Translator) Number(v float64, decimals int) string {
	return domain.FormatDecimal(v, decimals, t.lang == French)
}

// Date writes a day the local way: 23/11/2026 in French, 2026-11-23 in
// English.
func (t *Translator) Date(d time.Time) string {
	if t.lang == French {
		return d.Format("02/01/2006")
	}
	return d.Format("2006-01-02")
}

// Average writes an average out of 20 with two decimals, or "–" when none.
func (t *Translator) Average(avg *float64) string {
	if avg == nil {
		return "–"
	}
	return t.Number(*avg, 2)
}

var commonText = map[string]text{
	"app.title":       {"Scolarité · ÉSP 221", "Scolarité · ÉSP 221"},
	"role.admin":      {"administrateur", "administrator"},
	"role.teacher":    {"enseignant", "teacher"},
	"role.student":    {"étudiant", "student"},
	"tab.students":    {"Étudiants", "Students"},
	"tab.stats":       {"Statistiques", "Statistics"},
	"tab.users":       {"Utilisateurs", "Users"},
	"tab.mygrades":    {"Mes notes", "My grades"},
	"keyname.enter":   {"entrée", "enter"},
	"keyname.esc":     {"échap", "esc"},
	"key.quit":        {"quitter", "quit"},
	"key.help":        {"aide", "help"},
	"key.next":        {"écran suivant", "next screen"},
	"key.prev":        {"écran précédent", "previous screen"},
	"key.logout":      {"se déconnecter", "log out"},
	"key.back":        {"retour", "back"},
	"key.up":          {"haut", "up"},
	"key.down":        {"bas", "down"},
	"key.pageup":      {"page préc.", "page up"},
	"key.pagedown":    {"page suiv.", "page down"},
	"key.confirm":     {"confirmer", "confirm"},
	"key.cancel":      {"annuler", "cancel"},
	"help.title":      {"Aide — touches de cet écran", "Help — keys of this screen"},
	"help.global":     {"Partout", "Everywhere"},
	"help.close":      {"? ou échap pour fermer", "? or esc to close"},
	"quit.confirm":    {"Une modification n'est pas enregistrée. Quitter quand même ? (o/n)", "An edit is not saved. Quit anyway? (y/n)"},
	"cache.online":    {"cache en ligne", "cache online"},
	"cache.offline":   {"cache hors ligne", "cache offline"},
	"loading":         {"Chargement…", "Loading…"},
	"logged.out":      {"Déconnecté.", "Logged out."},
	"quit.stopping":   {"Arrêt du travail en cours : l'import annulé est défait, un instant…", "Stopping the work in progress: the cancelled import is being undone, one moment…"},
	"yes.key":         {"o", "y"},
	"no.key":          {"n", "n"},
	"col.number":      {"Matricule", "Matricule"},
	"col.last_name":   {"Nom", "Last name"},
	"col.first_name":  {"Prénom", "First name"},
	"col.phone":       {"Téléphone", "Phone"},
	"col.class":       {"Classe", "Class"},
	"col.major":       {"Filière", "Major"},
	"col.average":     {"Moyenne", "Average"},
	"col.grade_count": {"Notes", "Grades"},
	"col.email":       {"E-mail", "E-mail"},
	"col.birth_date":  {"Date de naissance", "Birth date"},
	"col.guardian":    {"Tuteur", "Guardian"},
	"col.subject":     {"Matière", "Subject"},
	"col.value":       {"Note", "Grade"},
	"col.coefficient": {"Coef.", "Coef."},
	"col.date":        {"Date", "Date"},
	"col.teacher":     {"Enseignant", "Teacher"},
	"col.rank":        {"Rang", "Rank"},
	"col.username":    {"Utilisateur", "User"},
	"col.role":        {"Rôle", "Role"},
	"col.scope":       {"Périmètre", "Scope"},
	"col.status":      {"État", "Status"},
	"warn.below":      {"Attention : moyenne inférieure à 10/20", "Warning: average below 10/20"},
	"value.out_of_20": {"%s/20", "%s/20"},
}
