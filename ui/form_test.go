package ui

import (
	"context"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

func openForm(t *testing.T, svc *domain.StudentService, st *domain.Student) *form {
	t.Helper()
	f := newForm(newTestCommon(t, svc, testAdmin), st).(*form)
	f.SetSize(100, 30)
	start(t, f)
	return f
}

// fillForm types values into the fields in order, tab between them.
func fillForm(t *testing.T, f *form, values ...string) []tea.Msg {
	t.Helper()
	var keys []string
	for i, v := range values {
		if i > 0 {
			keys = append(keys, "tab")
		}
		if v != "" {
			keys = append(keys, v)
		}
	}
	return press(t, f, keys...)
}

// fieldError is the text shown under a field, or "".
func fieldError(t *testing.T, f *form, field string) string {
	t.Helper()
	lines := strings.Split(f.View(), "\n")
	label := f.c.T.T("field." + field)
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimLeft(l, " ›"), label+" ") && i+1 < len(lines) {
			next := lines[i+1]
			if strings.HasPrefix(next, strings.Repeat(" ", labelWidth+3)) {
				return strings.TrimSpace(next)
			}
			return ""
		}
	}
	t.Fatalf("no field %s in:\n%s", field, f.View())
	return ""
}

func TestFormShowsEveryProblemAtOnce(t *testing.T) {
	svc, repo := newTestServices(t)
	f := openForm(t, svc, nil)
	if !f.Capturing() || f.Dirty() {
		t.Fatalf("new form: Capturing=%v Dirty=%v", f.Capturing(), f.Dirty())
	}
	fillForm(t, f, "", "", "77 123 45 67", "", "L1-INFO", "Informatique", "2004-13-45", "", "", "")
	if !f.Dirty() {
		t.Error("typed form not Dirty")
	}
	msgs := press(t, f, "enter") // on the last field: saves
	if _, ok := findMsg[backMsg](msgs); ok {
		t.Fatal("an invalid form went back")
	}
	for field, want := range map[string]string{
		"last_name":  "est obligatoire",
		"first_name": "est obligatoire",
		"birth_date": "n'est pas une date AAAA-MM-JJ",
		"phone":      "",
	} {
		if got := fieldError(t, f, field); !strings.HasPrefix(got, want) || (want == "" && got != "") {
			t.Errorf("under %s: %q, want %q", field, got, want)
		}
	}
	if n, _ := repo.Count(context.Background()); n != 0 {
		t.Errorf("%d students stored from an invalid form", n)
	}
	if f.focus != 0 {
		t.Errorf("focus on field %d, want the first at fault", f.focus)
	}
	// Fixing the fields clears their messages on the next save.
	press(t, f, "Ndiaye", "tab", "Fatou", "ctrl+s")
	if got := fieldError(t, f, "last_name"); got != "" {
		t.Errorf("fixed field still shows %q", got)
	}
	if got := fieldError(t, f, "birth_date"); got == "" {
		t.Error("the bad date lost its message")
	}
}

func TestFormDuplicatePhoneNamesTheStudent(t *testing.T) {
	svc, repo := newTestServices(t)
	seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"))
	f := openForm(t, svc, nil)
	fillForm(t, f, "Ndiaye", "Fatou", "+221 77-123-45-67", "", "L1-INFO", "Informatique", "2005-01-02")
	press(t, f, "ctrl+s")
	if got := fieldError(t, f, "phone"); got != "déjà utilisé par l'étudiant 2026-00001" {
		t.Errorf("under phone: %q", got)
	}
	if n, _ := repo.Count(context.Background()); n != 1 {
		t.Errorf("%d students stored, want 1", n)
	}
}

func TestFormCreatesThenOpensTheStudent(t *testing.T) {
	svc, _ := newTestServices(t)
	f := openForm(t, svc, nil)
	fillForm(t, f, "ndiaye", "Fatou", "77 765 43 21", "fatou@example.sn", "l1-info", "Informatique", "2005-01-02", "", "", "")
	msgs := press(t, f, "enter")
	var kinds []string
	for _, m := range msgs {
		switch m := m.(type) {
		case statusMsg:
			kinds = append(kinds, "status:"+m.text)
		case backMsg:
			kinds = append(kinds, "back")
			if !m.reload {
				t.Error("back without reload after creating")
			}
		case openStudentMsg:
			kinds = append(kinds, "open:"+m.ref)
		}
	}
	want := "status:Étudiant 2026-00001 créé.|back|open:2026-00001"
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("messages %q, want %q", got, want)
	}
	st, err := svc.Get(context.Background(), testAdmin, "2026-00001")
	if err != nil || st.Class != "L1-INFO" || st.Email != "fatou@example.sn" {
		t.Errorf("stored %+v, %v", st, err)
	}
	if f.Dirty() {
		t.Error("a saved form is still Dirty")
	}
}

