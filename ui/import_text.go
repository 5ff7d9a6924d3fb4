package ui

// The import screen's messages and the translation of the import's
// reasons (the screen is in import.go).

import (
	"errors"
	"regexp"

	"scolarite/domain"
	"scolarite/export"
)

var importText = map[string]text{
	"import.key":       {"importer", "import"},
	"import.title":     {"Importer des étudiants (CSV ou Excel)", "Import students (CSV or Excel)"},
	"import.file":      {"Fichier", "File"},
	"import.hint":      {"Fichier .csv ou .xlsx ; chaque ligne est vérifiée avant toute écriture.", "A .csv or .xlsx file; every row is checked before anything is written."},
	"import.check":     {"vérifier", "check"},
	"import.apply":     {"importer", "import"},
	"import.update":    {"mettre à jour les existants", "update existing"},
	"import.skip":      {"ignorer les lignes refusées", "skip refused rows"},
	"import.yes":       {"oui", "yes"},
	"import.no":        {"non", "no"},
	"import.checking":  {"Vérification du fichier…", "Checking the file…"},
	"import.applying":  {"Écriture…", "Writing…"},
	"import.undoing":   {"Échec : annulation de ce qui a été écrit…", "Failed: undoing what was written…"},
	"import.preview":   {"%d ligne(s) : %d à ajouter, %d à mettre à jour, %d inchangée(s), %d refusée(s)", "%d row(s): %d to add, %d to update, %d unchanged, %d refused"},
	"import.problems":  {"Problèmes (%d) :", "Problems (%d):"},
	"import.more":      {"… et %d autre(s)", "… and %d more"},
	"import.refused":   {"Rien ne sera écrit tant qu'une ligne est refusée : corrigez le fichier, ou « s » pour importer les lignes valides.", "Nothing is written while a row is refused: fix the file, or press s to import the valid rows."},
	"import.nothing":   {"Rien à écrire.", "Nothing to write."},
	"import.confirm":   {"Entrée pour importer.", "Enter to import."},
	"import.done":      {"Import terminé : %d ajouté(s), %d mis à jour, %d inchangé(s), %d refusé(s).", "Import done: %d added, %d updated, %d unchanged, %d refused."},
	"import.failed":    {"L'import a échoué ; rien n'a été gardé : %s", "The import failed; nothing was kept: %s"},
	"import.cancelled": {"Import annulé ; rien n'a été gardé.", "Import cancelled; nothing was kept."},
	"import.back":      {"retour", "back"},
	"import.noservice": {"L'import n'est pas disponible ici.", "Importing is not available here."},
	"import.line":      {"ligne %d", "line %d"},
	"import.linecol":   {"ligne %d, colonne %s", "line %d, column %s"},
	// Reasons of the import, matched in English, with what they quote.
	"imp.samephone":  {"est le même numéro qu'à la ligne %s (%s)", "is the same phone as line %s (%s)"},
	"imp.held":       {"est déjà celui de l'étudiant %s (%s)", "is already used by student %s (%s)"},
	"imp.realday":    {"n'est pas un jour qui existe (saisi : %s)", "is not a real day (got %s)"},
	"imp.twodigits":  {"a une année sur deux chiffres : écrivez-la en entier, ex. 05/04/2003 (saisi : %s)", "has a two-digit year: write the year in full, e.g. 05/04/2003 (got %s)"},
	"imp.notdate":    {"n'est pas une date : écrivez JJ/MM/AAAA ou AAAA-MM-JJ (saisi : %s)", "is not a date: write JJ/MM/AAAA or AAAA-MM-JJ (got %s)"},
	"imp.noheader":   {"contient une valeur mais la colonne n'a pas d'en-tête", "holds a value but the column has no header"},
	"imp.several":    {"l'étudiant %s a %s notes en %s (moyenne %s) : un fichier ne peut pas les remplacer par une seule ; modifiez-les dans l'application", "student %s has %s grades in %s (mean %s): a file cannot set them to one value; change them in the application"},
	"imp.empty":      {"%s est vide", "%s is empty"},
	"imp.emptyfile":  {"Le fichier est vide : il doit commencer par une ligne d'en-têtes (Nom, Prénom, Téléphone, …)", "The file is empty: it should start with a header row (Nom, Prénom, Téléphone, …)"},
	"imp.binary":     {"Le fichier contient des données binaires, pas du texte : importez un .csv ou un .xlsx", "The file holds binary data, not text: import a .csv or .xlsx file"},
	"imp.noneknown":  {"ligne %s : aucune colonne attendue (Nom, Prénom, Téléphone, Classe, Filière, Date de naissance) ; trouvé : %s", "line %s: none of the expected columns (Nom, Prénom, Téléphone, Classe, Filière, Date de naissance); found: %s"},
	"imp.missing":    {"ligne %s : colonne(s) manquante(s) : %s", "line %s: missing column(s): %s"},
	"imp.longline":   {"la ligne %s dépasse %s Ko : ce n'est pas une liste d'étudiants", "line %s is longer than %s KB: this is not a list of students"},
	"imp.nofile":     {"%s : fichier introuvable", "%s: no such file"},
	"imp.xls":        {"%s est un ancien fichier Excel 97–2003 (.xls) : enregistrez-le en .xlsx ou en .csv", "%s is an old Excel 97–2003 (.xls) file: save it as .xlsx or .csv"},
	"imp.unreadable": {"%s n'est pas un classeur Excel lisible", "%s is not a readable Excel workbook"},
}

