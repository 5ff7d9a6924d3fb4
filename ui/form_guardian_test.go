package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
)

// TestFormGuardian: the guardian fields are saved, a bad guardian phone is
// shown under its field with nothing written, and an edit can clear them.
func TestFormGuardian(t *testing.T) {
	svc, repo := newTestServices(t)
	f := openForm(t, svc, nil)
	mustContain(t, f.View(), "Tuteur (facultatif)", "Téléphone tuteur", "E-mail tuteur")
	fillForm(t, f, "Diop", "Awa", "77 123 45 67", "", "L1-INFO", "Informatique", "2005-01-02",
		"Mamadou Diop", "77 00", "papa@")
	press(t, f, "ctrl+s")
	if got := fieldError(t, f, "guardian_phone"); !strings.HasPrefix(got, "n'est pas un numéro valide") {
		t.Errorf("under guardian phone: %q", got)
	}
	if got := fieldError(t, f, "guardian_email"); got == "" {
		t.Error("nothing under the guardian e-mail")
	}
	if n, _ := repo.Count(context.Background()); n != 0 {
		t.Fatalf("%d students stored from a form with a bad guardian phone", n)
	}
	if formFields[f.focus].name != "guardian_phone" {
		t.Errorf("focus on %s, want the first field in error", formFields[f.focus].name)
	}
	press(t, f, "ctrl+u", "77 000 11 22", "tab", "ctrl+u", "m.diop@example.sn", "ctrl+s")
	st, err := svc.Get(context.Background(), testAdmin, "2026-00001")
	if err != nil || st.GuardianName != "Mamadou Diop" || st.GuardianPhone != "+221770001122" || st.GuardianEmail != "m.diop@example.sn" {
		t.Fatalf("stored %+v, %v", st, err)
	}

	// Editing: the guardian is filled in, and clearing it removes it.
	f = openForm(t, svc, st)
	mustContain(t, f.View(), "Mamadou Diop", "77 000 11 22", "m.diop@example.sn")
	f.setFocus(7)
	press(t, f, "ctrl+u", "tab", "ctrl+u", "tab", "ctrl+u", "ctrl+s")
	got, err := svc.Get(context.Background(), testAdmin, "2026-00001")
	if err != nil || got.GuardianName != "" || got.GuardianPhone != "" || got.GuardianEmail != "" || got.FirstName != "Awa" {
		t.Errorf("after clearing: %+v, %v", got, err)
	}
}

// TestFormScrollsOnAShortTerminal: at 80×24 (21 lines for the screen)
// with every field in error, the focused field and its error stay in view
// and nothing is taller than the room given.
func TestFormScrollsOnAShortTerminal(t *testing.T) {
	svc, _ := newTestServices(t)
	st := seedStudent(t, svc, studentInput("Diop", "Awa", "77 123 45 67", "L1-INFO"))
	f := openForm(t, svc, st)
	f.SetSize(80, 21)
	for _, fld := range formFields {
		f.errs[fld.name] = "est obligatoire"
	}
	for i := range formFields {
		f.setFocus(i)
		v := f.View()
		if h := lipgloss.Height(v); h > 21 {
			t.Fatalf("focus %d: %d lines, room for 21", i, h)
		}
		label := f.c.T.T("field." + formFields[i].name)
		lines := strings.Split(v, "\n")
		found := false
		for j, l := range lines {
			if strings.HasPrefix(l, "› "+label+" ") {
				found = j+1 < len(lines) && strings.Contains(lines[j+1], "est obligatoire")
			}
		}
		if !found {
			t.Errorf("focus on %s: the field and its error are not both in view:\n%s", formFields[i].name, v)
		}
		if !strings.HasPrefix(v, "Modifier l'étudiant") {
			t.Errorf("focus %d: the title scrolled away:\n%s", i, v)
		}
	}
	// Without errors everything fits: no position line.
	f.errs = map[string]string{}
	if v := f.View(); strings.Contains(v, "▲▼") {
		t.Errorf("scroll mark without need:\n%s", v)
	}
}

func TestGuardianText(t *testing.T) {
	tests := []struct {
		name, phone, email, want string
	}{
		{"", "", "", "–"},
		{"Mamadou Diop", "+221770001122", "m.diop@example.sn", "Mamadou Diop · 77 000 11 22 · m.diop@example.sn"},
		{"", "+221770001122", "", "77 000 11 22"},
		{"", "+33612345678", "", "+33 6 12 34 56 78"},
		{"Fatou Sow", "", "f.sow@example.sn", "Fatou Sow · f.sow@example.sn"},
	}
	for _, tt := range tests {
		st := &domain.Student{GuardianName: tt.name, GuardianPhone: tt.phone, GuardianEmail: tt.email}
		if got := guardianText(st, domain.PhoneParser{}); got != tt.want {
			t.Errorf("guardianText(%q, %q, %q) = %q, want %q", tt.name, tt.phone, tt.email, got, tt.want)
		}
	}
}
