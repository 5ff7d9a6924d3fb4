package domain_test

import (
	"slices"
	"testing"

	"scolarite/domain"
)

// TestAuthorizeTable walks every role × every op × every kind of target
// against an explicit table of what is allowed.
func TestAuthorizeTable(t *testing.T) {
	const me = "000000000000000000000001" // the student actor's record
	roles := map[string]domain.Actor{
		"admin":   admin,
		"teacher": teacherL3, // teaches L3-INFO
		// named on a subject of L3-INFO only: reads the class, marks what
		// the curriculum says (no free grades)
		"subject teacher": {Name: "prof.ba", Role: domain.RoleTeacher, Taught: []string{"L3-INFO"}},
		"student":         studentActor(me),
	}
	type target struct{ class, studentID string }
	targets := map[string]target{
		"school":             {"", ""},
		"own class, own":     {"L3-INFO", me},
		"own class, other":   {"L3-INFO", "000000000000000000000002"},
		"other class, own":   {"M1-MATH", me},
		"other class, other": {"M1-MATH", "000000000000000000000003"},
		"own class, no id":   {"L3-INFO", ""},
	}
	all := []string{"school", "own class, own", "own class, other", "other class, own", "other class, other", "own class, no id"}
	ownClass := []string{"own class, own", "own class, other", "own class, no id"}
	schoolOrOwnClass := append([]string{"school"}, ownClass...)
	ownRecord := []string{"own class, own", "other class, own"}

	// allowed[role][op] lists the targets where the op is permitted.
	allowed := map[string]map[domain.Op][]string{
		"admin": {
			domain.OpListStudents: all, domain.OpReadStudent: all, domain.OpCreateStudent: all,
			domain.OpUpdateStudent: all, domain.OpDeleteStudent: all, domain.OpAddGrade: all,
			domain.OpChangeGrade: all, domain.OpRemoveGrade: all, domain.OpViewStats: all,
			domain.OpManageUsers: all, domain.OpManageCurricula: all,
		},
		"teacher": {
			domain.OpListStudents: schoolOrOwnClass, domain.OpReadStudent: ownClass,
			domain.OpCreateStudent: nil, domain.OpUpdateStudent: nil, domain.OpDeleteStudent: nil,
			domain.OpAddGrade: ownClass, domain.OpChangeGrade: ownClass, domain.OpRemoveGrade: ownClass,
			domain.OpViewStats: schoolOrOwnClass, domain.OpManageUsers: nil, domain.OpManageCurricula: nil,
		},
		"subject teacher": {
			domain.OpListStudents: schoolOrOwnClass, domain.OpReadStudent: ownClass,
			domain.OpCreateStudent: nil, domain.OpUpdateStudent: nil, domain.OpDeleteStudent: nil,
			domain.OpAddGrade: nil, domain.OpChangeGrade: nil, domain.OpRemoveGrade: nil,
			domain.OpViewStats: schoolOrOwnClass, domain.OpManageUsers: nil, domain.OpManageCurricula: nil,
		},
		"student": {
			domain.OpListStudents: nil, domain.OpReadStudent: ownRecord, domain.OpCreateStudent: nil,
			domain.OpUpdateStudent: nil, domain.OpDeleteStudent: nil, domain.OpAddGrade: nil,
			domain.OpChangeGrade: nil, domain.OpRemoveGrade: nil, domain.OpViewStats: nil,
			domain.OpManageUsers: nil, domain.OpManageCurricula: nil,
		},
	}
	checked := 0
	for roleName, actor := range roles {
		for _, op := range domain.Ops {
			ok, listed := allowed[roleName][op]
			if !listed {
				t.Errorf("the expected table has no row for %s × %s: add it", roleName, op)
				continue
			}
			for tname, tg := range targets {
				want := slices.Contains(ok, tname)
				err := domain.Authorize(actor, op, tg.class, tg.studentID)
				checked++
				switch {
				case want && err != nil:
					t.Errorf("%s %s on %s: refused (%v), want allowed", roleName, op, tname, err)
				case !want && domain.ErrorCode(err) != domain.EFORBIDDEN:
					t.Errorf("%s %s on %s: got %v, want EFORBIDDEN", roleName, op, tname, err)
				}
			}
		}
	}
	if want := len(roles) * len(domain.Ops) * len(targets); checked != want {
		t.Errorf("checked %d cases, want %d", checked, want)
	}
	if len(domain.Ops) != 11 {
		t.Errorf("domain.Ops has %d ops; update the expected table", len(domain.Ops))
	}
}

func TestAuthorizeOddActors(t *testing.T) {
	// No role at all, and a student without a linked record, may do nothing.
	for _, a := range []domain.Actor{{Name: "x"}, studentActor("")} {
		for _, op := range domain.Ops {
			if err := domain.Authorize(a, op, "L3-INFO", ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
				t.Errorf("%+v %s: %v, want EFORBIDDEN", a, op, err)
			}
		}
	}
	// Class names are compared exactly (they are stored upper-case).
	if err := domain.Authorize(teacherL3, domain.OpReadStudent, "l3-info", ""); err == nil {
		t.Error("teacher read l3-info (lower case) though classes are stored upper-case")
	}
}

// permEnv has students in L3-INFO and M1-MATH.
func permEnv(t *testing.T) (e *env, l3, m1 *domain.Student) {
	e = newEnv(t, false)
	l3 = e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	m1 = e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "M1-MATH"))
	e.create(t, studentIn("Sarr", "Awa", "76 345 67 89", "L3-INFO"))
	return e, l3, m1
}

