// Package ui is the full-screen terminal application: a root model that
// owns the session and routes messages, and one model per screen. Screens
// call the domain through the interfaces below, always inside tea.Cmds.
package ui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// Students is what the screens ask of the student service.
type Students interface {
	Roster(ctx context.Context, a domain.Actor, q domain.RosterQuery) (domain.RosterPage, error)
	Get(ctx context.Context, a domain.Actor, ref string) (*domain.Student, error)
	Create(ctx context.Context, a domain.Actor, in domain.StudentInput) (*domain.Student, error)
	Update(ctx context.Context, a domain.Actor, ref string, version int64, in domain.StudentInput) (*domain.Student, error)
	Delete(ctx context.Context, a domain.Actor, ref string, version int64) error
	AddGrade(ctx context.Context, a domain.Actor, ref string, version int64, in domain.GradeInput) (*domain.Student, *domain.Grade, error)
	SetGrade(ctx context.Context, a domain.Actor, ref string, version int64, gradeID, value string) (*domain.Student, error)
	RemoveGrade(ctx context.Context, a domain.Actor, ref string, version int64, gradeID string) (*domain.Student, error)
	Stats(ctx context.Context, a domain.Actor, class string) (*domain.Stats, error)
	Sheet(ctx context.Context, a domain.Actor, class, semester, year, subject string) (*domain.Sheet, error)
	MarkCell(ctx context.Context, a domain.Actor, studentID, evalID string, shown domain.EvaluationMark, in domain.MarkInput) (*domain.Student, error)
	SheetStudent(ctx context.Context, a domain.Actor, sh *domain.Sheet, studentID string) (*domain.Student, error)
	SetRemark(ctx context.Context, a domain.Actor, ref, semester, year, subject, text string) (*domain.Student, error)
	Standing(ctx context.Context, a domain.Actor, st *domain.Student) (domain.Standing, error)
	Phones() domain.PhoneParser
}

// Curricula is what the screens ask of the curriculum service.
type Curricula interface {
	CurrentYear() string
	List(ctx context.Context, a domain.Actor, year, class string) ([]*domain.Curriculum, error)
	Get(ctx context.Context, a domain.Actor, class, semester, year string) (*domain.Curriculum, error)
	Import(ctx context.Context, a domain.Actor, items []*domain.Curriculum) (created, replaced int, err error)
	ChangeStatus(ctx context.Context, a domain.Actor, class, semester, year string, act domain.SemesterAction, reason string) (*domain.Curriculum, error)
	AddEvaluation(ctx context.Context, a domain.Actor, in domain.EvaluationInput) (*domain.Evaluation, error)
	PublishEvaluation(ctx context.Context, a domain.Actor, id string) (*domain.Evaluation, error)
	// Semesters is a student the screen has read (Students.Get checked
	// the reader), by semester, UE, subject and evaluation.
	Semesters(ctx context.Context, a domain.Actor, st *domain.Student) ([]domain.SemesterResult, error)
}

// Results is what the deliberation screen, the report card and the
// procès-verbal ask of the results service.
type Results interface {
	Results(ctx context.Context, a domain.Actor, class, semester, year string, session int) (*domain.ClassResults, error)
	Override(ctx context.Context, a domain.Actor, in domain.JuryInput) (*domain.JuryEntry, error)
	Regulation(ctx context.Context) (domain.Regulation, error)
	SetRegulation(ctx context.Context, a domain.Actor, r domain.Regulation) (domain.Regulation, error)
	Bulletin(ctx context.Context, a domain.Actor, ref, semester, year string) (*domain.Bulletin, error)
	// ClassSemester is the class's current semester, the one its
	// procès-verbal is of when none is named (the statistics' p).
	ClassSemester(ctx context.Context, a domain.Actor, class, year string) (*domain.Curriculum, error)
}

// Auth is what the screens ask of the auth service.
type Auth interface {
	Login(ctx context.Context, username, password string) (*domain.Login, error)
	Resume(ctx context.Context, token string) (*domain.Login, error)
	Logout(ctx context.Context, token string) error
	Users(ctx context.Context, a domain.Actor) ([]*domain.User, error)
	CreateUser(ctx context.Context, a domain.Actor, in domain.UserInput) (*domain.User, error)
	SetPassword(ctx context.Context, a domain.Actor, username, password string) error
	SetDisabled(ctx context.Context, a domain.Actor, username string, disabled bool) error
	RevokeSessions(ctx context.Context, a domain.Actor, username string) (int, error)
	AddKey(ctx context.Context, a domain.Actor, username, authorizedKey string) (*domain.SSHKey, error)
	RemoveKey(ctx context.Context, a domain.Actor, username, fingerprint string) error
	SetLang(ctx context.Context, a domain.Actor, username, lang string) error
}

