package ui

import (
	"errors"
	"math"
	"strings"

	"scolarite/domain"
)

var errorText = map[string]text{
	"err.invalid":       {"Saisie refusée", "Input refused"},
	"err.not_found":     {"Introuvable", "Not found"},
	"err.conflict":      {"Modifié par quelqu'un d'autre entre-temps : les données ont été rechargées, recommencez.", "Changed by someone else meanwhile: the data was reloaded, try again."},
	"err.forbidden":     {"Votre rôle ne permet pas cette action.", "Your role may not do this."},
	"err.unauthorized":  {"Nom d'utilisateur ou mot de passe incorrect.", "Wrong user name or password."},
	"err.locked":        {"Trop d'échecs de connexion : compte verrouillé encore %d minute(s).", "Too many failed log-ins: account locked for %d more minute(s)."},
	"err.disabled":      {"Ce compte est désactivé ; adressez-vous à un administrateur.", "This account is disabled; ask an administrator."},
	"err.unavailable":   {"Un serveur ne répond pas ; réessayez dans un instant.", "A server does not answer; try again in a moment."},
	"err.internal":      {"Erreur interne (détails dans le journal).", "Internal error (details in the log file)."},
	"err.phone_taken":   {"déjà utilisé par l'étudiant %s", "already used by student %s"},
	"err.expired":       {"La session a expiré ; reconnectez-vous.", "The session has expired; please log in."},
	"err.locked_origin": {"Trop d'échecs de connexion depuis cette adresse : connexion refusée encore %d minute(s).", "Too many failed log-ins from this address: log-in refused for %d more minute(s)."},
	"err.key_removed":   {"La clé SSH de cette session a été retirée ; reconnectez-vous.", "The SSH key of this session was removed; please log in."},
	// Reasons the domain gives, matched by their English beginning.
	"reason.is required":                   {"est obligatoire", "is required"},
	"reason.is not a number":               {"n'est pas un nombre", "is not a number"},
	"reason.must be between 0 and 20":      {"doit être entre 0 et 20", "must be between 0 and 20"},
	"reason.must be greater than 0":        {"doit être supérieur à 0 et au plus 100", "must be greater than 0 and at most 100"},
	"reason.must be in the past":           {"doit être dans le passé", "must be in the past"},
	"reason.is not a date":                 {"n'est pas une date AAAA-MM-JJ", "is not a date YYYY-MM-DD"},
	"reason.gives an age of":               {"donne un âge hors de 10 à 100 ans", "gives an age outside 10 to 100 years"},
	"reason.is not a valid e-mail":         {"n'est pas une adresse e-mail valide", "is not a valid e-mail address"},
	"reason.is not a phone number":         {"n'est pas un numéro de téléphone", "is not a phone number"},
	"reason.is not a valid number":         {"n'est pas un numéro valide pour son pays", "is not a valid number for its country"},
	"reason.may only contain digits":       {"ne peut contenir que des chiffres, espaces et + - . ( )", "may only contain digits, spaces and + - . ( )"},
	"reason.must contain letters":          {"doit contenir des lettres", "must contain letters"},
	"reason.is longer than":                {"est trop long", "is too long"},
	"reason.must be at least 8 characters": {"doit faire au moins 8 caractères", "must be at least 8 characters long"},
	"reason.must be 3 to 40 characters":    {"doit faire 3 à 40 caractères parmi a-z, 0-9, . - _", "must be 3 to 40 characters among a-z, 0-9, . - _"},
	"reason.a teacher needs at least one":  {"un enseignant a au moins une classe", "a teacher needs at least one class"},
	"reason.no student has the matricule":  {"aucun étudiant n'a ce matricule ou ce téléphone", "no student has this matricule or phone"},
	"reason.you cannot disable your own":   {"vous ne pouvez pas désactiver votre propre compte", "you cannot disable your own account"},
	"reason.cannot be named":               {"porte le nom d'une colonne des fichiers : ses notes seraient perdues par un export puis un import ; nommez-la autrement", "is the name of a column of the files: its grades would be lost by an export then an import; name it otherwise"},
	"reason.cannot end with a coefficient": {"ne peut pas finir par un coefficient entre parenthèses ; donnez le coefficient dans son propre champ", "cannot end with a coefficient in brackets; give the coefficient in its own field"},
	"reason.is not a real day":             {"n'est pas un jour du calendrier", "is not a real day"},
	"reason.has more than two decimals":    {"a plus de deux décimales", "has more than two decimals"},
	"err.got":                              {"saisi :", "got"},
	"field.last_name":                      {"Nom", "Last name"},
	"field.first_name":                     {"Prénom", "First name"},
	"field.phone":                          {"Téléphone", "Phone"},
	"field.email":                          {"E-mail", "E-mail"},
	"field.class":                          {"Classe", "Class"},
	"field.major":                          {"Filière", "Major"},
	"field.birth_date":                     {"Date de naissance", "Birth date"},
	"field.guardian_name":                  {"Tuteur", "Guardian"},
	"field.guardian_phone":                 {"Téléphone tuteur", "Guardian phone"},
	"field.guardian_email":                 {"E-mail tuteur", "Guardian e-mail"},
	"field.value":                          {"Note", "Grade"},
	"field.coefficient":                    {"Coefficient", "Coefficient"},
	"field.subject":                        {"Matière", "Subject"},
	"field.username":                       {"Utilisateur", "User name"},
	"field.password":                       {"Mot de passe", "Password"},
	"field.role":                           {"Rôle", "Role"},
	"field.student":                        {"Étudiant", "Student"},
	"field.classes":                        {"Classes", "Classes"},
}

