package domain_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// school is a student service and a curriculum service over one
// curriculum (testCurriculum, for L1-INFO) and its fakes.
type school struct {
	*env
	curricula *domain.CurriculumService
	repo      *domaintest.CurriculumRepo
}

func newSchool(t *testing.T) *school {
	t.Helper()
	e := newEnv(t, false)
	cr := domaintest.NewCurriculumRepo()
	cr.Audit, cr.Events = e.audit, e.events
	e.svc = domain.NewStudentService(domain.StudentDeps{Repo: e.repo, Curricula: cr, Now: e.clock.Now})
	cs := domain.NewCurriculumService(domain.CurriculumDeps{Repo: cr, Students: e.repo, Year: "2026-2027", Now: e.clock.Now})
	if _, _, err := cs.Import(ctx, admin, []*domain.Curriculum{testCurriculum()}); err != nil {
		t.Fatal(err)
	}
	return &school{env: e, curricula: cs, repo: cr}
}

func (s *school) eval(t *testing.T, subject, kind, weight string) *domain.Evaluation {
	t.Helper()
	e, err := s.curricula.AddEvaluation(ctx, admin, domain.EvaluationInput{Class: "L1-INFO", Semester: "S1", Subject: subject, Kind: kind, Weight: weight})
	if err != nil {
		t.Fatalf("AddEvaluation(%s %s): %v", subject, kind, err)
	}
	return e
}

func TestMarkEvaluations(t *testing.T) {
	s := newSchool(t)
	st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	cc, exam := s.eval(t, "maths", "cc", "40"), s.eval(t, "Maths", "examen", "60")
	diop := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Classes: []string{"L1-INFO"}}

	got, g, err := s.svc.Mark(ctx, diop, st.Number, 0, cc.ID, domain.MarkInput{Value: "10"})
	if err != nil {
		t.Fatal(err)
	}
	if g.EvaluationID != cc.ID || g.Subject != "Maths" || g.Value != 10 {
		t.Errorf("grade = %+v", g)
	}
	wantAvg(t, "after the CC", got.Average, 10)
	if got, _, err = s.svc.Mark(ctx, diop, st.Number, 0, exam.ID, domain.MarkInput{Value: "15"}); err != nil {
		t.Fatal(err)
	}
	wantAvg(t, "after the exam", got.Average, 13)
	// Marking the same evaluation again changes the mark, not adds one.
	if got, _, err = s.svc.Mark(ctx, diop, st.Number, got.Version, exam.ID, domain.MarkInput{Absent: "ABI", Comment: "absent"}); err != nil {
		t.Fatal(err)
	}
	if len(got.Grades) != 2 || got.Grades[1].Absent != domain.AbsentUnjustified || got.Grades[1].Comment != "absent" {
		t.Errorf("grades = %+v", got.Grades)
	}
	wantAvg(t, "an unjustified absence counts 0", got.Average, 4)
	if len(got.Terms) != 1 || got.Terms[0].Semester != "S1" || got.Terms[0].Year != "2026-2027" {
		t.Errorf("terms = %+v", got.Terms)
	}
	want := []string{domain.EventStudentCreated, domain.EventGradeAdded, domain.EventGradeAdded, domain.EventGradeChanged, domain.EventAverageBelow}
	if types := eventTypes(s.events.All()); !slices.Equal(types, want) {
		t.Errorf("events = %v, want %v", types, want)
	}

	tests := []struct {
		name  string
		actor domain.Actor
		ref   string
		eval  string
		in    domain.MarkInput
		code  domain.Code
	}{
		{"above 20", admin, st.Number, cc.ID, domain.MarkInput{Value: "21"}, domain.EINVALID},
		{"a mark and an absence", admin, st.Number, cc.ID, domain.MarkInput{Value: "12", Absent: "ABJ"}, domain.EINVALID},
		{"neither", admin, st.Number, cc.ID, domain.MarkInput{}, domain.EINVALID},
		{"unknown evaluation", admin, st.Number, "000000000000000000000099", domain.MarkInput{Value: "12"}, domain.ENOTFOUND},
		{"not their subject", domain.Actor{Name: "prof.sy", Role: domain.RoleTeacher, Classes: []string{"L2-INFO"}}, st.Number, cc.ID, domain.MarkInput{Value: "12"}, domain.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := s.svc.Mark(ctx, tt.actor, tt.ref, 0, tt.eval, tt.in)
			wantCode(t, err, tt.code)
		})
	}

	other := s.create(t, studentIn("Fall", "Ibou", "771234568", "L2-INFO"))
	_, _, err = s.svc.Mark(ctx, admin, other.Number, 0, cc.ID, domain.MarkInput{Value: "12"})
	wantInvalid(t, err, "evaluation")

	if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	_, _, err = s.svc.Mark(ctx, admin, st.Number, 0, cc.ID, domain.MarkInput{Value: "12"})
	wantCode(t, err, domain.ECONFLICT)
}