func TestTeacherThroughServices(t *testing.T) {
	e, l3, m1 := permEnv(t)

	page, err := e.svc.Roster(ctx, teacherL3, domain.RosterQuery{})
	if err != nil {
		t.Fatalf("teacher Roster: %v", err)
	}
	if page.Total != 2 || len(page.Rows) != 2 {
		t.Fatalf("teacher sees %d of %d rows, want 2 of 2", len(page.Rows), page.Total)
	}
	for _, r := range page.Rows {
		if r.Class != "L3-INFO" {
			t.Errorf("teacher sees %s of class %s", r.Number, r.Class)
		}
	}
	_, err = e.svc.Roster(ctx, teacherL3, domain.RosterQuery{Class: "M1-MATH"})
	wantCode(t, err, domain.EFORBIDDEN)

	if _, err := e.svc.Get(ctx, teacherL3, l3.Number); err != nil {
		t.Errorf("teacher Get own class: %v", err)
	}
	_, err = e.svc.Get(ctx, teacherL3, m1.Number)
	wantCode(t, err, domain.EFORBIDDEN)

	// Grading another class: refused, nothing written.
	writes, audits, events := e.repo.Writes(), e.audit.Len(), e.events.Len()
	_, _, err = e.svc.AddGrade(ctx, teacherL3, m1.Number, 0, domain.GradeInput{Subject: "Maths", Value: "12"})
	wantCode(t, err, domain.EFORBIDDEN)
	if got := e.stored(t, m1.ID); len(got.Grades) != 0 || got.Version != m1.Version {
		t.Errorf("forbidden grade written: %+v", got)
	}
	if e.repo.Writes() != writes || e.audit.Len() != audits || e.events.Len() != events {
		t.Error("a forbidden AddGrade wrote something")
	}

	// Grading their own class works, and change/remove are allowed too.
	st, g, err := e.svc.AddGrade(ctx, teacherL3, l3.Number, 0, domain.GradeInput{Subject: "Maths", Value: "12"})
	if err != nil {
		t.Fatalf("teacher AddGrade own class: %v", err)
	}
	if g.Teacher != teacherL3.Name {
		t.Errorf("grade teacher = %q", g.Teacher)
	}
	if _, err := e.svc.SetGrade(ctx, teacherL3, l3.Number, st.Version, g.ID, "13"); err != nil {
		t.Errorf("teacher SetGrade: %v", err)
	}
	if _, err := e.svc.RemoveGrade(ctx, teacherL3, l3.Number, 0, g.ID); err != nil {
		t.Errorf("teacher RemoveGrade: %v", err)
	}

	// No student creation, edit or deletion.
	_, err = e.svc.Create(ctx, teacherL3, studentIn("Ba", "Oumar", "70 111 22 33", "L3-INFO"))
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = e.svc.Update(ctx, teacherL3, l3.Number, 0, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	wantCode(t, err, domain.EFORBIDDEN)
	wantCode(t, e.svc.Delete(ctx, teacherL3, l3.Number, 0), domain.EFORBIDDEN)
	if n, _ := e.repo.Count(ctx); n != 3 {
		t.Errorf("count = %d after refused create/delete, want 3", n)
	}

	// Stats are narrowed to their classes.
	stats, err := e.svc.Stats(ctx, teacherL3, "")
	if err != nil || stats.Students != 2 {
		t.Errorf("teacher Stats = %+v, %v; want 2 students", stats, err)
	}
	_, err = e.svc.Stats(ctx, teacherL3, "M1-MATH")
	wantCode(t, err, domain.EFORBIDDEN)
}

func TestStudentThroughServices(t *testing.T) {
	e, l3, m1 := permEnv(t)
	me := studentActor(l3.ID)

	for _, ref := range []string{l3.Number, "77 123 45 67", l3.ID} {
		got, err := e.svc.Get(ctx, me, ref)
		if err != nil || got.ID != l3.ID {
			t.Errorf("student Get own record by %q: %v", ref, err)
		}
	}
	for _, ref := range []string{m1.Number, "78 234 56 78", m1.ID} {
		_, err := e.svc.Get(ctx, me, ref)
		wantCode(t, err, domain.EFORBIDDEN)
	}
	_, err := e.svc.Roster(ctx, me, domain.RosterQuery{})
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = e.svc.Roster(ctx, me, domain.RosterQuery{Class: "L3-INFO"})
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = e.svc.Stats(ctx, me, "")
	wantCode(t, err, domain.EFORBIDDEN)
	_, _, err = e.svc.AddGrade(ctx, me, l3.Number, 0, domain.GradeInput{Subject: "Maths", Value: "20"})
	wantCode(t, err, domain.EFORBIDDEN)
	_, err = e.svc.Update(ctx, me, l3.Number, 0, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	wantCode(t, err, domain.EFORBIDDEN)
	if got := e.stored(t, l3.ID); got.Version != l3.Version || len(got.Grades) != 0 {
		t.Errorf("a student changed their own record: %+v", got)
	}
	// Their standing is theirs to see; a classmate's is not.
	if _, err := e.svc.Standing(ctx, me, l3); err != nil {
		t.Errorf("student Standing own: %v", err)
	}
	_, err = e.svc.Standing(ctx, me, m1)
	wantCode(t, err, domain.EFORBIDDEN)
}
