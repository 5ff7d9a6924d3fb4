package export

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"scolarite/domain"
)

// importProblems imports path and returns its problems as the CLI prints
// them, failing unless the import was refused with nothing written.
func importProblems(t *testing.T, svc *domain.StudentService, path string, opt ImportOptions) string {
	t.Helper()
	before := count(t, svc)
	res, err := ImportFile(context.Background(), svc, admin, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Refused || res.Added != 0 || count(t, svc) != before {
		t.Fatalf("a file with control characters was imported: %s, %d students (%d before)", res.Summary(), count(t, svc), before)
	}
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.String())
	}
	return strings.Join(got, "\n")
}

func wantProblems(t *testing.T, all string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("problems lack %q:\n%s", w, all)
		}
	}
	for _, line := range strings.Split(all, "\n") {
		if domain.Escape(line) != line {
			t.Errorf("a problem quotes the raw cell: %q", line)
		}
	}
}

// TestImportRefusesControlCharacters: ESC, a C1 control and U+202E in a
// CSV's cells are each reported on their line and column, the rows are
// refused and nothing is written; the birth date cell is refused before
// the date reader could keep "2003-04-05" and drop what follows.
func TestImportRefusesControlCharacters(t *testing.T) {
	svc := newService(t)
	content := "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;E-mail;Tuteur;Maths\n" +
		"Diop\x1b[2J;Awa;77 111 22 33;L3-INFO;Informatique;05/04/2003;;;12\n" +
		"Fall;Mo\u009bdou;78 111 22 33;L3\u202e-INFO;Informatique;05/04/2003;;;12\n" +
		"Ba;Aïssatou;76 111 22 33;L3-INFO;Info\x7f;\"2003-04-05 \x1b]0;t\a\";a\bb@example.sn;Mamadou\x1b[5m;1\x1b2\n" +
		"Sow;Awa;70 111 22 33;L3-INFO;Informatique;05/04/2003;;;12\n" +
		// Clean rows, so that the few controls do not make the file look
		// binary (more than 1 % control bytes).
		strings.Repeat(";;;;;;;;\n", 300)
	for _, opt := range []ImportOptions{{}, {SkipInvalid: false, DryRun: true}} {
		all := importProblems(t, svc, writeTemp(t, "a.csv", []byte(content)), opt)
		wantProblems(t, all,
			"line 2, column Nom: contains a control character (U+001B) at position 5",
			"line 3, column Prénom: contains a control character (U+009B) at position 3",
			"line 3, column Classe: contains a bidirectional formatting character (U+202E) at position 3",
			"line 4, column Filière: contains a control character (U+007F) at position 5",
			"line 4, column Date de naissance: contains a control character (U+001B) at position 12",
			"line 4, column E-mail: contains a control character (U+0008) at position 2",
			"line 4, column Tuteur: contains a control character (U+001B) at position 8",
			"line 4, column Maths: contains a control character (U+001B) at position 2",
		)
		if n := strings.Count(all, "\n") + 1; n != 8 {
			t.Errorf("%d problems, want 8 (one a cell):\n%s", n, all)
		}
	}
	// With --skip-invalid the clean row goes in, and only it.
	res, err := ImportFile(context.Background(), svc, admin, writeTemp(t, "b.csv", []byte(content)), ImportOptions{SkipInvalid: true})
	if err != nil || res.Added != 1 || res.Rejected != 3 {
		t.Fatalf("skip invalid: %v, %v", res, err)
	}
	if st, err := svc.Get(context.Background(), admin, "70 111 22 33"); err != nil || st.LastName != "Sow" {
		t.Fatalf("the clean row: %v, %v", st, err)
	}
}

// A header becomes a subject name and is quoted by its column's problems:
// one with a control character refuses the file at its line and column.
func TestImportRefusesControlCharacterInHeader(t *testing.T) {
	svc := newService(t)
	path := writeTemp(t, "a.csv", []byte("Liste L3\n\nNom,Prénom,Téléphone,Classe,Filière,Date de naissance,Maths\u202e\n"+
		"Diop,Awa,77 111 22 33,L3-INFO,Informatique,05/04/2003,12\n"))
	_, err := ImportFile(context.Background(), svc, admin, path, ImportOptions{})
	want := "line 3: column G: the header contains a bidirectional formatting character (U+202E) at position 6"
	if err == nil || err.Error() != want || domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("import = %v, want %q", err, want)
	}
	if count(t, svc) != 0 {
		t.Fatal("written")
	}
}

// Excel stores control characters as _x001B_ escapes (XML has no ESC),
// which excelize reads back as the characters: refused on their cell
// just the same.
func TestImportXLSXRefusesControlCharacters(t *testing.T) {
	svc := newService(t)
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"Nom", "Prénom", "Téléphone", "Classe", "Filière", "Date de naissance"},
		{"Diop", "Awa@ESC@[2J", 771112233, "L3-INFO", "Informatique", "05/04/2003"},
		{"Fall", "Modou", 781112233, "L3-INFO", "Génie\u009b civil", "05/04/2003"},
		{"Ba", "Awa", 761112233, "\u202eL3-INFO", "Informatique", "05/04/2003"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	all := importProblems(t, svc, writeTemp(t, "a.xlsx", replaceInZip(t, b.Bytes(), "@ESC@", "_x001B_")), ImportOptions{})
	wantProblems(t, all,
		"line 2, column Prénom: contains a control character (U+001B) at position 4",
		"line 3, column Filière: contains a control character (U+009B) at position 6",
		"line 4, column Classe: contains a bidirectional formatting character (U+202E) at position 1",
	)
}

// replaceInZip rewrites every XML part of an .xlsx, replacing old by new
// (excelize escapes a literal "_x001B_" when it writes one).
func replaceInZip(t *testing.T, file []byte, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	replaced := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name, ".xml") && bytes.Contains(body, []byte(old)) {
			body, replaced = bytes.ReplaceAll(body, []byte(old), []byte(new)), true
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if !replaced {
		t.Fatalf("%q is in no part of the workbook", old)
	}
	return out.Bytes()
}
