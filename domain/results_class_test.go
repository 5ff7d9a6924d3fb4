package domain_test

import (
	"math/big"
	"strings"
	"testing"

	"scolarite/domain"
)

// The class's current semester: the latest of its curricula of the year
// that a student holds an average in, else the first; a class with no
// curriculum (free grades only) or no student has none.
func TestClassSemester(t *testing.T) {
	f := newJuryFixture(t)
	semester := func(a domain.Actor, class string) (string, error) {
		t.Helper()
		c, err := f.results.ClassSemester(ctx, a, class, "")
		if err != nil {
			return "", err
		}
		return c.Semester + " " + c.Year, nil
	}
	if got, err := semester(admin, "l1-info"); got != "S1 2026-2027" || err != nil {
		t.Errorf("marked in S1 only: %q, %v", got, err)
	}
	// S2 (and S10, to check the order is by number) imported, nothing
	// marked in them yet: still S1, the semester the students' averages are of.
	s2 := testCurriculum()
	s2.Semester = "S2"
	s10 := testCurriculum()
	s10.Semester = "S10"
	if _, _, err := f.curricula.Import(ctx, admin, []*domain.Curriculum{s2, s10}); err != nil {
		t.Fatal(err)
	}
	if got, err := semester(admin, "L1-INFO"); got != "S1 2026-2027" || err != nil {
		t.Errorf("S2 and S10 not marked yet: %q, %v", got, err)
	}
	e, err := f.curricula.AddEvaluation(ctx, admin, domain.EvaluationInput{Class: "L1-INFO", Semester: "S2", Subject: "Maths", Kind: "exam", Weight: "100"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.Mark(ctx, admin, f.ba.Number, 0, e.ID, domain.MarkInput{Value: "13"}); err != nil {
		t.Fatal(err)
	}
	if got, err := semester(admin, "L1-INFO"); got != "S2 2026-2027" || err != nil {
		t.Errorf("one student marked in S2: %q, %v", got, err)
	}
	prof := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}}
	if got, err := semester(prof, "L1-INFO"); got != "S2 2026-2027" || err != nil {
		t.Errorf("the class's teacher: %q, %v", got, err)
	}

	// A class whose students have free grades only, a class with nobody,
	// another teacher's class, no class at all.
	f.create(t, studentIn("Ndiaye", "Fatou", "771234569", "L2-GC"))
	f.grade(t, "771234569", "Topographie", "11", "3")
	for _, tc := range []struct {
		a     domain.Actor
		class string
		code  domain.Code
		says  string
	}{
		{admin, "L2-GC", domain.ENOTFOUND, "class L2-GC has no curriculum in 2026-2027"},
		{admin, "M2-XYZ", domain.ENOTFOUND, "class M2-XYZ has no student"},
		{teacherL3, "L1-INFO", domain.EFORBIDDEN, ""},
		{studentActor(f.ba.ID), "L1-INFO", domain.EFORBIDDEN, ""},
		{admin, " ", domain.EINVALID, "class"},
	} {
		_, err := semester(tc.a, tc.class)
		if domain.ErrorCode(err) != tc.code || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s on %q: %v, want %s %q", tc.a.Name, tc.class, err, tc.code, tc.says)
		}
	}
}

// MinutesResults picks the class's current semester and the semester's
// current session when they are not named.
func TestMinutesResults(t *testing.T) {
	f := newJuryFixture(t)
	cs := f.lifecycle()
	check := func(what, semester string, session, wantSession int) {
		t.Helper()
		res, err := f.results.MinutesResults(ctx, admin, "L1-INFO", semester, "", session)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if res.Curriculum.Semester != "S1" || res.Session != wantSession || len(res.Outcomes) != 2 {
			t.Errorf("%s: %s session %d, %d outcomes; want S1 session %d, 2", what, res.Curriculum.Semester, res.Session, len(res.Outcomes), wantSession)
		}
	}
	check("nothing named", "", 0, 1)
	for _, act := range []domain.SemesterAction{domain.ActionClose, domain.ActionResit} {
		f.status(t, cs, act, "")
	}
	check("during the resits", "", 0, 2)
	check("S1 named", "s1", 0, 2)
	check("session 1 named", "", 1, 1)
	if _, err := f.results.MinutesResults(ctx, admin, "L1-INFO", "S7", "", 0); domain.ErrorCode(err) != domain.ENOTFOUND {
		t.Errorf("a semester with no curriculum: %v", err)
	}
}

func TestResultFigures(t *testing.T) {
	avg := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("bad %q", s)
		}
		return r
	}
	fmtAvg := func(r *big.Rat) string { return domain.FormatAverage(r, false) }
	for _, tc := range []struct {
		name                  string
		averages              []string // "" is no average
		graded, below         int
		average, lowest, best string
		dist                  [10]int
	}{
		{"nobody", nil, 0, 0, "", "", "", [10]int{}},
		{"no average", []string{"", ""}, 0, 0, "", "", "", [10]int{}},
		// Ba 10.2 and Diop 9.8 of the jury fixture: the mean 10.
		{"two", []string{"51/5", "49/5"}, 2, 1, "10.00", "9.80", "10.20", [10]int{4: 1, 5: 1}},
		// 9.995 is below 10 (shown 10,00), 10 is not; 20 is in 18–20, 0
		// in 0–2; 1.999… in 0–2; the mean (0 + 1.9999 + 9.995 + 10 + 20)/5.
		{"bounds", []string{"0", "19999/10000", "1999/200", "10", "20", ""}, 5, 3, "8.40", "0.00", "20.00", [10]int{0: 2, 4: 1, 5: 1, 9: 1}},
	} {
		res := &domain.ClassResults{}
		for _, a := range tc.averages {
			o := domain.SemesterOutcome{}
			if a != "" {
				o.Average = avg(a)
			}
			res.Outcomes = append(res.Outcomes, o)
		}
		f := res.Figures()
		if f.Students != len(tc.averages) || f.Graded != tc.graded || f.Below != tc.below || fmtAvg(f.Average) != tc.average ||
			fmtAvg(f.Min) != tc.lowest || fmtAvg(f.Max) != tc.best || f.Distribution != tc.dist {
			t.Errorf("%s: %d students, %d graded, %d below, average %q min %q max %q, %v; want %d, %d, %d, %q %q %q, %v", tc.name,
				f.Students, f.Graded, f.Below, fmtAvg(f.Average), fmtAvg(f.Min), fmtAvg(f.Max), f.Distribution,
				len(tc.averages), tc.graded, tc.below, tc.average, tc.lowest, tc.best, tc.dist)
		}
	}
}
