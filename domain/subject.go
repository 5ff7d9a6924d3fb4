package domain

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// fileColumns are the column headers the student files use, folded by
// FoldLabel, French and English: the identity fields and the columns an
// import ignores (Moyenne, Observations, Matricule…). A subject named like
// one of them would be exported under that header and read back as that
// column, so its grades would not survive an export then an import.
// export's test checks that every header its importer knows is here.
var fileColumns = map[string]bool{
	"nom": true, "nom de famille": true, "last name": true, "lastname": true, "surname": true, "family name": true,
	"prenom": true, "prenoms": true, "first name": true, "firstname": true, "given name": true,
	"telephone": true, "tel": true, "phone": true, "phone number": true, "numero de telephone": true,
	"mobile": true, "portable": true, "telephone portable": true,
	"e mail": true, "email": true, "courriel": true, "mail": true, "adresse e mail": true, "adresse email": true, "email address": true,
	"classe": true, "class": true, "filiere": true, "major": true, "specialite": true, "field of study": true,
	"date de naissance": true, "ne le": true, "nee le": true, "ne e le": true, "naissance": true,
	"birth date": true, "birthdate": true, "date of birth": true, "dob": true,
	"tuteur": true, "nom du tuteur": true, "nom tuteur": true, "tuteur legal": true, "parent": true, "parent tuteur": true,
	"guardian": true, "guardian name": true, "parent name": true,
	"telephone tuteur": true, "telephone du tuteur": true, "tel tuteur": true, "telephone parent": true,
	"guardian phone": true, "parent phone": true,
	"e mail tuteur": true, "email tuteur": true, "courriel tuteur": true, "e mail du tuteur": true, "courriel du tuteur": true,
	"guardian e mail": true, "guardian email": true, "parent email": true, "parent e mail": true,
	"matricule": true, "number": true, "n": true, "no": true, "n°": true, "numero": true,
	"moyenne": true, "average": true, "moyenne generale": true, "rang": true, "rank": true, "age": true,
	"notes": true, "grades": true, "nombre de notes": true,
	"observations": true, "observation": true, "remarques": true, "remarque": true,
	"comments": true, "comment": true, "appreciation": true,
}

// coefSuffix is how a file's subject header carries its coefficient:
// "Maths (coef. 2)", "Maths (coefficient 1,5)".
var coefSuffix = regexp.MustCompile(`(?i)\(\s*coef(?:f|ficient)?\.?\s*[:=]?\s*[0-9]+(?:[.,][0-9]+)?\s*\)$`)

// FoldLabel is how files' headers are compared: lower case, no accents,
// punctuation as spaces, spaces collapsed ("Date de naissance :" and
// "date-de-naissance" are one header).
func FoldLabel(s string) string {
	s = Fold(strings.TrimSpace(s))
	s = strings.Map(func(r rune) rune {
		switch r {
		case '-', '_', '.', '(', ')', ':', '*', '\'', '’', '/':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// CheckSubject refuses a subject name that is empty, too long, or would
// not survive a file's round trip (a column header, or a coefficient in
// brackets at its end), on field "subject".
func CheckSubject(s string) error {
	var p problems
	if refused := p.checkTexts(textField{"subject", s}); refused["subject"] {
		return p.err()
	}
	subject := cleanName(s)
	switch {
	case subject == "":
		p.add("subject", "is required")
	case utf8.RuneCountInString(subject) > 60:
		p.add("subject", "is longer than 60 characters")
	case fileColumns[FoldLabel(subject)]:
		p.add("subject", "cannot be named "+subject+": files use it as a column of their own, so its grades would be lost by an export then an import; name it otherwise (e.g. "+subject+" 1)")
	case coefSuffix.MatchString(subject):
		p.add("subject", "cannot end with a coefficient in brackets ("+subject+"): a file would read it as the coefficient; give the coefficient in its own field")
	}
	return p.err()
}
