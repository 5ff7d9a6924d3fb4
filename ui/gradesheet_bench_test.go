package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"scolarite/domain"
)

// bigSheet is the grade sheet of Maths for a class of n students, in
// memory: a CC (20), a TP (20) and an exam (60), most cells marked, some
// absent, some empty.
func bigSheet(n int) *domain.Sheet {
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", UEs: []domain.UE{
		{Code: "UE11", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2}}}}}
	var evals []domain.Evaluation
	for i, k := range []domain.EvalKind{"cc", "tp", "exam"} {
		evals = append(evals, domain.Evaluation{ID: fmt.Sprint("e", i), Class: c.Class, Semester: c.Semester, Year: c.Year,
			Subject: "Maths", Kind: k, Title: string(k), Weight: []float64{20, 20, 60}[i], Session: 1})
	}
	names := []string{"DIOP", "NDIAYE", "FALL", "SOW", "DIALLO", "BA"}
	firsts := []string{"Ndèye", "Moussa", "Awa", "Cheikh", "Fatou"}
	students := make([]*domain.Student, n)
	for i := range students {
		st := &domain.Student{ID: fmt.Sprintf("%024x", i), Number: domain.FormatNumber(2026, int64(i+1)),
			LastName: names[i%len(names)], FirstName: firsts[i%len(firsts)], Class: c.Class, Version: 1}
		for j, e := range evals {
			switch (i + j) % 11 {
			case 0: // not marked yet
			case 1:
				st.Grades = append(st.Grades, domain.Grade{ID: fmt.Sprint(i, "/", j), EvaluationID: e.ID, Subject: "Maths", Absent: domain.AbsentJustified})
			default:
				st.Grades = append(st.Grades, domain.Grade{ID: fmt.Sprint(i, "/", j), EvaluationID: e.ID, Subject: "Maths", Value: float64((i*7+j*3)%41) / 2})
			}
		}
		students[i] = st
	}
	return domain.NewSheet(c, "Maths", evals, students)
}

// BenchmarkGradeSheetKeystroke is one key on the grade sheet of a
// 1,000-student class in a 120×35 terminal, through the application's
// root model, with the whole frame drawn after it (colours on, as in a
// terminal): a digit typed in a cell (its row's average recomputed with
// it), and ↓ (the cell left: its value checked and its save started; the
// save itself runs in a command, outside the keystroke). Goal: under
// 16 ms, one frame.
func BenchmarkGradeSheetKeystroke(b *testing.B) {
	r := lipgloss.NewRenderer(io.Discard, termenv.WithProfile(termenv.TrueColor))
	r.SetHasDarkBackground(true)
	c := &Common{Ctx: context.Background(), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Styles: NewStyles(r), T: NewTranslator(French), Actor: testAdmin}
	app := New(c)
	sheet := newGradeSheet(c).(*gradeSheet)
	sheet.sheet = bigSheet(1000)
	sheet.row = 500
	app.screen = sheet
	app.Update(tea.WindowSizeMsg{Width: 120, Height: 35})
	app.View()
	digit, down := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("7")}, tea.KeyMsg{Type: tea.KeyDown}
	b.Run("digit", func(b *testing.B) {
		for b.Loop() {
			app.Update(digit)
			if app.View() == "" || !sheet.editing {
				b.Fatal("the digit was not typed")
			}
			sheet.editing, sheet.buf = false, ""
		}
	})
	b.Run("down", func(b *testing.B) {
		for b.Loop() {
			app.Update(digit)
			_, cmd := app.Update(down)
			if app.View() == "" || cmd == nil || sheet.editing {
				b.Fatal("the cell was not left")
			}
			if sheet.row == len(sheet.sheet.Lines)-1 {
				sheet.row = 0
			}
		}
	})
}
