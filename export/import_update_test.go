package export

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"scolarite/domain"
)

const updHeader = "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Maths;Anglais\n"

func updService(t *testing.T) *domain.StudentService {
	t.Helper()
	svc := newService(t)
	ctx := context.Background()
	items := []domain.NewStudent{
		{Input: domain.StudentInput{LastName: "Diop", FirstName: "Ndèye", Phone: "77 123 45 67", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05", Email: "ndeye@esp.sn"},
			Grades: []domain.GradeInput{{Subject: "Maths", Value: "12", Coefficient: "2"}}},
		{Input: domain.StudentInput{LastName: "Fall", FirstName: "Moussa", Phone: "78 123 45 67", Class: "L2-GC", Major: "Génie civil", BirthDate: "2004-01-02"},
			Grades: []domain.GradeInput{{Subject: "Maths", Value: "8"}, {Subject: "Maths", Value: "14"}}},
	}
	if _, err := svc.CreateMany(ctx, admin, items, "seed"); err != nil {
		t.Fatal(err)
	}
	return svc
}

// --update: identity changes go through Update, grades merge by subject,
// and the same file a second time changes nothing.
func TestImportUpdate(t *testing.T) {
	ctx := context.Background()
	svc := updService(t)
	path := writeTemp(t, "maj.csv", []byte(updHeader+
		"Diop;Ndèye Awa;+221771234567;L3-INFO;Informatique;05/04/2003;13,5;16\n"+ // first name, Maths set, Anglais added
		"Fall;Moussa;781234567;L2-GC;Génie civil;02/01/2004;11;\n"+ // Maths mean (8+14)/2 = 11: unchanged
		"Ba;Binta;76 123 45 67;L2-GC;Génie civil;03/03/2003;;10\n")) // new
	if res, err := ImportFile(ctx, svc, admin, path, ImportOptions{}); err != nil || !res.Refused || res.Rejected != 2 {
		t.Fatalf("without --update: %v, %v", res, err)
	}
	dry, err := ImportFile(ctx, svc, admin, path, ImportOptions{Update: true, DryRun: true})
	if err != nil || dry.Summary() != "added 1, updated 1, unchanged 1, rejected 0" || count(t, svc) != 2 {
		t.Fatalf("dry run: %v, %v, %d students", dry, err, count(t, svc))
	}
	res, err := ImportFile(ctx, svc, admin, path, ImportOptions{Update: true})
	if err != nil || res.Summary() != "added 1, updated 1, unchanged 1, rejected 0" {
		t.Fatalf("update: %v, %v", res, err)
	}
	st, _ := svc.Get(ctx, admin, "771234567")
	if st.FirstName != "Ndèye Awa" || st.Email != "ndeye@esp.sn" || len(st.Grades) != 2 {
		t.Fatalf("Diop = %+v", st)
	}
	if m, _, _ := SubjectMean(st.Grades, "maths"); m != 13.5 || st.Grades[0].Coefficient != 2 {
		t.Errorf("Maths = %+v", st.Grades[0])
	}
	before := snapshot(t, svc)
	res, err = ImportFile(ctx, svc, admin, path, ImportOptions{Update: true})
	if err != nil || res.Summary() != "added 0, updated 0, unchanged 3, rejected 0" {
		t.Fatalf("again: %v, %v", res, err)
	}
	if !reflect.DeepEqual(before, snapshot(t, svc)) {
		t.Fatal("the second import changed the store")
	}
	// Several Maths grades cannot take one value from a file.
	path = writeTemp(t, "maj2.csv", []byte(updHeader+"Fall;Moussa;781234567;L2-GC;Génie civil;02/01/2004;15;\n"))
	res, err = ImportFile(ctx, svc, admin, path, ImportOptions{Update: true})
	if err != nil || !res.Refused || len(res.Problems) != 1 ||
		!strings.Contains(res.Problems[0].String(), "line 2, column Maths: student 2026-00002 has 2 grades in Maths (mean 11.00)") {
		t.Fatalf("several grades: %v, %v", res, err)
	}
}

// --skip-invalid writes the valid rows and counts the others.
func TestImportSkipInvalid(t *testing.T) {
	ctx := context.Background()
	svc := updService(t)
	path := writeTemp(t, "mix.csv", []byte(updHeader+
		"Ba;Binta;76 123 45 67;L2-GC;Génie civil;03/03/2003;;10\n"+
		"Sy;Awa;76 123 45 67;L2-GC;Génie civil;03/03/2003;;10\n"+ // same phone as line 2
		"Sow;Coumba;70 123 45 67;L2-GC;Génie civil;03/03/2003;25;\n"+
		"Kane;Modou;75 123 45 67;L2-GC;Génie civil;03/03/2003;9;\n"))
	res, err := ImportFile(ctx, svc, admin, path, ImportOptions{SkipInvalid: true})
	if err != nil || res.Summary() != "added 2, updated 0, unchanged 0, rejected 2" || res.Refused || len(res.Problems) != 2 {
		t.Fatalf("%v, %v", res, err)
	}
	if count(t, svc) != 4 {
		t.Fatalf("%d students", count(t, svc))
	}
}

// A failed import (here cancelled after its first batch was written and
// an update made) is undone: the store is left as it was. Run with the
// rows kept in memory and with the file read again.
func TestImportFailureLeavesStore(t *testing.T) {
	for _, keep := range []int{0, 5} {
		ctx := context.Background()
		svc := updService(t)
		before := snapshot(t, svc)
		var b strings.Builder
		b.WriteString(updHeader)
		b.WriteString("Diop;Ndèye;771234567;L3-INFO;Informatique;05/04/2003;15;16\n")
		for i := range 30 {
			b.WriteString("Élève;N" + itoa(i) + ";+22170" + pad7(i) + ";L1-GE;Génie électrique;01/01/2005;10;11\n")
		}
		path := writeTemp(t, "gros.csv", []byte(b.String()))
		ctx, cancel := context.WithCancel(ctx)
		res, err := ImportFile(ctx, svc, admin, path, ImportOptions{Update: true, BatchSize: 10, keep: keep,
			Progress: func(p ImportProgress) {
				if p.Phase == PhaseWrite && p.Done >= 11 {
					cancel()
				}
			}})
		cancel()
		if err == nil || !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "nothing was kept") {
			t.Fatalf("keep %d: %v, %v", keep, res, err)
		}
		if after := snapshot(t, svc); !reflect.DeepEqual(before, onlyIdentityAndGrades(after, before)) || len(after) != len(before) {
			t.Fatalf("keep %d: the store changed:\n%v\n%v", keep, before, after)
		}
	}
}

// onlyIdentityAndGrades gives after the versions and times of before: an
// undone update leaves a student as it was but for its version.
func onlyIdentityAndGrades(after, before map[string]StudentJSON) map[string]StudentJSON {
	out := map[string]StudentJSON{}
	for k, v := range after {
		if b, ok := before[k]; ok {
			v.Version, v.UpdatedAt = b.Version, b.UpdatedAt
			for i := range v.Grades {
				if i < len(b.Grades) {
					v.Grades[i].Teacher, v.Grades[i].Date = b.Grades[i].Teacher, b.Grades[i].Date
				}
			}
		}
		out[k] = v
	}
	return out
}

func pad7(i int) string {
	s := itoa(i)
	return strings.Repeat("0", 7-len(s)) + s
}

// A teacher may not import.
func TestImportForbidden(t *testing.T) {
	svc := updService(t)
	path := writeTemp(t, "a.csv", []byte(updHeader))
	teacher := domain.Actor{Name: "prof", Role: domain.RoleTeacher, Classes: []string{"L3-INFO"}}
	if _, err := ImportFile(context.Background(), svc, teacher, path, ImportOptions{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Fatalf("teacher import: %v", err)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
