package domain_test

import (
	"math"
	"testing"

	"scolarite/domain"
)

func TestParseGradeValueAccepts(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"12,5", 12.5},
		{"12.5", 12.5},
		{" 12.5 ", 12.5},
		{"0", 0},
		{"20", 20},
		{"20,00", 20},
		{"9.99", 9.99},
		{"7", 7},
		{",5", 0.5},
	}
	for _, tt := range tests {
		got, err := domain.ParseGradeValue(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseGradeValue(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseGradeValueRejects(t *testing.T) {
	for _, in := range []string{"21", "20.01", "-1", "-0.5", "NaN", "nan", "abc", "", "   ", "1e1",
		"Inf", "+Inf", "-Inf", "0x10", " 12 , 5", "12,5,0", "12.5.0", "1 000", "12_5", "½", "."} {
		got, err := domain.ParseGradeValue(in)
		if err == nil {
			t.Errorf("ParseGradeValue(%q) = %v, want an error", in, got)
			continue
		}
		wantInvalid(t, err, "value")
	}
}

func TestParseCoefficient(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"", 1},
		{"  ", 1},
		{"2", 2},
		{"1,5", 1.5},
		{"0.5", 0.5},
		{"100", 100},
	}
	for _, tt := range tests {
		got, err := domain.ParseCoefficient(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseCoefficient(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"0", "-2", "0,0", "abc", "NaN", "Inf", "1e2", "101"} {
		got, err := domain.ParseCoefficient(in)
		if err == nil {
			t.Errorf("ParseCoefficient(%q) = %v, want an error", in, got)
			continue
		}
		wantInvalid(t, err, "coefficient")
	}
}

func TestWeightedAverage(t *testing.T) {
	g := func(v, c float64) domain.Grade { return domain.Grade{Value: v, Coefficient: c} }
	tests := []struct {
		name   string
		grades []domain.Grade
		want   float64
	}{
		{"one grade", []domain.Grade{g(12.5, 1)}, 12.5},
		{"equal weights", []domain.Grade{g(10, 1), g(16, 1)}, 13},
		{"coefficients", []domain.Grade{g(10, 1), g(16, 2)}, 14},
		{"fractional coefficient", []domain.Grade{g(20, 0.5), g(8, 1.5)}, 11},
		{"rounded to 4 decimals", []domain.Grade{g(10, 1), g(10, 1), g(11, 1)}, 10.3333},
		{"all zeros", []domain.Grade{g(0, 1), g(0, 3)}, 0},
	}
	for _, tt := range tests {
		wantAvg(t, tt.name, domain.WeightedAverage(tt.grades), tt.want)
	}
	if got := domain.WeightedAverage(nil); got != nil {
		t.Errorf("WeightedAverage(nil) = %v, want nil", *got)
	}
	if got := domain.WeightedAverage([]domain.Grade{}); got != nil {
		t.Errorf("WeightedAverage(empty) = %v, want nil", *got)
	}
}

func FuzzParseGradeValue(f *testing.F) {
	for _, s := range []string{"12,5", "12.5", "0", "20", "21", "-1", "NaN", "1e1", "0x10", " 12 , 5", "-0", "+20", "20.000000000000001"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := domain.ParseGradeValue(s)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("ParseGradeValue(%q): code %q", s, domain.ErrorCode(err))
			}
			if v != 0 {
				t.Fatalf("ParseGradeValue(%q) = %v with an error", s, v)
			}
			return
		}
		if math.IsNaN(v) || v < domain.MinGrade || v > domain.MaxGrade {
			t.Fatalf("ParseGradeValue(%q) = %v, outside [0, 20]", s, v)
		}
	})
}
