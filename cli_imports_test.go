package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIInputLimits: through the real binary, each refusal of issue 11
// §5 is a sentence naming the field, line or column, exit 1, nothing
// written.
func TestCLIInputLimits(t *testing.T) {
	dir := t.TempDir()
	ndeye := addStudent(t, dir, "Diop", "Ndèye", "771234567", "L3-INFO")
	long := strings.Repeat("a", 100<<10) + "@example.sn" // one argument is at most 128 KB
	subjects := []string{}
	for i := 0; i < 201; i++ {
		subjects = append(subjects, "M"+strings.Repeat("x", i%5)+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := "Nom,Prénom,Téléphone,Classe,Filière,Date de naissance"
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"day that does not exist", []string{"students", "add", "--last-name", "Fall", "--first-name", "Awa", "--phone", "781234567",
			"--class", "L3-INFO", "--major", "Informatique", "--birth-date", "2003-02-29"}, "birth_date: is not a real day: 2003-02-29 does not exist"},
		{"long e-mail", []string{"students", "add", "--last-name", "Fall", "--first-name", "Awa", "--phone", "781234567",
			"--class", "L3-INFO", "--major", "Informatique", "--birth-date", "2003-04-05", "--email", long}, "email: is longer than 254 characters"},
		{"three decimals", []string{"grades", "add", ndeye, "--subject", "Maths", "--value", "0.0000001"}, "value: has more than two decimals"},
		{"subject Moyenne", []string{"grades", "add", ndeye, "--subject", "Moyenne", "--value", "12"}, "subject: cannot be named Moyenne"},
		{"subject with a coefficient", []string{"grades", "add", ndeye, "--subject", "Maths (coef. 2)", "--value", "12"}, "subject: cannot end with a coefficient in brackets"},
		{"long cell", []string{"import", file("cell.csv", header+"\nFall,Awa,781234567,L3-INFO,"+strings.Repeat("é", 2600)+",2003-04-05\n")},
			"line 2, column E: the cell holds 6 KB of text; a cell holds at most 4 KB"},
		{"too many subjects", []string{"import", file("subjects.csv", header+","+strings.Join(subjects, ",")+"\n")}, "an import takes at most 200 subject columns"},
		{"mixed encodings", []string{"import", file("mixed.csv", header+"\nFall,Fran\xe7oise,781234567,L3-INFO,Informatique,2003-04-05\n")},
			"line 2 is not UTF-8 (it writes accents as one byte, as Windows-1252 does) while line 1 is in UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := scolarite(t, dir, "", tc.args...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q, want %q", r.code, r.stderr, tc.want)
			}
			if len(r.stderr) > 2000 {
				t.Errorf("the message is %d bytes long", len(r.stderr))
			}
		})
	}
	out := mustRun(t, dir, "", "students", "list")
	if !strings.Contains(out, "1 in all") || strings.Contains(out, "Fall") {
		t.Errorf("something was written:\n%s", out)
	}
}
