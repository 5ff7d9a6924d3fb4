package domain

import (
	"context"
	"time"
)

// AgeReport is a result of the analytics job: the age distribution per
// major of the students the event stream describes.
type AgeReport struct {
	GeneratedAt time.Time `json:"generated_at"`
	Topic       string    `json:"topic"`
	MinAge      int       `json:"min_age"` // students strictly older are kept
	// Messages read, sent to the dead-letter topic, filtered out by age,
	// and kept.
	Read     int64 `json:"read"`
	Rejected int64 `json:"rejected"`
	Filtered int64 `json:"filtered"`
	Kept     int64 `json:"kept"`
	// Students kept (one per matricule; a message without one is one
	// student) and their mean age; nil when there is none.
	Students int64       `json:"students"`
	Mean     *float64    `json:"mean"`
	Majors   []MajorAges `json:"majors"`
}

// MajorAges summarises the ages of one major's students (exact figures;
// quartiles by linear interpolation between order statistics).
type MajorAges struct {
	Major    string   `json:"major"`
	Students int64    `json:"students"`
	Mean     float64  `json:"mean"`
	Std      *float64 `json:"std"` // sample standard deviation; nil for one student
	Min      float64  `json:"min"`
	Q1       float64  `json:"q1"`
	Median   float64  `json:"median"`
	Q3       float64  `json:"q3"`
	Max      float64  `json:"max"`
}

// AgeReports reads the analytics job's latest report. Implemented by
// analytics.
type AgeReports interface {
	// Latest returns nil and no error when the job never ran.
	Latest(ctx context.Context) (*AgeReport, error)
}
