// Package demo generates realistic demo data for ÉSP 221: French and
// Senegalese names, classes of the school's majors, and grades.
package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"scolarite/domain"
)

var (
	lastNames = []string{
		"Diop", "Ndiaye", "Fall", "Sow", "Diallo", "Ba", "Sy", "Faye", "Gueye", "Mbaye",
		"Seck", "Cissé", "Sarr", "Kane", "Thiam", "Ndour", "Diouf", "Sène", "Niang", "Camara",
		"Touré", "Wade", "Dieng", "Mbodj", "Lô", "Diagne", "Dramé", "Badji", "Sagna", "Coly",
		"Martin", "Bernard", "Dubois", "Lefèvre", "Moreau", "Girard", "Mercier", "Faure", "Rousseau", "Gaillard",
	}
	firstNames = []string{
		"Ndèye", "Aïssatou", "Fatou", "Mariama", "Awa", "Khady", "Coumba", "Astou", "Yacine", "Binta",
		"Moussa", "Mamadou", "Ibrahima", "Cheikh", "Ousmane", "Abdoulaye", "Serigne", "Pape", "Modou", "Babacar",
		"Françoise", "Élodie", "Chloé", "Hélène", "Léa", "Jérôme", "François", "Noël", "Rémi", "Thierry",
		"Aminata", "Seynabou", "Maïmouna", "Adama", "Alioune", "El Hadji", "Souleymane", "Boubacar", "Rokhaya", "Dior",
	}
	// majors maps each major to its class code and the subjects it grades.
	majors = []struct {
		name, code string
		subjects   []string
	}{
		{"Informatique", "INFO", []string{"Algorithmique", "Bases de données", "Réseaux", "Programmation Go", "Anglais"}},
		{"Génie civil", "GC", []string{"Résistance des matériaux", "Topographie", "Béton armé", "Mathématiques", "Anglais"}},
		{"Génie électrique", "GE", []string{"Électronique", "Automatique", "Électrotechnique", "Mathématiques", "Anglais"}},
		{"Gestion", "GEST", []string{"Comptabilité", "Marketing", "Droit des affaires", "Statistiques", "Anglais"}},
		{"Génie chimique", "GCH", []string{"Chimie organique", "Thermodynamique", "Procédés", "Mathématiques", "Anglais"}},
	}
	mobilePrefixes = []string{"77", "78", "76", "70", "75"}
	// guardianFirstNames are the first names of the demo's guardians
	// (parents, uncles, tutors), who carry their student's family name.
	guardianFirstNames = []string{
		"Mamadou", "Abdoulaye", "Ibrahima", "Cheikh Tidiane", "Alassane", "Malick", "Ousmane", "Modou",
		"Fatou", "Aminata", "Mame Diarra", "Khadidiatou", "Seynabou", "Ndèye Coumba", "Rokhaya", "Adja",
	}
)

// Classes lists the demo's classes: two levels of each major.
func Classes() []string {
	var out []string
	for _, m := range majors {
		out = append(out, "L2-"+m.code, "L3-"+m.code)
	}
	return out
}

// Students returns n students spread over Classes(), deterministic for a
// seed. Phones are unique by construction; ages 18 to 30 on today.
func Students(seed uint64, n int, today time.Time) []domain.NewStudent {
	out, _ := students(seed, n, today)
	return out
}

// students is Students and each student's level, around which their
// grades are drawn.
func students(seed uint64, n int, today time.Time) ([]domain.NewStudent, []float64) {
	rng := rand.New(rand.NewPCG(seed, seed^0x5c01a))
	classes := Classes()
	out := make([]domain.NewStudent, 0, n)
	levels := make([]float64, 0, n)
	for i := range n {
		class := classes[i%len(classes)]
		major := majors[(i%len(classes))/2]
		level := 0
		if class[1] == '3' {
			level = 1
		}
		age := 18 + level + rng.IntN(11)
		birth := today.AddDate(-age, -rng.IntN(12), -rng.IntN(28))
		s := domain.NewStudent{Input: domain.StudentInput{
			LastName:  lastNames[rng.IntN(len(lastNames))],
			FirstName: firstNames[rng.IntN(len(firstNames))],
			Phone:     fmt.Sprintf("%s %03d %02d %02d", mobilePrefixes[i%len(mobilePrefixes)], (i/len(mobilePrefixes))/10000%1000, (i/len(mobilePrefixes))/100%100, (i/len(mobilePrefixes))%100),
			Class:     class,
			Major:     major.name,
			BirthDate: birth.Format(domain.DateLayout),
		}}
		if i%3 == 0 {
			s.Input.Email = fmt.Sprintf("etudiant%d@esp221.sn", i+1)
		}
		guardian(&s.Input, i)
		// A student's level shifts all their grades, so averages spread
		// from failing to excellent as in a real class.
		ability := 6 + rng.NormFloat64()*3 + 6
		for _, subject := range major.subjects {
			v := halfPoint(ability + rng.NormFloat64()*2.5)
			coef := 1 + rng.IntN(3)
			s.Grades = append(s.Grades, domain.GradeInput{Subject: subject, Value: fmt.Sprint(v), Coefficient: fmt.Sprint(coef)})
		}
		out = append(out, s)
		levels = append(levels, ability)
	}
	return out, levels
}

// halfPoint is v within 0 to 20, to the half point, as teachers mark.
func halfPoint(v float64) float64 { return math.Round(math.Max(0, math.Min(20, v))*2) / 2 }

// guardian records a guardian for every other student, derived from i
// alone: drawing from rng would change every later student and grade of a
// seed. Guardian phones (7x 6xx xx xx) never meet the students' (7x 0xx …).
func guardian(in *domain.StudentInput, i int) {
	if i%2 == 0 {
		return
	}
	first := guardianFirstNames[(i/2)%len(guardianFirstNames)]
	in.GuardianName = first + " " + in.LastName
	in.GuardianPhone = fmt.Sprintf("%s 6%02d %02d %02d", mobilePrefixes[(i/2)%len(mobilePrefixes)], i/10000%100, i/100%100, i%100)
	if i%4 == 1 {
		in.GuardianEmail = mailLocal(first) + "." + mailLocal(in.LastName) + "@gmail.com"
	}
}

// mailLocal turns a name into the letters of an e-mail address.
func mailLocal(name string) string {
	var b strings.Builder
	for _, r := range domain.Fold(name) {
		if r >= 'a' && r <= 'z' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
