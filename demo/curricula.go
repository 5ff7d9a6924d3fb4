package demo

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"scolarite/domain"
)

// themes are the teaching units of each major, by theme: a semester's UEs
// take the first three to five themes, and two to four of each theme's
// subjects, numbered by semester ("Algorithmique 3").
var themes = map[string][]struct {
	title    string
	subjects []string
}{
	"INFO": {
		{"Informatique fondamentale", []string{"Algorithmique", "Programmation", "Structures de données", "Systèmes"}},
		{"Mathématiques", []string{"Analyse", "Algèbre", "Probabilités", "Logique"}},
		{"Réseaux et données", []string{"Réseaux", "Bases de données", "Web"}},
		{"Génie logiciel", []string{"Conception", "Tests", "Projet"}},
		{"Langues et communication", []string{"Anglais", "Techniques d'expression"}},
	},
	"GC": {
		{"Structures", []string{"Résistance des matériaux", "Béton armé", "Mécanique"}},
		{"Mathématiques", []string{"Analyse", "Algèbre", "Statistiques"}},
		{"Terrain", []string{"Topographie", "Géotechnique", "Hydraulique"}},
		{"Construction", []string{"Matériaux", "Dessin technique", "Projet"}},
		{"Langues et communication", []string{"Anglais", "Techniques d'expression"}},
	},
	"GE": {
		{"Électricité", []string{"Électrotechnique", "Électronique", "Circuits"}},
		{"Mathématiques", []string{"Analyse", "Algèbre", "Signaux"}},
		{"Automatique", []string{"Automatique", "Capteurs", "Informatique industrielle"}},
		{"Énergie", []string{"Machines électriques", "Réseaux électriques", "Projet"}},
		{"Langues et communication", []string{"Anglais", "Techniques d'expression"}},
	},
	"GEST": {
		{"Comptabilité et finance", []string{"Comptabilité", "Finance", "Contrôle de gestion"}},
		{"Méthodes quantitatives", []string{"Statistiques", "Mathématiques financières", "Informatique de gestion"}},
		{"Marketing et droit", []string{"Marketing", "Droit des affaires", "Économie"}},
		{"Management", []string{"Management", "Ressources humaines", "Projet"}},
		{"Langues et communication", []string{"Anglais", "Techniques d'expression"}},
	},
	"GCH": {
		{"Chimie", []string{"Chimie organique", "Chimie minérale", "Chimie analytique"}},
		{"Mathématiques et physique", []string{"Analyse", "Thermodynamique", "Mécanique des fluides"}},
		{"Procédés", []string{"Procédés", "Opérations unitaires", "Génie de la réaction"}},
		{"Laboratoire", []string{"Travaux pratiques", "Sécurité", "Projet"}},
		{"Langues et communication", []string{"Anglais", "Techniques d'expression"}},
	},
}

// Curricula returns the demo's curricula for a year: L1 to L3 of every
// major, two semesters each (S1 to S6), of three to five UEs of two to
// four subjects, 30 credits a semester. The demo teacher ("prof") teaches
// the first subject of every UE of the INFO classes.
func Curricula(year string) []*domain.Curriculum {
	var out []*domain.Curriculum
	for _, m := range majors {
		for level := 1; level <= 3; level++ {
			for sem := 2*level - 1; sem <= 2*level; sem++ {
				out = append(out, curriculum(m.code, level, sem, year))
			}
		}
	}
	return out
}

func curriculum(major string, level, sem int, year string) *domain.Curriculum {
	c := &domain.Curriculum{Class: fmt.Sprintf("L%d-%s", level, major), Semester: "S" + strconv.Itoa(sem), Year: year,
		Status: domain.SemesterOpen}
	ts := themes[major]
	n := 3 + (sem+len(major))%3 // 3 to 5 UEs
	credits := splitCredits(30, n)
	for k := range n {
		th := ts[k]
		ue := domain.UE{Code: fmt.Sprintf("UE%d%d", sem, k+1), Title: th.title, Credits: credits[k]}
		count := 2 + (sem+k)%3 // 2 to 4 subjects
		for j := range min(count, len(th.subjects)) {
			s := domain.CourseSubject{Name: fmt.Sprintf("%s %d", th.subjects[(j+sem)%len(th.subjects)], sem), Coefficient: float64(1 + (j+k)%3)}
			if major == "INFO" && j == 0 {
				s.Teachers = []string{"prof"}
			}
			ue.Subjects = append(ue.Subjects, s)
		}
		c.UEs = append(c.UEs, ue)
	}
	return c
}

// splitCredits divides total into n whole parts, the larger ones first.
func splitCredits(total, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = total / n
		if i < total%n {
			out[i]++
		}
	}
	return out
}

// Evaluations are the first-session evaluations of a curriculum: in every
// subject a devoir surveillé (the contrôle continu, 40 %) and a final exam
// (60 %), dated in the semester: a first semester's (S1, S3, S5) devoirs
// in November and exams in January, a second's in April and June,
// on weekdays, spread over the subjects.
func Evaluations(c *domain.Curriculum) []domain.EvaluationInput {
	start, _ := strconv.Atoi(c.Year[:min(4, len(c.Year))])
	sem, _ := strconv.Atoi(strings.TrimPrefix(c.Semester, "S"))
	ccOn, examOn := time.Date(start, time.November, 3, 0, 0, 0, 0, time.UTC), time.Date(start+1, time.January, 12, 0, 0, 0, 0, time.UTC)
	if sem%2 == 0 {
		ccOn, examOn = time.Date(start+1, time.April, 6, 0, 0, 0, 0, time.UTC), time.Date(start+1, time.June, 8, 0, 0, 0, 0, time.UTC)
	}
	var out []domain.EvaluationInput
	n := 0
	for _, ue := range c.UEs {
		for _, s := range ue.Subjects {
			for _, e := range []struct {
				kind, title, weight string
				on                  time.Time
			}{{"cc", "Devoir surveillé", "40", weekday(ccOn.AddDate(0, 0, 2*n%24))}, {"exam", "Examen final", "60", weekday(examOn.AddDate(0, 0, n%12))}} {
				out = append(out, domain.EvaluationInput{Class: c.Class, Semester: c.Semester, Year: c.Year,
					Subject: s.Name, Kind: e.kind, Title: e.title, Weight: e.weight, Date: e.on.Format(domain.DateLayout)})
			}
			n++
		}
	}
	return out
}

// weekday is d, or the Monday after when d falls on a weekend.
func weekday(d time.Time) time.Time {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDate(0, 0, 2)
	case time.Sunday:
		return d.AddDate(0, 0, 1)
	}
	return d
}

// CurrentSemester is the semester a demo class is in: the first of its
// level's two (S1 for L1, S3 for L2, S5 for L3).
func CurrentSemester(class string) string {
	level := 1
	if len(class) > 1 && class[0] == 'L' && class[1] >= '1' && class[1] <= '3' {
		level = int(class[1] - '0')
	}
	return "S" + strconv.Itoa(2*level-1)
}
