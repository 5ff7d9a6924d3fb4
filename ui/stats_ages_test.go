package ui

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

type fakeAges struct{ r *domain.AgeReport }

func (f fakeAges) Latest(context.Context) (*domain.AgeReport, error) { return f.r, nil }

func key5() tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("5")} }

func TestStatsAgesSection(t *testing.T) {
	std := 2.6
	mean := 24.68
	r := &domain.AgeReport{GeneratedAt: time.Date(2026, 11, 23, 11, 30, 0, 0, time.Local), Topic: "student-events", MinAge: 20,
		Read: 902, Rejected: 3, Filtered: 36, Kept: 863, Students: 227, Mean: &mean,
		Majors: []domain.MajorAges{
			{Major: "Génie électrique", Students: 49, Mean: 24.61, Std: &std, Min: 21, Q1: 22, Median: 25, Q3: 27, Max: 29},
			{Major: "Droit", Students: 1, Mean: 35, Min: 35, Q1: 35, Median: 35, Q3: 35, Max: 35},
		}}
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		s, _, c := newSfStats(t, size[0], size[1])
		c.Ages = fakeAges{r}
		s.keys = newStatsKeys(c)
		sfRun(t, s, key5())
		v := s.View()
		wantIn(t, v, "5 Âges", "Filière", "Médiane", "Génie électrique", "24,6", "2,6", "—",
			"227 étudiant(s) de plus de 20 ans", "âge moyen 24,7", "902 message(s) lu(s) · 3 rejeté(s) · 36 filtré(s)", "23/11/2026 11:30")
		fits(t, v, size[0], size[1])
		// 1 goes back to the dashboard.
		sfRun(t, s, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("1")})
		wantNotIn(t, s.View(), "Génie électrique")
	}
}

func TestStatsAgesNoneYet(t *testing.T) {
	s, _, c := newSfStats(t, 80, 24)
	c.Ages = fakeAges{nil}
	s.keys = newStatsKeys(c)
	sfRun(t, s, key5())
	wantIn(t, s.View(), "Aucune analyse pour l'instant", "scolarite analytics")
}

func TestStatsWithoutAgesHasNoFifthSection(t *testing.T) {
	s, _, _ := newSfStats(t, 80, 24)
	sfRun(t, s, key5())
	if s.section == 5 {
		t.Fatal("5 opened a section that does not exist")
	}
	wantNotIn(t, s.View(), "5 Âges")
}
