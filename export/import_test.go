package export

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"scolarite/domain"
)

// count is how many students the store holds.
func count(t *testing.T, svc *domain.StudentService) int64 {
	t.Helper()
	n, err := svc.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A CSV as a French spreadsheet saves it: Windows-1252, semicolons,
// decimal commas, dates JJ/MM/AAAA, a title row, phones as plain numbers,
// empty trailing rows, a subject with its coefficient in the header.
func TestImportSpreadsheetRealities(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	text := "Liste des inscrits L3;;;;;;;\r\n" +
		"NOM;Prénom;Tél.;Classe;Filière;Né(e) le;E-mail;Mathématiques (coef. 2);anglais;Observations\r\n" +
		"Diop;Ndèye;771234567;l3-info;Informatique;05/04/2003;;12,5;14;assidue\r\n" +
		"Sow;Aïssatou;+221 78-123-45-67;L3-INFO;Informatique;2002-11-30;aissatou@esp.sn;;9,75;\r\n" +
		"Martin;Françoise;221761234567;L3-INFO;Informatique;37716;;18;;\r\n" +
		";;;;;;;;;\r\n;;;;;;;;;\r\n"
	win, err := charmap.Windows1252.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "inscrits.csv", []byte(win))
	res, err := ImportFile(ctx, svc, admin, path, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary() != "added 3, updated 0, unchanged 0, rejected 0" || res.Rows != 3 {
		t.Fatalf("%s (%d rows), problems %v", res.Summary(), res.Rows, res.Problems)
	}
	st, err := svc.Get(ctx, admin, "77 123 45 67")
	if err != nil {
		t.Fatal(err)
	}
	if st.FirstName != "Ndèye" || st.Class != "L3-INFO" || st.BirthDate.String() != "2003-04-05" || len(st.Grades) != 2 {
		t.Fatalf("Diop = %+v", st)
	}
	for _, g := range st.Grades {
		if g.Subject == "Mathématiques" && (g.Value != 12.5 || g.Coefficient != 2) || g.Subject == "Anglais" && g.Value != 14 {
			t.Errorf("grade %+v", g)
		}
	}
	if avg := *st.Average; avg != 13 {
		t.Errorf("average %v, want 13", avg)
	}
	fr, err := svc.Get(ctx, admin, "+221761234567")
	if err != nil || fr.FirstName != "Françoise" || fr.BirthDate.String() != "2003-04-05" {
		t.Fatalf("Martin = %+v, %v", fr, err)
	}
}

// An Excel sheet with phones and grades as number cells, a birth date as
// a date cell, a formula whose value the spreadsheet calculated, and a
// second sheet chosen by name.
func TestImportXLSXRealities(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	f := excelize.NewFile()
	defer f.Close()
	_, _ = f.NewSheet("Inscrits")
	rows := [][]any{
		{"Nom", "Prénom", "Téléphone", "Classe", "Filière", "Date de naissance", "Maths", "Moyenne"},
		{"Diop", "Ndèye", 771234567, "L3-INFO", "Informatique", 37716, 12.5, nil},
		{"Ba", "Aïssatou", 7.81234567e8, "L3-INFO", "Informatique", "30/11/2002", 13.330000000000002, nil},
		{},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Inscrits", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	_ = f.SetCellStyle("Inscrits", "F2", "F2", style)
	// A formula cell as a spreadsheet saves it: formula and value.
	_ = f.SetCellValue("Inscrits", "G2", 14)
	_ = f.SetCellFormula("Inscrits", "G2", "=12+2")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	path := writeTemp(t, "inscrits.xlsx", b.Bytes())
	if _, err := ImportFile(ctx, svc, admin, path, ImportOptions{Sheet: "Absent"}); err == nil || !strings.Contains(err.Error(), `no sheet named "Absent"; its sheets are: Sheet1, Inscrits`) {
		t.Fatalf("absent sheet: %v", err)
	}
	res, err := ImportFile(ctx, svc, admin, path, ImportOptions{Sheet: "Inscrits"})
	if err != nil || res.Added != 2 {
		t.Fatalf("%v, %v", res, err)
	}
	st, _ := svc.Get(ctx, admin, "+221771234567")
	if st.BirthDate.String() != "2003-04-05" || st.Grades[0].Value != 14 {
		t.Errorf("Diop = %+v", st)
	}
	st, _ = svc.Get(ctx, admin, "+221781234567")
	if st.BirthDate.String() != "2002-11-30" || st.Grades[0].Value != 13.33 {
		t.Errorf("Ba = %+v", st)
	}
}

// Bad files: each gets a precise message and nothing is written.
func TestImportBadInput(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	seed(t, svc, 3)
	held, _ := svc.Get(ctx, admin, "2026-00001")
	header := "Nom,Prénom,Téléphone,Classe,Filière,Date de naissance,Maths\n"
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(i * 7 % 256)
	}
	for _, tc := range []struct {
		name, file string
		content    []byte
		want       []string // in the error, or in the problems
	}{
		{"empty", "a.csv", nil, []string{"a.csv is empty"}},
		{"blank", "a.csv", []byte("\n \r\n\n"), []string{"the file is empty"}},
		{"binary", "a.csv", garbage, []string{"binary data"}},
		{"no header", "a.csv", []byte("foo,bar,baz\n1,2,3\n"), []string{"line 1: the header row names none of the expected columns", "found: foo, bar, baz"}},
		{"missing columns", "a.csv", []byte("Nom;Prénom;Téléphone\nDiop;Awa;771234567\n"), []string{"line 1: missing column(s): Classe / Class, Filière / Major, Date de naissance / Birth date"}},
		{"one huge line", "a.csv", bytes.Repeat([]byte("x"), 20<<20), []string{"line 1 is longer than 64 KB"}},
		{"huge later line", "a.csv", append([]byte(header), bytes.Repeat([]byte("y"), 2<<20)...), []string{"line 2 is longer than 1024 KB"}},
		{"old excel", "a.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0}, []string{"old Excel 97–2003"}},
		{"broken xlsx", "a.xlsx", append([]byte("PK\x03\x04"), garbage...), []string{"is not a readable Excel workbook"}},
		{"renamed csv", "a.xlsx", []byte(header), []string{"is not an Excel workbook"}},
		{"pdf", "a.csv", []byte("%PDF-1.4 ..."), []string{"is a PDF document"}},
		{"duplicates", "a.csv", []byte(header +
			"Diop,Awa,77 123 45 67,L3-INFO,Informatique,2003-04-05,12\n" +
			"Fall,Modou,+221771234567,L3-INFO,Informatique,2003-04-05,12\n" +
			"Sow,Coumba,00221 77-123-45-67,L3-INFO,Informatique,2003-04-05,12\n" +
			"Ba,Binta," + held.Phone + ",L3-INFO,Informatique,2003-04-05,12\n"), []string{
			"line 3, column Téléphone: is the same phone as line 2 (+221771234567)",
			"line 4, column Téléphone: is the same phone as line 2 (+221771234567)",
			"line 5, column Téléphone: is already used by student 2026-00001",
		}},
		{"out of range", "a.csv", []byte(header +
			"Diop,Awa,77 123 45 67,L3-INFO,Informatique,2003-04-05,21\n" +
			"Fall,Modou,78 123 45 67,L3-INFO,Informatique,31/02/2003,-1\n" +
			"Sow,,70 123 45 67,L3-INFO,Informatique,05/04/03,douze\n"), []string{
			"line 2, column Maths: must be between 0 and 20 (got 21)",
			"line 3, column Date de naissance: is not a real day (got 31/02/2003)",
			"line 3, column Maths: must be between 0 and 20 (got -1)",
			"line 4, column Prénom: is required",
			"line 4, column Date de naissance: has a two-digit year",
			"line 4, column Maths: is not a number",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, tc.file, tc.content)
			res, err := ImportFile(ctx, svc, admin, path, ImportOptions{})
			var got string
			switch {
			case err != nil:
				got = err.Error()
				if domain.ErrorCode(err) != domain.EINVALID {
					t.Errorf("code %s, want invalid", domain.ErrorCode(err))
				}
			case res.Refused:
				for _, p := range res.Problems {
					got += p.String() + "\n"
				}
			default:
				t.Fatalf("accepted: %s", res.Summary())
			}
			t.Log(got)
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("message lacks %q:\n%s", w, got)
				}
			}
			if n := count(t, svc); n != 3 {
				t.Fatalf("store holds %d students, want the 3 seeded", n)
			}
		})
	}
}