func TestFormEditKeepsMatricule(t *testing.T) {
	svc, _ := newTestServices(t)
	seedStudent(t, svc, studentInput("Sow", "Ali", "77 111 22 33", "L1-INFO"))
	st := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"),
		domain.GradeInput{Subject: "Maths", Value: "12"})
	f := openForm(t, svc, st)
	mustContain(t, f.View(), "Modifier l'étudiant", "2026-00002", "Diop", "77 123 45 67", "2004-05-06")
	if f.Dirty() {
		t.Fatal("unchanged edit form is Dirty")
	}
	press(t, f, "tab", "ctrl+u", "Aïssatou")
	if !f.Dirty() {
		t.Fatal("changed edit form not Dirty")
	}
	msgs := press(t, f, "ctrl+s")
	if back, ok := findMsg[backMsg](msgs); !ok || !back.reload {
		t.Fatalf("no back with reload: %v", msgs)
	}
	if _, ok := findMsg[openStudentMsg](msgs); ok {
		t.Error("an edit must not open a new detail")
	}
	got, err := svc.Get(context.Background(), testAdmin, "2026-00002")
	if err != nil || got.FirstName != "Aïssatou" || got.Number != "2026-00002" || len(got.Grades) != 1 || got.Phone != "+221771234567" {
		t.Errorf("stored %+v, %v", got, err)
	}
}

// The edit form shows the phones as the office writes them (national for
// Senegal, with the country code for the others), and saving them
// unchanged stores the same E.164 numbers.
func TestFormPhonesShownAsWrittenSaveBack(t *testing.T) {
	svc, _ := newTestServices(t)
	in := studentInput("Diop", "Awa", "+33 6 12 34 56 78", "L1-INFO")
	in.GuardianName, in.GuardianPhone = "Mamadou Diop", "00221 77 000 11 22"
	st := seedStudent(t, svc, in)
	if st.Phone != "+33612345678" || st.GuardianPhone != "+221770001122" {
		t.Fatalf("seeded phones %q, %q", st.Phone, st.GuardianPhone)
	}
	f := openForm(t, svc, st)
	if got := f.inputs[2].Value(); got != "+33 6 12 34 56 78" {
		t.Errorf("phone prefilled %q, want +33 6 12 34 56 78", got)
	}
	if got := f.inputs[8].Value(); got != "77 000 11 22" {
		t.Errorf("guardian phone prefilled %q, want 77 000 11 22", got)
	}
	if f.Dirty() {
		t.Fatal("unchanged edit form is Dirty")
	}
	press(t, f, "tab", "ctrl+u", "Aïssatou", "ctrl+s")
	got, err := svc.Get(context.Background(), testAdmin, st.Number)
	if err != nil || got.FirstName != "Aïssatou" || got.Phone != "+33612345678" || got.GuardianPhone != "+221770001122" {
		t.Errorf("stored %+v, %v", got, err)
	}
}

func TestFormEditConflictReloads(t *testing.T) {
	svc, _ := newTestServices(t)
	st := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"))
	f := openForm(t, svc, st)
	in := st.Input()
	in.Major = "Mathématiques"
	if _, err := svc.Update(context.Background(), testAdmin, st.Number, 0, in); err != nil {
		t.Fatal(err)
	}
	msgs := press(t, f, "tab", "ctrl+u", "Binta", "ctrl+s")
	if _, ok := findMsg[backMsg](msgs); ok {
		t.Fatal("a stale edit was accepted")
	}
	mustContain(t, f.View(), "Modifié par quelqu'un d'autre", "Mathématiques")
	if got, _ := svc.Get(context.Background(), testAdmin, st.Number); got.FirstName != "Awa" {
		t.Errorf("stale edit written: %+v", got)
	}
	// The reload replaced the typing (focus stays on the first name);
	// saving again applies on the reloaded version.
	if f.inputs[1].Value() != "Awa" || f.Dirty() {
		t.Errorf("after reload: first name %q, Dirty %v", f.inputs[1].Value(), f.Dirty())
	}
	press(t, f, "ctrl+u", "Binta", "ctrl+s")
	if got, _ := svc.Get(context.Background(), testAdmin, st.Number); got.FirstName != "Binta" || got.Major != "Mathématiques" {
		t.Errorf("after reload: %+v", got)
	}
}

func TestFormEscCancels(t *testing.T) {
	svc, _ := newTestServices(t)
	f := openForm(t, svc, nil)
	press(t, f, "Ndiaye")
	msgs := press(t, f, "esc")
	if back, ok := findMsg[backMsg](msgs); !ok || back.reload {
		t.Errorf("esc: %v", msgs)
	}
	if len(f.ShortHelp()) == 0 || len(f.FullHelp()) == 0 {
		t.Error("form has no help")
	}
}
