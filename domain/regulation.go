package domain

import (
	"fmt"
	"time"
)

// Regulation is the school's rules for semester results (the jury's
// rules, docs/ARCHITECTURE.md "Results"). It is versioned: every change
// is a new version, and results say which version computed them. The
// pass mark of a UE and a semester is 10/20, fixed by the LMD system.
type Regulation struct {
	Version int `json:"version"`
	// Barrier is the UE average below which a semester cannot be
	// validated by compensation (note plancher); nil: no barrier.
	Barrier *float64 `json:"barrier"`
	// JuryPointsCap bounds the points a jury may add to a UE or a
	// semester average.
	JuryPointsCap float64 `json:"jury_points_cap"`
	// AJACCredits is the year's credits from which a student not admitted
	// may go on to the next year (AJAC).
	AJACCredits int `json:"ajac_credits"`
	// YearCompensation lets the two semesters of a year compensate each
	// other: a year average of 10 or more validates both.
	YearCompensation bool      `json:"year_compensation"`
	ChangedAt        time.Time `json:"changed_at,omitzero"`
	ChangedBy        string    `json:"changed_by,omitempty"`
}

// DefaultRegulation is the regulation of a store that never set one.
func DefaultRegulation() Regulation {
	barrier := 8.0
	return Regulation{Version: 1, Barrier: &barrier, JuryPointsCap: 0.5, AJACCredits: 45}
}

// Validate checks the regulation's values.
func (r Regulation) Validate() error {
	var p problems
	if r.Barrier != nil && !(*r.Barrier >= 0 && *r.Barrier < PassMark) {
		p.add("barrier", fmt.Sprintf("must be at least 0 and below 10 (got %g), or none", *r.Barrier))
	}
	if !(r.JuryPointsCap >= 0 && r.JuryPointsCap <= 2) {
		p.add("jury_points_cap", fmt.Sprintf("must be between 0 and 2 (got %g)", r.JuryPointsCap))
	}
	if r.AJACCredits < 0 || r.AJACCredits > 60 {
		p.add("ajac_credits", fmt.Sprintf("must be between 0 and 60 (got %d)", r.AJACCredits))
	}
	return p.err()
}
