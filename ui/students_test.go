package ui

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

// rosterStudents serves a fixed roster; the other methods are not used by
// the table and panic if called (the embedded nil interface).
type rosterStudents struct {
	Students
	rows   []domain.RosterRow
	loads  int
	online bool
}

func (f *rosterStudents) Roster(_ context.Context, a domain.Actor, _ domain.RosterQuery) (domain.RosterPage, error) {
	f.loads++
	var rows []domain.RosterRow
	for _, r := range f.rows {
		if a.Role == domain.RoleAdmin || a.Teaches(r.Class) {
			rows = append(rows, r)
		}
	}
	return domain.RosterPage{Rows: rows, Matched: len(rows), Total: len(rows), CacheOnline: f.online}, nil
}

func (f *rosterStudents) Phones() domain.PhoneParser { return domain.PhoneParser{} }

func avg(v float64) *float64 { return &v }

func sampleRoster() []domain.RosterRow {
	return []domain.RosterRow{
		{ID: "a", Number: "2026-00001", LastName: "Diop", FirstName: "Ndèye", Phone: "+221771234567", Class: "L3-INFO", Major: "Informatique", Average: avg(14.5), GradeCount: 3},
		{ID: "b", Number: "2026-00002", LastName: "Fall", FirstName: "Moussa", Phone: "+221780001122", Class: "L2-GC", Major: "Génie civil", Average: avg(8), GradeCount: 2},
		{ID: "c", Number: "2026-00003", LastName: "Ba", FirstName: "Aïssatou", Phone: "+221765554433", Class: "L3-INFO", Major: "Informatique", Average: avg(17.25), GradeCount: 4},
		{ID: "d", Number: "2026-00004", LastName: "Sow", FirstName: "Awa", Phone: "+221701112233", Class: "L2-GC", Major: "Génie civil"},
	}
}

func testCommon(students Students, actor domain.Actor) *Common {
	return &Common{Ctx: context.Background(), Students: students, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Styles: plainStyles(), T: NewTranslator(French), Actor: actor, Width: 100, Height: 30}
}

// run executes cmd and feeds every resulting message to the screen,
// following batches, until nothing is left.
func run(s screen, cmd tea.Cmd) {
	queue := []tea.Cmd{cmd}
	for len(queue) > 0 {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil:
		default:
			_, next := s.Update(msg)
			queue = append(queue, next)
		}
	}
}

