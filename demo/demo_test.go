package demo

import (
	"testing"
	"time"

	"scolarite/domain"
)

// TestStudentsValidWithGuardians: every demo student passes the domain's
// validation, and about half have a guardian, some with an e-mail.
func TestStudentsValidWithGuardians(t *testing.T) {
	today := time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)
	items := Students(7, 200, today)
	withGuardian, withEmail := 0, 0
	for i, s := range items {
		id, err := s.Input.Validate(domain.PhoneParser{}, domain.DateOf(today))
		if err != nil {
			t.Fatalf("student %d (%+v): %v", i, s.Input, err)
		}
		if id.GuardianPhone != "" {
			withGuardian++
			if id.GuardianName == "" || id.GuardianPhone[:4] != "+221" {
				t.Errorf("student %d guardian = %q %q", i, id.GuardianName, id.GuardianPhone)
			}
		}
		if id.GuardianEmail != "" {
			withEmail++
		}
	}
	if withGuardian < 80 || withGuardian > 120 || withEmail == 0 || withEmail == withGuardian {
		t.Errorf("%d of 200 with a guardian, %d with a guardian e-mail", withGuardian, withEmail)
	}
}
