package domain_test

import (
	"slices"
	"strings"
	"testing"

	"scolarite/domain"
)

func TestValidateGuardian(t *testing.T) {
	tests := []struct {
		name                string
		gName, phone, email string
		wantFields          []string // nil: valid
		wantPhone           string
		wantName            string
	}{
		{name: "none", wantFields: nil},
		{name: "all given", gName: "  Mamadou   Diop ", phone: "77 000 11 22", email: "m.diop@example.sn",
			wantName: "Mamadou Diop", wantPhone: "+221770001122"},
		{name: "international form", phone: "00221 77-000-11-22", wantPhone: "+221770001122"},
		{name: "foreign number", phone: "+33 6 12 34 56 78", wantPhone: "+33612345678"},
		{name: "letters in phone", phone: "77 abc", wantFields: []string{"guardian_phone"}},
		{name: "too short", phone: "77 00", wantFields: []string{"guardian_phone"}},
		{name: "bad e-mail", email: "parent@", wantFields: []string{"guardian_email"}},
		{name: "e-mail without dot", email: "parent@localhost", wantFields: []string{"guardian_email"}},
		{name: "both bad", phone: "123", email: "x", wantFields: []string{"guardian_phone", "guardian_email"}},
		{name: "name too long", gName: strings.Repeat("a", 81), wantFields: []string{"guardian_name"}},
		{name: "name without letters", gName: "12 34", wantFields: []string{"guardian_name"}},
		{name: "all three guardian fields wrong", gName: "-", phone: "abc", email: "@", wantFields: []string{"guardian_name", "guardian_phone", "guardian_email"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			in.GuardianName, in.GuardianPhone, in.GuardianEmail = tt.gName, tt.phone, tt.email
			id, err := in.Validate(domain.PhoneParser{}, today)
			if tt.wantFields != nil {
				wantInvalid(t, err, tt.wantFields...)
				if !strings.Contains(err.Error(), tt.wantFields[0]+": ") {
					t.Errorf("message %q does not name %s", err, tt.wantFields[0])
				}
				return
			}
			if err != nil {
				t.Fatalf("Validate: %v", err)
			}
			if id.GuardianPhone != tt.wantPhone || id.GuardianName != tt.wantName || id.GuardianEmail != strings.TrimSpace(tt.email) {
				t.Errorf("guardian = %q %q %q, want %q %q %q", id.GuardianName, id.GuardianPhone, id.GuardianEmail,
					tt.wantName, tt.wantPhone, tt.email)
			}
			// The student's own phone is untouched by the guardian's.
			if id.Phone != "+221771234567" {
				t.Errorf("student phone = %q", id.Phone)
			}
		})
	}
}

func TestGuardianSharedClearedAndAudited(t *testing.T) {
	e := newEnv(t, false)
	a := studentIn("Diop", "Awa", "77 123 45 67", "L3-INFO")
	a.GuardianName, a.GuardianPhone, a.GuardianEmail = "Mamadou Diop", "77 000 11 22", "m.diop@example.sn"
	first := e.create(t, a)
	// A sibling shares the guardian: the guardian phone is not unique, and
	// equal to nobody's student phone either way.
	b := studentIn("Diop", "Ousmane", "78 234 56 78", "L1-INFO")
	b.GuardianName, b.GuardianPhone = "Mamadou Diop", "+221 77 000 11 22"
	second := e.create(t, b)
	if first.GuardianPhone != "+221770001122" || second.GuardianPhone != first.GuardianPhone {
		t.Fatalf("guardian phones = %q, %q", first.GuardianPhone, second.GuardianPhone)
	}
	evs := e.events.Since(0)
	if snap := evs[0].Student; snap.GuardianPhone != "+221770001122" || snap.GuardianEmail != "m.diop@example.sn" {
		t.Errorf("created event snapshot = %+v", snap)
	}

	// A bad guardian phone on update is refused naming the field, and the
	// record stays as it was.
	in := first.Input()
	in.GuardianPhone = "12"
	_, err := e.svc.Update(ctx, admin, first.Number, 0, in)
	wantInvalid(t, err, "guardian_phone")
	if got := e.stored(t, first.ID); got.GuardianPhone != "+221770001122" || got.Version != first.Version {
		t.Errorf("failed update changed the record: %+v", got)
	}

	// Clearing: empty fields remove the guardian.
	in = first.Input()
	in.GuardianName, in.GuardianPhone, in.GuardianEmail = "", " ", ""
	up, err := e.svc.Update(ctx, admin, first.Number, 0, in)
	if err != nil {
		t.Fatalf("Update clearing guardian: %v", err)
	}
	if up.GuardianName != "" || up.GuardianPhone != "" || up.GuardianEmail != "" {
		t.Errorf("guardian not cleared: %+v", up)
	}
	entries := e.audit.JSON()
	last := entries[len(entries)-1]
	if !strings.Contains(last, `"old":{`) || !strings.Contains(last, `"guardian_phone":"+221770001122"`) {
		t.Errorf("audit entry does not keep the old guardian phone: %s", last)
	}
	if got := eventTypes(e.events.Since(len(evs))); !slices.Contains(got, domain.EventStudentUpdated) {
		t.Errorf("events after clearing = %v", got)
	}
	if snap := e.events.Since(len(evs))[0].Student; snap.GuardianPhone != "" || snap.GuardianEmail != "" {
		t.Errorf("snapshot after clearing = %+v", snap)
	}
}
