package store

import (
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
)

// studentDoc is a student as stored in the `students` collection. The
// domain types carry no bson tags; this struct owns the field names, which
// are the snake_case names of docs/ARCHITECTURE.md section 2 (the json
// tags name the same fields in FerretDB's SQLite file: students_sqlite.go).
type studentDoc struct {
	ID        bson.ObjectID `bson:"_id" json:"_id"`
	Number    string        `bson:"number" json:"number"`
	LastName  string        `bson:"last_name" json:"last_name"`
	FirstName string        `bson:"first_name" json:"first_name"`
	Phone     string        `bson:"phone" json:"phone"`
	Email     string        `bson:"email,omitempty" json:"email"`
	Class     string        `bson:"class" json:"class"`
	Major     string        `bson:"major" json:"major"`
	// BirthDate is "YYYY-MM-DD": a calendar day has no time zone, and a
	// BSON date would bring one back.
	BirthDate string `bson:"birth_date" json:"birth_date"`
	// The optional guardian contact; absent when not recorded. Not
	// indexed: siblings share a guardian, and nothing searches by it.
	GuardianName  string     `bson:"guardian_name,omitempty" json:"guardian_name"`
	GuardianPhone string     `bson:"guardian_phone,omitempty" json:"guardian_phone"`
	GuardianEmail string     `bson:"guardian_email,omitempty" json:"guardian_email"`
	Grades        []gradeDoc `bson:"grades" json:"grades"`
	// GradeCount duplicates len(Grades) so that the roster projection can
	// leave the grades array on the server.
	GradeCount int `bson:"grade_count" json:"grade_count"`
	// Average is absent (not null) when there are no grades, as the
	// architecture asks.
	Average *float64 `bson:"average,omitempty" json:"average"`
	// Terms are the semester averages (domain.TermAverage).
	Terms []termDoc `bson:"terms,omitempty" json:"terms"`
	// Remarks are the teachers' remarks (domain.Remark).
	Remarks   []remarkDoc `bson:"remarks,omitempty" json:"remarks"`
	Version   int64       `bson:"version" json:"version"`
	CreatedAt time.Time   `bson:"created_at" json:"created_at"`
	UpdatedAt time.Time   `bson:"updated_at" json:"updated_at"`
	// Write is the token of the claim whose write made this version, and
	// Deleted marks the tombstone a delete leaves until its trail is
	// delivered; every read skips tombstones (see trail.go).
	Write   string `bson:"write,omitempty" json:"write"`
	Deleted bool   `bson:"deleted,omitempty" json:"deleted"`
}

// termDoc is one semester average of a student.
type termDoc struct {
	Year     string   `bson:"year" json:"year"`
	Semester string   `bson:"semester" json:"semester"`
	Average  *float64 `bson:"average" json:"average"`
}

// remarkDoc is a teacher's remark on a student in a subject of a semester.
type remarkDoc struct {
	Year     string    `bson:"year" json:"year"`
	Semester string    `bson:"semester" json:"semester"`
	Subject  string    `bson:"subject" json:"subject"`
	Text     string    `bson:"text" json:"text"`
	Teacher  string    `bson:"teacher" json:"teacher"`
	At       time.Time `bson:"at" json:"at"`
}

// gradeDoc is one element of a student's `grades` array (and the `grade`
// of an event).
type gradeDoc struct {
	ID          string    `bson:"id" json:"id"`
	Subject     string    `bson:"subject" json:"subject"`
	Value       float64   `bson:"value" json:"value"`
	Coefficient float64   `bson:"coefficient" json:"coefficient"`
	Date        time.Time `bson:"date" json:"date"`
	Teacher     string    `bson:"teacher" json:"teacher"`
	// The evaluation a grade marks (absent for grades typed before
	// curricula), an absence instead of a value, a comment.
	EvaluationID string `bson:"evaluation_id,omitempty" json:"evaluation_id"`
	Absent       string `bson:"absent,omitempty" json:"absent"`
	Comment      string `bson:"comment,omitempty" json:"comment"`
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
	for _, r := range s.Remarks {
		d.Remarks = append(d.Remarks, remarkDoc{Year: r.Year, Semester: r.Semester, Subject: r.Subject, Text: r.Text, Teacher: r.Teacher, At: r.At})
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
	for _, r := range d.Remarks {
		s.Remarks = append(s.Remarks, domain.Remark{Year: r.Year, Semester: r.Semester, Subject: r.Subject, Text: r.Text, Teacher: r.Teacher, At: r.At})
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
