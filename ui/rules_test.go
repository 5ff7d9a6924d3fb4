package ui

import (
	"context"
	"slices"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// R on the deliberation picker (admins) opens the regulation; a changed
// value is saved as the next version, a bad one refused naming the field,
// and the results follow the new version.
func TestRulesScreen(t *testing.T) {
	f := newDelibFixture(t)
	c := newTestCommon(t, f.svc, testAdmin)
	c.Curricula, c.Results = f.cs, f.rs
	d := newDeliberation(c).(*deliberation)
	d.SetSize(100, 30)
	start(t, d)
	msgs := press(t, d, "R")
	i := slices.IndexFunc(msgs, func(m tea.Msg) bool { _, ok := m.(openScreenMsg); return ok })
	if i < 0 {
		t.Fatalf("R opened nothing: %v", msgs)
	}
	m := msgs[i].(openScreenMsg).screen.(*rules)
	m.SetSize(100, 30)
	start(t, m)
	wantIn(t, m.View(), "Règlement des résultats · version 1", "Note plancher", "8", "0,5", "45")

	// A bad barrier is refused in words; nothing is written.
	press(t, m, "backspace")
	drive(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("x")})
	press(t, m, "enter")
	wantIn(t, m.View(), "Note plancher d'une UE (vide : aucune) : un nombre est attendu")
	if r, _ := f.rs.Regulation(context.Background()); r.Version != 1 {
		t.Fatalf("a refused regulation was saved: version %d", r.Version)
	}
	// No barrier; year compensation on.
	press(t, m, "backspace")
	press(t, m, "tab", "tab", "tab", "backspace")
	drive(t, m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("o")})
	press(t, m, "enter")
	r, err := f.rs.Regulation(context.Background())
	if err != nil || r.Version != 2 || r.Barrier != nil || !r.YearCompensation || r.JuryPointsCap != 0.5 {
		t.Fatalf("saved regulation %+v, %v", r, err)
	}
	wantIn(t, m.View(), "version 2", "par admin")
	res, _ := f.rs.Results(context.Background(), testAdmin, "L2-INFO", "S3", "", 1)
	if res.Regulation.Version != 2 {
		t.Errorf("the results follow version %d", res.Regulation.Version)
	}

	// Teachers are not offered it.
	teacher := newTestCommon(t, f.svc, domain.Actor{Name: "prof", Role: domain.RoleTeacher, Classes: []string{"L2-INFO"}})
	teacher.Curricula, teacher.Results = f.cs, f.rs
	td := newDeliberation(teacher).(*deliberation)
	start(t, td)
	if msgs := press(t, td, "R"); slices.ContainsFunc(msgs, func(m tea.Msg) bool { _, ok := m.(openScreenMsg); return ok }) {
		t.Error("a teacher opened the regulation")
	}
}
