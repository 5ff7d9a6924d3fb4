package ui

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/cursor"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

const sfSecret = "s3cret-pass"

func newSfUsers(t *testing.T, w, h int) (*users, *sfAuthEnv, *Common) {
	f := sfClass()
	env := newSfAuth(f)
	c := sfCommon(t, f, env.auth, domain.Actor{Name: "admin", UserID: "u1", Role: domain.RoleAdmin})
	m := newUsers(c).(*users)
	for i := range m.inputs {
		// A blinking cursor sends timers the runner would wait for.
		m.inputs[i].Cursor.SetMode(cursor.CursorStatic)
	}
	m.SetSize(w, h)
	sfRun(t, m, m.Init()())
	return m, env, c
}

// sfDrive sends keys one by one and checks that no view along the way
// shows a typed password.
func sfDrive(t *testing.T, m *users, msgs ...tea.Msg) []tea.Msg {
	t.Helper()
	var out []tea.Msg
	for _, msg := range msgs {
		out = append(out, sfRun(t, m, msg)...)
		if v := m.View(); strings.Contains(v, sfSecret) || strings.Contains(v, "court") {
			t.Fatalf("a password shows on screen:\n%s", v)
		}
	}
	for _, msg := range out {
		if s, ok := msg.(statusMsg); ok && strings.Contains(s.text, sfSecret) {
			t.Fatalf("a password shows in the status line: %q", s.text)
		}
	}
	return out
}

func sfKeys(names ...string) []tea.Msg {
	out := make([]tea.Msg, len(names))
	for i, n := range names {
		out[i] = sfKey(n)
	}
	return out
}

func sfSeq(parts ...[]tea.Msg) []tea.Msg { return slices.Concat(parts...) }

func TestUsersList(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {80, 24}} {
		m, _, _ := newSfUsers(t, size[0], size[1])
		v := m.View()
		wantIn(t, v, "3 compte(s)", "admin", "administrateur", "tout l'établissement",
			"m.sarr", "enseignant", "L2-INFO", "awa.diop", "étudiant", "2026-00001 DIOP Awa", "actif")
		fits(t, v, size[0], size[1])
	}
}

func TestUsersAddTeacher(t *testing.T) {
	m, env, c := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKey("n"))
	if !m.Capturing() || m.Dirty() {
		t.Fatal("the open form captures keys and holds nothing yet")
	}
	out := sfDrive(t, m, sfSeq(
		sfType("prof.ndiaye"), sfKeys("tab"), // role: teacher by default
		sfKeys("tab"), sfType("l2-info, l3-gc"),
		sfKeys("tab"), sfType(sfSecret),
		sfKeys("tab"), sfType(sfSecret),
	)...)
	if !m.Dirty() {
		t.Error("typed text is an unsaved edit")
	}
	fits(t, m.View(), 80, 24)
	out = append(out, sfDrive(t, m, sfKey("enter"))...)
	if got := sfStatus(c, out); got != "Compte prof.ndiaye créé." {
		t.Errorf("status %q", got)
	}
	u, err := env.users.ByUsername(context.Background(), "prof.ndiaye")
	if err != nil {
		t.Fatal(err)
	}
	if u.Role != domain.RoleTeacher || !slices.Equal(u.Classes, []string{"L2-INFO", "L3-GC"}) || u.PasswordHash != "h:"+sfSecret {
		t.Errorf("created %+v", u)
	}
	if m.Capturing() || m.Dirty() {
		t.Error("the form stays open after saving")
	}
	v := m.View()
	wantIn(t, v, "4 compte(s)", "prof.ndiaye", "L2-INFO, L3-GC")
	if got := m.selected(); got == nil || got.Username != "prof.ndiaye" {
		t.Errorf("the new account is not selected: %v", got)
	}
}