// Notifications is what the screens ask of the notifier: the admins' log
// and a student's own messages. Statuses are "pending", "sent", "failed"
// and "skipped" ("" for any).
type Notifications interface {
	Log(ctx context.Context, a domain.Actor, status string, limit int) ([]NotificationRow, error)
	Counts(ctx context.Context, a domain.Actor) (map[string]int, error)
	Retry(ctx context.Context, a domain.Actor, id string) error
	Mine(ctx context.Context, a domain.Actor, limit int) ([]NotificationRow, error)
}

// Feed delivers changes made by anyone.
type Feed interface {
	Subscribe(ctx context.Context) (<-chan domain.Change, error)
}

// TokenStore keeps the session token between runs ("connexion rapide").
type TokenStore interface {
	Load() (string, error)
	Save(token string) error
	Clear() error
}

// Common is shared by every screen of one program: services, theme,
// language, the acting user and the terminal size. The root owns it.
type Common struct {
	Ctx      context.Context
	Students Students
	// Curricula is nil where evaluations are not available: no grade
	// sheet or curricula tab.
	Curricula Curricula
	// Results is nil where results are not available: no deliberation
	// tab.
	Results Results
	Auth    Auth
	Feed    Feed // nil: no live updates
	Tokens  TokenStore
	Log     *slog.Logger
	Styles  Styles
	T       *Translator
	// LangChosen: the terminal chose T's language; otherwise the user's
	// saved preference replaces it at log-in.
	LangChosen bool
	Actor      domain.Actor
	// DemoLogins ("user / password") are shown on the log-in screen of a
	// demo store.
	DemoLogins []string
	Width      int
	Height     int

	// Notifications is nil when the notifier is not available: no log
	// tab, nothing about messages on "Mes notes".
	Notifications Notifications
	// Ages reads the analytics job's latest per-major age table (nil:
	// no "Âges" section on the statistics screen).
	Ages domain.AgeReports
	// Imports journals the imports of the import screen, so that one
	// killed with the program is rolled back at the next start (nil: none).
	Imports domain.ImportJournal

	// Recheck is how often an open session is read again, so that a
	// revocation ends it within seconds (0: never). IdleLogout logs out a
	// session without a key press for that long (0: never).
	Recheck    time.Duration
	IdleLogout time.Duration
	// Now is the clock of the idle log-out (nil: time.Now).
	Now func() time.Time

	// jobs counts the background work still running (see startJob), so
	// that the program waits for it before closing the back-ends.
	jobs sync.WaitGroup
}

// WaitJobs waits until every background job has returned, or timeout.
// Cancel Ctx first: an import then undoes what it wrote, an export
// removes its partial file. It reports whether all of them returned.
func (c *Common) WaitJobs(timeout time.Duration) bool {
	done := make(chan struct{})
	go func() {
		c.jobs.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// screen is one model of the application.
type screen interface {
	Init() tea.Cmd
	Update(msg tea.Msg) (screen, tea.Cmd)
	View() string
	SetSize(width, height int)
	help.KeyMap
	// Capturing reports that keys go to a text field: the root then keeps
	// only ctrl+c for itself.
	Capturing() bool
	// Dirty reports an unsaved edit: quitting asks first.
	Dirty() bool
}

// stopper is a screen whose background work must end before the program
// does: a cancelled import undoes what it wrote, and quitting must not cut
// that short.
type stopper interface {
	// Stop cancels the work and returns the command that waits for its
	// end, or nil when nothing runs.
	Stop() tea.Cmd
}

// Messages between screens and the root.
type (
	// loggedInMsg opens the application for a user.
	loggedInMsg struct {
		login   *domain.Login
		resumed bool
		// unsaved: the session file could not be written, so the next
		// start will ask for the password again.
		unsaved bool
	}
	// openStudentMsg opens a student's detail screen.
	openStudentMsg struct{ ref string }
	// openFormMsg opens the student form (nil: a new student).
	openFormMsg struct{ student *domain.Student }
	// backMsg closes a sub-screen.
	backMsg struct{ reload bool }
	// statusMsg shows a line in the status bar.
	statusMsg struct {
		text string
		kind statusKind
	}
	// errMsg shows a back-end error in words.
	errMsg struct{ err error }
	// changeMsg is a change announced by the feed.
	changeMsg struct {
		change domain.Change
		feed   <-chan domain.Change
	}
)

type statusKind int

const (
	statusInfo statusKind = iota
	statusSuccess
	statusWarning
	statusError
)

func status(kind statusKind, text string) tea.Cmd {
	return func() tea.Msg { return statusMsg{text: text, kind: kind} }
}

func failed(err error) tea.Msg { return errMsg{err: err} }

// phones is the parser of the program's phone region: screens show stored
// (E.164) phones through its Display, as the office writes them. Without
// a student service (some tests), the default region's.
func (c *Common) phones() domain.PhoneParser {
	if c.Students == nil {
		return domain.PhoneParser{}
	}
	return c.Students.Phones()
}