func TestCurriculumImportRefusesDroppingGradedSubjects(t *testing.T) {
	s := newSchool(t)
	s.eval(t, "Physique", "exam", "100")
	c := testCurriculum()
	c.UEs[0].Subjects = c.UEs[0].Subjects[:1] // Physique dropped
	_, _, err := s.curricula.Import(ctx, admin, []*domain.Curriculum{c})
	wantCode(t, err, domain.EINVALID)
	if got, _ := s.curricula.Get(ctx, admin, "L1-INFO", "S1", ""); len(got.UEs[0].Subjects) != 2 {
		t.Error("the refused import changed the curriculum")
	}
	c = testCurriculum()
	c.UEs[1].Subjects = append(c.UEs[1].Subjects, domain.CourseSubject{Name: "Wolof", Coefficient: 1})
	if created, replaced, err := s.curricula.Import(ctx, admin, []*domain.Curriculum{c}); err != nil || created != 0 || replaced != 1 {
		t.Fatalf("adding a subject: %d created, %d replaced, %v", created, replaced, err)
	}
}

// Changing or removing a mark by its grade id follows the evaluation's
// rules and keeps the semester average right.
func TestSetAndRemoveAMark(t *testing.T) {
	s := newSchool(t)
	st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	cc, exam := s.eval(t, "Maths", "cc", "40"), s.eval(t, "Maths", "exam", "60")
	s.svc.Mark(ctx, admin, st.Number, 0, cc.ID, domain.MarkInput{Value: "10"})
	got, g, err := s.svc.Mark(ctx, admin, st.Number, 0, exam.ID, domain.MarkInput{Absent: "ABI"})
	if err != nil {
		t.Fatal(err)
	}
	wantAvg(t, "CC 10, exam ABI", got.Average, 4)
	if got, err = s.svc.SetGrade(ctx, admin, st.Number, 0, g.ID, "20"); err != nil {
		t.Fatal(err)
	}
	wantAvg(t, "exam set to 20", got.Average, 16)
	if got, err = s.svc.RemoveGrade(ctx, admin, st.Number, 0, g.ID); err != nil {
		t.Fatal(err)
	}
	wantAvg(t, "exam mark removed", got.Average, 10)
	if _, err := s.curricula.ChangeStatus(ctx, admin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	_, err = s.svc.SetGrade(ctx, admin, st.Number, 0, got.Grades[0].ID, "12")
	wantCode(t, err, domain.ECONFLICT)
}

func TestRecomputeTermsAfterANewCurriculum(t *testing.T) {
	s := newSchool(t)
	st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	maths, eng := s.eval(t, "Maths", "exam", "100"), s.eval(t, "Anglais", "exam", "100")
	s.svc.Mark(ctx, admin, st.Number, 0, maths.ID, domain.MarkInput{Value: "10"})
	got, _, _ := s.svc.Mark(ctx, admin, st.Number, 0, eng.ID, domain.MarkInput{Value: "20"})
	wantAvg(t, "UE1 10 (6 credits), UE2 20 (4 credits)", got.Average, 14)
	c := testCurriculum()
	c.UEs[1].Credits = 6
	if _, _, err := s.curricula.Import(ctx, admin, []*domain.Curriculum{c}); err != nil {
		t.Fatal(err)
	}
	n, err := s.svc.RecomputeTerms(ctx, admin, c)
	if err != nil || n != 1 {
		t.Fatalf("RecomputeTerms = %d, %v", n, err)
	}
	wantAvg(t, "6 and 6 credits", s.stored(t, st.ID).Average, 15)
	if n, _ := s.svc.RecomputeTerms(ctx, admin, c); n != 0 {
		t.Errorf("a second recompute changed %d", n)
	}
}

func TestMarkMany(t *testing.T) {
	s := newSchool(t)
	awa := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	ibou := s.create(t, studentIn("Fall", "Ibou", "771234568", "L1-INFO"))
	other := s.create(t, studentIn("Sow", "Aby", "771234569", "L2-INFO"))
	exam := s.eval(t, "Maths", "exam", "100")
	s.svc.Mark(ctx, admin, ibou.Number, 0, exam.ID, domain.MarkInput{Value: "9"})

	_, err := s.svc.MarkMany(ctx, admin, exam.ID, []domain.MarkRow{
		{Student: awa.Number, Mark: domain.MarkInput{Value: "12"}},
		{Student: "77 123 45 67", Mark: domain.MarkInput{Value: "13"}}, // Awa again, by phone
		{Student: other.Number, Mark: domain.MarkInput{Value: "14"}},
		{Student: "2026-99999", Mark: domain.MarkInput{Value: "15"}},
		{Student: ibou.Number, Mark: domain.MarkInput{Value: "25"}},
	})
	var be *domain.BatchError
	if !errors.As(err, &be) || len(be.Problems) != 4 {
		t.Fatalf("err = %v, want 4 problems", err)
	}
	for i, want := range []string{"also on item 1", "not L1-INFO", "no student", "between 0 and 20"} {
		if p := be.Problems[i]; !strings.Contains(p.Reason, want) {
			t.Errorf("problem %d = %+v, want …%s…", i, p, want)
		}
	}
	if len(s.stored(t, awa.ID).Grades) != 0 {
		t.Error("a refused batch wrote a mark")
	}
	n, err := s.svc.MarkMany(ctx, admin, exam.ID, []domain.MarkRow{
		{Student: awa.Number, Mark: domain.MarkInput{Value: "12"}},
		{Student: ibou.Number, Mark: domain.MarkInput{Absent: "ABJ"}},
	})
	if err != nil || n != 2 {
		t.Fatalf("MarkMany = %d, %v", n, err)
	}
	wantAvg(t, "Awa", s.stored(t, awa.ID).Average, 12)
	if g := s.stored(t, ibou.ID).Grades; len(g) != 1 || g[0].Absent != domain.AbsentJustified {
		t.Errorf("Ibou's marks = %+v (the 9 replaced by ABJ)", g)
	}
}

// Marks of an evaluation not published are hidden events (nobody is
// notified); publishing it tells each marked student once.
func TestPublishingTellsTheMarkedStudents(t *testing.T) {
	s := newSchool(t)
	awa := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	s.create(t, studentIn("Fall", "Ibou", "771234568", "L1-INFO")) // not marked
	exam := s.eval(t, "Maths", "exam", "100")
	before := s.events.Len()
	if _, _, err := s.svc.Mark(ctx, admin, awa.Number, 0, exam.ID, domain.MarkInput{Value: "8"}); err != nil {
		t.Fatal(err)
	}
	for _, ev := range s.events.Since(before) {
		if !ev.Hidden {
			t.Errorf("event %s of an unpublished mark is not hidden", ev.Type)
		}
	}
	before = s.events.Len()
	if _, err := s.curricula.PublishEvaluation(ctx, admin, exam.ID); err != nil {
		t.Fatal(err)
	}
	evs := s.events.Since(before)
	if len(evs) != 1 || evs[0].Type != domain.EventGradePublished || evs[0].StudentID != awa.ID || evs[0].Hidden || evs[0].Grade.Value != 8 {
		t.Fatalf("events of the publication = %+v", evs)
	}
	before = s.events.Len()
	s.svc.Mark(ctx, admin, awa.Number, 0, exam.ID, domain.MarkInput{Value: "9"})
	evs = s.events.Since(before)
	if len(evs) != 1 || evs[0].Hidden || evs[0].Type != domain.EventGradeChanged ||
		evs[0].PreviousGrade == nil || evs[0].PreviousGrade.Value != 8 || evs[0].Grade.Value != 9 {
		t.Errorf("a correction after publication (from 8 to 9) = %+v", evs)
	}
	// The same mark changed through the free grades' editing says so too;
	// one of an evaluation not published stays hidden that way as well.
	before = s.events.Len()
	st := s.stored(t, awa.ID)
	if _, err := s.svc.SetGrade(ctx, admin, awa.Number, st.Version, st.Grades[0].ID, "10"); err != nil {
		t.Fatal(err)
	}
	if evs := s.events.Since(before); len(evs) != 1 || evs[0].Hidden || evs[0].PreviousGrade == nil || evs[0].PreviousGrade.Value != 9 {
		t.Errorf("SetGrade of a published mark = %+v", evs)
	}
	cc := s.eval(t, "Maths", "cc", "50")
	if _, _, err := s.svc.Mark(ctx, admin, awa.Number, 0, cc.ID, domain.MarkInput{Value: "14"}); err != nil {
		t.Fatal(err)
	}
	st = s.stored(t, awa.ID)
	i := slices.IndexFunc(st.Grades, func(g domain.Grade) bool { return g.EvaluationID == cc.ID })
	before = s.events.Len()
	if _, err := s.svc.SetGrade(ctx, admin, awa.Number, st.Version, st.Grades[i].ID, "15"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.RemoveGrade(ctx, admin, awa.Number, st.Version+1, st.Grades[i].ID); err != nil {
		t.Fatal(err)
	}
	for _, ev := range s.events.Since(before) {
		if !ev.Hidden {
			t.Errorf("%s of an unpublished mark is not hidden", ev.Type)
		}
	}
}

// TestSubjectTeacherScope: a teacher named on one subject of a class (no
// classes on their account) logs in with the class in their scope: they
// list and read its students and mark their subject, not another.
func TestSubjectTeacherScope(t *testing.T) {
	s := newSchool(t)
	st := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	other := s.create(t, studentIn("Fall", "Binta", "771234568", "L2-INFO"))
	maths, physics := s.eval(t, "Maths", "exam", "100"), s.eval(t, "Physique", "exam", "100")

	taught, err := s.curricula.TaughtClasses(ctx, "Prof.Diop")
	if err != nil || !slices.Equal(taught, []string{"L1-INFO"}) {
		t.Fatalf("TaughtClasses(prof.diop) = %v, %v; want [L1-INFO]", taught, err)
	}
	if none, _ := s.curricula.TaughtClasses(ctx, "prof.sy"); len(none) != 0 {
		t.Errorf("TaughtClasses(prof.sy) = %v, want none", none)
	}
	diop := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: taught}

	rows, err := s.svc.Students(ctx, diop, domain.RosterQuery{})
	if err != nil || len(rows) != 1 || rows[0].Number != st.Number {
		t.Errorf("the subject teacher lists %d students (%v), want only %s", len(rows), err, st.Number)
	}
	if _, err := s.svc.Get(ctx, diop, st.Number); err != nil {
		t.Errorf("the subject teacher reads a student of the class: %v", err)
	}
	if _, err := s.svc.Get(ctx, diop, other.Number); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the subject teacher reads a student of another class: %v, want EFORBIDDEN", err)
	}
	if _, _, err := s.svc.Mark(ctx, diop, st.Number, 0, maths.ID, domain.MarkInput{Value: "14"}); err != nil {
		t.Errorf("the subject teacher marks their subject: %v", err)
	}
	if _, _, err := s.svc.Mark(ctx, diop, st.Number, 0, physics.ID, domain.MarkInput{Value: "14"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the subject teacher marks another subject: %v, want EFORBIDDEN", err)
	}
	if _, _, err := s.svc.AddGrade(ctx, diop, st.Number, 0, domain.GradeInput{Subject: "Maths", Value: "12"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("the subject teacher adds a free grade: %v, want EFORBIDDEN (free grades need the whole class)", err)
	}
}

// TestImportRefusesAStaleEdit: a curriculum read, edited and saved is
// refused when someone saved it meanwhile; a file's (no version) is not.
func TestImportRefusesAStaleEdit(t *testing.T) {
	s := newSchool(t)
	mine, err := s.curricula.Get(ctx, admin, "L1-INFO", "S1", "")
	if err != nil {
		t.Fatal(err)
	}
	theirs := mine.Clone()
	theirs.UEs[0].Credits++
	if _, _, err := s.curricula.Import(ctx, admin, []*domain.Curriculum{theirs}); err != nil {
		t.Fatalf("the first save: %v", err)
	}
	mine.UEs[0].Title = "Mine"
	_, _, err = s.curricula.Import(ctx, admin, []*domain.Curriculum{mine})
	if err == nil || !strings.Contains(err.Error(), "changed by someone else") {
		t.Fatalf("a stale edit saved: %v", err)
	}
	stored, _ := s.curricula.Get(ctx, admin, "L1-INFO", "S1", "")
	if stored.UEs[0].Title == "Mine" || stored.UEs[0].Credits != theirs.UEs[0].Credits {
		t.Errorf("stored = %+v", stored.UEs[0])
	}
	file := testCurriculum()
	if _, _, err := s.curricula.Import(ctx, admin, []*domain.Curriculum{file}); err != nil {
		t.Errorf("a file's curriculum (no version) refused: %v", err)
	}
}

// A message tells the student the average they see, not the stored one:
// that counts the marks of evaluations not published yet, and while the
// semester's results are not published the student sees no average.
func TestEventsTellTheAverageTheStudentSees(t *testing.T) {
	s := newSchool(t)
	awa := s.create(t, studentIn("Diop", "Awa", "771234567", "L1-INFO"))
	cc, exam := s.eval(t, "Maths", "cc", "40"), s.eval(t, "Maths", "exam", "60")
	if _, err := s.curricula.PublishEvaluation(ctx, admin, exam.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.svc.Mark(ctx, admin, awa.Number, 0, cc.ID, domain.MarkInput{Value: "4"}); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"16", "15"} { // a new mark, then its correction
		before := s.events.Len()
		st, _, err := s.svc.Mark(ctx, admin, awa.Number, 0, exam.ID, domain.MarkInput{Value: v})
		if err != nil {
			t.Fatal(err)
		}
		if st.Average == nil {
			t.Fatal("no stored average")
		}
		for _, ev := range s.events.Since(before) {
			if ev.Hidden || ev.Average != nil || ev.PreviousAverage != nil {
				t.Errorf("%s (mark %s) tells the averages %v, %v; the student sees none (stored %v)", ev.Type, v, ev.Average, ev.PreviousAverage, *st.Average)
			}
		}
	}
}
