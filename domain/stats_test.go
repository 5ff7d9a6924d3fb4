package domain_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
)

func row(n int, class string, avg any) domain.RosterRow {
	r := domain.RosterRow{ID: fmt.Sprint(n), Number: fmt.Sprintf("2026-%05d", n), LastName: fmt.Sprint("N", n), Class: class}
	if v, ok := avg.(float64); ok {
		r.Average = &v
	}
	return r
}

func numbers[T any](rows []T, number func(T) string) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, number(r))
	}
	return out
}

func TestComputeStats(t *testing.T) {
	rows := []domain.RosterRow{
		row(1, "L3-INFO", 15.0),
		row(2, "L3-INFO", 8.0),
		row(3, "L3-INFO", nil),
		row(4, "M1-MATH", 20.0),
		row(5, "M1-MATH", 15.0),
		row(6, "M1-MATH", 1.5),
		row(7, "M1-MATH", 9.99),
	}
	st := domain.ComputeStats(rows)
	if st.Students != 7 || st.Graded != 6 {
		t.Errorf("students %d graded %d, want 7 and 6", st.Students, st.Graded)
	}
	wantAvg(t, "overall", st.Average, 69.49/6)

	if len(st.Classes) != 2 {
		t.Fatalf("classes = %+v", st.Classes)
	}
	l3, m1 := st.Classes[0], st.Classes[1]
	if l3.Class != "L3-INFO" || l3.Students != 3 || l3.Graded != 2 || m1.Class != "M1-MATH" || m1.Students != 4 || m1.Graded != 4 {
		t.Errorf("class counts: %+v %+v", l3, m1)
	}
	wantAvg(t, "L3 average", l3.Average, 11.5)
	wantAvg(t, "L3 min", l3.Min, 8)
	wantAvg(t, "L3 max", l3.Max, 15)
	wantAvg(t, "M1 average", m1.Average, 46.49/4)
	wantAvg(t, "M1 min", m1.Min, 1.5)
	wantAvg(t, "M1 max", m1.Max, 20)

	if want := [10]int{1, 0, 0, 0, 2, 0, 0, 2, 0, 1}; st.Distribution != want {
		t.Errorf("distribution = %v, want %v", st.Distribution, want)
	}
	top := numbers(st.Top, func(r domain.Ranked) string { return fmt.Sprint(r.Rank, ":", r.Number[5:]) })
	if want := []string{"1:00004", "2:00001", "2:00005", "4:00007", "5:00002", "6:00006"}; !slices.Equal(top, want) {
		t.Errorf("top = %v, want %v", top, want)
	}
	below := numbers(st.Below, func(r domain.RosterRow) string { return r.Number[5:] })
	if want := []string{"00006", "00002", "00007"}; !slices.Equal(below, want) {
		t.Errorf("below = %v, want worst first %v", below, want)
	}
}

func TestComputeStatsDistributionBounds(t *testing.T) {
	var rows []domain.RosterRow
	for i, v := range []float64{0, 1.99, 2, 9.99, 10, 17.99, 18, 19.5, 20} {
		rows = append(rows, row(i+1, "L3-INFO", v))
	}
	st := domain.ComputeStats(rows)
	if want := [10]int{2, 1, 0, 0, 1, 1, 0, 0, 1, 3}; st.Distribution != want {
		t.Errorf("distribution = %v, want %v (20 in the last bucket)", st.Distribution, want)
	}
	if len(st.Below) != 4 || *st.Below[0].Average != 0 || *st.Below[3].Average != 9.99 {
		t.Errorf("below = %v (10 is a pass)", numbers(st.Below, func(r domain.RosterRow) string { return r.Number }))
	}
}

func TestComputeStatsTopTen(t *testing.T) {
	var rows []domain.RosterRow
	avgs := []float64{12, 20, 19, 13, 19, 18, 17, 17, 14, 17, 16, 15}
	for i, v := range avgs {
		rows = append(rows, row(i+1, "L3-INFO", v))
	}
	rows = append(rows, row(99, "L3-INFO", nil))
	st := domain.ComputeStats(rows)
	if len(st.Top) != domain.TopN {
		t.Fatalf("top has %d rows, want %d", len(st.Top), domain.TopN)
	}
	ranks := numbers(st.Top, func(r domain.Ranked) string { return fmt.Sprint(r.Rank, "/", *r.Average) })
	want := []string{"1/20", "2/19", "2/19", "4/18", "5/17", "5/17", "5/17", "8/16", "9/15", "10/14"}
	if !slices.Equal(ranks, want) {
		t.Errorf("top = %v, want %v", ranks, want)
	}
	if st.Top[1].Number != "2026-00003" || st.Top[2].Number != "2026-00005" {
		t.Errorf("ties not ordered by matricule: %s, %s", st.Top[1].Number, st.Top[2].Number)
	}
}

