package ui

// The curricula screen and the semester's lifecycle: closing, publishing
// and reopening from the screen, and what a semester not open allows.

import (
	"context"
	"testing"

	"scolarite/domain"
)

// The semester was closed after the curriculum was opened: the save is
// refused with the domain's reason, and the edit stays.
func TestCurriculumSaveRefusedOnASemesterClosedMeanwhile(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	press(t, f.s, "down", "e", "tab", "ctrl+u", "5", "enter", "ctrl+s")
	wantIn(t, f.s.View(), "is closed: reopen it before changing its curriculum", "coef. 5", "● modifiée")
	if got := f.stored(t, "L1-INFO", "S1").UEs[0].Subjects[0].Coefficient; got != 2 {
		t.Errorf("stored coefficient %v", got)
	}
}

func TestCurriculumIsReadOnlyWhenClosed(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	press(t, f.s, "C", "n")
	if f.stored(t, "L1-INFO", "S1").Status != domain.SemesterOpen {
		t.Fatal("closed without a yes")
	}
	press(t, f.s, "C", "o")
	if st := f.stored(t, "L1-INFO", "S1").Status; st != domain.SemesterClosed || f.s.edit.Status != domain.SemesterClosed {
		t.Fatalf("after C o: stored %s, shown %s", st, f.s.edit.Status)
	}
	wantIn(t, f.s.View(), "Lecture seule : L1-INFO S1 est clôturé", "R pour le rouvrir")
	for _, k := range []string{"n", "s", "e", "t", "d"} {
		press(t, f.s, k)
		if f.s.form != nil || f.s.asking != "" || f.s.Dirty() || len(f.s.edit.UEs) != 2 || len(f.s.edit.UEs[0].Subjects) != 2 {
			t.Errorf("%s changed a closed curriculum: form %+v, %+v", k, f.s.form, f.s.edit.UEs)
		}
		wantIn(t, f.s.View(), "Lecture seule")
	}
	// Publishing is what a closed semester may do.
	press(t, f.s, "P", "o")
	if st := f.stored(t, "L1-INFO", "S1").Status; st != domain.SemesterPublished {
		t.Errorf("after P o: %s", st)
	}
	wantIn(t, f.s.View(), "est publié")
}

func TestCurriculumReopenAsksForAReason(t *testing.T) {
	f := newCurFixture(t)
	if _, err := f.cs.ChangeStatus(context.Background(), testAdmin, "L1-INFO", "S1", "", domain.ActionClose, ""); err != nil {
		t.Fatal(err)
	}
	start(t, f.s)
	f.openL1(t)
	press(t, f.s, "R")
	if f.s.asking != "reopen" || !f.s.Capturing() {
		t.Fatalf("R did not ask for a reason (asking %q)", f.s.asking)
	}
	wantIn(t, f.s.View(), "Motif de la réouverture de L1-INFO S1 2026-2027")
	press(t, f.s, "enter")
	if f.stored(t, "L1-INFO", "S1").Status != domain.SemesterClosed {
		t.Fatal("reopened without a reason")
	}
	wantIn(t, f.s.View(), "Motif : est obligatoire")
	press(t, f.s, "R", "copie oubliée", "enter")
	c := f.stored(t, "L1-INFO", "S1")
	if c.Status != domain.SemesterOpen || c.Reason != "copie oubliée" {
		t.Fatalf("after reopening: %s %q", c.Status, c.Reason)
	}
	wantIn(t, f.s.View(), "Rouvert : copie oubliée")
	press(t, f.s, "down", "e", "tab", "ctrl+u", "4", "enter", "ctrl+s")
	if got := f.stored(t, "L1-INFO", "S1").UEs[0].Subjects[0].Coefficient; got != 4 {
		t.Errorf("the reopened curriculum did not take the edit: %v", got)
	}
}

// Status changes wait for the edit to be saved or dropped.
func TestCurriculumStatusNeedsASavedEdit(t *testing.T) {
	f := newCurFixture(t)
	f.openL1(t)
	press(t, f.s, "down", "d", "C")
	if f.s.asking != "" {
		t.Fatalf("C asked %q with unsaved changes", f.s.asking)
	}
	wantIn(t, f.s.View(), "Enregistrez ou abandonnez")
}
