package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

// sheetFixture is a class of three (Ba, Diop, Sow) in L1-INFO, whose S1
// has Maths (taught by prof) and Anglais, and Maths a CC (40) and an exam
// (60), with the grade sheet of Maths opened by prof.
type sheetFixture struct {
	svc      *domain.StudentService
	cs       *domain.CurriculumService
	repo     *domaintest.StudentRepo
	students []*domain.Student
	cc, exam *domain.Evaluation
	s        *gradeSheet
}

func newSheetFixture(t *testing.T) *sheetFixture {
	t.Helper()
	ctx := context.Background()
	repo := domaintest.NewStudentRepo()
	cr := domaintest.NewCurriculumRepo()
	f := &sheetFixture{repo: repo}
	f.svc = domain.NewStudentService(domain.StudentDeps{Repo: repo, Curricula: cr, Phones: domain.PhoneParser{}})
	f.cs = domain.NewCurriculumService(domain.CurriculumDeps{Repo: cr, Students: repo, Year: "2026-2027"})
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", UEs: []domain.UE{
		{Code: "UE11", Title: "Sciences", Credits: 6, Subjects: []domain.CourseSubject{{Name: "Maths", Coefficient: 2, Teachers: []string{"prof"}}}},
		{Code: "UE12", Title: "Langues", Credits: 4, Subjects: []domain.CourseSubject{{Name: "Anglais", Coefficient: 1}}}}}
	if _, _, err := f.cs.Import(ctx, testAdmin, []*domain.Curriculum{c}); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Sow", "Ba", "Diop"} {
		f.students = append(f.students, seedStudent(t, f.svc, domain.StudentInput{LastName: name, FirstName: "Awa",
			Phone: "77 100 00 0" + string(rune('1'+i)), Class: "L1-INFO", Major: "Informatique", BirthDate: "2004-01-02"}))
	}
	var err error
	in := domain.EvaluationInput{Class: "L1-INFO", Semester: "S1", Subject: "Maths", Kind: "cc", Weight: "40"}
	if f.cc, err = f.cs.AddEvaluation(ctx, testAdmin, in); err != nil {
		t.Fatal(err)
	}
	in.Kind, in.Weight = "exam", "60"
	if f.exam, err = f.cs.AddEvaluation(ctx, testAdmin, in); err != nil {
		t.Fatal(err)
	}
	// prof is named on Maths only: the log-in gives them the class to read.
	common := newTestCommon(t, f.svc, domain.Actor{Name: "prof", UserID: "u2", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}})
	common.Curricula = f.cs
	f.s = newGradeSheet(common).(*gradeSheet)
	f.s.SetSize(100, 30)
	start(t, f.s)
	if len(f.s.choices) != 1 || f.s.choices[0].subject != "Maths" {
		t.Fatalf("prof may grade %+v, want Maths only", f.s.choices)
	}
	press(t, f.s, "enter")
	if f.s.sheet == nil || len(f.s.sheet.Lines) != 3 {
		t.Fatalf("the sheet did not open: %+v", f.s.sheet)
	}
	return f
}

