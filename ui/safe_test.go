package ui

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"scolarite/domain"
	"scolarite/export"
)

// wantDrawable fails when a view holds anything but drawable text, line
// feeds and tabs: with colours off (the tests' Ascii profile) the screens
// write no escape sequence of their own, so any ESC came from data.
func wantDrawable(t *testing.T, what, view string) {
	t.Helper()
	if !utf8.ValidString(view) {
		t.Errorf("%s: not valid UTF-8", what)
	}
	for i, r := range view {
		bidi := r == 0x061c || r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) || bidi {
			t.Errorf("%s: U+%04X drawn at byte %d:\n%s", what, r, i, view)
			return
		}
	}
}

// evilStudent is a record stored before the domain refused control
// characters: it reaches the repository without validation.
func evilStudent() *domain.Student {
	avg := 12.5
	return &domain.Student{ID: "e1", Number: "2026-00099", LastName: "\x1b[2J\x1b[HL1", FirstName: "X\x1b]0;t\a",
		Phone: "+221770009999", Class: "L3\u009b5M", Major: "Info\u202ermatique", BirthDate: domain.NewDate(2003, time.April, 5),
		GuardianName: "Ma\x1b[5mmadou", GuardianEmail: "p\u2066@example.sn",
		Grades:  []domain.Grade{{ID: "g1", Subject: "Maths\x1b[5m", Value: 12.5, Coefficient: 1, Date: testNow, Teacher: "prof\u202e"}},
		Average: &avg, Version: 3, CreatedAt: testNow, UpdatedAt: testNow}
}

// plantedUsers adds a teacher whose stored class holds an ESC.
type plantedUsers struct{ Auth }

func (p plantedUsers) Users(ctx context.Context, a domain.Actor) ([]*domain.User, error) {
	users, err := p.Auth.Users(ctx, a)
	return append(users, &domain.User{ID: "u9", Username: "vieux.compte", Role: domain.RoleTeacher,
		Classes: []string{"L1\x1b[2J", "L2\u202e"}}), err
}