func TestUsersAddStudentByTypingTheRole(t *testing.T) {
	m, env, _ := newSfUsers(t, 100, 30)
	sfDrive(t, m, sfSeq(sfKeys("n"), sfType("fall"), sfKeys("tab"), sfType("é"))...)
	wantIn(t, m.View(), "Matricule ou tél.")
	wantNotIn(t, m.View(), "Classes (a, b)")
	sfDrive(t, m, sfSeq(sfKeys("tab"), sfType("2026-00002"), sfKeys("tab"), sfType(sfSecret), sfKeys("tab"), sfType(sfSecret), sfKeys("enter"))...)
	u, err := env.users.ByUsername(context.Background(), "fall")
	if err != nil || u.Role != domain.RoleStudent || u.StudentID != fmtID(2) {
		t.Fatalf("created %+v, %v", u, err)
	}
	wantIn(t, m.View(), "2026-00002 FALL Awa")
}

func fmtID(n int) string { return sfStudent(n, "", "").ID }

func TestUsersRoleCycles(t *testing.T) {
	m, _, _ := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKeys("n", "tab")...)
	want := []domain.Role{domain.RoleStudent, domain.RoleAdmin, domain.RoleTeacher}
	for _, r := range want {
		sfDrive(t, m, sfKey("right"))
		if got := userRoles[m.role]; got != r {
			t.Fatalf("right gave %s, want %s", got, r)
		}
	}
	sfDrive(t, m, sfKey("left"))
	if userRoles[m.role] != domain.RoleAdmin {
		t.Errorf("left gave %s", userRoles[m.role])
	}
	wantNotIn(t, m.View(), "Matricule ou tél.", "Classes (a, b)") // an admin has neither
}

func TestUsersRefusesMismatchedPasswords(t *testing.T) {
	m, env, _ := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfSeq(sfKeys("n"), sfType("prof.ba"), sfKeys("tab", "tab"), sfType("L2-INFO"),
		sfKeys("tab"), sfType(sfSecret), sfKeys("tab"), sfType("other-pass"), sfKeys("enter"))...)
	wantIn(t, m.View(), "les deux mots de passe diffèrent")
	if !m.Capturing() || m.focus != fConfirm {
		t.Error("the form stays open on the confirmation field")
	}
	if _, err := env.users.ByUsername(context.Background(), "prof.ba"); err == nil {
		t.Error("an account was created with mismatched passwords")
	}
	wantNotIn(t, m.View(), "other-pass")
}

func TestUsersShowsDomainFieldErrors(t *testing.T) {
	m, env, _ := newSfUsers(t, 80, 24)
	// A short password and a teacher without classes: both reasons, in place.
	sfDrive(t, m, sfSeq(sfKeys("n"), sfType("prof.ba"), sfKeys("tab", "tab", "tab"), sfType("court"),
		sfKeys("tab"), sfType("court"), sfKeys("enter"))...)
	v := m.View()
	wantIn(t, v, "doit faire au moins 8 caractères", "un enseignant a au moins une classe")
	fits(t, v, 80, 24)
	if m.focus != fClasses {
		t.Errorf("focus on field %d, want the first at fault (classes)", m.focus)
	}
	if n, _ := env.users.Count(context.Background()); n != 3 {
		t.Errorf("%d accounts after a refusal", n)
	}

	// A taken user name is a conflict on that field.
	m2, _, _ := newSfUsers(t, 80, 24)
	sfDrive(t, m2, sfSeq(sfKeys("n"), sfType("m.sarr"), sfKeys("tab", "tab"), sfType("L3-GC"),
		sfKeys("tab"), sfType(sfSecret), sfKeys("tab"), sfType(sfSecret), sfKeys("enter"))...)
	wantIn(t, m2.View(), "est déjà pris (m.sarr)")
}

func TestUsersEscCancels(t *testing.T) {
	m, _, _ := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfSeq(sfKeys("n"), sfType("x"), sfKeys("esc"))...)
	if m.Capturing() || m.Dirty() || strings.Contains(m.View(), "Nouveau compte") {
		t.Error("esc leaves the form open")
	}
}

