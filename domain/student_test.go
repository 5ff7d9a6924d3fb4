package domain_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

var today = domain.DateOf(testNow) // 2026-11-23

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2004-02-29", "2026-11-23", " 1990-01-01 ", "2000-12-31"} {
		d, err := domain.ParseDate(s)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", s, err)
			continue
		}
		if d.String() != strings.TrimSpace(s) {
			t.Errorf("ParseDate(%q).String() = %q", s, d.String())
		}
	}
	if d, _ := domain.ParseDate("2004-02-29"); !d.Equal(domain.NewDate(2004, time.February, 29)) {
		t.Errorf("ParseDate(2004-02-29) = %v", d)
	}
	for _, s := range []string{"", "  ", "2023-02-30", "2023-02-29", "2023-13-01", "2023-00-10",
		"12/05/2004", "2004-5-12", "2004-05-12T10:00:00Z", "20040512", "hier"} {
		if d, err := domain.ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", s, d)
		}
	}
}

func TestDateJSON(t *testing.T) {
	d := domain.NewDate(2004, time.May, 12)
	b, err := json.Marshal(struct{ D domain.Date }{d})
	if err != nil || string(b) != `{"D":"2004-05-12"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var back struct{ D domain.Date }
	if err := json.Unmarshal(b, &back); err != nil || !back.D.Equal(d) {
		t.Fatalf("Unmarshal = %v, %v", back.D, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2023-02-30"}`), &back); err == nil {
		t.Error("Unmarshal accepted 2023-02-30")
	}
}

func TestAgeOn(t *testing.T) {
	d := domain.NewDate
	tests := []struct {
		birth, on domain.Date
		want      int
	}{
		{d(2004, time.May, 12), d(2026, time.May, 11), 21}, // day before the birthday
		{d(2004, time.May, 12), d(2026, time.May, 12), 22}, // on the birthday
		{d(2004, time.May, 12), d(2026, time.May, 13), 22},
		{d(2004, time.May, 12), d(2026, time.April, 30), 21},
		{d(2004, time.May, 12), d(2026, time.June, 1), 22},
		{d(2004, time.February, 29), d(2025, time.February, 28), 20}, // leap-day birthday
		{d(2004, time.February, 29), d(2025, time.March, 1), 21},
		{d(2004, time.February, 29), d(2028, time.February, 29), 24},
		{d(2016, time.November, 23), today, 10},
	}
	for _, tt := range tests {
		if got := tt.birth.AgeOn(tt.on); got != tt.want {
			t.Errorf("%v.AgeOn(%v) = %d, want %d", tt.birth, tt.on, got, tt.want)
		}
	}
}

func validInput() domain.StudentInput {
	return domain.StudentInput{LastName: "Diop", FirstName: "Ndèye", Phone: "77 123 45 67",
		Class: "L3-INFO", Major: "Informatique", BirthDate: "2004-05-12"}
}

