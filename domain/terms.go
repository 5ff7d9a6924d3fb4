package domain

import (
	"context"
	"fmt"
	"slices"
)

// TermAverage is a student's average in one semester of a year.
type TermAverage struct {
	Year     string   `json:"year"`
	Semester string   `json:"semester"`
	Average  *float64 `json:"average"`
}

// setTerm keeps a semester's average among the student's terms.
func (st *Student) setTerm(year, semester string, avg *float64) {
	for i := range st.Terms {
		if st.Terms[i].Year == year && st.Terms[i].Semester == semester {
			st.Terms[i].Average = avg
			return
		}
	}
	st.Terms = append(st.Terms, TermAverage{Year: year, Semester: semester, Average: avg})
}

// currentAverage is the average of the latest semester that has one, else
// the mean of the grades typed before curricula (those of no evaluation).
func (st *Student) currentAverage() *float64 {
	if latest := st.latestTerm(); latest != nil {
		return latest.Average
	}
	return WeightedAverage(slices.DeleteFunc(slices.Clone(st.Grades), func(g Grade) bool { return g.EvaluationID != "" }))
}

// latestTerm is the latest semester that has an average, nil when none.
func (st *Student) latestTerm() *TermAverage {
	var latest *TermAverage
	for i := range st.Terms {
		t := &st.Terms[i]
		if t.Average != nil && (latest == nil || t.after(latest)) {
			latest = t
		}
	}
	return latest
}

// after orders terms by year then semester number.
func (t *TermAverage) after(o *TermAverage) bool {
	if t.Year != o.Year {
		return t.Year > o.Year
	}
	return len(t.Semester) > len(o.Semester) || len(t.Semester) == len(o.Semester) && t.Semester > o.Semester
}

// RecomputeTerms computes again the semester average of every student of
// the curriculum's class who has marks in that semester, after its
// coefficients or credits changed (a curriculum import), and returns how
// many changed. Each student is one write, with its trail.
func (s *StudentService) RecomputeTerms(ctx context.Context, a Actor, c *Curriculum) (int, error) {
	if a.Role != RoleAdmin {
		return 0, forbidden(a, OpManageCurricula)
	}
	evals, err := s.curricula.Evaluations(ctx, c.Class, c.Semester, c.Year)
	if err != nil || len(evals) == 0 {
		return 0, err
	}
	ids := make(map[string]bool, len(evals))
	for _, e := range evals {
		ids[e.ID] = true
	}
	students, err := s.Students(ctx, a, RosterQuery{Class: c.Class})
	if err != nil {
		return 0, err
	}
	changed := 0
	plan := NewAveragePlan(c, evals, nil)
	for _, st := range students {
		avg := plan.Compute(st.Grades).Average
		if !slices.ContainsFunc(st.Grades, func(g Grade) bool { return ids[g.EvaluationID] }) || sameTerm(st, c, avg) {
			continue
		}
		_, err := s.mutate(ctx, a, st.ID, 0, OpChangeGrade, func(cur *Student) (*Event, error) {
			cur.setTerm(c.Year, c.Semester, SemesterAverages(c, evals, cur.Grades, nil).Average)
			return &Event{Type: EventStudentUpdated}, nil
		})
		if err != nil {
			return changed, fmt.Errorf("student %s: %w", st.Number, err)
		}
		changed++
	}
	return changed, nil
}

func sameTerm(st *Student, c *Curriculum, avg *float64) bool {
	for _, t := range st.Terms {
		if t.Year == c.Year && t.Semester == c.Semester {
			return t.Average == nil && avg == nil || t.Average != nil && avg != nil && *t.Average == *avg
		}
	}
	return avg == nil
}
