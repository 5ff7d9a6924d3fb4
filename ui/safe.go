package ui

// Text hygiene at the screen's edge. The domain refuses control and
// bidirectional characters in every field now, but records stored before
// may hold them, and notifications carry servers' error texts and the
// analytics table majors read from Kafka. A screen must never draw one:
// an ESC in a class name wiped the table, set the window title and made a
// cell blink. The edge is the services: New wraps those of Common in the
// decorators below, which escape (domain.Escape) every text of what they
// return, so every screen, present and future, draws only safe text; and
// ErrorText escapes the messages, which may quote what was typed. Lip
// Gloss's own styling is added after, so it is untouched.
//
// What a screen sends back (a student's number, a grade id) is generated,
// never escaped, so edits still reach the right record. Two calls take a
// text the screen got from a decorator: Standing (the student's class)
// and Stats (a class); for a text the escape changed they go back to the
// stored one. Files (exports, imports, reports) use the services
// unwrapped: they must hold the data as stored.

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"scolarite/domain"
)

// guard wraps the services of c, once.
func guard(c *Common) {
	if _, ok := c.Students.(safeStudents); c.Students != nil && !ok {
		c.Students = safeStudents{c.Students}
	}
	if _, ok := c.Auth.(safeAuth); c.Auth != nil && !ok {
		c.Auth = safeAuth{c.Auth}
	}
	if _, ok := c.Notifications.(safeNotifications); c.Notifications != nil && !ok {
		c.Notifications = safeNotifications{c.Notifications}
	}
	if _, ok := c.Ages.(safeAges); c.Ages != nil && !ok {
		c.Ages = safeAges{c.Ages}
	}
	if _, ok := c.Results.(safeResults); c.Results != nil && !ok {
		c.Results = safeResults{c.Results}
	}
}

// stored is the student service as the files need it: not escaped.
func stored(s Students) Students {
	if safe, ok := s.(safeStudents); ok {
		return safe.Students
	}
	return s
}

// ErrorText puts a back-end error in the user's words (see errorWords),
// escaped: a message may quote what was typed or stored.
func ErrorText(t *Translator, err error) string { return domain.Escape(errorWords(t, err)) }

// escaped escapes each text in place and reports whether one changed.
func escaped(texts ...*string) bool {
	changed := false
	for _, p := range texts {
		if e := domain.Escape(*p); e != *p {
			*p, changed = e, true
		}
	}
	return changed
}

// escapeEach returns items with escape applied to each, copied only when
// one changed (then changed is true): the service's slices may be shared
// (cached views).
func escapeEach[T any](items []T, escape func(T) (T, bool)) (_ []T, changed bool) {
	var out []T
	for i := range items {
		if v, changed := escape(items[i]); changed {
			if out == nil {
				out = slices.Clone(items)
			}
			out[i] = v
		}
	}
	if out == nil {
		return items, false
	}
	return out, true
}

// escapeAll is escapeEach without the report.
func escapeAll[T any](items []T, escape func(T) (T, bool)) []T {
	out, _ := escapeEach(items, escape)
	return out
}

// The escape functions take and return values, so that escapeEach's
// indirect call makes no copy escape to the heap (10,000 rows: no
// allocation when clean).

func escapeRow(r domain.RosterRow) (domain.RosterRow, bool) {
	changed := escaped(&r.ID, &r.Number, &r.LastName, &r.FirstName, &r.Phone, &r.Class, &r.Major)
	return r, changed
}

func escapeGrade(g domain.Grade) (domain.Grade, bool) {
	changed := escaped(&g.ID, &g.Subject, &g.Teacher)
	return g, changed
}

func escapeString(s string) (string, bool) {
	changed := escaped(&s)
	return s, changed
}

// safeStudent returns st, or an escaped copy when a text needed it.
func safeStudent(st *domain.Student) *domain.Student {
	if st == nil {
		return nil
	}
	c := *st
	changed := escaped(&c.ID, &c.Number, &c.LastName, &c.FirstName, &c.Phone, &c.Email, &c.Class, &c.Major,
		&c.GuardianName, &c.GuardianPhone, &c.GuardianEmail)
	grades, gradesChanged := escapeEach(st.Grades, escapeGrade)
	if !changed && !gradesChanged {
		return st
	}
	c.Grades = grades
	return &c
}

func safeUser(u *domain.User) *domain.User {
	if u == nil {
		return nil
	}
	c := *u
	role := string(c.Role)
	changed := escaped(&c.ID, &c.Username, &role, &c.StudentID)
	c.Role = domain.Role(role)
	classes, classesChanged := escapeEach(u.Classes, escapeString)
	if !changed && !classesChanged {
		return u
	}
	c.Classes = classes
	return &c
}

// safeStudents escapes what the student service returns.
type safeStudents struct{ Students }

func (s safeStudents) Roster(ctx context.Context, a domain.Actor, q domain.RosterQuery) (domain.RosterPage, error) {
	page, err := s.Students.Roster(ctx, a, q)
	page.Rows = escapeAll(page.Rows, escapeRow)
	return page, err
}

