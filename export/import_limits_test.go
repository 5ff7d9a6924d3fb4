package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"scolarite/domain"
)

const limitsHeader = "Nom,Prénom,Téléphone,Classe,Filière,Date de naissance"

// refusal imports path and returns the error, failing unless it is an
// EINVALID refusal and the store is unchanged.
func refusal(t *testing.T, svc *domain.StudentService, path string) string {
	t.Helper()
	before := count(t, svc)
	res, err := ImportFile(context.Background(), svc, admin, path, ImportOptions{})
	if err == nil {
		t.Fatalf("accepted: %s", res.Summary())
	}
	if domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("code %s, want invalid: %v", domain.ErrorCode(err), err)
	}
	if n := count(t, svc); n != before {
		t.Errorf("store holds %d students, %d before", n, before)
	}
	return err.Error()
}

// TestImportLimits: a cell longer than 4 KB and more than 200 subject
// columns are each refused with a sentence naming where.
func TestImportLimits(t *testing.T) {
	svc := newService(t)
	long := strings.Repeat("é", 2600) // 5,200 bytes
	subjects := make([]string, 201)
	for i := range subjects {
		subjects[i] = fmt.Sprintf("Matière %d", i+1)
	}
	sheetWith := func(rows ...[]any) []byte {
		f := excelize.NewFile()
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
		return b.Bytes()
	}
	header := []any{"Nom", "Prénom", "Téléphone", "Classe", "Filière", "Date de naissance"}
	for _, tc := range []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"csv cell", "a.csv", []byte(limitsHeader + "\nDiop,Awa,771234567,L3-INFO,Informatique,2003-04-05\nFall,Modou,781234567,L3," + long + ",2003-04-05\n"),
			"line 3, column E: the cell holds 6 KB of text; a cell holds at most 4 KB"},
		{"csv header cell", "a.csv", []byte(limitsHeader + "," + long + "\n"), "line 1, column G: the cell holds 6 KB"},
		{"csv subjects", "a.csv", []byte(limitsHeader + "," + strings.Join(subjects, ",") + "\n"),
			"line 1: column GY (Matière 201) is subject number 201: an import takes at most 200 subject columns"},
		{"xlsx shared cell", "a.xlsx", sheetWith(header, []any{"Diop", long, "771234567", "L3-INFO", "Informatique", "2003-04-05"}),
			"row 2, column B: the cell holds 6 KB of text; a cell holds at most 4 KB"},
		{"xlsx subjects", "a.xlsx", sheetWith(append(header, func() []any {
			var out []any
			for _, s := range subjects {
				out = append(out, s)
			}
			return out
		}()...)), "column GY (Matière 201) is subject number 201"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := refusal(t, svc, writeTemp(t, tc.file, tc.content))
			if !strings.Contains(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// 200 subjects and a 4 KB cell are still fine.
	ok := limitsHeader + ",Remarques," + strings.Join(subjects[:200], ",") + "\nDiop,Awa,771234567,L3-INFO,Informatique,2003-04-05," + strings.Repeat("a", maxCell) + ",12\n"
	res, err := ImportFile(context.Background(), svc, admin, writeTemp(t, "ok.csv", []byte(ok)), ImportOptions{})
	if err != nil || res.Added != 1 {
		t.Fatalf("200 subjects and a 4 KB cell: %v, %v", res, err)
	}
}

// hugeWorkbook writes a workbook whose B2 holds n bytes of text, in the
// shared strings (shared) or inline, streamed through a deflater so that
// neither the test nor the file holds the text (900 MB make a ~1 MB file).
func hugeWorkbook(t testing.TB, n int64, shared bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "huge.xlsx")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	part := func(name, body string, huge bool) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		before, after, _ := strings.Cut(body, "HUGE")
		_, _ = io.WriteString(w, before)
		if huge {
			chunk := bytes.Repeat([]byte("A"), 1<<20)
			for left := n; left > 0; left -= int64(len(chunk)) {
				if _, err := w.Write(chunk[:min(left, int64(len(chunk)))]); err != nil {
					t.Fatal(err)
				}
			}
		}
		_, _ = io.WriteString(w, after)
	}
	ns := `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	part("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`, false)
	part("_rels/.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`, false)
	part("xl/workbook.xml", `<?xml version="1.0"?><workbook `+ns+` xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
		`<sheets><sheet name="Inscrits" sheetId="1" r:id="rId1"/></sheets></workbook>`, false)
	part("xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`, false)
	inline := func(ref, s string) string { return `<c r="` + ref + `" t="inlineStr"><is><t>` + s + `</t></is></c>` }
	row1 := `<row r="1">` + inline("A1", "Nom") + inline("B1", "Prénom") + inline("C1", "Téléphone") + inline("D1", "Classe") + inline("E1", "Filière") + inline("F1", "Date de naissance") + `</row>`
	b2 := inline("B2", "HUGE")
	if shared {
		b2 = `<c r="B2" t="s"><v>1</v></c>`
	}
	row2 := `<row r="2">` + inline("A2", "Diop") + b2 + inline("C2", "771234567") + inline("D2", "L3-INFO") + inline("E2", "Informatique") + inline("F2", "2003-04-05") + `</row>`
	part("xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet `+ns+`><sheetData>`+row1+row2+`</sheetData></worksheet>`, !shared)
	part("xl/sharedStrings.xml", `<?xml version="1.0"?><sst `+ns+` count="2" uniqueCount="2"><si><t>x</t></si><si><t>HUGE</t></si></sst>`, shared)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestImportHugeCell: a workbook holding one 900 MB cell (inline or
// shared) is refused naming the cell, quickly and in bounded memory: the
// refusal allocates at most a few MB, whatever the cell's size.
func TestImportHugeCell(t *testing.T) {
	svc := newService(t)
	for _, shared := range []bool{false, true} {
		t.Run(fmt.Sprintf("shared=%v", shared), func(t *testing.T) {
			path := hugeWorkbook(t, 900<<20, shared)
			info, _ := os.Stat(path)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			got := refusal(t, svc, path)
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("file %d KB: refused in %v, %d KB allocated, heap in use %d MB: %s", info.Size()>>10, took, allocated>>10, after.HeapInuse>>20, got)
			if !strings.Contains(got, "row 2, column B: the cell holds more than 4 KB of text") {
				t.Errorf("got %q", got)
			}
			if allocated > 32<<20 {
				t.Errorf("refusing the file allocated %d MB", allocated>>20)
			}
		})
	}
}

// TestImportEncodings: a CSV file is read in one encoding decided with
// certainty, or refused naming the line that contradicts the others.
func TestImportEncodings(t *testing.T) {
	svc := newService(t)
	cp := func(s string) string {
		out, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	header := "Nom;Prénom;Téléphone;Classe;Filière;Date de naissance\n"
	row := func(first, phone string) string {
		return "Diop;" + first + ";" + phone + ";L3-INFO;Informatique;2003-04-05\n"
	}
	for _, tc := range []struct {
		name, content string
		want          string // "" accepted, with Françoise and Ndèye stored
	}{
		{"utf-8", header + row("Françoise", "771230001") + row("Ndèye", "771230002"), ""},
		{"utf-8 with mark", "\ufeff" + header + row("Françoise", "771230003") + row("Ndèye", "771230004"), ""},
		{"windows-1252", cp(header + row("Françoise", "771230005") + row("Ndèye", "771230006")), ""},
		{"ascii header, windows-1252 later", "Nom;Prenom;Telephone;Classe;Filiere;Date de naissance\n" + row("Awa", "771230007") + cp(row("Françoise", "771230008")) + cp(row("Ndèye", "771230009")), ""},
		{"utf-8 with one windows-1252 line", header + row("Awa", "771230010") + cp(row("Françoise", "771230011")) + row("Ndèye", "771230012"),
			`line 3 is not UTF-8 (it writes accents as one byte, as Windows-1252 does) while line 1 is in UTF-8: the file mixes two encodings; save it again as "CSV UTF-8"`},
		{"mark and one windows-1252 line", "\ufeffNom;Prenom;Telephone;Classe;Filiere;Date de naissance\n" + cp(row("Françoise", "771230013")),
			"line 2 is not UTF-8 (it writes accents as one byte, as Windows-1252 does) while the file starts with the UTF-8 mark"},
		{"windows-1252 with one utf-8 line", cp(header+row("Awa", "771230014")) + row("Françoise", "771230015") + cp(row("Ndèye", "771230016")),
			"line 3 is in UTF-8 while line 1 is not (it writes accents as one byte, as Windows-1252 does): the file mixes two encodings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeTemp(t, "a.csv", []byte(tc.content))
			if tc.want != "" {
				if got := refusal(t, svc, path); !strings.Contains(got, tc.want) {
					t.Errorf("got %q, want %q", got, tc.want)
				}
				return
			}
			res, err := ImportFile(context.Background(), svc, admin, path, ImportOptions{})
			if err != nil || res.Refused {
				t.Fatalf("%v, %+v", err, res)
			}
			all, _ := svc.Students(context.Background(), admin, domain.RosterQuery{})
			names := map[string]bool{}
			for _, s := range all {
				names[s.FirstName] = true
			}
			for _, n := range []string{"Françoise", "Ndèye"} {
				if !names[n] {
					t.Errorf("%s not stored; names: %v", n, names)
				}
			}
		})
	}
}

// TestSubjectsThatWouldNotSurvive: every header the importer reads as a
// column of its own, and a coefficient-like suffix, is refused as a
// subject by the domain where grades are typed, so no export can hold a
// subject its import would drop or misread.
func TestSubjectsThatWouldNotSurvive(t *testing.T) {
	for h := range headerNames {
		if err := domain.CheckSubject(h); err == nil {
			t.Errorf("subject %q accepted, but the import reads that header as a column of its own", h)
		}
	}
	for _, s := range []string{"Maths (coef. 2)", "Maths (coefficient 1,5)", "Maths (coeff 3)"} {
		if m := coefHeader.FindStringSubmatch(s); m == nil {
			t.Fatalf("%q is not a coefficient header for the importer", s)
		}
		if err := domain.CheckSubject(s); err == nil {
			t.Errorf("subject %q accepted, but the import reads its end as the coefficient", s)
		}
	}
	svc := newService(t)
	st := seed(t, svc, 1)[0]
	for _, s := range []string{"Moyenne", "Observations", "Nom", "Maths (coef. 2)"} {
		_, _, err := svc.AddGrade(context.Background(), admin, st.Number, st.Version, domain.GradeInput{Subject: s, Value: "12"})
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EINVALID || len(e.Problems) != 1 || e.Problems[0].Field != "subject" {
			t.Errorf("AddGrade(%q): %v, want a refusal on field subject", s, err)
		}
	}
}
