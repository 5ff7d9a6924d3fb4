package export

import "scolarite/domain"

// resultLabels are the texts of the jury's documents: the relevé de
// notes, the bulletin and the procès-verbal de délibération.
var resultLabels = map[string]label{
	"releve.title":       {"Relevé de notes", "Transcript of records"},
	"releve.year":        {"Année universitaire %s", "Academic year %s"},
	"releve.semester":    {"Semestre %s · session %d", "Semester %s · session %d"},
	"releve.resit":       {"Semestre %s · session %d (rattrapage)", "Semester %s · session %d (resit)"},
	"releve.provisional": {"Document provisoire : le semestre n'est pas clos", "Provisional: the semester is not closed"},
	"releve.yearlabel":   {"Année universitaire", "Academic year"},
	"releve.birth":       {"Né(e) le", "Born on"},
	"releve.code":        {"Code UE", "UE code"},
	"releve.unit":        {"Unité d'enseignement / matière", "Teaching unit / subject"},
	"releve.credits":     {"Crédits", "Credits"},
	"releve.mark":        {"Note /20", "Mark /20"},
	"releve.status":      {"Résultat", "Result"},
	"releve.legend":      {"ADM : UE acquise · CMP : acquise par compensation · AJ : non acquise", "ADM: UE passed · CMP: passed by compensation · AJ: not passed"},
	"releve.legendresit": {" · * note de rattrapage", " · * resit mark"},
	"releve.average":     {"Moyenne du semestre", "Semester average"},
	"releve.earned":      {"Crédits obtenus", "Credits earned"},
	"releve.decision":    {"Décision", "Decision"},
	"releve.mention":     {"Mention", "Honours"},
	"releve.jury":        {"%s (jury)", "%s (jury)"},
	"releve.decided":     {"Décision du jury : %s", "Decision of the jury: %s"},
	"releve.place":       {"Fait à Dakar, le %s", "Dakar, %s"},
	"releve.signer":      {"Le Directeur des études", "The Director of Studies"},
	"releve.verify":      {"Code de vérification", "Verification code"},
	"releve.verifyhow":   {"À vérifier avec : scolarite verify %s", "Check it with: scolarite verify %s"},
	"releve.footer":      {"Relevé de notes n° %s", "Transcript no. %s"},
	"bulletin.mark":      {"Moy. /20", "Avg. /20"},
	"bulletin.class":     {"Moy. classe", "Class avg."},
	"bulletin.remark":    {"Appréciation", "Teacher's remark"},
	"bulletin.ue":        {"%s · %d/%d crédits", "%s · %d/%d credits"},
	"bulletin.absences":  {"Absences : %d justifiée(s) (ABJ) · %d non justifiée(s) (ABI)", "Absences: %d excused (ABJ) · %d unexcused (ABI)"},
	"bulletin.overall":   {"Appréciation générale", "Overall remark"},
	"bulletin.noremark":  {"Pas d'appréciation.", "No remark."},
	"pv.title":           {"Procès-verbal de délibération", "Minutes of the deliberation"},
	"pv.subtitle":        {"%s · semestre %s · session %d · année universitaire %s · règlement version %d", "%s · semester %s · session %d · academic year %s · regulation version %d"},
	"pv.students":        {"Effectif", "Students"},
	"pv.graded":          {"Avec une moyenne", "With an average"},
	"pv.classavg":        {"Moyenne de la classe", "Class average"},
	"pv.dist":            {"Répartition des moyennes", "Distribution of averages"},
	"pv.passrate":        {"Taux de réussite", "Pass rate"},
	"pv.count":           {"%d (%s %%)", "%d (%s%%)"},
	"pv.class":           {"Résultats de la classe", "Results of the class"},
	"pv.count.ADM":       {"ADM · admis", "ADM · passed"},
	"pv.count.ADC":       {"ADC · par compensation", "ADC · by compensation"},
	"pv.count.AJ":        {"AJ · ajournés", "AJ · failed"},
	"pv.count.DEF":       {"DEF · défaillants", "DEF · incomplete"},
	"pv.credits":         {"Crédits", "Credits"},
	"pv.overrides":       {"Décisions du jury", "Decisions of the jury"},
	"pv.nooverride":      {"Le jury n'a modifié aucune décision ni accordé de points.", "The jury changed no decision and gave no points."},
	"pv.what":            {"Décision", "Decision"},
	"pv.reason":          {"Motif", "Reason"},
	"pv.by":              {"Par, le", "By, on"},
	"pv.decision":        {"%s (calculée : %s)", "%s (computed: %s)"},
	"pv.points.ue":       {"+%s pt sur %s", "+%s pt on %s"},
	"pv.points.sem":      {"+%s pt sur le semestre", "+%s pt on the semester"},
	"pv.signatures":      {"Signatures du jury", "Signatures of the jury"},
	"pv.president":       {"Le Président du jury", "The President of the jury"},
	"pv.member":          {"Membre du jury", "Member of the jury"},
	"pv.name":            {"Nom :", "Name:"},
	"pv.place":           {"Fait à Dakar, le %s", "Dakar, %s"},
	"decision.ADM":       {"Admis", "Passed"},
	"decision.ADC":       {"Admis par compensation", "Passed by compensation"},
	"decision.AJ":        {"Ajourné", "Failed"},
	"decision.DEF":       {"Défaillant (notes manquantes)", "Incomplete (marks missing)"},
	"mention.Passable":   {"Passable", "Pass"},
	"mention.Assez bien": {"Assez bien", "Fairly good"},
	"mention.Bien":       {"Bien", "Good"},
	"mention.Très bien":  {"Très bien", "Very good"},
	"mention.Excellent":  {"Excellent", "Excellent"},
}

// mention is a mention in the language, a dash for none.
func (l Lang) mention(m domain.Mention) string {
	if m == "" {
		return l.t("none")
	}
	return l.t("mention." + string(m))
}

// decision is a decision in words ("Admis par compensation").
func (l Lang) decision(d domain.Decision) string { return l.t("decision." + string(d)) }

// mark writes an average as certified ("12.50") in the language: a
// decimal comma in French, a dash for none.
func (l Lang) mark(s string) string {
	if s == "" {
		return l.t("none")
	}
	if l != English {
		return decimalComma(s)
	}
	return s
}

func decimalComma(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '.' {
			b[i] = ','
		}
	}
	return string(b)
}