func (s safeStudents) Get(ctx context.Context, a domain.Actor, ref string) (*domain.Student, error) {
	st, err := s.Students.Get(ctx, a, ref)
	return safeStudent(st), err
}

func (s safeStudents) Create(ctx context.Context, a domain.Actor, in domain.StudentInput) (*domain.Student, error) {
	st, err := s.Students.Create(ctx, a, in)
	return safeStudent(st), err
}

func (s safeStudents) Update(ctx context.Context, a domain.Actor, ref string, version int64, in domain.StudentInput) (*domain.Student, error) {
	st, err := s.Students.Update(ctx, a, ref, version, in)
	return safeStudent(st), err
}

func (s safeStudents) AddGrade(ctx context.Context, a domain.Actor, ref string, version int64, in domain.GradeInput) (*domain.Student, *domain.Grade, error) {
	st, g, err := s.Students.AddGrade(ctx, a, ref, version, in)
	if g != nil {
		c, _ := escapeGrade(*g)
		g = &c
	}
	return safeStudent(st), g, err
}

func (s safeStudents) SheetStudent(ctx context.Context, a domain.Actor, sh *domain.Sheet, studentID string) (*domain.Student, error) {
	st, err := s.Students.SheetStudent(ctx, a, sh, studentID)
	return safeStudent(st), err
}

func (s safeStudents) SetGrade(ctx context.Context, a domain.Actor, ref string, version int64, gradeID, value string) (*domain.Student, error) {
	st, err := s.Students.SetGrade(ctx, a, ref, version, gradeID, value)
	return safeStudent(st), err
}

func (s safeStudents) RemoveGrade(ctx context.Context, a domain.Actor, ref string, version int64, gradeID string) (*domain.Student, error) {
	st, err := s.Students.RemoveGrade(ctx, a, ref, version, gradeID)
	return safeStudent(st), err
}

func (s safeStudents) Stats(ctx context.Context, a domain.Actor, class string) (*domain.Stats, error) {
	if class != "" && strings.Contains(class, `\u`) {
		class = s.storedClass(ctx, a, class)
	}
	st, err := s.Students.Stats(ctx, a, class)
	if st == nil {
		return st, err
	}
	c := *st
	escaped(&c.Class)
	c.Classes = escapeAll(st.Classes, func(cs domain.ClassStats) (domain.ClassStats, bool) {
		changed := escaped(&cs.Class)
		return cs, changed
	})
	c.Top = escapeAll(st.Top, func(r domain.Ranked) (domain.Ranked, bool) {
		var changed bool
		r.RosterRow, changed = escapeRow(r.RosterRow)
		return r, changed
	})
	c.Below = escapeAll(st.Below, escapeRow)
	return &c, err
}

// storedClass is the class as stored whose escape the screen shows.
func (s safeStudents) storedClass(ctx context.Context, a domain.Actor, shown string) string {
	all, err := s.Students.Stats(ctx, a, "")
	if err != nil {
		return shown
	}
	for _, cs := range all.Classes {
		if domain.Escape(cs.Class) == shown {
			return cs.Class
		}
	}
	return shown
}

func (s safeStudents) Standing(ctx context.Context, a domain.Actor, st *domain.Student) (domain.Standing, error) {
	if st != nil && strings.Contains(st.Class, `\u`) {
		if raw, err := s.Students.Get(ctx, a, st.Number); err == nil { // numbers are generated: never escaped
			st = raw // the rank is within the class as stored
		}
	}
	return s.Students.Standing(ctx, a, st)
}

// safeAuth escapes the accounts the auth service returns. The Actor of a
// log-in is left alone: it decides permissions and is never drawn.
type safeAuth struct{ Auth }

func (s safeAuth) safeLogin(l *domain.Login, err error) (*domain.Login, error) {
	if l != nil {
		c := *l
		c.User = safeUser(l.User)
		l = &c
	}
	return l, err
}

func (s safeAuth) Login(ctx context.Context, username, password string) (*domain.Login, error) {
	return s.safeLogin(s.Auth.Login(ctx, username, password))
}

func (s safeAuth) Resume(ctx context.Context, token string) (*domain.Login, error) {
	return s.safeLogin(s.Auth.Resume(ctx, token))
}

func (s safeAuth) Users(ctx context.Context, a domain.Actor) ([]*domain.User, error) {
	users, err := s.Auth.Users(ctx, a)
	return escapeAll(users, func(u *domain.User) (*domain.User, bool) {
		safe := safeUser(u)
		return safe, safe != u
	}), err
}

func (s safeAuth) CreateUser(ctx context.Context, a domain.Actor, in domain.UserInput) (*domain.User, error) {
	u, err := s.Auth.CreateUser(ctx, a, in)
	return safeUser(u), err
}

// safeNotifications escapes the log's rows: addresses, rendered subjects
// and the servers' error texts.
type safeNotifications struct{ Notifications }

func escapeNotification(r NotificationRow) (NotificationRow, bool) {
	changed := escaped(&r.ID, &r.Channel, &r.Recipient, &r.Student, &r.Status, &r.Subject, &r.LastError)
	return r, changed
}