func keys(s screen, text ...string) {
	for _, k := range text {
		var msg tea.KeyMsg
		switch k {
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "down":
			msg = tea.KeyMsg{Type: tea.KeyDown}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		// Commands are dropped: here they are cursor blinks, whose timers
		// would only slow the test down.
		s.Update(msg)
	}
}

func loadedStudents(t *testing.T, f *rosterStudents, actor domain.Actor) *students {
	t.Helper()
	s := newStudents(testCommon(f, actor))
	s.SetSize(100, 20)
	run(s, s.Init())
	return s
}

func numbersShown(s *students) []string {
	var out []string
	for _, i := range s.view {
		out = append(out, s.rows[i].Number)
	}
	return out
}

var adminActor = domain.Actor{Name: "admin", Role: domain.RoleAdmin}

func TestStudentsDefaultOrderAndSort(t *testing.T) {
	s := loadedStudents(t, &rosterStudents{rows: sampleRoster(), online: true}, adminActor)
	if got := strings.Join(numbersShown(s), ","); got != "2026-00003,2026-00001,2026-00002,2026-00004" {
		t.Fatalf("default order %s; want best average first, none last", got)
	}
	keys(s, "s") // next column after average: number of grades, most first
	if got := numbersShown(s)[0]; got != "2026-00003" {
		t.Fatalf("sorted by grade count: first %s", got)
	}
	keys(s, "s") // wraps to the matricule, ascending
	if got := strings.Join(numbersShown(s), ","); got != "2026-00001,2026-00002,2026-00003,2026-00004" {
		t.Fatalf("sorted by matricule: %s", got)
	}
	keys(s, "r")
	if got := numbersShown(s)[0]; got != "2026-00004" {
		t.Fatalf("reversed: first %s", got)
	}
	if view := s.View(); !strings.Contains(view, "tri : matricule ↓") || !strings.Contains(view, "cache en ligne") {
		t.Fatalf("status line lacks the sort or the cache state:\n%s", view)
	}
}

func TestStudentsFilterAsYouType(t *testing.T) {
	s := loadedStudents(t, &rosterStudents{rows: sampleRoster()}, adminActor)
	keys(s, "/", "n", "d", "e", "y", "e")
	if got := strings.Join(numbersShown(s), ","); got != "2026-00001" {
		t.Fatalf(`filter "ndeye" shows %s; want Ndèye only`, got)
	}
	if !s.Capturing() {
		t.Fatal("the filter field does not capture keys")
	}
	view := s.View()
	for _, want := range []string{"1 correspondent sur 4", "« ndeye »", "cache hors ligne"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	keys(s, "esc")
	if len(s.view) != 4 || s.Capturing() {
		t.Fatalf("esc left %d rows, capturing %v", len(s.view), s.Capturing())
	}
	for _, tc := range []struct{ search, want string }{
		{"77 123", "2026-00001"}, {"00221 78", "2026-00002"}, {"l2-gc", "2026-00002,2026-00004"}, {".*", ""}, {"$where", ""},
		// The phone as the table shows it, as E.164, as the office dials it.
		{"76 555 44 33", "2026-00003"}, {"+221765554433", "2026-00003"}, {"00 221 76 555 44 33", "2026-00003"},
	} {
		s.filter.SetValue(tc.search)
		s.applyFilter()
		if got := strings.Join(numbersShown(s), ","); got != tc.want {
			t.Errorf("filter %q shows %q, want %q", tc.search, got, tc.want)
		}
	}
}

func TestStudentsTeacherScopeAndActions(t *testing.T) {
	teacher := domain.Actor{Name: "prof", Role: domain.RoleTeacher, Classes: []string{"L3-INFO"}}
	s := loadedStudents(t, &rosterStudents{rows: sampleRoster()}, teacher)
	if got := strings.Join(numbersShown(s), ","); got != "2026-00003,2026-00001" {
		t.Fatalf("teacher sees %s; want their class only", got)
	}
	for _, b := range s.FullHelp() {
		for _, k := range b {
			if k.Enabled() && (k.Help().Desc == s.c.T.T("students.new") || k.Help().Desc == s.c.T.T("students.delete")) {
				t.Errorf("teacher is offered %q", k.Help().Desc)
			}
		}
	}
	keys(s, "d")
	if s.confirm != nil {
		t.Fatal("a teacher could start deleting a student")
	}
}

func TestStudentsOpenAndChangeFeed(t *testing.T) {
	f := &rosterStudents{rows: sampleRoster()}
	s := loadedStudents(t, f, adminActor)
	keys(s, "down")
	_, cmd := s.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if msg, ok := cmd().(openStudentMsg); !ok || msg.ref != "2026-00001" {
		t.Fatalf("enter on the second row gave %#v", cmd())
	}
	f.rows = append(f.rows, domain.RosterRow{ID: "e", Number: "2026-00005", LastName: "Kane", FirstName: "Binta", Phone: "+221770000000", Class: "L2-GC", Average: avg(19)})
	_, cmd = s.Update(changeMsg{change: domain.Change{Type: domain.EventStudentCreated}})
	run(s, cmd)
	if f.loads != 2 || len(s.view) != 5 || numbersShown(s)[0] != "2026-00005" {
		t.Fatalf("after a change: %d loads, rows %v", f.loads, numbersShown(s))
	}
	if r := s.selected(); r == nil || r.Number != "2026-00001" {
		t.Fatalf("the selection moved to %v after the reload", r)
	}
}

func TestStudentsMouse(t *testing.T) {
	s := loadedStudents(t, &rosterStudents{rows: sampleRoster()}, adminActor)
	// A click on the "Nom" header (second column) sorts by last name.
	x := s.table.widths[0] + 2
	s.Update(tea.MouseMsg{X: x, Y: 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if got := numbersShown(s)[0]; got != "2026-00003" { // Ba
		t.Fatalf("click on the last-name header: first %s", got)
	}
	s.Update(tea.MouseMsg{X: x, Y: 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if got := numbersShown(s)[0]; got != "2026-00004" { // Sow
		t.Fatalf("second click reverses: first %s", got)
	}
}

func bigRoster(n int) []domain.RosterRow {
	rows := make([]domain.RosterRow, n)
	names := []string{"Diop", "Ndèye", "Fall", "Aïssatou", "Sène", "Françoise"}
	for i := range rows {
		rows[i] = domain.RosterRow{ID: fmt.Sprint(i), Number: fmt.Sprintf("2026-%06d", i), LastName: names[i%6], FirstName: names[(i+1)%6],
			Phone: fmt.Sprintf("+22177%07d", i), Class: fmt.Sprintf("L%d-INFO", i%3+1), Major: "Informatique", Average: avg(float64(i%2000) / 100), GradeCount: i % 7}
	}
	return rows
}

// BenchmarkStudentsView: drawing the table costs the same for 1,000 and
// 100,000 rows (only the visible rows are drawn); compare the two.
func BenchmarkStudentsView(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			s := newStudents(testCommon(&rosterStudents{rows: bigRoster(n)}, adminActor))
			s.SetSize(120, 32)
			run(s, s.Init())
			for b.Loop() {
				if s.View() == "" {
					b.Fatal("empty view")
				}
			}
		})
	}
}

// BenchmarkFilterKeystroke is one key typed in the filter over 100,000
// students: the goal is under 50 ms.
func BenchmarkFilterKeystroke(b *testing.B) {
	s := newStudents(testCommon(&rosterStudents{rows: bigRoster(100_000)}, adminActor))
	s.SetSize(120, 32)
	run(s, s.Init())
	s.filter.Focus()
	s.filter.SetValue("ndey")
	for b.Loop() {
		s.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("e")})
		if len(s.view) == 0 {
			b.Fatal("no match")
		}
		s.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	}
}
