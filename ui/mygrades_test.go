package ui

import (
	"testing"

	"scolarite/domain"
)

// sfClass: DIOP 8.75 (8, 9.5), FALL 14, NDIAYE 11 in L2-INFO; the class
// average is (8.75+14+11)/3 = 11.25.
func sfClass() *sfStudents {
	return &sfStudents{records: []*domain.Student{
		sfStudent(1, "DIOP", "L2-INFO", 8, 9.5),
		sfStudent(2, "FALL", "L2-INFO", 14),
		sfStudent(3, "NDIAYE", "L2-INFO", 11),
		sfStudent(4, "SARR", "L3-GC", 19),
	}}
}

func newSfMyGrades(t *testing.T, f *sfStudents, who int, w, h int) *myGrades {
	st := f.records[who]
	c := sfCommon(t, f, nil, domain.Actor{Name: "eleve", Role: domain.RoleStudent, StudentID: st.ID})
	m := newMyGrades(c).(*myGrades)
	m.SetSize(w, h)
	sfRun(t, m, m.Init()())
	return m
}

func TestMyGradesBelowTen(t *testing.T) {
	m := newSfMyGrades(t, sfClass(), 0, 80, 24)
	v := m.View()
	wantIn(t, v, "DIOP Awa", "2026-00001", "L2-INFO",
		"Moyenne pondérée : 8,75/20", "rang 3 sur 3", "moyenne de la classe : 11,25/20",
		"Attention : moyenne inférieure à 10/20",
		"Matière 0", "Matière 1", " 9,5 ", "m.sarr", "11/01/2026")
	fits(t, v, 80, 24)
	if m.Capturing() || m.Dirty() {
		t.Error("a read-only screen neither captures keys nor holds edits")
	}
}

func TestMyGradesAboveTen(t *testing.T) {
	m := newSfMyGrades(t, sfClass(), 1, 100, 30)
	v := m.View()
	wantIn(t, v, "14,00/20", "rang 1 sur 3")
	wantNotIn(t, v, "Attention", "2026-00004") // nor another class's student
	fits(t, v, 100, 30)
}

func TestMyGradesNoGradeYet(t *testing.T) {
	f := sfClass()
	f.records = append(f.records, sfStudent(5, "BA", "L2-INFO"))
	m := newSfMyGrades(t, f, 4, 80, 24)
	wantIn(t, m.View(), "Moyenne pondérée : –/20", "pas encore classé", "Aucune note")
	wantNotIn(t, m.View(), "Attention")
}

func TestMyGradesReloadsOnOwnChange(t *testing.T) {
	f := sfClass()
	m := newSfMyGrades(t, f, 0, 80, 24)
	gets := f.gets

	// Someone else's change: no reload.
	sfRun(t, m, changeMsg{change: domain.Change{Type: domain.EventGradeAdded, StudentID: f.records[1].ID}})
	if f.gets != gets {
		t.Error("reloaded on another student's change")
	}

	// A grade raises this student's average above 10: the warning goes.
	*f.records[0] = *sfStudent(1, "DIOP", "L2-INFO", 8, 9.5, 16)
	sfRun(t, m, changeMsg{change: domain.Change{Type: domain.EventGradeAdded, StudentID: f.records[0].ID}})
	v := m.View()
	wantIn(t, v, "11,17/20", "rang 2 sur 3", " 16 ")
	wantNotIn(t, v, "Attention")
}

func TestMyGradesError(t *testing.T) {
	f := sfClass()
	c := sfCommon(t, f, nil, domain.Actor{Role: domain.RoleStudent, StudentID: "nobody"})
	m := newMyGrades(c)
	m.SetSize(80, 24)
	out := sfRun(t, m, m.Init()())
	if len(out) != 1 {
		t.Fatalf("want one error message, got %v", out)
	}
	if _, ok := out[0].(errMsg); !ok {
		t.Errorf("want an errMsg, got %#v", out[0])
	}
	wantIn(t, m.View(), "Introuvable")
}