// errorWords puts a back-end error in the user's words: never a Go error
// dump (the log file has the details). ErrorText escapes it.
func errorWords(t *Translator, err error) string {
	var e *domain.Error
	if !errors.As(err, &e) {
		return t.T("err.internal")
	}
	switch e.Code {
	case domain.EINVALID:
		if len(e.Problems) == 0 {
			return t.T("err.invalid") + " : " + e.Message
		}
		parts := make([]string, 0, len(e.Problems))
		for _, p := range e.Problems {
			parts = append(parts, t.T("field."+p.Field)+" : "+Reason(t, p))
		}
		return strings.Join(parts, " · ")
	case domain.ECONFLICT:
		if e.Existing != "" && e.Field() == "phone" {
			return t.T("field.phone") + " : " + t.T("err.phone_taken", e.Existing)
		}
		if len(e.Problems) > 0 {
			return t.T("field."+e.Problems[0].Field) + " : " + Reason(t, e.Problems[0])
		}
		return t.T("err.conflict")
	case domain.ELOCKED:
		if strings.Contains(e.Message, "from this address") {
			return t.T("err.locked_origin", int(math.Ceil(e.RetryAfter.Minutes())))
		}
		return t.T("err.locked", int(math.Ceil(e.RetryAfter.Minutes())))
	case domain.ENOTFOUND:
		return t.T("err.not_found") + " : " + e.Message
	case domain.EUNAUTHORIZED:
		if strings.Contains(e.Message, "SSH key of this session was removed") {
			return t.T("err.key_removed")
		}
		if strings.Contains(e.Message, "expired") || strings.Contains(e.Message, "session") {
			return t.T("err.expired")
		}
		return t.T("err.unauthorized")
	}
	return t.T("err." + string(e.Code))
}

// Reason translates a domain problem's reason, keeping what it quotes.
func Reason(t *Translator, p domain.Problem) string {
	if t.Lang() == English {
		return p.Reason
	}
	if s, ok := textReason(t, p.Reason); ok {
		return s
	}
	for key := range t.messages {
		prefix, ok := strings.CutPrefix(key, "reason.")
		if ok && strings.HasPrefix(p.Reason, prefix) {
			out := t.T(key)
			if i := strings.LastIndex(p.Reason, " ("); i > 0 && strings.HasSuffix(p.Reason, ")") {
				tail := p.Reason[i:]
				if quoted, ok := strings.CutPrefix(tail, " (got "); ok {
					tail = " (" + t.T("err.got") + " " + quoted
				}
				out += tail
			}
			return out
		}
	}
	return p.Reason
}
