package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// rootUpdate sends msg to the application's root model with every
// follow-up message, as the program would.
func rootUpdate(t *testing.T, app *Model, msg tea.Msg) {
	t.Helper()
	queue := []tea.Msg{msg}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > maxDriveSteps {
			t.Fatalf("still busy after %d messages", maxDriveSteps)
		}
		_, cmd := app.Update(queue[0])
		queue = append(queue[1:], runCmd(t, cmd)...)
	}
}

// The open sheet takes every key, yet "?" shows its keys (every one of
// them, at 80 columns), and the next key only closes the help.
func TestGradeSheetHelpShowsEveryKey(t *testing.T) {
	f := newSheetFixture(t)
	app := New(f.s.c)
	app.screen = f.s
	rootUpdate(t, app, tea.WindowSizeMsg{Width: 80, Height: 30})
	if view := app.View(); strings.Contains(view, "Aide — touches") {
		t.Fatalf("the help is open before ?:\n%s", view)
	}
	rootUpdate(t, app, keyMsg("?"))
	view := app.View()
	for _, want := range []string{"étudiant suivant", "évaluation suivante", "évaluation précédente", "a j/i", "absent justifié / injustifié",
		"effacer", "annuler la dernière saisie", "nouvelle évaluation", "publier l'évaluation", "remarque", "retour aux matières"} {
		if !strings.Contains(view, want) {
			t.Errorf("the help of the sheet does not show %q:\n%s", want, view)
		}
	}
	// Everywhere else tab changes screens; in the sheet it is the next
	// evaluation, and the help's "Partout" says only what still works.
	for _, not := range []string{"écran suivant", "écran précédent"} {
		if strings.Contains(view, not) {
			t.Errorf("the help of the sheet offers %q (tab is the next evaluation there):\n%s", not, view)
		}
	}
	if !strings.Contains(view, "Partout") || !strings.Contains(view, "ctrl+c") {
		t.Errorf("the help of the sheet lost the keys that work everywhere:\n%s", view)
	}
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(l, "│") && strings.Contains(l, "…") {
			t.Errorf("a line of the help is cut: %q", l)
		}
	}
	rootUpdate(t, app, keyMsg("1"))
	if view := app.View(); strings.Contains(view, "Aide — touches") || f.s.editing {
		t.Errorf("the key after ? did not just close the help (editing %v):\n%s", f.s.editing, view)
	}
	rootUpdate(t, app, keyMsg("1"))
	if !f.s.editing || f.s.buf != "1" {
		t.Errorf("typing after the help closed: editing %v, cell %q", f.s.editing, f.s.buf)
	}
	// "?" while a mark is typed is not the help.
	rootUpdate(t, app, keyMsg("?"))
	if strings.Contains(app.View(), "Aide — touches") {
		t.Error("? opened the help in the middle of a mark")
	}
	// The footer leads with the help key.
	if footer := lastLine(app.View()); !strings.HasPrefix(strings.TrimSpace(footer), "? aide") {
		t.Errorf("footer = %q, want it to start with the help key", footer)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// The picker moves by page and to either end, as its help says.
func TestGradeSheetPickerPages(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "esc")
	f.s.choices = nil
	for i := range 50 {
		f.s.choices = append(f.s.choices, sheetChoice{"L1-INFO", "S1", fmt.Sprint("Matière ", i)})
	}
	f.s.SetSize(100, 12) // 10 lines a page
	for _, tc := range []struct {
		key  tea.KeyMsg
		want int
	}{
		{tea.KeyMsg{Type: tea.KeyPgDown}, 10},
		{tea.KeyMsg{Type: tea.KeyPgDown}, 20},
		{tea.KeyMsg{Type: tea.KeyPgUp}, 10},
		{keyMsg("G"), 49},
		{tea.KeyMsg{Type: tea.KeyPgDown}, 49},
		{keyMsg("g"), 0},
		{tea.KeyMsg{Type: tea.KeyPgUp}, 0},
		{tea.KeyMsg{Type: tea.KeyEnd}, 49},
		{tea.KeyMsg{Type: tea.KeyHome}, 0},
	} {
		drive(t, f.s, tc.key)
		if f.s.pick != tc.want {
			t.Fatalf("after %s the picker is on %d, want %d", tc.key, f.s.pick, tc.want)
		}
	}
	press(t, f.s, "G")
	if view := f.s.View(); !strings.Contains(view, "Matière 49") {
		t.Errorf("the last subject is not shown after G:\n%s", view)
	}
}

// a j / a i mark an absence and go down to the next student, as enter
// after a mark: a class's absences are marked in the same pass; on the
// last student the cursor stays.
func TestGradeSheetAbsenceMovesToTheNextStudent(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "a", "j")
	if f.s.row != 1 || f.s.col != 0 {
		t.Fatalf("after a j the cursor is on row %d, column %d; want the next student (1, 0)", f.s.row, f.s.col)
	}
	press(t, f.s, "1", "4", "enter", "a", "i")
	if got := []string{f.mark(t, 1, f.cc), f.mark(t, 2, f.cc), f.mark(t, 0, f.cc)}; got[0] != "justified" || got[1] != "14" || got[2] != "unjustified" {
		t.Fatalf("stored CC marks (Ba, Diop, Sow) = %v, want ABJ, 14, ABI", got)
	}
	if f.s.row != 2 {
		t.Errorf("after a i on the last student the cursor is on row %d, want 2", f.s.row)
	}
	if view := f.s.View(); !strings.Contains(view, "ABJ") || !strings.Contains(view, "ABI") {
		t.Errorf("the sheet does not show ABJ and ABI:\n%s", view)
	}
}

