package cli

import (
	"bytes"
	"strings"
	"testing"

	"scolarite/domain"
)

// The human text of `students list` and `students show` gives phones as
// the office writes them: national for the region, with their country
// code for the others (--json and the files keep E.164).
func TestTextShowsPhonesAsWritten(t *testing.T) {
	var phones domain.PhoneParser // SN
	page := domain.RosterPage{Rows: []domain.RosterRow{
		{Number: "2026-00001", LastName: "Diop", FirstName: "Awa", Phone: "+221771234567", Class: "L1-INFO"},
		{Number: "2026-00002", LastName: "Fall", FirstName: "Ali", Phone: "+33612345678", Class: "L1-INFO"},
	}, Matched: 2, Total: 2}
	var list bytes.Buffer
	if err := writeRoster(&list, page, phones); err != nil {
		t.Fatal(err)
	}
	st := &domain.Student{Number: "2026-00001", LastName: "Diop", FirstName: "Awa", Phone: "+221771234567",
		GuardianName: "Mamadou Diop", GuardianPhone: "+221770001122"}
	var show bytes.Buffer
	if err := writeStudent(&show, st, phones); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		out  string
		want []string
	}{
		{list.String(), []string{"77 123 45 67", "+33 6 12 34 56 78"}},
		{show.String(), []string{"77 123 45 67", "77 000 11 22"}},
	} {
		for _, w := range tc.want {
			if !strings.Contains(tc.out, w) {
				t.Errorf("lacks %q:\n%s", w, tc.out)
			}
		}
		if strings.Contains(tc.out, "+221") {
			t.Errorf("an E.164 phone in the text:\n%s", tc.out)
		}
	}
}
