package stream_test

import (
	"strings"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/stream"
)

var now = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

func TestReadStudentsJSON(t *testing.T) {
	in := `[{"number":"2026-00001","last_name":"Diop","first_name":"Ndèye","phone":"+221771234567","class":"L3-INFO",
		"major":"Informatique","birth_date":"2003-04-05","average":14.5,"grades":[],"version":4},
		{"last_name":"Fall","first_name":"Moussa","class":"L1","major":"Gestion","age":19}]`
	got, err := stream.ReadStudents(strings.NewReader(in), now)
	if err != nil {
		t.Fatal(err)
	}
	want := []stream.FileStudent{
		{Number: "2026-00001", Message: stream.Message{Type: domain.EventStudentCreated, Time: now, FirstName: "Ndèye", LastName: "Diop", Age: 23, Major: "Informatique", Class: "L3-INFO"}},
		{Message: stream.Message{Type: domain.EventStudentCreated, Time: now, FirstName: "Moussa", LastName: "Fall", Age: 19, Major: "Gestion", Class: "L1"}},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("got %+v", got)
	}
}

func TestReadStudentsCSV(t *testing.T) {
	for name, in := range map[string]string{
		"comma, birth dates":   "first_name,last_name,birth_date,major,class\nNdèye,Diop,2003-04-05,Informatique,L3-INFO\n\"Jean, Pierre\",Gomis,2000-11-24,Génie civil,L1\n",
		"semicolon, BOM, ages": "\ufeffnumber;first_name;last_name;age;major;class\n2026-00001;Ndèye;Diop;23;Informatique;L3-INFO\n;Jean, Pierre;Gomis;25;Génie civil;L1\n",
	} {
		t.Run(name, func(t *testing.T) {
			got, err := stream.ReadStudents(strings.NewReader(in), now)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].Message.Age != 23 || got[1].Message.FirstName != "Jean, Pierre" || got[1].Message.Age != 25 ||
				got[1].Message.Major != "Génie civil" || got[0].Message.Class != "L3-INFO" {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

func TestReadStudentsRefused(t *testing.T) {
	cases := map[string]struct{ in, err string }{
		"no header column":  {"first_name,last_name,major\nA,B,C\n", "birth_date or an age"},
		"missing major col": {"first_name,last_name,age\nA,B,20\n", "no major column"},
		"bad date":          {"first_name,last_name,birth_date,major\nA,B,2003-02-30,M\n", "line 2: birth_date"},
		"bad age":           {"first_name,last_name,age,major\nA,B,vingt,M\nC,D,20,\n", "line 3: major missing"},
		"not JSON":          {"[{]", "not a JSON array"},
		"empty":             {"", "empty"},
		"a line over 1 MB":  {"first_name,last_name,age,major\nAwa," + strings.Repeat("D", 1<<20+10) + ",20,M\n", "line 2: last_name: is 1048586 characters long, more than 200 (DDDDDDDDDDDDDDDDDDDDDDDDDDDDDD…)"},
		"an escape":         {"first_name,last_name,age,major\nAwa,\x1b[2JDiop,20,M\n", "line 2: last_name: contains a control character (U+001B)"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := stream.ReadStudents(strings.NewReader(c.in), now)
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("error %v, want %q", err, c.err)
			}
		})
	}
}
