package store

import (
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

// studentDoc is a student as stored in the `students` collection. The
// domain types carry no bson tags; this struct owns the field names, which
// are the snake_case names of docs/ARCHITECTURE.md section 2.
type studentDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	Number    string        `bson:"number"`
	LastName  string        `bson:"last_name"`
	FirstName string        `bson:"first_name"`
	Phone     string        `bson:"phone"`
	Email     string        `bson:"email,omitempty"`
	Class     string        `bson:"class"`
	Major     string        `bson:"major"`
	// BirthDate is "YYYY-MM-DD": a calendar day has no time zone, and a
	// BSON date would bring one back.
	BirthDate string `bson:"birth_date"`
	// The optional guardian contact; absent when not recorded. Not
	// indexed: siblings share a guardian, and nothing searches by it.
	GuardianName  string     `bson:"guardian_name,omitempty"`
	GuardianPhone string     `bson:"guardian_phone,omitempty"`
	GuardianEmail string     `bson:"guardian_email,omitempty"`
	Grades        []gradeDoc `bson:"grades"`
	// GradeCount duplicates len(Grades) so that the roster projection can
	// leave the grades array on the server.
	GradeCount int `bson:"grade_count"`
	// Average is absent (not null) when there are no grades, as the
	// architecture asks.
	Average *float64 `bson:"average,omitempty"`
	// Terms are the semester averages (domain.TermAverage).
	Terms     []termDoc `bson:"terms,omitempty"`
	Version   int64     `bson:"version"`
	CreatedAt time.Time `bson:"created_at"`
	UpdatedAt time.Time `bson:"updated_at"`
	// Write is the token of the claim whose write made this version, and
	// Deleted marks the tombstone a delete leaves until its trail is
	// delivered; every read skips tombstones (see trail.go).
	Write   string `bson:"write,omitempty"`
	Deleted bool   `bson:"deleted,omitempty"`
}

// termDoc is one semester average of a student.
type termDoc struct {
	Year     string   `bson:"year"`
	Semester string   `bson:"semester"`
	Average  *float64 `bson:"average"`
}

// gradeDoc is one element of a student's `grades` array (and the `grade`
// of an event).
type gradeDoc struct {
	ID          string    `bson:"id"`
	Subject     string    `bson:"subject"`
	Value       float64   `bson:"value"`
	Coefficient float64   `bson:"coefficient"`
	Date        time.Time `bson:"date"`
	Teacher     string    `bson:"teacher"`
	// The evaluation a grade marks (absent for grades typed before
	// curricula), an absence instead of a value, a comment.
	EvaluationID string `bson:"evaluation_id,omitempty"`
	Absent       string `bson:"absent,omitempty"`
	Comment      string `bson:"comment,omitempty"`
}

func toStudentDoc(s *domain.Student, id bson.ObjectID) studentDoc {
	d := studentDoc{
		ID: id, Number: s.Number, LastName: s.LastName, FirstName: s.FirstName,
		Phone: s.Phone, Email: s.Email, Class: s.Class, Major: s.Major,
		GuardianName: s.GuardianName, GuardianPhone: s.GuardianPhone, GuardianEmail: s.GuardianEmail,
		Grades: make([]gradeDoc, 0, len(s.Grades)), GradeCount: len(s.Grades),
		Average: s.Average, Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt,
	}
	if !s.BirthDate.IsZero() {
		d.BirthDate = s.BirthDate.String()
	}
	for _, g := range s.Grades {
		d.Grades = append(d.Grades, toGradeDoc(g))
	}
	for _, t := range s.Terms {
		d.Terms = append(d.Terms, termDoc{Year: t.Year, Semester: t.Semester, Average: t.Average})
	}
	return d
}

func (d *studentDoc) student() (*domain.Student, error) {
	s := &domain.Student{
		ID: d.ID.Hex(), Number: d.Number, LastName: d.LastName, FirstName: d.FirstName,
		Phone: d.Phone, Email: d.Email, Class: d.Class, Major: d.Major,
		GuardianName: d.GuardianName, GuardianPhone: d.GuardianPhone, GuardianEmail: d.GuardianEmail,
		Average: d.Average, Version: d.Version, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
	}
	if d.BirthDate != "" {
		bd, err := domain.ParseDate(d.BirthDate)
		if err != nil {
			return nil, fmt.Errorf("student %s: stored birth_date %q: %w", d.Number, d.BirthDate, err)
		}
		s.BirthDate = bd
	}
	// Never nil: the domain creates students with an empty list, and an
	// export then writes [] rather than null.
	s.Grades = make([]domain.Grade, len(d.Grades))
	for i, g := range d.Grades {
		s.Grades[i] = g.grade()
	}
	for _, t := range d.Terms {
		s.Terms = append(s.Terms, domain.TermAverage{Year: t.Year, Semester: t.Semester, Average: t.Average})
	}
	return s, nil
}

func toGradeDoc(g domain.Grade) gradeDoc {
	return gradeDoc{ID: g.ID, Subject: g.Subject, Value: g.Value, Coefficient: g.Coefficient, Date: g.Date, Teacher: g.Teacher,
		EvaluationID: g.EvaluationID, Absent: string(g.Absent), Comment: g.Comment}
}

func (g gradeDoc) grade() domain.Grade {
	return domain.Grade{ID: g.ID, Subject: g.Subject, Value: g.Value, Coefficient: g.Coefficient, Date: g.Date, Teacher: g.Teacher,
		EvaluationID: g.EvaluationID, Absent: domain.Absence(g.Absent), Comment: g.Comment}
}