// mark is the stored mark of student i in evaluation e ("" for none).
func (f *sheetFixture) mark(t *testing.T, i int, e *domain.Evaluation) string {
	t.Helper()
	st, err := f.repo.ByID(context.Background(), f.students[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range st.Grades {
		if g.EvaluationID == e.ID {
			if g.Absent != "" {
				return string(g.Absent)
			}
			return domain.FormatDecimal(g.Value, -1, false)
		}
	}
	return ""
}

func TestGradeSheetMarksAClassInOnePass(t *testing.T) {
	f := newSheetFixture(t)
	// Lines are by name: Ba, Diop, Sow.
	if names := []string{f.s.sheet.Lines[0].Name, f.s.sheet.Lines[2].Name}; names[0] != "BA Awa" && names[0] != "Ba Awa" {
		t.Fatalf("first line %q, want Ba", names[0])
	}
	press(t, f.s, "1", "2", "enter", "1", "5", ",", "5", "enter", "a", "i")
	if got := []string{f.mark(t, 1, f.cc), f.mark(t, 2, f.cc), f.mark(t, 0, f.cc)}; got[0] != "12" || got[1] != "15.5" || got[2] != "unjustified" {
		t.Fatalf("stored CC marks (Ba, Diop, Sow) = %v", got)
	}
	// tab: the exam of the same student, then enter saves and goes down.
	f.s.row = 0
	press(t, f.s, "tab", "1", "7", "enter")
	if got := f.mark(t, 1, f.exam); got != "17" {
		t.Fatalf("Ba's exam = %q", got)
	}
	view := f.s.View()
	if !strings.Contains(view, "15,00") { // (12×40 + 17×60)/100
		t.Errorf("Ba's Maths average is not shown as 15,00:\n%s", view)
	}
	// u takes back the last saved cell.
	press(t, f.s, "u")
	if got := f.mark(t, 1, f.exam); got != "" {
		t.Errorf("after undo Ba's exam = %q, want none", got)
	}
}

func TestGradeSheetRefusesABadValueInTheCell(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "2", "5", "enter")
	if f.s.row != 0 || !f.s.editing || f.mark(t, 1, f.cc) != "" {
		t.Fatalf("25 left the cell (row %d, editing %v) or was stored (%q)", f.s.row, f.s.editing, f.mark(t, 1, f.cc))
	}
	if view := f.s.View(); !strings.Contains(view, "entre 0 et 20") {
		t.Errorf("the reason is not shown:\n%s", view)
	}
	press(t, f.s, "backspace", "backspace", "9", "enter")
	if got := f.mark(t, 1, f.cc); got != "9" || f.s.row != 1 {
		t.Errorf("after correcting: %q, row %d", got, f.s.row)
	}
}

// Someone else marks a cell after the sheet was read: typing over it shows
// their mark and says so; it is not overwritten.
func TestGradeSheetShowsAConflictingEdit(t *testing.T) {
	f := newSheetFixture(t)
	if _, _, err := f.svc.Mark(context.Background(), testAdmin, f.students[1].Number, 0, f.cc.ID, domain.MarkInput{Value: "8"}); err != nil {
		t.Fatal(err)
	}
	said := press(t, f.s, "1", "4", "enter")
	if got := f.mark(t, 1, f.cc); got != "8" {
		t.Fatalf("the other person's 8 became %q", got)
	}
	// The cursor went on to the next student: the status line names the cell.
	if !slices.ContainsFunc(said, func(m tea.Msg) bool {
		s, ok := m.(statusMsg)
		return ok && s.kind == statusError && strings.Contains(s.text, "Ba Awa") && strings.Contains(s.text, "quelqu'un d'autre")
	}) {
		t.Errorf("the conflict is not said on the status line: %v", said)
	}
	f.s.row = 0
	if view := f.s.View(); !strings.Contains(view, "modifié par quelqu'un d'autre") || !strings.Contains(view, " 8 ") {
		t.Errorf("the conflict is not shown with the stored mark:\n%s", view)
	}
	// Another cell of the same student, saved right after, is not refused.
	press(t, f.s, "tab", "1", "1", "enter")
	if got := f.mark(t, 1, f.exam); got != "11" {
		t.Errorf("Ba's exam after the conflict = %q", got)
	}
}

func TestGradeSheetPastesAColumn(t *testing.T) {
	f := newSheetFixture(t)
	bad := tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("10\r21\r12"), Paste: true}
	drive(t, f.s, bad)
	for i := range 3 {
		if f.mark(t, i, f.cc) != "" {
			t.Fatal("a refused paste stored a mark")
		}
	}
	drive(t, f.s, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("10\r\nABJ\n12,5\n"), Paste: true})
	if got := []string{f.mark(t, 1, f.cc), f.mark(t, 2, f.cc), f.mark(t, 0, f.cc)}; got[0] != "10" || got[1] != "justified" || got[2] != "12.5" {
		t.Errorf("pasted marks (Ba, Diop, Sow) = %v", got)
	}
}

