package main

import (
	"context"
	"strconv"
	"testing"

	"scolarite/cli"
	"scolarite/domain"
)

// sheetSchool is the large school whose classes hold 1,000 students each:
// the scale store (bench_scale_test.go) spreads its students over ten
// classes, so 10,000 of them give L2-INFO its 1,000.
const sheetSchool = 10_000

// sheetClass opens the application on the school of sheetSchool students
// with L2-INFO's curriculum (the demo's), and returns the class's first
// semester and its first subject, given a CC (40) and an exam (60) once.
func sheetClass(b *testing.B) (*cli.App, *domain.Curriculum, string) {
	b.Helper()
	scaleCurriculum(b, scaleDataDir(b, sheetSchool))
	app := scaleApp(b, sheetSchool)
	ctx := context.Background()
	list, err := app.Curricula.List(ctx, admin, "2026-2027", "L2-INFO")
	if err != nil || len(list) == 0 {
		b.Fatalf("L2-INFO's curricula: %d, %v", len(list), err)
	}
	c := list[0]
	subject := c.UEs[0].Subjects[0].Name
	evals, err := app.Curricula.Evaluations(ctx, admin, c.Class, c.Semester, c.Year)
	if err != nil {
		b.Fatal(err)
	}
	if len(evals) == 0 {
		for _, kw := range [][2]string{{"cc", "40"}, {"exam", "60"}} {
			in := domain.EvaluationInput{Class: c.Class, Semester: c.Semester, Year: c.Year, Subject: subject, Kind: kw[0], Weight: kw[1]}
			if _, err := app.Curricula.AddEvaluation(ctx, admin, in); err != nil {
				b.Fatal(err)
			}
		}
	}
	return app, c, subject
}

// BenchmarkGradeSheet is the grade sheet of a 1,000-student class on the
// embedded default, in a school of 10,000 students of 60 grades each:
// loading it (what opening the sheet waits for), and saving one cell as
// the sheet does when a cell is left (MarkCell: the cell's check, the
// student written with its trail), cache warm, over cells spread across
// the class. Goals: a cell saved under 50 ms; the sheet loaded in well
// under a second.
func BenchmarkGradeSheet(b *testing.B) {
	app, c, subject := sheetClass(b)
	ctx := context.Background()
	load := func(b *testing.B) *domain.Sheet {
		sh, err := app.Students.Sheet(ctx, admin, c.Class, c.Semester, c.Year, subject)
		if err != nil || len(sh.Lines) != sheetSchool/10 || len(sh.Evaluations) < 2 {
			b.Fatalf("sheet of %s %s %s: %v", c.Class, c.Semester, subject, err)
		}
		return sh
	}
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			load(b)
		}
	})
	b.Run("save-cell", func(b *testing.B) {
		sh := load(b)
		k := 0
		save := func() {
			row, col := k*7919%len(sh.Lines), k%len(sh.Evaluations)
			k++
			line := sh.Lines[row]
			shown := line.Marks[col]
			st, err := app.Students.MarkCell(ctx, admin, line.StudentID, shown.Evaluation.ID, shown,
				domain.MarkInput{Value: strconv.Itoa(k % 21)})
			if err != nil {
				b.Fatalf("save %s's %s: %v", line.Number, shown.Evaluation.Title, err)
			}
			sh.Lines[row] = sh.Line(st)
		}
		for range 5 { // the cache warm
			save()
		}
		for b.Loop() {
			save()
		}
	})
}

// BenchmarkResults is the results of a 1,000-student class (every
// student's UE and semester averages, decision, mention and rank, exactly)
// on the embedded default, in a school of 10,000: what the deliberation
// screen and `scolarite results` wait for. Goal: under 200 ms.
func BenchmarkResults(b *testing.B) {
	app, c, _ := sheetClass(b)
	ctx := context.Background()
	for b.Loop() {
		res, err := app.Results.Results(ctx, admin, c.Class, c.Semester, c.Year, 1)
		if err != nil || len(res.Outcomes) != sheetSchool/10 {
			b.Fatalf("results of %s %s: %v", c.Class, c.Semester, err)
		}
	}
}
