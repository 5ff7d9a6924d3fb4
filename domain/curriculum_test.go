package domain_test

import (
	"strings"
	"testing"

	"scolarite/domain"
)

func TestTransition(t *testing.T) {
	tests := []struct {
		from   domain.SemesterStatus
		act    domain.SemesterAction
		reason string
		want   domain.SemesterStatus
		code   domain.Code
	}{
		{"", domain.ActionClose, "", domain.SemesterClosed, ""},
		{domain.SemesterOpen, domain.ActionClose, "", domain.SemesterClosed, ""},
		{domain.SemesterOpen, domain.ActionPublish, "", "", domain.ECONFLICT},
		{domain.SemesterOpen, domain.ActionReopen, "oubli", "", domain.ECONFLICT},
		{domain.SemesterClosed, domain.ActionClose, "", "", domain.ECONFLICT},
		{domain.SemesterClosed, domain.ActionPublish, "", domain.SemesterPublished, ""},
		{domain.SemesterClosed, domain.ActionReopen, "", "", domain.EINVALID},
		{domain.SemesterClosed, domain.ActionReopen, "copie oubliée", domain.SemesterOpen, ""},
		{domain.SemesterPublished, domain.ActionReopen, "erreur de saisie", domain.SemesterOpen, ""},
		{domain.SemesterPublished, domain.ActionPublish, "", "", domain.ECONFLICT},
		{domain.SemesterOpen, "archive", "", "", domain.EINVALID},
	}
	for _, tt := range tests {
		got, err := domain.Transition(tt.from, tt.act, tt.reason)
		if got != tt.want || domain.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%s from %q (reason %q) = %q, %v; want %q, code %q", tt.act, tt.from, tt.reason, got, err, tt.want, tt.code)
		}
	}
}

func TestMayGrade(t *testing.T) {
	admin := domain.Actor{Name: "admin", Role: domain.RoleAdmin}
	diop := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher}
	classWide := domain.Actor{Name: "prof.fall", Role: domain.RoleTeacher, Classes: []string{"L1-INFO"}}
	other := domain.Actor{Name: "prof.sy", Role: domain.RoleTeacher, Classes: []string{"L2-INFO"}}
	student := domain.Actor{Name: "eleve", Role: domain.RoleStudent}
	tests := []struct {
		actor   domain.Actor
		subject string
		status  domain.SemesterStatus
		code    domain.Code
	}{
		{admin, "Physique", domain.SemesterOpen, ""},
		{diop, "maths", domain.SemesterOpen, ""},                   // named among the subject's teachers
		{diop, "Physique", domain.SemesterOpen, domain.EFORBIDDEN}, // not a subject of theirs
		{classWide, "Anglais", domain.SemesterOpen, ""},            // the old scope: the whole class
		{other, "Maths", domain.SemesterOpen, domain.EFORBIDDEN},
		{student, "Maths", domain.SemesterOpen, domain.EFORBIDDEN},
		{diop, "Maths", domain.SemesterClosed, domain.ECONFLICT},
		{admin, "Maths", domain.SemesterPublished, domain.ECONFLICT},
	}
	for _, tt := range tests {
		c := testCurriculum()
		c.Status = tt.status
		err := c.MayGrade(tt.actor, tt.subject)
		if domain.ErrorCode(err) != tt.code && !(tt.code == "" && err == nil) {
			t.Errorf("%s grading %s in a %s semester: %v, want code %q", tt.actor.Name, tt.subject, tt.status, err, tt.code)
		}
	}
}

func TestCurriculumValidate(t *testing.T) {
	valid := func() *domain.Curriculum { c := testCurriculum(); c.Class, c.Semester = " l1-info ", "s1"; return c }
	c := valid()
	if err := c.Validate(); err != nil {
		t.Fatalf("valid curriculum refused: %v", err)
	}
	if c.Class != "L1-INFO" || c.Semester != "S1" || c.Credits() != 10 {
		t.Errorf("normalised to %q %q, %d credits", c.Class, c.Semester, c.Credits())
	}
	tests := []struct {
		name   string
		change func(*domain.Curriculum)
		field  string
		reason string
	}{
		{"semester", func(c *domain.Curriculum) { c.Semester = "S11" }, "semester", "S1 to S10"},
		{"year", func(c *domain.Curriculum) { c.Year = "2026-2028" }, "year", "consecutive"},
		{"no UE", func(c *domain.Curriculum) { c.UEs = nil }, "ues", "at least one UE"},
		{"UE twice", func(c *domain.Curriculum) { c.UEs[1].Code = "ue1" }, "ue UE1", "twice"},
		{"credits", func(c *domain.Curriculum) { c.UEs[0].Credits = 0 }, "ue UE1 credits", "1 to 60"},
		{"subject twice", func(c *domain.Curriculum) { c.UEs[1].Subjects[0].Name = "MATHS" }, "subject MATHS", "twice"},
		{"coefficient", func(c *domain.Curriculum) { c.UEs[0].Subjects[1].Coefficient = 0 }, "subject Physique coefficient", "greater than 0"},
		{"subject named like a column", func(c *domain.Curriculum) { c.UEs[0].Subjects[1].Name = "Moyenne" }, "ue UE1 subject", "column"},
		{"title", func(c *domain.Curriculum) { c.UEs[0].Title = "" }, "ue UE1 title", "required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.change(c)
			err := c.Validate()
			e := wantCode(t, err, domain.EINVALID)
			for _, p := range e.Problems {
				if p.Field == tt.field && strings.Contains(p.Reason, tt.reason) {
					return
				}
			}
			t.Errorf("problems %+v do not name %s: …%s…", e.Problems, tt.field, tt.reason)
		})
	}
}

func TestCurriculumCloneIsDeep(t *testing.T) {
	orig := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Version: 3, Status: domain.SemesterOpen,
		UEs: []domain.UE{{Code: "UE11", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{
			{Name: "Maths", Coefficient: 2, Teachers: []string{"prof"}}, {Name: "Physique", Coefficient: 1}}}}}
	c := orig.Clone()
	if c == orig || c.Key() != orig.Key() || c.Version != 3 || c.UEs[0].Subjects[0].Teachers[0] != "prof" {
		t.Fatalf("clone %+v of %+v", c, orig)
	}
	c.UEs[0].Title = "Autre"
	c.UEs[0].Subjects[0].Coefficient = 5
	c.UEs[0].Subjects[0].Teachers[0] = "m.sarr"
	c.UEs[0].Subjects = append(c.UEs[0].Subjects[:1], domain.CourseSubject{Name: "Chimie", Coefficient: 1})
	c.UEs = append(c.UEs, domain.UE{Code: "UE12"})
	ue := orig.UEs[0]
	if len(orig.UEs) != 1 || ue.Title != "Sciences" || ue.Subjects[0].Coefficient != 2 ||
		ue.Subjects[0].Teachers[0] != "prof" || ue.Subjects[1].Name != "Physique" {
		t.Errorf("changing the clone changed the original: %+v", orig)
	}
	if (*domain.Curriculum)(nil).Clone() != nil {
		t.Error("the clone of nil is not nil")
	}
}
