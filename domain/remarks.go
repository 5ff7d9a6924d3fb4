package domain

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"
)

// Remark is a teacher's remark (appréciation) on a student in a subject
// for one semester: shown with the subject in the semesters view, the
// grade sheet and the report card.
type Remark struct {
	Year     string    `json:"year"`
	Semester string    `json:"semester"`
	Subject  string    `json:"subject"`
	Text     string    `json:"text"`
	Teacher  string    `json:"teacher"`
	At       time.Time `json:"at"`
}

const maxRemark = 300

// RemarkOf is the student's remark in a subject of a semester, "" when
// none.
func (st *Student) RemarkOf(year, semester, subject string) string {
	for _, r := range st.Remarks {
		if r.Year == year && r.Semester == semester && FoldLabel(r.Subject) == FoldLabel(subject) {
			return r.Text
		}
	}
	return ""
}

// SetRemark writes the remark on a student in a subject of a semester of
// a year (no subject: the overall remark, admins only), or removes it
// (empty text): those who may
// mark the subject, while the semester is open. One write of the student,
// with its trail.
func (s *StudentService) SetRemark(ctx context.Context, a Actor, ref, semester, year, subject, text string) (*Student, error) {
	if s.curricula == nil {
		return nil, Errorf(EUNAVAILABLE, "curricula are not available here")
	}
	text = cleanName(text)
	if err := CheckText("remark", text, SingleLine); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(text); n > maxRemark {
		return nil, Invalid("remark", fmt.Sprintf("is %d characters long; at most %d", n, maxRemark))
	}
	sem, err := ParseSemester(semester)
	if err != nil {
		return nil, err
	}
	if year, err = ParseYear(year); err != nil {
		return nil, err
	}
	var c *Curriculum
	may := func(st *Student) error {
		if c, err = s.curricula.Curriculum(ctx, st.Class, sem, year); err != nil {
			return err
		}
		if cleanName(subject) == "" {
			// The overall remark (the class council's): admins.
			if a.Role != RoleAdmin {
				return forbidden(a, OpManageCurricula)
			}
			subject = ""
			return c.MayGrade(a, "")
		}
		_, sub, ok := c.Subject(subject)
		if !ok {
			return Invalid("subject", "is not a subject of "+c.Key()+" (got "+Quote(cleanName(subject), 60)+")")
		}
		subject = sub.Name
		return c.MayGrade(a, subject)
	}
	st, err := s.mutateWith(ctx, a, ref, 0, OpChangeGrade, may, func(st *Student) (*Event, error) {
		i := slices.IndexFunc(st.Remarks, func(r Remark) bool {
			return r.Year == year && r.Semester == sem && FoldLabel(r.Subject) == FoldLabel(subject)
		})
		switch {
		case i >= 0 && text == "":
			st.Remarks = slices.Delete(st.Remarks, i, i+1)
		case i >= 0:
			st.Remarks[i].Text, st.Remarks[i].Teacher, st.Remarks[i].At = text, a.Name, s.now().UTC()
		case text != "":
			st.Remarks = append(st.Remarks, Remark{Year: year, Semester: sem, Subject: subject, Text: text, Teacher: a.Name, At: s.now().UTC()})
		default:
			return nil, errNothingToDo
		}
		return &Event{Type: EventStudentUpdated}, nil
	})
	if errors.Is(err, errNothingToDo) {
		return s.find(ctx, ref)
	}
	return st, err
}