// importReasons translate the import's own reasons and file errors; the
// domain's reasons go through Reason.
var importReasons = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^is the same phone as line (\d+) \((.*)\)$`), "imp.samephone"},
	{regexp.MustCompile(`^is already used by student (\S+) \((.*)\)$`), "imp.held"},
	{regexp.MustCompile(`^is not a real day \(got (.*)\)$`), "imp.realday"},
	{regexp.MustCompile(`^has a two-digit year: .*\(got (.*)\)$`), "imp.twodigits"},
	{regexp.MustCompile(`^is not a date: .*\(got (.*)\)$`), "imp.notdate"},
	{regexp.MustCompile(`^holds a value but the column has no header$`), "imp.noheader"},
	{regexp.MustCompile(`^student (\S+) has (\d+) grades in (.*) \(mean (.*)\): .*$`), "imp.several"},
	{regexp.MustCompile(`^(.+) is empty$`), "imp.empty"},
	{regexp.MustCompile(`^the file is empty`), "imp.emptyfile"},
	{regexp.MustCompile(`^the file holds binary data`), "imp.binary"},
	{regexp.MustCompile(`^line (\d+): the header row names none of the expected columns .*; found: (.*)$`), "imp.noneknown"},
	{regexp.MustCompile(`^line (\d+): missing column\(s\): (.*)$`), "imp.missing"},
	{regexp.MustCompile(`^line (\d+) is longer than (\d+) KB`), "imp.longline"},
	{regexp.MustCompile(`^(.+): no such file$`), "imp.nofile"},
	{regexp.MustCompile(`^(.+) is an old Excel 97–2003`), "imp.xls"},
	{regexp.MustCompile(`^(.+) is not a readable Excel workbook`), "imp.unreadable"},
}

// importReason puts an import reason in the screen's language.
func importReason(t *Translator, field, reason string) string {
	for _, r := range importReasons {
		if m := r.re.FindStringSubmatch(reason); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			return t.T(r.key, args...)
		}
	}
	return Reason(t, domain.Problem{Field: field, Reason: reason})
}

// problemText is "ligne N, colonne X : raison".
func problemText(t *Translator, p export.Problem) string {
	where := t.T("import.line", p.Line)
	if p.Column != "" {
		where = t.T("import.linecol", p.Line, p.Column)
	}
	sep := " : "
	if t.Lang() == English {
		sep = ": "
	}
	return domain.Escape(where + sep + importReason(t, p.Field, p.Reason)) // a reason may quote the file
}

// importErrorText explains an import that could not even start.
func importErrorText(t *Translator, err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.EINVALID && len(de.Problems) == 0 {
		return domain.Escape(importReason(t, "", de.Message))
	}
	return ErrorText(t, err)
}
