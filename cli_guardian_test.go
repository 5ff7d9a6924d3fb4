package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// TestCLIStudentGuardian: students add records a guardian (phone
// normalised, shared by siblings), show prints it in text and JSON, and a
// bad guardian phone or e-mail is refused naming the field.
func TestCLIStudentGuardian(t *testing.T) {
	dir := t.TempDir()
	add := func(last, first, phone string, extra ...string) result {
		return scolarite(t, dir, "", append([]string{"students", "add", "--last-name", last, "--first-name", first,
			"--phone", phone, "--class", "L3-INFO", "--major", "Informatique", "--birth-date", "2003-04-05"}, extra...)...)
	}
	r := add("Diop", "Awa", "77 123 45 67", "--guardian-name", "Mamadou Diop", "--guardian-phone", "77 000 11 22",
		"--guardian-email", "m.diop@example.sn")
	awa := strings.TrimSpace(r.stdout)
	if r.code != 0 || !regexp.MustCompile(`^\d{4}-\d{5}$`).MatchString(awa) {
		t.Fatalf("add with guardian: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	// A sibling with the same guardian phone, written another way.
	if r := add("Diop", "Ousmane", "78 123 45 67", "--guardian-phone", "+221 77-000-11-22"); r.code != 0 {
		t.Fatalf("sibling sharing the guardian phone: exit %d, stderr %q", r.code, r.stderr)
	}

	for _, tc := range []struct {
		name  string
		extra []string
		field string
	}{
		{"bad guardian phone", []string{"--guardian-phone", "77 00"}, "guardian_phone"},
		{"letters in guardian phone", []string{"--guardian-phone", "papa"}, "guardian_phone"},
		{"bad guardian e-mail", []string{"--guardian-email", "papa@"}, "guardian_email"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := add("Fall", "Modou", "76 123 45 67", tc.extra...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.field) {
				t.Fatalf("exit %d, stderr %q; want exit 1 naming %s", r.code, r.stderr, tc.field)
			}
		})
	}

	var shown map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "show", awa, "--json")), &shown); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"guardian_name": "Mamadou Diop", "guardian_phone": "+221770001122", "guardian_email": "m.diop@example.sn"}
	for k, v := range want {
		if shown[k] != v {
			t.Errorf("show --json %s = %v, want %q", k, shown[k], v)
		}
	}
	text := mustRun(t, dir, "", "students", "show", awa)
	// The text is for people: phones as the office writes them (JSON keeps E.164).
	for _, w := range []string{"Guardian ", "Mamadou Diop", "Guardian phone", "77 000 11 22", "Guardian e-mail", "m.diop@example.sn"} {
		if !strings.Contains(text, w) {
			t.Errorf("show lacks %q:\n%s", w, text)
		}
	}
	// Students without a guardian show none, and JSON leaves the keys out.
	var list []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("list: %d students, want 2 (the refused adds wrote nothing)", len(list))
	}
	for _, st := range list {
		if st["first_name"] == "Ousmane" {
			if _, ok := st["guardian_name"]; ok || st["guardian_phone"] != "+221770001122" {
				t.Errorf("sibling = %v", st)
			}
		}
	}
}