// TestScreensDrawNoStoredControlCharacter: an administrator goes through
// the students table, the detail, the statistics and the users with a
// stored student and account full of terminal commands; no screen draws
// one, each shows its escape.
func TestScreensDrawNoStoredControlCharacter(t *testing.T) {
	env := newAppEnv(t)
	svc, repo := newTestServices(t)
	if err := repo.Insert(context.Background(), evilStudent(), domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	env.c.Students = svc
	env.c.Auth = plantedUsers{env.c.Auth}
	a := startApp(t, env, 160, 40)
	a.logIn("admin", appPassword)

	table := a.m.View()
	wantDrawable(t, "students table", table)
	wantIn(t, table, `\u001b[2J\u001b[HL1`, `X\u001b]0;t\u0007`, `L3\u009b5M`, `Info\u202ermatique`)

	a.press("enter")
	if got := screenName(a.m.screen); got != "detail" {
		t.Fatalf("enter opened %s:\n%s", got, a.m.View())
	}
	detail := a.m.View()
	wantDrawable(t, "detail", detail)
	// The rank is within the class as stored (Standing went back to it).
	wantIn(t, detail, `Ma\u001b[5mmadou`, `Maths\u001b[5m`, `prof\u202e`, "12,5", "Rang 1/1")

	a.press("esc", "tab")
	if got := screenName(a.m.screen); got != "stats" {
		t.Fatalf("tab opened %s", got)
	}
	stats := a.m.View()
	wantDrawable(t, "statistics", stats)
	wantIn(t, stats, `L3\u009b5M`)

	a.press("tab")
	users := a.m.View()
	wantDrawable(t, "users", users)
	wantIn(t, users, "vieux.compte", `L1\u001b[2J`)

}

// The notifications log (its own driver: the screen refreshes on a timer)
// shows a server's error text and a student escaped.
func TestNotificationsDrawNoControlCharacter(t *testing.T) {
	f := newFakeNotifications()
	f.rows[0].LastError = "550 \x1b]0;owned\a mailbox"
	f.rows[0].Student = "2026-00099 \x1b[2J"
	f.rows[0].Recipient = "p\u202e@example.sn"
	c := sfCommon(t, nil, nil, domain.Actor{Name: "admin", Role: domain.RoleAdmin})
	c.Notifications = f
	guard(c)
	m := newNotifications(c).(*notifications)
	m.SetSize(120, 20)
	sfRun(t, m, sfExec(m.Init())...)
	v := m.View()
	wantDrawable(t, "notifications", v)
	wantIn(t, v, `\u001b]0;owned\u0007`, `p\u202e@example.sn`)
}

// The stored class that the screens show escaped still finds its record:
// the statistics of that class and the student's rank in it.
func TestSafeStudentsFindTheStoredClass(t *testing.T) {
	svc, repo := newTestServices(t)
	evil := evilStudent()
	if err := repo.Insert(context.Background(), evil, domain.Trail{}); err != nil {
		t.Fatal(err)
	}
	teacher := testTeacher(evil.Class)
	s := safeStudents{svc}
	ctx := context.Background()
	st, err := s.Stats(ctx, teacher, domain.Escape(evil.Class))
	if err != nil || st.Students != 1 || st.Class != domain.Escape(evil.Class) {
		t.Fatalf("stats of the escaped class: %+v, %v", st, err)
	}
	shown, err := s.Get(ctx, teacher, evil.Number)
	if err != nil {
		t.Fatal(err)
	}
	standing, err := s.Standing(ctx, teacher, shown)
	if err != nil || standing.Rank != 1 || standing.ClassSize != 1 {
		t.Fatalf("standing: %+v, %v", standing, err)
	}
	// The screens' copy is escaped; the repository's record is not.
	if kept, _ := repo.ByID(ctx, evil.ID); kept.LastName != evil.LastName || kept.Grades[0].Subject != evil.Grades[0].Subject {
		t.Errorf("the stored record changed: %+v", kept)
	}
}

// Clean data goes through unchanged, without a copy; escaped data is a
// copy, never the service's (possibly cached) slice changed in place.
func TestSafeStudentsCopyOnlyWhatChanges(t *testing.T) {
	rows := sampleRoster()
	f := &rosterStudents{rows: rows}
	page, err := safeStudents{f}.Roster(context.Background(), testAdmin, domain.RosterQuery{})
	if err != nil || len(page.Rows) != len(rows) || !reflect.DeepEqual(page.Rows[0], rows[0]) {
		t.Fatalf("clean roster: %+v, %v", page.Rows, err)
	}
	clean := []domain.RosterRow{{Number: "1", LastName: "Diop"}}
	if got := escapeAll(clean, escapeRow); &got[0] != &clean[0] {
		t.Error("a clean slice was copied")
	}
	dirty := []domain.RosterRow{{Number: "1", LastName: "Diop"}, {Number: "2", LastName: "\x1b[2J"}}
	got := escapeAll(dirty, escapeRow)
	if got[1].LastName != `\u001b[2J` || dirty[1].LastName != "\x1b[2J" || &got[0] == &dirty[0] {
		t.Errorf("escaped %q, source now %q", got[1].LastName, dirty[1].LastName)
	}
	st := evilStudent()
	if safe := safeStudent(st); safe == st || st.Grades[0].Subject != "Maths\x1b[5m" || safe.Grades[0].Subject != `Maths\u001b[5m` {
		t.Errorf("safeStudent changed its argument or did not escape: %+v", safe)
	}
	ok := &domain.Student{LastName: "Diop", Grades: []domain.Grade{{Subject: "Maths"}}}
	if safeStudent(ok) != ok {
		t.Error("a clean student was copied")
	}
}

func TestSafeDecorators(t *testing.T) {
	ctx := context.Background()
	notes := newFakeNotifications()
	notes.rows[1].Subject = "note\u009b2J"
	rows, _ := safeNotifications{notes}.Log(ctx, testAdmin, "", 10)
	if rows[1].Subject != `note\u009b2J` || notes.rows[1].Subject != "note\u009b2J" {
		t.Errorf("notification subject %q (source %q)", rows[1].Subject, notes.rows[1].Subject)
	}
	rep := &domain.AgeReport{Topic: "t\x1b", Majors: []domain.MajorAges{{Major: "Droit\x1b[5m", Students: 1}}}
	got, _ := safeAges{fakeAges{rep}}.Latest(ctx)
	if got.Majors[0].Major != `Droit\u001b[5m` || got.Topic != `t\u001b` || rep.Majors[0].Major != "Droit\x1b[5m" {
		t.Errorf("ages %+v (source %+v)", got, rep)
	}
	if got, err := (safeAges{fakeAges{nil}}).Latest(ctx); got != nil || err != nil {
		t.Errorf("no report: %v, %v", got, err)
	}
	// A bulletin: the student's names and the remarks, the stored
	// record untouched.
	st := evilStudent()
	b, _ := safeResults{plantedBulletin{b: &domain.Bulletin{Student: st, Remark: "bien\x1b[5m",
		Subjects: []domain.BulletinSubject{{Subject: "Maths", Remark: "\u202erevoir"}}}}}.Bulletin(ctx, testAdmin, st.Number, "S1", "")
	if b.Student.LastName != `\u001b[2J\u001b[HL1` || b.Remark != `bien\u001b[5m` || b.Subjects[0].Remark != `\u202erevoir` || st.LastName != "\x1b[2J\x1b[HL1" {
		t.Errorf("bulletin %q %q %q (stored %q)", b.Student.LastName, b.Remark, b.Subjects[0].Remark, st.LastName)
	}
	if inner := (plantedBulletin{b: b}); storedResults(safeResults{inner}) != Results(inner) {
		t.Error("the files do not get the results unwrapped")
	}
}

// plantedBulletin returns its bulletin, and nothing else.
type plantedBulletin struct{ b *domain.Bulletin }

func (plantedBulletin) Results(context.Context, domain.Actor, string, string, string, int) (*domain.ClassResults, error) {
	return nil, nil
}

func (plantedBulletin) Override(context.Context, domain.Actor, domain.JuryInput) (*domain.JuryEntry, error) {
	return nil, nil
}

func (plantedBulletin) ClassSemester(context.Context, domain.Actor, string, string) (*domain.Curriculum, error) {
	return nil, nil
}

func (p plantedBulletin) Bulletin(context.Context, domain.Actor, string, string, string) (*domain.Bulletin, error) {
	return p.b, nil
}

func (plantedBulletin) Regulation(context.Context) (domain.Regulation, error) {
	return domain.DefaultRegulation(), nil
}

func (plantedBulletin) SetRegulation(context.Context, domain.Actor, domain.Regulation) (domain.Regulation, error) {
	return domain.Regulation{}, nil
}

// guard wraps once, leaves absent services absent (nil means "not
// available" to the screens), and the file screens still find the
// service's export interfaces behind the decorator.
func TestGuard(t *testing.T) {
	svc, _ := newTestServices(t)
	c := newTestCommon(t, svc, testAdmin)
	New(c)
	New(c)
	inner, ok := c.Students.(safeStudents)
	if !ok || inner.Students != Students(svc) {
		t.Fatalf("Students = %T", c.Students)
	}
	if c.Auth != nil || c.Notifications != nil || c.Ages != nil {
		t.Errorf("absent services became present: %v %v %v", c.Auth, c.Notifications, c.Ages)
	}
	if _, ok := stored(c.Students).(export.Reader); !ok {
		t.Error("the export screens lost the export.Reader")
	}
	if _, ok := stored(c.Students).(export.Writer); !ok {
		t.Error("the import screen lost the export.Writer")
	}
	if cmd := importDialog(c); cmd == nil {
		t.Error("no import screen")
	} else if msg, ok := cmd().(statusMsg); ok {
		t.Errorf("import: %q", msg.text)
	}
}

func TestErrorTextEscapes(t *testing.T) {
	for _, lang := range []Lang{French, English} {
		tr := NewTranslator(lang)
		for _, err := range []error{
			domain.Errorf(domain.ENOTFOUND, "student 2026-0\x1b[2J not found"),
			domain.Invalid("sort", "must be one of … (got \u009b)"),
			&domain.Error{Code: domain.EINVALID, Message: "line 3: column G: the header \u202e"},
		} {
			msg := ErrorText(tr, err)
			wantDrawable(t, "ErrorText", msg)
			if !strings.Contains(msg, `\u`) {
				t.Errorf("%s: %q lost what it quoted", lang, msg)
			}
		}
		if got := ErrorText(tr, errors.New("driver said \x1b[2J")); got != tr.T("err.internal") {
			t.Errorf("internal error shown as %q", got)
		}
	}
}

func TestTextReasonsTranslated(t *testing.T) {
	fr := NewTranslator(French)
	err := domain.CheckText("last_name", "\x1b[31mRED", domain.SingleLine)
	if got, want := ErrorText(fr, err), "Nom : contient un caractère de contrôle (U+001B) en position 1"; got != want {
		t.Errorf("French: %q, want %q", got, want)
	}
	if got, want := ErrorText(NewTranslator(English), err), "Last name : contains a control character (U+001B) at position 1"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	for reason, want := range map[string]string{
		"contains a bidirectional formatting character (U+202E) at position 4": "contient un caractère de mise en forme bidirectionnelle (U+202E) en position 4",
		"contains an invalid UTF-8 byte (0xFF) at position 2":                  "contient un octet UTF-8 invalide (0xFF) en position 2",
	} {
		if got := Reason(fr, domain.Problem{Field: "major", Reason: reason}); got != want {
			t.Errorf("Reason(%q) = %q, want %q", reason, got, want)
		}
	}
	header := &domain.Error{Code: domain.EINVALID, Message: "line 3: column G: the header contains a bidirectional formatting character (U+202E) at position 6"}
	if got, want := importErrorText(fr, header), "ligne 3 : colonne G : l'en-tête contient un caractère de mise en forme bidirectionnelle (U+202E) en position 6"; got != want {
		t.Errorf("import header: %q, want %q", got, want)
	}
	p := export.Problem{Line: 4, Column: "Nom\x1b", Field: "last_name", Reason: "is already used by student 2026-00001 (\x1b[2J Awa)"}
	wantDrawable(t, "problemText", problemText(fr, p))
}

// With the decorator in place, x on the students table still opens the
// export dialog (the unwrapped service), not "not available".
func TestFileScreensAvailableBehindTheGuard(t *testing.T) {
	env := newAppEnv(t)
	a := startApp(t, env, 120, 30)
	a.logIn("admin", appPassword)
	a.press("x")
	if v := a.m.View(); strings.Contains(v, env.c.T.T("export.noservice")) {
		t.Fatalf("export not available behind the guard:\n%s", v)
	}
}
