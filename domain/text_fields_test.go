package domain_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"scolarite/domain"
)

// hostile are the characters of issue 10 that reached the terminals of
// other users, and the code each reason must name.
var hostile = []struct{ text, code string }{
	{"\x1b[2J", "U+001B"},
	{"\x1b]0;pwned\a", "U+001B"},
	{"\b", "U+0008"},
	{"\x7f", "U+007F"},
	{"\u009b", "U+009B"},
	{"\u202e", "U+202E"},
	{"\n", "U+000A"},
	{"\t", "U+0009"},
	{"\xff", "0xFF"},
}

// wantTextRefused fails unless err refuses exactly field for the
// character whose code is given (and the message quotes nothing raw).
func wantTextRefused(t *testing.T, err error, field, code string) {
	t.Helper()
	wantInvalid(t, err, field)
	e := wantCode(t, err, domain.EINVALID)
	for _, p := range e.Problems {
		if p.Field == field && !strings.Contains(p.Reason, "("+code+") at position ") {
			t.Errorf("%s: reason %q does not name %s and its position", field, p.Reason, code)
		}
	}
	if domain.Escape(err.Error()) != err.Error() {
		t.Errorf("the message quotes the raw text: %q", err.Error())
	}
}

func TestValidateRefusesControlCharactersInEveryField(t *testing.T) {
	set := map[string]func(*domain.StudentInput, string){
		"last_name":      func(in *domain.StudentInput, s string) { in.LastName = "Di" + s + "op" },
		"first_name":     func(in *domain.StudentInput, s string) { in.FirstName = "A" + s + "wa" },
		"phone":          func(in *domain.StudentInput, s string) { in.Phone = "77 123" + s + " 45 67" },
		"email":          func(in *domain.StudentInput, s string) { in.Email = "awa" + s + "@example.sn" },
		"class":          func(in *domain.StudentInput, s string) { in.Class = "L3" + s + "-INFO" },
		"major":          func(in *domain.StudentInput, s string) { in.Major = "Info" + s + "rmatique" },
		"birth_date":     func(in *domain.StudentInput, s string) { in.BirthDate = "2004-05" + s + "-12" },
		"guardian_name":  func(in *domain.StudentInput, s string) { in.GuardianName = "Mamadou" + s + " Diop" },
		"guardian_phone": func(in *domain.StudentInput, s string) { in.GuardianPhone = "77" + s + " 000 11 22" },
		"guardian_email": func(in *domain.StudentInput, s string) { in.GuardianEmail = "p" + s + "@example.sn" },
	}
	for field, edit := range set {
		for _, h := range hostile {
			in := validInput()
			edit(&in, h.text)
			_, err := in.Validate(domain.PhoneParser{}, today)
			t.Run(field+"/"+h.code, func(t *testing.T) { wantTextRefused(t, err, field, h.code) })
		}
	}
}

// The position counts characters (not bytes) from the first one kept:
// surrounding white space is dropped, so it is not checked either.
func TestValidateGivesThePosition(t *testing.T) {
	in := validInput()
	in.LastName, in.FirstName, in.Major = "\x1b[31mRED", " X\x1b]0;pwned\a", "Génie\u202e civil\n"
	_, err := in.Validate(domain.PhoneParser{}, today)
	want := "last_name: contains a control character (U+001B) at position 1; " +
		"first_name: contains a control character (U+001B) at position 2; " +
		"major: contains a bidirectional formatting character (U+202E) at position 6"
	if err == nil || err.Error() != want {
		t.Fatalf("Validate = %v, want %q", err, want)
	}
}

func TestValidateDropsSurroundingLineBreaks(t *testing.T) {
	in := validInput()
	in.LastName, in.Class = "Diop\r\n", "\tL3-INFO\n"
	id, err := in.Validate(domain.PhoneParser{}, today)
	if err != nil || id.LastName != "Diop" || id.Class != "L3-INFO" {
		t.Fatalf("Validate = %q, %q, %v; want Diop, L3-INFO", id.LastName, id.Class, err)
	}
}

