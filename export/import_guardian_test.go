package export

import (
	"context"
	"strings"
	"testing"

	"scolarite/domain"
)

// TestImportGuardianColumns: the optional guardian columns are read under
// French and English headers, a bad guardian phone or e-mail is reported on
// its line and column with nothing written, and an update from a file
// without guardian columns keeps the guardians recorded.
func TestImportGuardianColumns(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, content string
		wantProblems  []string // nil: accepted
		wantGuardian  [3]string
	}{
		{name: "french headers", content: "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Tuteur;Téléphone tuteur;E-mail tuteur\n" +
			"Diop;Awa;77 111 22 33;L3-INFO;Informatique;05/04/2003;Mamadou Diop;77 000 11 22;m.diop@example.sn\n",
			wantGuardian: [3]string{"Mamadou Diop", "+221770001122", "m.diop@example.sn"}},
		{name: "english headers", content: "Last name,First name,Phone,Class,Major,Birth date,Guardian,Guardian phone,Guardian e-mail\n" +
			"Diop,Awa,77 111 22 33,L3-INFO,Informatique,2003-04-05,Fatou Sow,00221 78 000 11 22,\n",
			wantGuardian: [3]string{"Fatou Sow", "+221780001122", ""}},
		{name: "guardian phone only", content: "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Tél. tuteur\n" +
			"Diop;Awa;77 111 22 33;L3-INFO;Informatique;05/04/2003;+33 6 12 34 56 78\n",
			wantGuardian: [3]string{"", "+33612345678", ""}},
		{name: "bad guardian contact", content: "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Tuteur;Téléphone tuteur;E-mail tuteur\n" +
			"Diop;Awa;77 111 22 33;L3-INFO;Informatique;05/04/2003;Mamadou Diop;77 00;m.diop@example.sn\n" +
			"Fall;Modou;78 111 22 33;L3-INFO;Informatique;05/04/2003;Awa Fall;77 000 11 22;awa.fall@\n",
			wantProblems: []string{
				"line 2, column Téléphone tuteur: is not a valid number for its country (77 00)",
				"line 3, column E-mail tuteur: is not a valid e-mail address (awa.fall@)",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(t)
			res, err := ImportFile(ctx, svc, admin, writeTemp(t, "a.csv", []byte(tt.content)), ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantProblems != nil {
				var got []string
				for _, p := range res.Problems {
					got = append(got, p.String())
				}
				if !res.Refused || count(t, svc) != 0 {
					t.Fatalf("bad guardian contact imported: %s, %d students", res.Summary(), count(t, svc))
				}
				all := strings.Join(got, "\n")
				for _, w := range tt.wantProblems {
					if !strings.Contains(all, w) {
						t.Errorf("problems lack %q:\n%s", w, all)
					}
				}
				return
			}
			if res.Added != 1 {
				t.Fatalf("import: %s, problems %v", res.Summary(), res.Problems)
			}
			st, err := svc.Get(ctx, admin, "771112233")
			if err != nil {
				t.Fatal(err)
			}
			if got := [3]string{st.GuardianName, st.GuardianPhone, st.GuardianEmail}; got != tt.wantGuardian {
				t.Errorf("guardian = %q, want %q", got, tt.wantGuardian)
			}
		})
	}
}

func TestImportUpdateKeepsGuardian(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	in := domain.StudentInput{LastName: "Diop", FirstName: "Awa", Phone: "77 111 22 33", Class: "L3-INFO",
		Major: "Informatique", BirthDate: "2003-04-05", GuardianName: "Mamadou Diop", GuardianPhone: "77 000 11 22"}
	if _, err := svc.Create(ctx, admin, in); err != nil {
		t.Fatal(err)
	}
	// No guardian columns: the recorded guardian stays, the row is unchanged.
	path := writeTemp(t, "a.csv", []byte("Nom;Prénom;Téléphone;Classe;Filière;Date de naissance\n"+
		"Diop;Awa;77 111 22 33;L3-INFO;Informatique;05/04/2003\n"))
	res, err := ImportFile(ctx, svc, admin, path, ImportOptions{Update: true})
	if err != nil || res.Summary() != "added 0, updated 0, unchanged 1, rejected 0" {
		t.Fatalf("update without guardian columns: %v, %v", res, err)
	}
	// Guardian columns replace the whole contact: a new guardian's name
	// and phone, without an e-mail column, do not keep the old e-mail or
	// mix with the old guardian.
	if _, err := svc.Update(ctx, admin, "771112233", 0, withGuardianEmail(in, "m.diop@example.sn")); err != nil {
		t.Fatal(err)
	}
	path = writeTemp(t, "b.csv", []byte("Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Tuteur;Téléphone tuteur\n"+
		"Diop;Awa;77 111 22 33;L3-INFO;Informatique;05/04/2003;Aïda Sow;78 999 88 77\n"))
	res, err = ImportFile(ctx, svc, admin, path, ImportOptions{Update: true})
	if err != nil || res.Summary() != "added 0, updated 1, unchanged 0, rejected 0" {
		t.Fatalf("update with a guardian: %v, %v", res, err)
	}
	st, err := svc.Get(ctx, admin, "771112233")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := [3]string{st.GuardianName, st.GuardianPhone, st.GuardianEmail}, [3]string{"Aïda Sow", "+221789998877", ""}; got != want {
		t.Errorf("guardian after update = %q, want %q", got, want)
	}
}

func withGuardianEmail(in domain.StudentInput, email string) domain.StudentInput {
	in.GuardianEmail = email
	return in
}
