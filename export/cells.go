package export

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// Spreadsheets store what people typed in many shapes: phones as numbers
// (771234567, 7.71234567E+08), dates as serial numbers or JJ/MM/AAAA,
// grades with a decimal comma or as 13.330000000000002. These functions
// bring a cell back to the text the domain parses.

var (
	integralFloat = regexp.MustCompile(`^[0-9]+\.0+$`)
	exponentFloat = regexp.MustCompile(`^[0-9]+(?:[.,][0-9]+)?[eE][+]?[0-9]+$`)
	dmyDate       = regexp.MustCompile(`^([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{2,4})$`)
	isoDate       = regexp.MustCompile(`^([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T].*)?$`)
	serialDate    = regexp.MustCompile(`^[0-9]{1,7}(?:\.[0-9]+)?$`)
)

// phoneCell undoes a spreadsheet's number formatting of a phone: 771234567.0
// and 7.71234567E+08 become 771234567.
func phoneCell(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case integralFloat.MatchString(s):
		return s[:strings.IndexByte(s, '.')]
	case exponentFloat.MatchString(s):
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err == nil && v == math.Trunc(v) && v > 0 && v < 1e16 {
			return strconv.FormatFloat(v, 'f', 0, 64)
		}
	}
	return s
}

// phoneRetry is the second reading of a phone the parser refused: a bare
// number long enough to hold a country code (221771234567, how a
// spreadsheet shows +221 77 123 45 67 kept as a number) gets its "+" back.
func phoneRetry(s string) (string, bool) {
	if len(s) < 11 || len(s) > 15 {
		return "", false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return "", false
		}
	}
	return "+" + s, true
}

// gradeCell prepares a grade for the domain's parser, which takes "12,5"
// and "12.5": it drops a "/20" suffix and rounds a binary float
// (13.330000000000002) or an exponent form a spreadsheet wrote, to two
// decimals, the most a grade has.
func gradeCell(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "/20"))
	if exponentFloat.MatchString(s) || longDecimals(s) {
		v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		// Only a binary float's noise is rounded away: a value that really
		// has more than two decimals (0.0000001) is left for the domain to
		// refuse.
		if r := math.Round(v*100) / 100; err == nil && !math.IsInf(v, 0) && !math.IsNaN(v) {
			if math.Abs(v-r) < 1e-9 {
				return strconv.FormatFloat(r, 'f', -1, 64)
			}
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return s
}

func longDecimals(s string) bool {
	i := strings.IndexAny(s, ".,")
	return i >= 0 && len(s)-i-1 > 6
}

// dateCell turns the written forms of a birth date into YYYY-MM-DD:
// AAAA-MM-JJ (with or without a time), JJ/MM/AAAA (also with - or .), and
// Excel serial numbers. A two-digit year is refused rather than guessed.
func dateCell(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	var y, m, d int
	switch {
	case isoDate.MatchString(s):
		p := isoDate.FindStringSubmatch(s)
		y, m, d = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case dmyDate.MatchString(s):
		p := dmyDate.FindStringSubmatch(s)
		if len(p[3]) != 4 {
			return "", fmt.Errorf("has a two-digit year: write the year in full, e.g. 05/04/2003 (got %s)", s)
		}
		d, m, y = atoi(p[1]), atoi(p[2]), atoi(p[3])
	case serialDate.MatchString(s):
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 1 || v > 2958465 {
			return "", fmt.Errorf("is not a date: write JJ/MM/AAAA or AAAA-MM-JJ (got %s)", s)
		}
		t, err := excelize.ExcelDateToTime(v, false)
		if err != nil {
			return "", fmt.Errorf("is not a date: write JJ/MM/AAAA or AAAA-MM-JJ (got %s)", s)
		}
		return t.Format("2006-01-02"), nil
	default:
		return "", fmt.Errorf("is not a date: write JJ/MM/AAAA or AAAA-MM-JJ (got %s)", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", fmt.Errorf("is not a real day (got %s)", s)
	}
	return t.Format("2006-01-02"), nil
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// cleanCell trims a cell, removes the apostrophe a CSV export put in front
// of a formula-like value, and turns non-breaking spaces (French
// spreadsheets' thousands separator) into plain ones.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\u00a0", " ")
	s = strings.ReplaceAll(s, "\u202f", " ")
	return strings.TrimSpace(unneutralise(strings.TrimSpace(s)))
}