func TestGradeSheetPublishesAndLocks(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "P", "n")
	if e, _ := f.cs.Evaluations(context.Background(), testAdmin, "L1-INFO", "S1", ""); e[0].Published {
		t.Fatal("published without a yes")
	}
	press(t, f.s, "P", "o")
	if e, _ := f.cs.Evaluations(context.Background(), testAdmin, "L1-INFO", "S1", ""); !e[0].Published || e[1].Published {
		t.Fatalf("after P o: %+v", e)
	}
	if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	press(t, f.s, "esc", "enter", "1", "2", "enter")
	if f.mark(t, 1, f.cc) != "" || !strings.Contains(f.s.View(), "Lecture seule : le semestre S1 de L1-INFO est clôturé") {
		t.Errorf("a closed semester's sheet took a mark, or does not say in French why it is read-only:\n%s", f.s.View())
	}
}

// A student of the sheet changed by someone else: that line alone is read
// again; the cursor and the cell being typed stay where the teacher is
// (a reload of the whole sheet used to put the cursor back on the row of
// the change, swallowing the marks typed meanwhile).
func TestGradeSheetFollowsOthersMarksWithoutMovingTheCursor(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "enter", "enter", "1") // Sow's CC, "1" typed
	if _, _, err := f.svc.Mark(context.Background(), testAdmin, f.students[1].Number, 0, f.exam.ID, domain.MarkInput{Value: "11"}); err != nil {
		t.Fatal(err)
	}
	drive(t, f.s, changeMsg{change: domain.Change{Type: domain.EventGradeAdded, StudentID: f.students[1].ID, Actor: testAdmin.Name}})
	if f.s.row != 2 || f.s.col != 0 || !f.s.editing {
		t.Fatalf("after another's mark the cursor is on row %d col %d (editing %v), want Sow's CC being typed", f.s.row, f.s.col, f.s.editing)
	}
	if v := f.s.sheet.Lines[0].Marks[1].Value; v == nil || *v != 11 {
		t.Errorf("Ba's exam on the sheet = %v, want the other person's 11", v)
	}
	press(t, f.s, "4", "enter")
	if got := f.mark(t, 0, f.cc); got != "14" {
		t.Errorf("Sow's CC = %q, want the 14 typed across the change", got)
	}
	// Still on Sow's CC (the last line). Someone marks the very cell being
	// typed: it is a conflict when
	// saved, showing their mark, not overwriting it.
	press(t, f.s, "1")
	if _, _, err := f.svc.Mark(context.Background(), testAdmin, f.students[0].Number, 0, f.cc.ID, domain.MarkInput{Value: "8"}); err != nil {
		t.Fatal(err)
	}
	drive(t, f.s, changeMsg{change: domain.Change{Type: domain.EventGradeChanged, StudentID: f.students[0].ID, Actor: testAdmin.Name}})
	press(t, f.s, "enter")
	if got := f.mark(t, 0, f.cc); got != "8" {
		t.Errorf("Sow's CC = %q, want the other person's 8 kept", got)
	}
	if view := f.s.View(); !strings.Contains(view, "quelqu'un d'autre") {
		t.Errorf("the conflict is not said:\n%s", view)
	}
	// The sheet's own save comes back through the feed too: nothing moves.
	row := f.s.row
	drive(t, f.s, changeMsg{change: domain.Change{Type: domain.EventGradeAdded, StudentID: f.students[0].ID, Actor: "prof"}})
	if f.s.row != row {
		t.Errorf("the sheet's own change moved the cursor from row %d to %d", row, f.s.row)
	}
}