func TestServiceStoresNoControlCharacter(t *testing.T) {
	e := newEnv(t, false)
	st := e.create(t, studentIn("Diop", "Awa", "77 123 45 67", "L3-INFO"))
	writes := e.repo.Writes()

	bad := studentIn("Fall\u009b", "Moussa", "77 765 43 21", "L3-INFO")
	_, err := e.svc.Create(ctx, admin, bad)
	wantTextRefused(t, err, "last_name", "U+009B")

	upd := st.Input()
	upd.Class = "\x1b[2J\x1b[HL1"
	_, err = e.svc.Update(ctx, admin, st.Number, st.Version, upd)
	wantTextRefused(t, err, "class", "U+001B")

	_, _, err = e.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "Maths\u202e", Value: "12"})
	wantTextRefused(t, err, "subject", "U+202E")
	_, _, err = e.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "Maths", Value: "12\x1b"})
	wantTextRefused(t, err, "value", "U+001B")
	_, _, err = e.svc.AddGrade(ctx, admin, st.Number, 0, domain.GradeInput{Subject: "Maths", Value: "12", Coefficient: "1\u00852"})
	wantTextRefused(t, err, "coefficient", "U+0085")

	st = e.grade(t, st.Number, "Maths", "12", "")
	writes++
	_, err = e.svc.SetGrade(ctx, admin, st.Number, st.Version, st.Grades[0].ID, "1\b4")
	wantTextRefused(t, err, "value", "U+0008")

	_, err = e.svc.CreateMany(ctx, admin, []domain.NewStudent{{Input: studentIn("Ba", "Awa\x7f", "77 222 33 44", "L3-INFO")}}, "import")
	if err == nil || !strings.Contains(err.Error(), "first_name: contains a control character (U+007F) at position 4") {
		t.Errorf("CreateMany = %v, want first_name refused", err)
	}
	_, err = e.svc.CreateMany(ctx, admin, []domain.NewStudent{{Input: studentIn("Ba", "Awa", "77 222 33 44", "L3-INFO"),
		Grades: []domain.GradeInput{{Subject: "\u2066Maths", Value: "10"}}}}, "import")
	if err == nil || !strings.Contains(err.Error(), "contains a bidirectional formatting character (U+2066) at position 1") {
		t.Errorf("CreateMany = %v, want the subject refused", err)
	}
	if got := e.repo.Writes(); got != writes {
		t.Errorf("%d writes, want %d: a refused input was stored", got, writes)
	}
}

func TestCreateUserRefusesControlCharacters(t *testing.T) {
	e := newAuthEnv(t)
	tests := []struct {
		name, field, code string
		in                domain.UserInput
	}{
		{"class", "classes", "U+001B", domain.UserInput{Username: "m.sarr", Password: "Bonjour-Dakar", Role: "teacher", Classes: []string{"L3-INFO", "L1\x1b[5m"}}},
		{"class C1", "classes", "U+009B", domain.UserInput{Username: "m.sarr", Password: "Bonjour-Dakar", Role: "teacher", Classes: []string{"\u009bL1"}}},
		{"student reference", "student", "U+202E", domain.UserInput{Username: "awa.diop", Password: "Bonjour-Dakar", Role: "student", Student: "2026-00001\u202e"}},
		{"role", "role", "U+001B", domain.UserInput{Username: "o.ba", Password: "Bonjour-Dakar", Role: "admin\x1b[2J"}},
	}
	users := len(e.users.byID)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateUser(ctx, admin, tt.in)
			wantTextRefused(t, err, tt.field, tt.code)
		})
	}
	if len(e.users.byID) != users {
		t.Errorf("%d users, want %d: a refused account was stored", len(e.users.byID), users)
	}
}

// FuzzValidateStoresOnlySafeText: whatever is typed, an identity Validate
// accepts holds no character CheckText refuses, in any field.
func FuzzValidateStoresOnlySafeText(f *testing.F) {
	f.Add("Diop", "Ndèye", "L3-INFO", "Informatique", "Mamadou Diop")
	f.Add("Di\x1bop", "A\u009bwa", "L3\u202e", "Info\x7f", "Ma\bmadou")
	f.Add(" Diop\t", "Awa\n", "\u0085L3", "Génie\u00a0civil", "\xff")
	f.Fuzz(func(t *testing.T, last, first, class, major, guardian string) {
		in := validInput()
		in.LastName, in.FirstName, in.Class, in.Major, in.GuardianName = last, first, class, major, guardian
		id, err := in.Validate(domain.PhoneParser{}, today)
		if err != nil {
			if domain.Escape(err.Error()) != err.Error() {
				t.Fatalf("the message quotes the raw text: %q", err.Error())
			}
			return
		}
		for _, s := range []string{id.LastName, id.FirstName, id.Class, id.Major, id.GuardianName, id.Phone, id.Email, id.GuardianPhone, id.GuardianEmail} {
			if err := domain.CheckText("f", s, domain.SingleLine); err != nil {
				t.Fatalf("Validate accepted %q: %v", s, err)
			}
		}
	})
}

// An SSH key's comment is shown to whoever lists the keys; the account's
// language is echoed by its error.
func TestSSHKeyAndLanguageRefuseControlCharacters(t *testing.T) {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp)))
	for _, c := range []struct{ comment, code string }{
		{"awa@lab\x1b]0;t\a", "U+001B"}, {"awa\u202e@lab", "U+202E"}, {"awa\u009b", "U+009B"}, {"awa\x7f", "U+007F"},
	} {
		_, err := domain.ParseSSHKey(line + " " + c.comment)
		wantTextRefused(t, err, "key", c.code)
	}
	k, err := domain.ParseSSHKey(line + " Awa Ndèye 👩🏾‍🎓\r\n")
	if err != nil || k.Comment != "Awa Ndèye 👩🏾‍🎓" {
		t.Fatalf("a clean comment: %+v, %v", k, err)
	}
	e := newAuthEnv(t)
	wantTextRefused(t, e.svc.SetLang(ctx, admin, "root", "fr\x1b[2J"), "lang", "U+001B")
}