func TestValidateNormalises(t *testing.T) {
	in := validInput()
	in.LastName, in.FirstName = "  Diallo-Sow ", "  Ndèye   Fatou  "
	in.Class, in.Major = " l3-info ", "  Informatique "
	in.Email = "  ndeye.diallo@ucad.edu.sn "
	in.Phone = "+221 77-123-45-67"
	id, err := in.Validate(domain.PhoneParser{}, today)
	if err != nil {
		t.Fatalf("Validate: %v", err)
	}
	want := domain.Identity{LastName: "Diallo-Sow", FirstName: "Ndèye Fatou", Phone: "+221771234567",
		Email: "ndeye.diallo@ucad.edu.sn", Class: "L3-INFO", Major: "Informatique",
		BirthDate: domain.NewDate(2004, time.May, 12)}
	if id != want {
		t.Errorf("Validate = %+v\nwant       %+v", id, want)
	}
	in.FirstName = "  Ndèye  "
	if id, _ := in.Validate(domain.PhoneParser{}, today); id.FirstName != "Ndèye" {
		t.Errorf("first name = %q, want Ndèye", id.FirstName)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	in := domain.StudentInput{LastName: "  ", FirstName: "", Phone: "abc", Email: "nope",
		Class: " ", Major: "", BirthDate: "12/05/2004"}
	_, err := in.Validate(domain.PhoneParser{}, today)
	wantInvalid(t, err, "last_name", "first_name", "phone", "email", "class", "major", "birth_date")
	if got := fields(err); len(got) != 7 {
		t.Errorf("fields = %v, want each of the 7 once", got)
	}
}

func TestValidateFields(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(*domain.StudentInput)
		field string // "" = valid
	}{
		{"valid", func(*domain.StudentInput) {}, ""},
		{"empty last name", func(in *domain.StudentInput) { in.LastName = " " }, "last_name"},
		{"empty first name", func(in *domain.StudentInput) { in.FirstName = "" }, "first_name"},
		{"name without letters", func(in *domain.StudentInput) { in.LastName = "1234" }, "last_name"},
		{"name too long", func(in *domain.StudentInput) { in.FirstName = strings.Repeat("é", 81) }, "first_name"},
		{"name of 80 letters", func(in *domain.StudentInput) { in.FirstName = strings.Repeat("é", 80) }, ""},
		{"empty class", func(in *domain.StudentInput) { in.Class = "" }, "class"},
		{"empty major", func(in *domain.StudentInput) { in.Major = "\t" }, "major"},
		{"bad phone", func(in *domain.StudentInput) { in.Phone = "12" }, "phone"},
		{"no phone", func(in *domain.StudentInput) { in.Phone = "" }, "phone"},
		{"no birth date", func(in *domain.StudentInput) { in.BirthDate = "" }, "birth_date"},
		{"impossible day", func(in *domain.StudentInput) { in.BirthDate = "2004-02-30" }, "birth_date"},
		{"born tomorrow", func(in *domain.StudentInput) { in.BirthDate = "2026-11-24" }, "birth_date"},
		{"born today", func(in *domain.StudentInput) { in.BirthDate = "2026-11-23" }, "birth_date"},
		{"far future", func(in *domain.StudentInput) { in.BirthDate = "2090-01-01" }, "birth_date"},
		{"age 9, 10 tomorrow", func(in *domain.StudentInput) { in.BirthDate = "2016-11-24" }, "birth_date"},
		{"age 10 today", func(in *domain.StudentInput) { in.BirthDate = "2016-11-23" }, ""},
		{"age 100", func(in *domain.StudentInput) { in.BirthDate = "1925-11-24" }, ""},
		{"age 101", func(in *domain.StudentInput) { in.BirthDate = "1925-11-23" }, "birth_date"},
		{"age 6", func(in *domain.StudentInput) { in.BirthDate = "2020-01-01" }, "birth_date"},
		{"good e-mail", func(in *domain.StudentInput) { in.Email = "awa.fall@esp.sn" }, ""},
		{"e-mail without @", func(in *domain.StudentInput) { in.Email = "awa.fall" }, "email"},
		{"e-mail without domain", func(in *domain.StudentInput) { in.Email = "awa@" }, "email"},
		{"e-mail without dot", func(in *domain.StudentInput) { in.Email = "awa@localhost" }, "email"},
		{"e-mail with a name", func(in *domain.StudentInput) { in.Email = "Awa <awa@esp.sn>" }, "email"},
		{"two e-mails", func(in *domain.StudentInput) { in.Email = "a@esp.sn, b@esp.sn" }, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			id, err := in.Validate(domain.PhoneParser{}, today)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				if id.Email != strings.TrimSpace(in.Email) {
					t.Errorf("email = %q, want %q", id.Email, in.Email)
				}
				return
			}
			wantInvalid(t, err, tt.field)
		})
	}
}

func TestStudentInputRoundTrip(t *testing.T) {
	e := newEnv(t, false)
	in := validInput()
	in.Email = "ndeye@ucad.sn"
	st := e.create(t, in)
	back := st.Input()
	back.Phone = "77 123 45 67" // E.164 comes back; the form was national
	if back != in {
		t.Errorf("Input() = %+v, want %+v", back, in)
	}
	if st.FullName() != "Diop Ndèye" || st.Age(today) != 22 {
		t.Errorf("FullName/Age = %q/%d", st.FullName(), st.Age(today))
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2004-02-29", "2023-02-30", "12/05/2004", "", "0001-01-01", "9999-12-31", " 2026-11-23 ", "2004-05-12T00:00:00Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := domain.ParseDate(s)
		if err != nil {
			return
		}
		again, err := domain.ParseDate(d.String())
		if err != nil || !again.Equal(d) {
			t.Fatalf("ParseDate(%q) = %v, but ParseDate(%q) = %v, %v", s, d, d.String(), again, err)
		}
		b, err := d.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", d, err)
		}
		var back domain.Date
		if err := back.UnmarshalText(b); err != nil || !back.Equal(d) {
			t.Fatalf("text round trip of %v gave %v, %v", d, back, err)
		}
	})
}
