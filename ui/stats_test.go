package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

// sfSchool: overall mean (18+15+8+14+7.5)/5 = 12.5; L2-INFO 41/3 = 13.67;
// L3-GC 21.5/2 = 10.75; two averages below 10 (8 and 7.5); one ungraded.
func sfSchool() *sfStudents {
	return &sfStudents{records: []*domain.Student{
		sfStudent(1, "DIOP", "L2-INFO", 18),
		sfStudent(2, "FALL", "L2-INFO", 15),
		sfStudent(3, "NDIAYE", "L2-INFO", 8),
		sfStudent(4, "SARR", "L3-GC", 14),
		sfStudent(5, "SECK", "L3-GC", 7.5),
		sfStudent(6, "BA", "L3-GC"),
	}}
}

func newSfStats(t *testing.T, w, h int) (*stats, *sfStudents, *Common) {
	f := sfSchool()
	c := sfCommon(t, f, nil, domain.Actor{Name: "admin", Role: domain.RoleAdmin})
	s := newStats(c).(*stats)
	s.SetSize(w, h)
	sfRun(t, s, s.Init()())
	return s, f, c
}

func wantIn(t *testing.T, view string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(view, w) {
			t.Errorf("view lacks %q:\n%s", w, view)
		}
	}
}

func wantNotIn(t *testing.T, view string, unwanted ...string) {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(view, w) {
			t.Errorf("view shows %q:\n%s", w, view)
		}
	}
}

// fits checks the view stays within the screen given to it.
func fits(t *testing.T, view string, w, h int) {
	t.Helper()
	if got := lipgloss.Height(view); got > h {
		t.Errorf("view is %d lines high, screen %d:\n%s", got, h, view)
	}
	for _, line := range strings.Split(view, "\n") {
		if lipgloss.Width(line) > w {
			t.Errorf("line wider than %d: %q", w, line)
		}
	}
}

func TestStatsWideShowsEverySection(t *testing.T) {
	s, _, _ := newSfStats(t, 100, 30)
	if !s.wide() {
		t.Fatal("100×30 should show the grid")
	}
	v := s.View()
	wantIn(t, v, "12,50/20", "6 étudiants", "5 notés", "toutes les classes",
		"L2-INFO", "13,67", "L3-GC", "10,75", // bars per class
		"18–20", "0–2", // histogram buckets
		"2026-00001", // the top student
		"2 étudiant(s) sous 10/20", "2026-00005")
	fits(t, v, 100, 30)
}

func TestStatsNarrowOneSectionAtATime(t *testing.T) {
	s, _, _ := newSfStats(t, 80, 24)
	if s.wide() {
		t.Fatal("80×24 should show one section at a time")
	}
	v := s.View()
	wantIn(t, v, "12,50/20", "2 sous 10/20", "L2-INFO", "13,67", "L3-GC", "10,75")
	fits(t, v, 80, 24)

	sfRun(t, s, sfKey("2"))
	wantIn(t, s.View(), "Répartition des moyennes", "18–20")

	sfRun(t, s, sfKey("3"))
	v = s.View()
	wantIn(t, v, "2026-00001", "DIOP")
	fits(t, v, 80, 24)
	out := sfRun(t, s, sfKey("enter"))
	if len(out) != 1 || out[0] != (openStudentMsg{ref: "2026-00001"}) {
		t.Errorf("enter on the top student sent %v", out)
	}

	// The below list: worst first, and enter opens the selected one.
	sfRun(t, s, sfKey("4"))
	wantIn(t, s.View(), "2 étudiant(s) sous 10/20", "2026-00005", "2026-00003")
	out = sfRun(t, s, sfKey("down"), sfKey("enter"))
	if len(out) != 1 || out[0] != (openStudentMsg{ref: "2026-00003"}) {
		t.Errorf("enter on the second below student sent %v", out)
	}
}

func TestStatsNarrowToAClass(t *testing.T) {
	s, _, _ := newSfStats(t, 100, 30)
	sfRun(t, s, sfKey("c"))
	v := s.View()
	wantIn(t, v, "classe L2-INFO", "13,67/20", "3 étudiants", "1 sous 10/20", "2026-00001")
	wantNotIn(t, v, "L3-GC", "12,50")

	sfRun(t, s, sfKey("c"))
	v = s.View()
	wantIn(t, v, "classe L3-GC", "10,75/20", "3 étudiants", "2 notés", "2026-00004")
	wantNotIn(t, v, "L2-INFO", "2026-00001")

	// The list of classes stays that of the whole school: wraps to "all".
	sfRun(t, s, sfKey("c"))
	wantIn(t, s.View(), "toutes les classes", "12,50/20")

	sfRun(t, s, sfKey("["))
	wantIn(t, s.View(), "classe L3-GC")
	sfRun(t, s, sfKey("]"))
	wantIn(t, s.View(), "toutes les classes")
}

func TestStatsReloadsOnChange(t *testing.T) {
	s, f, _ := newSfStats(t, 80, 24)
	f.records = append(f.records, sfStudent(7, "GUEYE", "L3-GC", 20))
	sfRun(t, s, changeMsg{change: domain.Change{Type: domain.EventStudentCreated}})
	// (62.5+20)/6 = 13.75
	wantIn(t, s.View(), "13,75/20", "7 étudiants")

	f.records = f.records[:1]
	sfRun(t, s, changeMsg{change: domain.Change{Type: "user.changed"}})
	wantIn(t, s.View(), "13,75/20") // account changes move no figure
}

func TestStatsDropsStaleLoads(t *testing.T) {
	s, _, _ := newSfStats(t, 80, 24)
	first := s.load()
	sfRun(t, s, sfKey("c")) // a newer load for L2-INFO lands first
	sfRun(t, s, first())
	wantIn(t, s.View(), "classe L2-INFO", "13,67/20")
}

func TestStatsEnglish(t *testing.T) {
	f := sfSchool()
	c := sfCommon(t, f, nil, domain.Actor{Role: domain.RoleAdmin})
	c.T = NewTranslator(English)
	s := newStats(c)
	s.SetSize(80, 24)
	sfRun(t, s, s.Init()())
	wantIn(t, s.View(), "Overall average 12.50/20", "all classes")
}

// The root gives a screen the terminal less three lines: 80×24 is 80×21.
func TestStatsBelowListScrollsAt80x21(t *testing.T) {
	f := sfSchool()
	for i := 0; i < 40; i++ {
		f.records = append(f.records, sfStudent(100+i, "KANE", "L3-GC", float64(i%10)))
	}
	c := sfCommon(t, f, nil, domain.Actor{Role: domain.RoleAdmin})
	s := newStats(c).(*stats)
	s.SetSize(80, 21)
	sfRun(t, s, s.Init()())
	for _, k := range []string{"1", "2", "3", "4"} {
		sfRun(t, s, sfKey(k))
		fits(t, s.View(), 80, 21)
	}
	wantIn(t, s.View(), "42 étudiant(s) sous 10/20", "2026-00100") // worst first: 0
	sfRun(t, s, sfKey("G"))
	v := s.View()
	wantIn(t, v, "2026-00139") // the last of the best of those below: 9
	wantNotIn(t, v, "2026-00100")
	fits(t, v, 80, 21)
	out := sfRun(t, s, sfKey("enter"))
	if len(out) != 1 || out[0] != (openStudentMsg{ref: "2026-00139"}) {
		t.Errorf("enter on the last below student sent %v", out)
	}
}
