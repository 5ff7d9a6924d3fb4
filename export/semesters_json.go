package export

import "scolarite/domain"

// StudentDetailJSON is `students show --json`: the student and its
// semesters of the current year, level by level.
type StudentDetailJSON struct {
	StudentJSON
	Semesters []SemesterJSON `json:"semesters"`
}

// SemesterJSON is one semester of a student.
type SemesterJSON struct {
	Semester string                `json:"semester"`
	Year     string                `json:"year"`
	Status   domain.SemesterStatus `json:"status"`
	Average  *float64              `json:"average"`
	UEs      []UEJSON              `json:"ues"`
	// Result is the published result of the semester's current session
	// (null before it is published).
	Result *SemesterResultJSON `json:"result"`
}

// SemesterResultJSON is a published semester result.
type SemesterResultJSON struct {
	Session  int             `json:"session"`
	Decision domain.Decision `json:"decision"`
	Credits  int             `json:"credits"`
	Mention  *string         `json:"mention"`
	Rank     *int            `json:"rank"`
}

// UEJSON is one UE of a semester.
type UEJSON struct {
	Code     string        `json:"code"`
	Title    string        `json:"title"`
	Credits  int           `json:"credits"`
	Average  *float64      `json:"average"`
	Subjects []SubjectJSON `json:"subjects"`
}

// SubjectJSON is one subject of a UE.
type SubjectJSON struct {
	Subject     string           `json:"subject"`
	Coefficient float64          `json:"coefficient"`
	Average     *float64         `json:"average"`
	Evaluations []EvaluationJSON `json:"evaluations"`
	Remark      string           `json:"remark,omitempty"`
}

// EvaluationJSON is a student's mark in one evaluation: value null when
// absent or not graded, absent "justified", "unjustified" or null.
type EvaluationJSON struct {
	ID      string   `json:"id"`
	Kind    string   `json:"kind"`
	Title   string   `json:"title"`
	Weight  float64  `json:"weight"`
	Value   *float64 `json:"value"`
	Absent  *string  `json:"absent"`
	Comment string   `json:"comment,omitempty"`
}

// DetailJSON is the JSON form of a student with its semesters.
func DetailJSON(s *domain.Student, semesters []domain.SemesterResult) StudentDetailJSON {
	out := StudentDetailJSON{StudentJSON: ToJSON(s), Semesters: make([]SemesterJSON, 0, len(semesters))}
	for _, r := range semesters {
		sj := SemesterJSON{Semester: r.Semester, Year: r.Year, Status: r.Status, Average: r.Average, UEs: make([]UEJSON, 0, len(r.UEs))}
		if o := r.Outcome; o != nil {
			sj.Result = &SemesterResultJSON{Session: o.Session, Decision: o.Decision, Credits: o.Credits}
			if o.Mention != "" {
				m := string(o.Mention)
				sj.Result.Mention = &m
			}
			if o.Rank > 0 {
				rank := o.Rank
				sj.Result.Rank = &rank
			}
		}
		for _, ue := range r.UEs {
			uj := UEJSON{Code: ue.Code, Title: ue.Title, Credits: ue.Credits, Average: ue.Average, Subjects: make([]SubjectJSON, 0, len(ue.Subjects))}
			for _, sub := range ue.Subjects {
				subj := SubjectJSON{Subject: sub.Subject, Coefficient: sub.Coefficient, Average: sub.Average, Remark: sub.Remark,
					Evaluations: make([]EvaluationJSON, 0, len(sub.Marks))}
				for _, m := range sub.Marks {
					ej := EvaluationJSON{ID: m.Evaluation.ID, Kind: string(m.Evaluation.Kind), Title: m.Evaluation.Title,
						Weight: m.Evaluation.Weight, Value: m.Value, Comment: m.Comment}
					if m.Absent != "" {
						a := string(m.Absent)
						ej.Absent = &a
					}
					subj.Evaluations = append(subj.Evaluations, ej)
				}
				uj.Subjects = append(uj.Subjects, subj)
			}
			sj.UEs = append(sj.UEs, uj)
		}
		out.Semesters = append(out.Semesters, sj)
	}
	return out
}