func (s safeNotifications) Log(ctx context.Context, a domain.Actor, status string, limit int) ([]NotificationRow, error) {
	rows, err := s.Notifications.Log(ctx, a, status, limit)
	return escapeAll(rows, escapeNotification), err
}

func (s safeNotifications) Mine(ctx context.Context, a domain.Actor, limit int) ([]NotificationRow, error) {
	rows, err := s.Notifications.Mine(ctx, a, limit)
	return escapeAll(rows, escapeNotification), err
}

// safeAges escapes the analytics table: its majors come from Kafka.
// safeResults escapes the students' names and the jury's reasons. Results
// are computed for each call, never shared, so they are escaped in place.
type safeResults struct{ inner Results }

func (s safeResults) Results(ctx context.Context, a domain.Actor, class, semester, year string, session int) (*domain.ClassResults, error) {
	res, err := s.inner.Results(ctx, a, class, semester, year, session)
	if res != nil {
		for i := range res.Outcomes {
			o := &res.Outcomes[i]
			escaped(&o.Number, &o.LastName, &o.FirstName)
			for j := range o.Jury {
				escaped(&o.Jury[j].Reason, &o.Jury[j].By)
			}
		}
	}
	return res, err
}

func (s safeResults) Override(ctx context.Context, a domain.Actor, in domain.JuryInput) (*domain.JuryEntry, error) {
	e, err := s.inner.Override(ctx, a, in)
	if e != nil {
		escaped(&e.Reason, &e.By)
	}
	return e, err
}

// Bulletin escapes the student's names and the remarks. The student is
// the service's record, maybe shared: it is copied first.
func (s safeResults) Bulletin(ctx context.Context, a domain.Actor, ref, semester, year string) (*domain.Bulletin, error) {
	b, err := s.inner.Bulletin(ctx, a, ref, semester, year)
	if b == nil {
		return b, err
	}
	if b.Student != nil {
		st := *b.Student
		escaped(&st.Number, &st.LastName, &st.FirstName, &st.Class)
		b.Student = &st
	}
	escaped(&b.Remark)
	for i := range b.Subjects {
		escaped(&b.Subjects[i].Subject, &b.Subjects[i].UE, &b.Subjects[i].Remark)
	}
	return b, err
}

// ClassSemester is the curriculum as stored, unescaped: the statistics
// read the results with it (its semester and year are checked when saved;
// the dialog escapes the class's name it shows).
func (s safeResults) ClassSemester(ctx context.Context, a domain.Actor, class, year string) (*domain.Curriculum, error) {
	return s.inner.ClassSemester(ctx, a, class, year)
}

// storedResults is the results service as the files need it: not escaped.
func storedResults(r Results) Results {
	if safe, ok := r.(safeResults); ok {
		return safe.inner
	}
	return r
}

type safeAges struct{ domain.AgeReports }

func (s safeAges) Latest(ctx context.Context) (*domain.AgeReport, error) {
	r, err := s.AgeReports.Latest(ctx)
	if r == nil {
		return r, err
	}
	c := *r
	escaped(&c.Topic)
	c.Majors = escapeAll(r.Majors, func(m domain.MajorAges) (domain.MajorAges, bool) {
		changed := escaped(&m.Major)
		return m, changed
	})
	return &c, err
}

var safeText = map[string]text{
	"text.control": {"contient un caractère de contrôle (%s) en position %s", "contains a control character (%s) at position %s"},
	"text.bidi":    {"contient un caractère de mise en forme bidirectionnelle (%s) en position %s", "contains a bidirectional formatting character (%s) at position %s"},
	"text.utf8":    {"contient un octet UTF-8 invalide (%s) en position %s", "contains an invalid UTF-8 byte (%s) at position %s"},
	"text.header":  {"ligne %s : colonne %s : l'en-tête %s", "line %s: column %s: the header %s"},
}

// textReasons are the reasons of domain.CheckText, and the import's
// header refused for one.
var (
	textReasonRe = regexp.MustCompile(`^contains (a control character|a bidirectional formatting character|an invalid UTF-8 byte) \(([^)]*)\) at position (\d+)$`)
	textHeaderRe = regexp.MustCompile(`^line (\d+): column (\S+): the header (contains .*)$`)
	textKinds    = map[string]string{"a control character": "text.control",
		"a bidirectional formatting character": "text.bidi", "an invalid UTF-8 byte": "text.utf8"}
)

// textReason translates a reason of domain.CheckText; false for others.
func textReason(t *Translator, reason string) (string, bool) {
	if m := textHeaderRe.FindStringSubmatch(reason); m != nil {
		if inner, ok := textReason(t, m[3]); ok {
			return t.T("text.header", m[1], m[2], inner), true
		}
	}
	if m := textReasonRe.FindStringSubmatch(reason); m != nil {
		return t.T(textKinds[m[1]], m[2], m[3]), true
	}
	return "", false
}

func (s safeResults) Regulation(ctx context.Context) (domain.Regulation, error) {
	return s.inner.Regulation(ctx)
}

func (s safeResults) SetRegulation(ctx context.Context, a domain.Actor, r domain.Regulation) (domain.Regulation, error) {
	return s.inner.SetRegulation(ctx, a, r)
}