// The average of the row being typed follows the keys, before the cell is
// saved: with the typed mark while it is a valid one, else the saved one.
func TestGradeSheetAverageFollowsTyping(t *testing.T) {
	f := newSheetFixture(t)
	ba, diop := f.s.sheet.Lines[0].Number, f.s.sheet.Lines[1].Number
	averageOf := func(number string) string { // the last cell of a student's line
		t.Helper()
		for _, l := range strings.Split(f.s.View(), "\n") {
			if strings.Contains(l, number) {
				fs := strings.Fields(l)
				return fs[len(fs)-1]
			}
		}
		t.Fatalf("no line of %s:\n%s", number, f.s.View())
		return ""
	}
	average := func() string { return averageOf(ba) }
	press(t, f.s, "1", "0", "tab") // Ba's CC: 10, saved; the cursor on the exam
	if got := average(); got != "10,00" {
		t.Fatalf("after CC 10 the average is %q", got)
	}
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"2"}, "5,20"},                                // (10×40 + 2×60)/100
		{[]string{"0"}, "16,00"},                               // 20
		{[]string{"5"}, "10,00"},                               // 205: not a mark, the saved average
		{[]string{"backspace", ","}, "16,00"},                  // "20,"
		{[]string{"backspace", "backspace", ".", "5"}, "5,50"}, // 2.5
		{[]string{"esc"}, "10,00"},                             // typing given up
	} {
		press(t, f.s, tc.keys...)
		if got := average(); got != tc.want {
			t.Errorf("after %v (cell %q): average %q, want %q", tc.keys, f.s.buf, got, tc.want)
		}
	}
	if got := f.mark(t, 1, f.exam); got != "" {
		t.Errorf("typing without leaving the cell saved the exam: %q", got)
	}
	// Only the line being typed moves.
	before := averageOf(diop)
	press(t, f.s, "1", "4")
	if got := averageOf(diop); got != before || average() != "12,40" {
		t.Errorf("typing 14 in Ba's exam: Diop's average %q (was %q), Ba's %q", got, before, average())
	}
}

// Someone else's write of a student of the sheet is shown by reading that
// student again, not the class; a student who left the class makes the
// sheet read again.
func TestGradeSheetFollowsOthersWrites(t *testing.T) {
	f := newSheetFixture(t)
	diop := f.students[2] // line 1
	if _, _, err := f.svc.Mark(context.Background(), testAdmin, diop.Number, 0, f.exam.ID, domain.MarkInput{Value: "8"}); err != nil {
		t.Fatal(err)
	}
	seq := f.s.seq
	drive(t, f.s, changeMsg{change: domain.Change{Type: domain.EventGradeAdded, StudentID: diop.ID, Actor: "admin"}})
	if got := f.s.sheet.Lines[1].Marks[1].Value; got == nil || *got != 8 || f.s.seq != seq {
		t.Fatalf("Diop's exam on the sheet = %v; sheet read again: %v", got, f.s.seq != seq)
	}
	in := domain.StudentInput{LastName: "Diop", FirstName: "Awa", Phone: "77 100 00 03", Class: "L2-INFO", Major: "Informatique", BirthDate: "2004-01-02"}
	if _, err := f.svc.Update(context.Background(), testAdmin, diop.Number, 0, in); err != nil {
		t.Fatal(err)
	}
	drive(t, f.s, changeMsg{change: domain.Change{Type: domain.EventStudentUpdated, StudentID: diop.ID, Actor: "admin"}})
	if len(f.s.sheet.Lines) != 2 || f.s.seq == seq {
		t.Errorf("after Diop left the class: %d lines", len(f.s.sheet.Lines))
	}
}

// r writes the teacher's remark on the student under the cursor, shown
// under the sheet when the cursor is on that student.
func TestGradeSheetRemark(t *testing.T) {
	f := newSheetFixture(t)
	press(t, f.s, "r")
	drive(t, f.s, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("Bon travail")})
	if view := f.s.View(); !strings.Contains(view, "Remarque sur Ba Awa") || !strings.Contains(view, "Bon travail▏") {
		t.Fatalf("the remark is not being typed:\n%s", view)
	}
	said := press(t, f.s, "enter")
	st, err := f.repo.ByID(context.Background(), f.students[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.RemarkOf("2026-2027", "S1", "Maths"); got != "Bon travail" {
		t.Fatalf("stored remark = %q (messages %v)", got, said)
	}
	if view := f.s.View(); !strings.Contains(view, "Remarque : Bon travail") {
		t.Errorf("the remark is not shown:\n%s", view)
	}
	// esc gives up; an empty remark removes it.
	press(t, f.s, "r", "backspace", "esc")
	press(t, f.s, "r")
	for range "Bon travail" {
		press(t, f.s, "backspace")
	}
	press(t, f.s, "enter")
	if st, _ = f.repo.ByID(context.Background(), f.students[1].ID); len(st.Remarks) != 0 {
		t.Errorf("remarks after removing = %+v", st.Remarks)
	}
}
