package export

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"scolarite/domain"
)

// StudentJSON is the stable JSON form of a student, documented in the
// README and shared by `students list --json`, `students show --json` and
// JSON exports: the data model's snake_case names, birth_date as
// YYYY-MM-DD, average null before the first grade, times in UTC.
type StudentJSON struct {
	Number    string `json:"number"`
	LastName  string `json:"last_name"`
	FirstName string `json:"first_name"`
	Phone     string `json:"phone"`
	Email     string `json:"email"`
	Class     string `json:"class"`
	Major     string `json:"major"`
	BirthDate string `json:"birth_date"`
	// The guardian contact, left out when not recorded.
	GuardianName  string      `json:"guardian_name,omitempty"`
	GuardianPhone string      `json:"guardian_phone,omitempty"`
	GuardianEmail string      `json:"guardian_email,omitempty"`
	Average       *float64    `json:"average"`
	Grades        []GradeJSON `json:"grades"`
	Version       int64       `json:"version"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

// GradeJSON is one grade inside StudentJSON.
type GradeJSON struct {
	ID          string    `json:"id"`
	Subject     string    `json:"subject"`
	Value       float64   `json:"value"`
	Coefficient float64   `json:"coefficient"`
	Date        time.Time `json:"date"`
	Teacher     string    `json:"teacher"`
	// Set for the grades of an evaluation only.
	EvaluationID string         `json:"evaluation_id,omitempty"`
	Absent       domain.Absence `json:"absent,omitempty"`
	Comment      string         `json:"comment,omitempty"`
}

// ToJSON returns the stable JSON form of s.
func ToJSON(s *domain.Student) StudentJSON {
	out := StudentJSON{Number: s.Number, LastName: s.LastName, FirstName: s.FirstName, Phone: s.Phone,
		Email: s.Email, Class: s.Class, Major: s.Major, BirthDate: s.BirthDate.String(),
		GuardianName: s.GuardianName, GuardianPhone: s.GuardianPhone, GuardianEmail: s.GuardianEmail,
		Average: s.Average, Grades: make([]GradeJSON, 0, len(s.Grades)), Version: s.Version,
		CreatedAt: s.CreatedAt.UTC(), UpdatedAt: s.UpdatedAt.UTC()}
	for _, g := range s.Grades {
		g.Date = g.Date.UTC()
		out.Grades = append(out.Grades, GradeJSON(g))
	}
	return out
}

// WriteJSON writes an indented JSON array of students, one element at a
// time (the same bytes as encoding the whole array with two-space indents,
// without holding a second copy of it).
func WriteJSON(ctx context.Context, students []*domain.Student, w io.Writer, opt Options) error {
	bw := bufio.NewWriter(w)
	if len(students) == 0 {
		_, _ = bw.WriteString("[]\n")
		return flush(bw)
	}
	_, _ = bw.WriteString("[\n  ")
	for i, s := range students {
		if err := opt.step(ctx, students, i); err != nil {
			return err
		}
		b, err := json.MarshalIndent(ToJSON(s), "  ", "  ")
		if err != nil {
			return fmt.Errorf("encode student %s: %w", s.Number, err)
		}
		if i > 0 {
			_, _ = bw.WriteString(",\n  ")
		}
		_, _ = bw.Write(b)
	}
	_, _ = bw.WriteString("\n]\n")
	opt.progress(len(students), len(students))
	return flush(bw)
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
