package export

import (
	"context"
	"reflect"
	"testing"

	"scolarite/domain"
)

// The exporter's CSV and Excel files import back unchanged: into the same
// store nothing changes (every row "unchanged"), and into an empty store
// they give the same students and grades.
func TestRoundTrip(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	seed(t, svc, 60)
	before := snapshot(t, svc)
	guardians := 0
	for _, st := range before {
		if st.GuardianPhone != "" {
			guardians++
		}
	}
	if guardians == 0 {
		t.Fatal("the seed has no guardian: the round trip would not check them")
	}
	for _, tc := range []struct {
		name string
		f    Format
		opt  Options
	}{
		{"csv", CSV, Options{}},
		{"csv-fr", CSV, Options{Separator: ';', BOM: true}},
		{"csv-en-tab", CSV, Options{Separator: '\t', Lang: English}},
		{"xlsx", XLSX, Options{}},
		{"xlsx-en", XLSX, Options{Lang: English}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path, n := exportTo(t, svc, domain.RosterQuery{}, tc.f, tc.opt)
			if n != 60 {
				t.Fatalf("exported %d", n)
			}
			res, err := ImportFile(ctx, svc, admin, path, ImportOptions{Update: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Unchanged != 60 || res.Added+res.Updated+res.Rejected != 0 {
				t.Fatalf("re-import: %s, problems %v", res.Summary(), res.Problems)
			}
			if after := snapshot(t, svc); !reflect.DeepEqual(before, after) {
				t.Fatal("re-import changed the store")
			}
			// Into an empty store: the same people and, per subject, the
			// same values (the demo's coefficients vary from student to
			// student, which one column per subject cannot carry).
			empty := newService(t)
			res, err = ImportFile(ctx, empty, admin, path, ImportOptions{})
			if err != nil || res.Added != 60 {
				t.Fatalf("import into empty store: %v, %v", res, err)
			}
			got := snapshot(t, empty)
			for phone, want := range before {
				g, ok := got[phone]
				if !ok {
					t.Fatalf("%s missing", phone)
				}
				if g.LastName != want.LastName || g.FirstName != want.FirstName || g.Class != want.Class ||
					g.Major != want.Major || g.BirthDate != want.BirthDate || g.Email != want.Email || len(g.Grades) != len(want.Grades) ||
					g.GuardianName != want.GuardianName || g.GuardianPhone != want.GuardianPhone || g.GuardianEmail != want.GuardianEmail {
					t.Fatalf("%s: got %+v\nwant %+v", phone, g, want)
				}
				for _, wg := range want.Grades {
					if !hasGrade(g.Grades, wg.Subject, wg.Value) {
						t.Fatalf("%s: grade %s %v missing from %+v", phone, wg.Subject, wg.Value, g.Grades)
					}
				}
			}
		})
	}
}

func hasGrade(gs []GradeJSON, subject string, value float64) bool {
	for _, g := range gs {
		if g.Subject == subject && g.Value == value {
			return true
		}
	}
	return false
}

// With one coefficient per subject, as a school sets them, an export into
// an empty store gives back the coefficients and the averages too.
func TestRoundTripCoefficients(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	items := []domain.NewStudent{
		{Input: domain.StudentInput{LastName: "Diop", FirstName: "Ndèye", Phone: "77 123 45 67", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05", Email: "ndeye@esp.sn"},
			Grades: []domain.GradeInput{{Subject: "Maths", Value: "12,5", Coefficient: "2"}, {Subject: "Anglais", Value: "9"}}},
		{Input: domain.StudentInput{LastName: "Martin", FirstName: "Françoise", Phone: "+33 6 12 34 56 78", Class: "L3-INFO", Major: "Informatique", BirthDate: "2002-12-31"},
			Grades: []domain.GradeInput{{Subject: "Maths", Value: "17", Coefficient: "2"}, {Subject: "Réseaux", Value: "13.75", Coefficient: "1,5"}}},
	}
	if _, err := svc.CreateMany(ctx, admin, items, "seed"); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, svc)
	for _, f := range []Format{CSV, XLSX} {
		path, _ := exportTo(t, svc, domain.RosterQuery{}, f, Options{Separator: ';'})
		empty := newService(t)
		if res, err := ImportFile(ctx, empty, admin, path, ImportOptions{}); err != nil || res.Added != 2 {
			t.Fatalf("%s: %v, %v", f, res, err)
		}
		for phone, g := range snapshot(t, empty) {
			w := before[phone]
			if *g.Average != *w.Average || g.Email != w.Email || g.BirthDate != w.BirthDate {
				t.Errorf("%s %s: average %v email %q born %s, want %v %q %s", f, phone, *g.Average, g.Email, g.BirthDate, *w.Average, w.Email, w.BirthDate)
			}
		}
	}
}
