package export

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"scolarite/domain"
)

// Identity fields an import reads, named like the domain's fields so that
// a domain problem ("phone: is required") finds its column.
const (
	fieldLastName  = "last_name"
	fieldFirstName = "first_name"
	fieldPhone     = "phone"
	fieldEmail     = "email"
	fieldClass     = "class"
	fieldMajor     = "major"
	fieldBirthDate = "birth_date"
	// The optional guardian contact.
	fieldGuardianName  = "guardian_name"
	fieldGuardianPhone = "guardian_phone"
	fieldGuardianEmail = "guardian_email"
	fieldIgnored       = "-"
	fieldSubject       = "subject"
)

// maxSubjects is how many subject columns an import takes: a school's
// whole curriculum, every class together, is a few dozen subjects, and
// each one is a column of every export (12,000 made one run for minutes).
const maxSubjects = 200

// requiredFields must each have a column.
var requiredFields = []string{fieldLastName, fieldFirstName, fieldPhone, fieldClass, fieldMajor, fieldBirthDate}

// headerNames maps a folded header (lower case, no accents, words split on
// spaces) to the field it holds, in French and English. Columns the
// exporter writes but the import does not read (matricule, average) and
// the usual extra columns of a school's sheet are ignored, not taken for
// subjects.
var headerNames = map[string]string{
	"nom": fieldLastName, "nom de famille": fieldLastName, "last name": fieldLastName,
	"lastname": fieldLastName, "surname": fieldLastName, "family name": fieldLastName,
	"prenom": fieldFirstName, "prenoms": fieldFirstName, "first name": fieldFirstName,
	"firstname": fieldFirstName, "given name": fieldFirstName,
	"telephone": fieldPhone, "tel": fieldPhone, "phone": fieldPhone, "phone number": fieldPhone,
	"numero de telephone": fieldPhone, "mobile": fieldPhone, "portable": fieldPhone, "telephone portable": fieldPhone,
	"e mail": fieldEmail, "email": fieldEmail, "courriel": fieldEmail, "mail": fieldEmail,
	"adresse e mail": fieldEmail, "adresse email": fieldEmail, "email address": fieldEmail,
	"classe": fieldClass, "class": fieldClass,
	"filiere": fieldMajor, "major": fieldMajor, "specialite": fieldMajor, "field of study": fieldMajor,
	"date de naissance": fieldBirthDate, "ne le": fieldBirthDate, "nee le": fieldBirthDate,
	"ne e le": fieldBirthDate, "naissance": fieldBirthDate, "birth date": fieldBirthDate,
	"birthdate": fieldBirthDate, "date of birth": fieldBirthDate, "dob": fieldBirthDate,
	"tuteur": fieldGuardianName, "nom du tuteur": fieldGuardianName, "nom tuteur": fieldGuardianName,
	"tuteur legal": fieldGuardianName, "parent": fieldGuardianName, "parent tuteur": fieldGuardianName,
	"guardian": fieldGuardianName, "guardian name": fieldGuardianName, "parent name": fieldGuardianName,
	"telephone tuteur": fieldGuardianPhone, "telephone du tuteur": fieldGuardianPhone, "tel tuteur": fieldGuardianPhone,
	"telephone parent": fieldGuardianPhone, "guardian phone": fieldGuardianPhone, "parent phone": fieldGuardianPhone,
	"e mail tuteur": fieldGuardianEmail, "email tuteur": fieldGuardianEmail, "courriel tuteur": fieldGuardianEmail,
	"e mail du tuteur": fieldGuardianEmail, "courriel du tuteur": fieldGuardianEmail, "guardian e mail": fieldGuardianEmail,
	"guardian email": fieldGuardianEmail, "parent email": fieldGuardianEmail, "parent e mail": fieldGuardianEmail,
	"matricule": fieldIgnored, "number": fieldIgnored, "n": fieldIgnored, "no": fieldIgnored,
	"n°": fieldIgnored, "numero": fieldIgnored, "moyenne": fieldIgnored, "average": fieldIgnored,
	"moyenne generale": fieldIgnored, "rang": fieldIgnored, "rank": fieldIgnored, "age": fieldIgnored,
	"notes": fieldIgnored, "grades": fieldIgnored, "nombre de notes": fieldIgnored,
	"observations": fieldIgnored, "observation": fieldIgnored, "remarques": fieldIgnored,
	"remarque": fieldIgnored, "comments": fieldIgnored, "comment": fieldIgnored, "appreciation": fieldIgnored,
}

// fieldTitles name the required fields in messages.
var fieldTitles = map[string]string{
	fieldLastName: "Nom / Last name", fieldFirstName: "Prénom / First name", fieldPhone: "Téléphone / Phone",
	fieldClass: "Classe / Class", fieldMajor: "Filière / Major", fieldBirthDate: "Date de naissance / Birth date",
}