// a then j marks a justified absence; ⌫ on a saved cell removes its
// mark; n asks the kind and weight of a new evaluation, which becomes a
// column with the cursor on it.
func TestGradeSheetAbsentClearAndNewEvaluation(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "a", "j")
	if got := f.mark(t, 1, f.cc); got != "justified" {
		t.Fatalf("a j: Ba's CC = %q, want justified", got)
	}
	if view := f.s.View(); !strings.Contains(view, "ABJ") {
		t.Errorf("the sheet does not show ABJ:\n%s", view)
	}
	press(t, f.s, "a", "x") // neither j nor i: nothing
	if got := f.mark(t, 1, f.cc); got != "justified" {
		t.Errorf("a x changed Ba's CC to %q", got)
	}
	press(t, f.s, "up", "backspace")
	if got := f.mark(t, 1, f.cc); got != "" {
		t.Errorf("⌫ on the saved cell left %q", got)
	}
	press(t, f.s, "n")
	drive(t, f.s, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("tp 20")})
	if view := f.s.View(); !strings.Contains(view, "tp 20▏") {
		t.Fatalf("the new evaluation is not being asked:\n%s", view)
	}
	press(t, f.s, "enter")
	evals, err := f.cs.Evaluations(context.Background(), testAdmin, "L1-INFO", "S1", "")
	if err != nil || len(evals) != 3 || evals[2].Kind != domain.KindTP || evals[2].Weight != 20 || evals[2].Subject != "Maths" {
		t.Fatalf("evaluations after n = %+v, %v", evals, err)
	}
	if len(f.s.sheet.Evaluations) != 3 || f.s.col != 2 || !strings.Contains(f.s.View(), "tp 20%*") {
		t.Errorf("the sheet has %d columns, cursor on %d:\n%s", len(f.s.sheet.Evaluations), f.s.col, f.s.View())
	}
	press(t, f.s, "1", "6", "enter")
	if got := f.mark(t, 1, &evals[2]); got != "16" {
		t.Errorf("Ba's TP = %q, want 16", got)
	}
	// A refused kind is said, and no evaluation is added.
	said := press(t, f.s, "n", "x", "enter")
	if n, _ := f.cs.Evaluations(context.Background(), testAdmin, "L1-INFO", "S1", ""); len(n) != 3 {
		t.Errorf("n x added an evaluation: %d", len(n))
	}
	if _, ok := findMsg[errMsg](said); !ok {
		t.Errorf("a refused evaluation is not said: %v", said)
	}
}

// "/" narrows the picker to the lines holding every word typed, accents
// and case ignored; while it is typed every key is the filter's (q, tab);
// enter opens the first match after ↓/↑; esc clears the filter.
func TestGradeSheetPickerFilter(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "esc")
	f.s.choices = nil
	for _, class := range []string{"L1-INFO", "L2-INFO", "L2-GEST"} {
		for _, sem := range []string{"S1", "S3"} {
			for _, sub := range []string{"Algèbre", "Réseaux", "Informatique de gestion"} {
				f.s.choices = append(f.s.choices, sheetChoice{class, sem, sub})
			}
		}
	}
	press(t, f.s, "/")
	if !f.s.Capturing() {
		t.Fatal("the picker does not take every key while its filter is typed")
	}
	drive(t, f.s, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("l2-info")}, tea.KeyMsg{Type: tea.KeySpace, Runes: []rune(" ")},
		tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("RESEAU")})
	// "l2-info" is the class, not "info" in L2-GEST's "Informatique".
	if got := f.s.visible(); len(got) != 2 || got[0] != (sheetChoice{"L2-INFO", "S1", "Réseaux"}) || got[1].semester != "S3" {
		t.Fatalf("filter %q shows %v", f.s.filter, got)
	}
	press(t, f.s, "q") // typed, not quit
	if f.s.filter != "l2-info RESEAUq" || len(f.s.visible()) != 0 || !strings.Contains(f.s.View(), "Aucune matière ne correspond") {
		t.Fatalf("after q: filter %q, view:\n%s", f.s.filter, f.s.View())
	}
	press(t, f.s, "backspace", "enter")
	if f.s.Capturing() || !strings.Contains(f.s.View(), "filtre : « l2-info RESEAU » · 2 sur 18") {
		t.Fatalf("enter did not end the typing, or the filter is not shown:\n%s", f.s.View())
	}
	// The fixture's store holds L1-INFO S1 Maths: the second line of
	// "l1-info math" once the other is listed first.
	f.s.choices = append([]sheetChoice{{"L1-INFO", "S1", "Mathématiques appliquées"}}, append(f.s.choices, sheetChoice{"L1-INFO", "S1", "Maths"})...)
	press(t, f.s, "esc", "/")
	drive(t, f.s, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("l1-info math")})
	press(t, f.s, "down", "enter")
	if f.s.sheet == nil || f.s.sheet.Subject != "Maths" {
		t.Fatalf("↓ enter on the filtered list did not open Maths: %+v", f.s.sheet)
	}
	press(t, f.s, "esc") // back to the subjects, still filtered
	if len(f.s.visible()) != 2 {
		t.Errorf("back from the sheet the picker shows %d lines, want the 2 filtered", len(f.s.visible()))
	}
	f.s.filter = "L2-INFO"
	if n := len(f.s.visible()); n != 6 {
		t.Errorf("filter L2-INFO shows %d lines, want the class's 6 (not L2-GEST's Informatique)", n)
	}
	press(t, f.s, "esc")
	if f.s.filter != "" || len(f.s.visible()) != 20 {
		t.Errorf("esc left the filter %q (%d lines)", f.s.filter, len(f.s.visible()))
	}
}