func TestComputeStatsEmpty(t *testing.T) {
	for _, rows := range [][]domain.RosterRow{nil, {row(1, "L3-INFO", nil)}} {
		st := domain.ComputeStats(rows)
		if st.Graded != 0 || st.Average != nil || len(st.Top) != 0 || len(st.Below) != 0 || st.Distribution != [10]int{} {
			t.Errorf("no averages: %+v", st)
		}
		b, _ := json.Marshal(st)
		if !strings.Contains(string(b), `"top":[]`) || !strings.Contains(string(b), `"below":[]`) || !strings.Contains(string(b), `"classes":[`) {
			t.Errorf("JSON lists should be [] not null: %s", b)
		}
	}
}

func TestRank(t *testing.T) {
	rows := []domain.RosterRow{row(1, "A", 18.0), row(2, "A", 15.0), row(3, "A", 15.0), row(4, "A", 12.0), row(5, "A", 12.0), row(6, "A", 3.0)}
	got := numbers(domain.Rank(rows, 0), func(r domain.Ranked) string { return fmt.Sprint(r.Rank) })
	if want := []string{"1", "2", "2", "4", "4", "6"}; !slices.Equal(got, want) {
		t.Errorf("Rank = %v, want %v", got, want)
	}
	if got := domain.Rank(rows, 3); len(got) != 3 || got[2].Rank != 2 {
		t.Errorf("Rank(n=3) = %+v", got)
	}
}

func TestStatsService(t *testing.T) {
	e := rosterEnv(t, false) // L3: Diop 15, Fall 8, Sarr -; M1: Ndiaye 12, Diallo-Sow -
	st, err := e.svc.Stats(ctx, admin, " m1-math ")
	if err != nil {
		t.Fatal(err)
	}
	if st.Class != "M1-MATH" || st.Students != 2 || st.Graded != 1 || len(st.Classes) != 1 {
		t.Errorf("M1 stats = %+v", st)
	}
	wantAvg(t, "M1", st.Average, 12)
	all, err := e.svc.Stats(ctx, admin, "")
	if err != nil || all.Students != 5 || all.Graded != 3 || len(all.Below) != 1 || all.Below[0].LastName != "Fall" {
		t.Errorf("school stats = %+v, %v", all, err)
	}
	wantAvg(t, "school", all.Average, 35.0/3)
	mine, err := e.svc.Stats(ctx, teacherL3, "")
	if err != nil || mine.Students != 3 || len(mine.Classes) != 1 || mine.Classes[0].Class != "L3-INFO" {
		t.Errorf("teacher stats = %+v, %v", mine, err)
	}
}

func TestStanding(t *testing.T) {
	e := rosterEnv(t, false)
	get := func(ref string) *domain.Student {
		st, err := e.svc.Get(ctx, admin, ref)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	// A second L3 student at 15 ties with Diop.
	ba := e.create(t, studentIn("Ba", "Oumar", "70 111 22 33", "L3-INFO"))
	e.grade(t, ba.Number, "Maths", "15", "")
	tests := []struct {
		ref        string
		rank, size int
	}{
		{"2026-00001", 1, 4}, // Diop 15
		{ba.Number, 1, 4},    // Ba 15 (tie)
		{"2026-00002", 3, 4}, // Fall 8
		{"2026-00003", 0, 4}, // Sarr, no average
		{"2026-00004", 1, 2}, // Ndiaye 12 in M1
	}
	for _, tt := range tests {
		s, err := e.svc.Standing(ctx, admin, get(tt.ref))
		if err != nil || s.Rank != tt.rank || s.ClassSize != tt.size {
			t.Errorf("Standing(%s) = %+v, %v; want rank %d of %d", tt.ref, s, err, tt.rank, tt.size)
		}
	}
	s, _ := e.svc.Standing(ctx, studentActor(get("2026-00002").ID), get("2026-00002"))
	wantAvg(t, "L3 class average", s.ClassAverage, 38.0/3)
	_, err := e.svc.Standing(ctx, teacherL3, get("2026-00004"))
	wantCode(t, err, domain.EFORBIDDEN)
}