// coefHeader reads "Maths (coef. 2)", "Maths (coefficient 1,5)".
var coefHeader = regexp.MustCompile(`(?i)^(.*?)\s*\(\s*coef(?:f|ficient)?\.?\s*[:=]?\s*([0-9]+(?:[.,][0-9]+)?)\s*\)$`)

// foldHeader lowers, strips accents and punctuation, and collapses spaces.
func foldHeader(s string) string { return domain.FoldLabel(s) }

// column is what one column of an import holds.
type column struct {
	index  int
	header string // as written in the file
	field  string
	// subject columns
	subject string
	coef    string // from the header; "" means 1
}

// layout is the columns of an import, found in its header row.
type layout struct {
	cols     []column
	byField  map[string]*column
	subjects []*column
}

// headerError is a problem with the header row: nothing can be imported.
func headerError(line int, format string, args ...any) error {
	return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("line %d: ", line) + fmt.Sprintf(format, args...)}
}

// recognised counts the identity columns a row names: the header row is
// the first that names at least three (a title row may come before it).
func recognised(cells []string) int {
	n := 0
	for _, c := range cells {
		if f := headerNames[foldHeader(c)]; f != "" && f != fieldIgnored {
			n++
		}
	}
	return n
}

// parseLayout reads the header row at line.
func parseLayout(line int, cells []string) (*layout, error) {
	l := &layout{byField: map[string]*column{}}
	for i, raw := range cells {
		h := strings.TrimSpace(raw)
		// A header becomes a subject and is quoted by every problem of its
		// column, so it is held to the domain's rule for text.
		if err := domain.CheckText("header", h, domain.SingleLine); err != nil {
			return nil, headerError(line, "column %s: the header %s", colName(i), err.(*domain.Error).Problems[0].Reason)
		}
		c := column{index: i, header: h}
		switch f := headerNames[foldHeader(h)]; {
		case h == "":
			c.field = fieldIgnored // a value under no header is reported per row
		case f != "":
			c.field = f
		default:
			c.field, c.subject = fieldSubject, strings.Join(strings.Fields(h), " ")
			if m := coefHeader.FindStringSubmatch(h); m != nil && strings.TrimSpace(m[1]) != "" {
				c.subject, c.coef = strings.Join(strings.Fields(m[1]), " "), m[2]
			}
			if utf8.RuneCountInString(c.subject) > 60 {
				return nil, headerError(line, "column %s: a subject name is at most 60 characters (got %q)", colName(i), h)
			}
		}
		l.cols = append(l.cols, c)
	}
	for i := range l.cols {
		c := &l.cols[i]
		switch c.field {
		case fieldIgnored:
			continue
		case fieldSubject:
			for _, o := range l.subjects {
				if domain.Fold(o.subject) == domain.Fold(c.subject) {
					return nil, headerError(line, "columns %s and %s are both the subject %s", colName(o.index), colName(c.index), c.subject)
				}
			}
			l.subjects = append(l.subjects, c)
			if len(l.subjects) > maxSubjects {
				return nil, headerError(line, "column %s (%s) is subject number %d: an import takes at most %d subject columns (is a row of data taken for the header?)", colName(c.index), c.header, len(l.subjects), maxSubjects)
			}
			continue
		}
		if o, dup := l.byField[c.field]; dup {
			return nil, headerError(line, "columns %s (%s) and %s (%s) hold the same field", colName(o.index), o.header, colName(c.index), c.header)
		}
		l.byField[c.field] = c
	}
	var missing []string
	for _, f := range requiredFields {
		if l.byField[f] == nil {
			missing = append(missing, fieldTitles[f])
		}
	}
	switch {
	case len(missing) == len(requiredFields):
		return nil, headerError(line, "the header row names none of the expected columns (Nom, Prénom, Téléphone, Classe, Filière, Date de naissance — or Last name, First name, Phone, Class, Major, Birth date); found: %s", headersList(cells))
	case len(missing) > 0:
		return nil, headerError(line, "missing column(s): %s", strings.Join(missing, ", "))
	}
	return l, nil
}

func headersList(cells []string) string {
	var out []string
	for _, c := range cells {
		if c = strings.TrimSpace(c); c != "" {
			if utf8.RuneCountInString(c) > 30 {
				c = string([]rune(c)[:30]) + "…"
			}
			out = append(out, c)
		}
		if len(out) == 8 {
			out = append(out, "…")
			break
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return strings.Join(out, ", ")
}

// colName is a spreadsheet column letter (A, B, …, AA) for column i from 0.
func colName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// position is the index of the column titled title (for ordering
// problems); past the last column when none is.
func (l *layout) position(title string) int {
	for _, c := range l.cols {
		if c.title() == title {
			return c.index
		}
	}
	return len(l.cols)
}

// title names a column in a problem: its header, else its letter.
func (c *column) title() string {
	if c.header != "" {
		return c.header
	}
	return strconv.Itoa(c.index+1) + " (" + colName(c.index) + ")"
}
