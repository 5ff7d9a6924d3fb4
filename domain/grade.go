package domain

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Grade bounds and the pass mark, on the French /20 scale.
const (
	MinGrade  = 0.0
	MaxGrade  = 20.0
	PassMark  = 10.0
	maxCoeffs = 100.0
)

// Grade is one mark of a student in a subject. A grade of an evaluation
// (EvaluationID set) may instead record an absence; grades without one
// are those typed before curricula, kept as they were.
type Grade struct {
	ID           string    `json:"id"`
	Subject      string    `json:"subject"`
	Value        float64   `json:"value"`
	Coefficient  float64   `json:"coefficient"`
	Date         time.Time `json:"date"`
	Teacher      string    `json:"teacher"`
	EvaluationID string    `json:"evaluation_id,omitempty"`
	Absent       Absence   `json:"absent,omitempty"`
	Comment      string    `json:"comment,omitempty"`
}

// GradeInput is a grade as typed by a person: value and coefficient are text
// so that "12,5" and "12.5" both work.
type GradeInput struct {
	Subject     string
	Value       string
	Coefficient string // empty means 1
}

// ParseGradeValue accepts "12.5" or "12,5" in [0, 20].
func ParseGradeValue(s string) (float64, error) {
	v, err := parseDecimal(s)
	if err != nil {
		return 0, Invalid("value", err.Error())
	}
	if v < MinGrade || v > MaxGrade {
		return 0, Invalid("value", "must be between 0 and 20 (got "+strings.TrimSpace(s)+")")
	}
	// Averages, reports and files show two decimals: a grade with more
	// would be shown as another value than the one stored.
	if _, frac, ok := strings.Cut(strings.Replace(strings.TrimSpace(s), ",", ".", 1), "."); ok && len(strings.TrimRight(frac, "0")) > 2 {
		return 0, Invalid("value", "has more than two decimals (got "+Quote(strings.TrimSpace(s), 40)+")")
	}
	return v, nil
}

// ParseCoefficient accepts a positive decimal; empty means 1.
func ParseCoefficient(s string) (float64, error) {
	if err := CheckText("coefficient", strings.TrimSpace(s), SingleLine); err != nil {
		return 0, err
	}
	if strings.TrimSpace(s) == "" {
		return 1, nil
	}
	v, err := parseDecimal(s)
	if err != nil {
		return 0, Invalid("coefficient", err.Error())
	}
	if v <= 0 || v > maxCoeffs {
		return 0, Invalid("coefficient", "must be greater than 0 and at most 100 (got "+strings.TrimSpace(s)+")")
	}
	return v, nil
}

type parseError string

func (e parseError) Error() string { return string(e) }

// FormatDecimal writes v with decimals decimals (-1: as many as needed),
// with a decimal comma when comma is set ("12,5", the French way): the
// inverse of what grade parsing accepts. Every screen, file and message
// writes its numbers through it.
func FormatDecimal(v float64, decimals int, comma bool) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if comma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// parseDecimal reads a plain decimal number with a point or a comma. It
// refuses what strconv would also take but a person did not mean: NaN, Inf,
// hex, exponents, thousands separators.
func parseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if reason := textReason(s, SingleLine); reason != "" {
		return 0, parseError(reason)
	}
	if s == "" {
		return 0, parseError("is required")
	}
	s = strings.Replace(s, ",", ".", 1)
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot:
			dot = true
		case (r == '-' || r == '+') && i == 0:
		default:
			return 0, parseError("is not a number")
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, parseError("is not a number")
	}
	return v, nil
}

// WeightedAverage is Σ(value×coefficient)/Σcoefficient, or nil with no grades.
func WeightedAverage(grades []Grade) *float64 {
	var sum, weights float64
	for _, g := range grades {
		sum += g.Value * g.Coefficient
		weights += g.Coefficient
	}
	if weights == 0 {
		return nil
	}
	avg := math.Round(sum/weights*1e4) / 1e4
	return &avg
}
