package domain_test

import (
	"strings"
	"testing"

	"scolarite/domain"
)

func TestSetRemark(t *testing.T) {
	s := newSchool(t)
	st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	diop := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}} // named on Maths only
	got, err := s.svc.SetRemark(ctx, diop, st.Number, "s1", "2026-2027", "maths", "  Bon  travail ")
	if err != nil {
		t.Fatal(err)
	}
	if r := got.RemarkOf("2026-2027", "S1", "Maths"); r != "Bon travail" || got.Remarks[0].Teacher != "prof.diop" || got.Remarks[0].Subject != "Maths" {
		t.Errorf("remarks = %+v", got.Remarks)
	}
	// Shown with the subject in the semesters view.
	sems, err := s.curricula.Semesters(ctx, admin, got)
	if err != nil || sems[0].UEs[0].Subjects[0].Remark != "Bon travail" {
		t.Errorf("the semesters view lacks the remark: %+v, %v", sems, err)
	}
	// Changed, then removed: one remark at most per subject and semester.
	if got, err = s.svc.SetRemark(ctx, admin, st.Number, "S1", "2026-2027", "Maths", "Très bien"); err != nil || len(got.Remarks) != 1 || got.Remarks[0].Text != "Très bien" {
		t.Errorf("after a change: %+v, %v", got.Remarks, err)
	}
	if got, err = s.svc.SetRemark(ctx, admin, st.Number, "S1", "2026-2027", "Maths", ""); err != nil || len(got.Remarks) != 0 {
		t.Errorf("after removal: %+v, %v", got.Remarks, err)
	}
	for _, tc := range []struct {
		name    string
		a       domain.Actor
		subject string
		text    string
		code    domain.Code
	}{
		{"another subject", diop, "Physique", "x", domain.EFORBIDDEN},
		{"not a subject", admin, "Chimie", "x", domain.EINVALID},
		{"too long", admin, "Maths", strings.Repeat("a", 301), domain.EINVALID},
		{"a control character", admin, "Maths", "a\x1b[2Jb", domain.EINVALID},
	} {
		if _, err := s.svc.SetRemark(ctx, tc.a, st.Number, "S1", "2026-2027", tc.subject, tc.text); domain.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.SetRemark(ctx, admin, st.Number, "S1", "2026-2027", "Maths", "trop tard"); domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a remark in a closed semester: %v, want ECONFLICT", err)
	}
}
