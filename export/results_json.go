package export

import (
	"math/big"
	"strings"

	"scolarite/domain"
)

// ResultJSON is one student's line of `results --json`: averages
// unrounded, mention null below 10, jury null when the jury said nothing.
type ResultJSON struct {
	Number    string              `json:"number"`
	LastName  string              `json:"last_name"`
	FirstName string              `json:"first_name"`
	Average   *float64            `json:"average"`
	Credits   int                 `json:"credits"`
	Decision  domain.Decision     `json:"decision"`
	Computed  domain.Decision     `json:"computed_decision"`
	Mention   *string             `json:"mention"`
	Rank      *int                `json:"rank"`
	Jury      *JuryJSON           `json:"jury"`
	UEs       []UEOutcomeJSON     `json:"ues"`
	Subjects  []SubjectResultJSON `json:"subjects"`
	Missing   []string            `json:"missing,omitempty"`
	// Year is the year's decision, on the second semester of a year
	// (S2, S4, …) only.
	Year *YearJSON `json:"year,omitempty"`
}

// YearJSON is a year decided on its two semesters.
type YearJSON struct {
	Decision domain.Decision `json:"decision"`
	Credits  int             `json:"credits"`
	Average  *float64        `json:"average"`
}

// JuryJSON is what the jury decided on a student's session: its decision
// (null when it only gave points), the points it gave in all, and why.
type JuryJSON struct {
	Decision *domain.Decision `json:"decision"`
	Points   float64          `json:"points"`
	Reason   string           `json:"reason"`
}

// UEOutcomeJSON is a UE's result.
type UEOutcomeJSON struct {
	Code          string          `json:"code"`
	Average       *float64        `json:"average"`
	CreditsEarned int             `json:"credits_earned"`
	Status        domain.UEStatus `json:"status"`
}

// SubjectResultJSON is a subject's average.
type SubjectResultJSON struct {
	Subject string   `json:"subject"`
	UE      string   `json:"ue"`
	Average *float64 `json:"average"`
}

// ResultsJSON is the JSON form of a class's results (years: the year
// decisions, by student id, or nil).
func ResultsJSON(res *domain.ClassResults, years map[string]domain.YearOutcome) []ResultJSON {
	out := make([]ResultJSON, 0, len(res.Outcomes))
	for _, o := range res.Outcomes {
		r := ResultJSON{Number: o.Number, LastName: o.LastName, FirstName: o.FirstName, Average: ratFloat(o.Average),
			Credits: o.Credits, Decision: o.Decision, Computed: o.Computed, Jury: juryJSON(o.Jury), Missing: o.Missing}
		if o.Mention != "" {
			m := string(o.Mention)
			r.Mention = &m
		}
		if o.Rank > 0 {
			rank := o.Rank
			r.Rank = &rank
		}
		if y, ok := years[o.StudentID]; ok {
			r.Year = &YearJSON{Decision: y.Decision, Credits: y.Credits, Average: ratFloat(y.Average)}
		}
		for _, u := range o.UEs {
			r.UEs = append(r.UEs, UEOutcomeJSON{Code: u.Code, Average: ratFloat(u.Average), CreditsEarned: u.Earned, Status: u.Status})
			for _, s := range u.Subjects {
				r.Subjects = append(r.Subjects, SubjectResultJSON{Subject: s.Subject, UE: u.Code, Average: ratFloat(s.Average)})
			}
		}
		out = append(out, r)
	}
	return out
}

func juryJSON(entries []domain.JuryEntry) *JuryJSON {
	if len(entries) == 0 {
		return nil
	}
	j := &JuryJSON{}
	var reasons []string
	for _, e := range entries {
		if e.Decision != "" {
			d := e.Decision
			j.Decision = &d
		}
		j.Points += e.Points
		reasons = append(reasons, e.Reason)
	}
	j.Reason = strings.Join(reasons, "; ")
	return j
}

func ratFloat(r *big.Rat) *float64 {
	if r == nil {
		return nil
	}
	f, _ := r.Float64()
	return &f
}
