package domain

import "math"

// The averages of a semester, level by level (docs/ARCHITECTURE.md,
// "Averages"): a subject's is the weight-weighted mean of its graded
// evaluations of the session; a UE's the coefficient-weighted mean of its
// subjects; the semester's the credit-weighted mean of its UEs. A level
// with nothing graded yet has no average (nil) and is left out of the
// level above, so a semester in progress averages what is marked so far.

// EvaluationMark is a student's mark in one evaluation.
type EvaluationMark struct {
	Evaluation Evaluation `json:"-"`
	Value      *float64   `json:"value"`  // nil when absent or not graded
	Absent     Absence    `json:"absent"` // "" when present or not graded
	GradeID    string     `json:"grade_id,omitempty"`
	Comment    string     `json:"comment,omitempty"`
}

// SubjectResult is a student's result in a subject.
type SubjectResult struct {
	Subject     string           `json:"subject"`
	Coefficient float64          `json:"coefficient"`
	Average     *float64         `json:"average"`
	Marks       []EvaluationMark `json:"evaluations"`
	Remark      string           `json:"remark,omitempty"` // the teacher's (appréciation)
}

// UEResult is a student's result in a UE.
type UEResult struct {
	Code     string          `json:"code"`
	Title    string          `json:"title"`
	Credits  int             `json:"credits"`
	Average  *float64        `json:"average"`
	Subjects []SubjectResult `json:"subjects"`
}

// SemesterResult is a student's semester: every UE, subject and
// evaluation of the curriculum, marked or not.
type SemesterResult struct {
	Semester string         `json:"semester"`
	Year     string         `json:"year"`
	Status   SemesterStatus `json:"status"`
	Average  *float64       `json:"average"`
	UEs      []UEResult     `json:"ues"`
	// Outcome is the student's result of the semester's latest published
	// session (decision, credits, rank): nil before any is.
	Outcome *SemesterOutcome `json:"-"`
	// PublishedSession is that session (Curriculum.PublishedSession): 0
	// while no result of the semester is published.
	PublishedSession int `json:"-"`
}

// ResultsPublished reports whether a session's results of the semester
// are published (a student then reads its averages).
func (r *SemesterResult) ResultsPublished() bool { return r.PublishedSession > 0 }

// SemesterAverages computes a student's semester from the curriculum, the
// semester's evaluations and the student's grades, for the first session
// (resits are shown, not counted). shown tells which evaluations the
// reader may see (a student: the published ones); hidden ones are left out
// of the marks and of every average.
func SemesterAverages(c *Curriculum, evals []Evaluation, grades []Grade, shown func(Evaluation) bool) SemesterResult {
	return NewAveragePlan(c, evals, shown).Compute(grades)
}

// AveragePlan is a semester's structure with each subject's evaluations
// found once, to compute the averages of many students (a class).
type AveragePlan struct {
	c        *Curriculum
	subjects [][][]Evaluation // [UE][subject] -> its evaluations shown
}

// NewAveragePlan prepares the averages of a semester (see
// SemesterAverages for shown).
func NewAveragePlan(c *Curriculum, evals []Evaluation, shown func(Evaluation) bool) *AveragePlan {
	bySubject := map[string][]Evaluation{}
	for _, e := range evals {
		if shown == nil || shown(e) {
			k := FoldLabel(e.Subject)
			bySubject[k] = append(bySubject[k], e)
		}
	}
	p := &AveragePlan{c: c, subjects: make([][][]Evaluation, len(c.UEs))}
	for i, ue := range c.UEs {
		p.subjects[i] = make([][]Evaluation, len(ue.Subjects))
		for j, sub := range ue.Subjects {
			p.subjects[i][j] = bySubject[FoldLabel(sub.Name)]
		}
	}
	return p
}

// Compute is one student's semester.
func (p *AveragePlan) Compute(grades []Grade) SemesterResult {
	c := p.c
	byEval := make(map[string]*Grade, len(grades))
	for i := range grades {
		if grades[i].EvaluationID != "" {
			byEval[grades[i].EvaluationID] = &grades[i]
		}
	}
	res := SemesterResult{Semester: c.Semester, Year: c.Year, Status: c.Status, UEs: make([]UEResult, 0, len(c.UEs))}
	var semester weighted
	for i, ue := range c.UEs {
		ur := UEResult{Code: ue.Code, Title: ue.Title, Credits: ue.Credits, Subjects: make([]SubjectResult, 0, len(ue.Subjects))}
		var ueAvg weighted
		for j, s := range ue.Subjects {
			evals := p.subjects[i][j]
			sr := SubjectResult{Subject: s.Name, Coefficient: s.Coefficient, Marks: make([]EvaluationMark, 0, len(evals))}
			var subj weighted
			for _, e := range evals {
				m := EvaluationMark{Evaluation: e}
				if g, ok := byEval[e.ID]; ok {
					m.GradeID, m.Absent, m.Comment = g.ID, g.Absent, g.Comment
					if g.Absent == "" {
						v := g.Value
						m.Value = &v
					}
					if e.Session == 1 {
						subj.addMark(*g, e.Weight)
					}
				}
				sr.Marks = append(sr.Marks, m)
			}
			sr.Average = subj.mean()
			ueAvg.add(sr.Average, s.Coefficient)
			ur.Subjects = append(ur.Subjects, sr)
		}
		ur.Average = ueAvg.mean()
		semester.add(ur.Average, float64(ue.Credits))
		res.UEs = append(res.UEs, ur)
	}
	res.Average = semester.mean()
	return res
}

// weighted accumulates a weighted mean.
type weighted struct{ sum, weights float64 }

func (w *weighted) add(v *float64, weight float64) {
	if v != nil {
		w.sum += *v * weight
		w.weights += weight
	}
}

// addMark counts a grade: a value, or 0 for an unjustified absence; a
// justified absence is left out.
func (w *weighted) addMark(g Grade, weight float64) {
	switch g.Absent {
	case AbsentJustified:
	case AbsentUnjustified:
		zero := 0.0
		w.add(&zero, weight)
	default:
		v := g.Value
		w.add(&v, weight)
	}
}

func (w *weighted) mean() *float64 {
	if w.weights == 0 {
		return nil
	}
	avg := math.Round(w.sum/w.weights*1e4) / 1e4
	return &avg
}
