package domain

import (
	"math/big"
	"slices"
)

// Mention is the honour of a validated semester, by its average.
type Mention string

const (
	MentionPassable  Mention = "Passable"   // [10, 12)
	MentionAssezBien Mention = "Assez bien" // [12, 14)
	MentionBien      Mention = "Bien"       // [14, 16)
	MentionTresBien  Mention = "Très bien"  // [16, 18)
	MentionExcellent Mention = "Excellent"  // 18 and more
)

// MentionOf is the mention of a semester decided d with average avg: none
// unless validated with an average of 10 or more.
func MentionOf(d Decision, avg *big.Rat) Mention {
	if !d.Validated() || avg == nil || avg.Cmp(passMark) < 0 {
		return ""
	}
	for _, m := range []struct {
		from int64
		m    Mention
	}{{18, MentionExcellent}, {16, MentionTresBien}, {14, MentionBien}, {12, MentionAssezBien}} {
		if avg.Cmp(big.NewRat(m.from, 1)) >= 0 {
			return m.m
		}
	}
	return MentionPassable
}

// RankOutcomes numbers the outcomes by semester average, the best first; equal
// averages share a rank (1, 2, 2, 4); no average, no rank (0).
func RankOutcomes(outcomes []SemesterOutcome) {
	order := make([]int, 0, len(outcomes))
	for i := range outcomes {
		outcomes[i].Rank = 0
		if outcomes[i].Average != nil {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return outcomes[b].Average.Cmp(outcomes[a].Average) })
	for k, i := range order {
		if k > 0 && outcomes[i].Average.Cmp(outcomes[order[k-1]].Average) == 0 {
			outcomes[i].Rank = outcomes[order[k-1]].Rank
		} else {
			outcomes[i].Rank = k + 1
		}
	}
}

// YearOutcome is a student's year: its two semesters together.
type YearOutcome struct {
	Average  *big.Rat // the credit-weighted mean of the two semesters
	Credits  int
	Decision Decision
}

// Year decides a year from its two semesters' results: ADM when both are
// validated (with year compensation on, also when the year average is 10
// or more: both semesters are then validated); AJAC with at least the
// regulation's credits; else AJ.
func Year(a, b SemesterOutcome, reg Regulation) YearOutcome {
	var avg mean
	total := 0
	for _, s := range []SemesterOutcome{a, b} {
		credits := 0
		for _, u := range s.UEs {
			credits += u.Credits
		}
		total += credits
		avg.add(s.Average, ratInt(credits))
	}
	y := YearOutcome{Average: avg.value(), Credits: a.Credits + b.Credits}
	switch {
	case a.Decision.Validated() && b.Decision.Validated():
		y.Decision = DecisionADM
	case reg.YearCompensation && y.Average != nil && y.Average.Cmp(passMark) >= 0 &&
		a.Decision != DecisionDEF && b.Decision != DecisionDEF:
		y.Decision, y.Credits = DecisionADM, total
	case y.Credits >= reg.AJACCredits:
		y.Decision = DecisionAJAC
	default:
		y.Decision = DecisionAJ
	}
	return y
}

// FormatAverage writes an exact average for people: 2 decimals, half up,
// with a decimal comma when comma; "" for none.
func FormatAverage(avg *big.Rat, comma bool) string {
	if avg == nil {
		return ""
	}
	s := avg.FloatString(2) // halves away from zero: up, for marks
	if comma {
		return replaceDot(s)
	}
	return s
}

func replaceDot(s string) string {
	b := []byte(s)
	for i := range b {
		if b[i] == '.' {
			b[i] = ','
		}
	}
	return string(b)
}