func TestUsersDisableWithConfirmation(t *testing.T) {
	m, env, c := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKeys("down")...) // m.sarr (admin, m.sarr, awa.diop sorted: admin, awa.diop, m.sarr)
	sfDrive(t, m, sfKeys("down")...)
	if m.selected().Username != "m.sarr" {
		t.Fatalf("selected %s", m.selected().Username)
	}
	sfDrive(t, m, sfKey("x"))
	wantIn(t, m.View(), "Désactiver le compte m.sarr")
	if !m.Capturing() {
		t.Error("the question holds the keys")
	}
	sfDrive(t, m, sfKey("n")) // no
	if u, _ := env.users.ByUsername(context.Background(), "m.sarr"); u.Disabled {
		t.Fatal("disabled without a yes")
	}
	wantNotIn(t, m.View(), "Désactiver le compte")

	out := sfDrive(t, m, sfKeys("x", "o")...)
	if u, _ := env.users.ByUsername(context.Background(), "m.sarr"); !u.Disabled {
		t.Fatal("not disabled after yes")
	}
	if got := sfStatus(c, out); got != "Compte m.sarr désactivé." {
		t.Errorf("status %q", got)
	}
	wantIn(t, m.View(), "désactivé")

	// x again offers to enable it.
	sfDrive(t, m, sfKey("x"))
	wantIn(t, m.View(), "Réactiver le compte m.sarr")
	sfDrive(t, m, sfKey("o"))
	if u, _ := env.users.ByUsername(context.Background(), "m.sarr"); u.Disabled {
		t.Error("not enabled again")
	}

	// The domain refuses one's own account; the reason reaches the status.
	sfDrive(t, m, sfKeys("g", "x")...)
	out = sfDrive(t, m, sfKey("o"))
	if got := sfStatus(c, out); !strings.Contains(got, "votre propre compte") {
		t.Errorf("status %q", got)
	}
}

func TestUsersRevokeSessions(t *testing.T) {
	m, _, c := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKeys("G", "R")...)
	wantIn(t, m.View(), "Fermer toutes les sessions de m.sarr")
	out := sfDrive(t, m, sfKey("o"))
	if got := sfStatus(c, out); got != "2 session(s) fermée(s) pour m.sarr." {
		t.Errorf("status %q", got)
	}
}

func TestUsersResetPassword(t *testing.T) {
	m, env, c := newSfUsers(t, 80, 24)
	sfDrive(t, m, sfKeys("G", "p")...)
	wantIn(t, m.View(), "Nouveau mot de passe pour m.sarr")
	sfDrive(t, m, sfSeq(sfType("court"), sfKeys("tab"), sfType("court"), sfKeys("enter"))...)
	wantIn(t, m.View(), "doit faire au moins 8 caractères")
	if m.focus != fPassword {
		t.Fatalf("focus on field %d after a refused password", m.focus)
	}
	sfDrive(t, m, sfSeq(sfType("-plus-long"), sfKeys("tab"), sfType("-plus-long"))...)
	out := sfDrive(t, m, sfKey("enter"))
	if got := sfStatus(c, out); !strings.Contains(got, "Mot de passe de m.sarr remplacé") {
		t.Errorf("status %q", got)
	}
	if u, _ := env.users.ByUsername(context.Background(), "m.sarr"); u.PasswordHash != "h:court-plus-long" {
		t.Errorf("hash %q", u.PasswordHash)
	}
}

func TestUsersReloadOnUserChange(t *testing.T) {
	m, env, _ := newSfUsers(t, 80, 24)
	_ = env.users.Insert(context.Background(), &domain.User{Username: "zz.new", Role: domain.RoleAdmin})
	sfRun(t, m, changeMsg{change: domain.Change{Type: domain.EventGradeAdded}})
	wantNotIn(t, m.View(), "zz.new")
	sfRun(t, m, changeMsg{change: domain.Change{Type: "user.changed"}})
	wantIn(t, m.View(), "zz.new")
}
