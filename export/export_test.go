package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"scolarite/domain"
)

// Exports hold exactly what the table shows: the filter, the sort and the
// actor's scope, in the roster's order.
func TestExportFollowsTheTable(t *testing.T) {
	ctx := context.Background()
	svc := newService(t)
	seed(t, svc, 80)
	teacher := domain.Actor{Name: "prof", Role: domain.RoleTeacher, Classes: []string{"L3-INFO", "L2-GC"}}
	for _, tc := range []struct {
		a domain.Actor
		q domain.RosterQuery
	}{
		{admin, domain.RosterQuery{}},
		{admin, domain.RosterQuery{Class: "l2-gc", Sort: domain.SortLastName, Order: domain.OrderDesc}},
		{admin, domain.RosterQuery{Search: "ndeye", Sort: domain.SortNumber}},
		{teacher, domain.RosterQuery{Sort: domain.SortFirstName}},
	} {
		page, err := svc.Roster(ctx, tc.a, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if _, err := Export(ctx, svc, tc.a, tc.q, &b, Options{}); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs)-1 != len(page.Rows) || len(page.Rows) == 0 {
			t.Fatalf("%+v: %d rows exported, table shows %d", tc.q, len(recs)-1, len(page.Rows))
		}
		for i, r := range page.Rows {
			if recs[i+1][0] != r.Number {
				t.Fatalf("%+v: row %d is %s, table shows %s", tc.q, i, recs[i+1][0], r.Number)
			}
		}
	}
	var b bytes.Buffer
	if _, err := Export(ctx, svc, teacher, domain.RosterQuery{Class: "L3-GE"}, &b, Options{}); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("teacher export of another class: %v", err)
	}
}

func TestCSVOptions(t *testing.T) {
	ss := []*domain.Student{{Number: "2026-00001", LastName: "=HYPERLINK(\"x\")", FirstName: "@Ndèye", Phone: "+221771234567",
		Class: "L3-INFO", Major: "-Info", BirthDate: domain.NewDate(2003, 4, 5), GuardianPhone: "+221770001122",
		Grades: []domain.Grade{{Subject: "Maths", Value: 12.5, Coefficient: 1}}, Average: ptr(12.5)}}
	var b bytes.Buffer
	if err := WriteCSV(context.Background(), ss, &b, Options{Separator: ';', BOM: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\uFEFFMatricule;Nom;Prénom;Téléphone;E-mail;Classe;Filière;Date de naissance;Tuteur;Téléphone tuteur;E-mail tuteur;Maths;Moyenne\r\n") {
		t.Fatalf("header: %q", out)
	}
	want := "2026-00001;\"'=HYPERLINK(\"\"x\"\")\";'@Ndèye;'+221771234567;;L3-INFO;'-Info;2003-04-05;;'+221770001122;;12,5;12,50\r\n"
	if !strings.HasSuffix(out, want) {
		t.Fatalf("row:\n%q\nwant\n%q", out, want)
	}
	if _, err := ParseSeparator("|"); err == nil {
		t.Error("| accepted as separator")
	}
}

// JSON exports are `students list --json`'s array, byte for byte.
func TestJSONMatchesEncoder(t *testing.T) {
	svc := newService(t)
	students := seed(t, svc, 3)
	var got, want bytes.Buffer
	if err := WriteJSON(context.Background(), students, &got, Options{}); err != nil {
		t.Fatal(err)
	}
	list := make([]StudentJSON, 0, len(students))
	for _, s := range students {
		list = append(list, ToJSON(s))
	}
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	_ = enc.Encode(list)
	if got.String() != want.String() {
		t.Fatalf("got\n%s\nwant\n%s", got.String(), want.String())
	}
	got.Reset()
	_ = WriteJSON(context.Background(), nil, &got, Options{})
	if got.String() != "[]\n" {
		t.Errorf("empty: %q", got.String())
	}
}

// The workbook, read back with excelize and checked without it: a styled,
// frozen header with an auto-filter, numbers as numbers, dates as dates.
func TestXLSXExport(t *testing.T) {
	svc := newService(t)
	seed(t, svc, 25)
	path, _ := exportTo(t, svc, domain.RosterQuery{}, XLSX, Options{})
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "Étudiants" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Étudiants")
	if err != nil || len(rows) != 26 || rows[0][0] != "Matricule" || rows[0][len(rows[0])-1] != "Moyenne" {
		t.Fatalf("rows %d, header %v, %v", len(rows), rows[0], err)
	}
	last := len(rows[0])
	avgCol, _ := excelize.ColumnNumberToName(last)
	typ, _ := f.GetCellType("Étudiants", avgCol+"2")
	birthType, _ := f.GetCellType("Étudiants", "H2")
	birth, _ := f.GetCellValue("Étudiants", "H2")
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset || birthType == excelize.CellTypeSharedString || !strings.Contains(birth, "/") {
		t.Errorf("average cell type %v, birth date %v %q", typ, birthType, birth)
	}
	panes, err := f.GetPanes("Étudiants")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v", panes, err)
	}
	style, _ := f.GetCellStyle("Étudiants", "A1")
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold || len(s.Fill.Color) == 0 {
		t.Errorf("header style %+v, %v", s, err)
	}
	// A second reader: the raw OOXML, through Python's zipfile.
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	script := `import sys, zipfile, re
z = zipfile.ZipFile(sys.argv[1])
sheet = z.read("xl/worksheets/sheet1.xml").decode()
wb = z.read("xl/workbook.xml").decode()
assert re.search(r'<autoFilter ref="\$?A\$?1:', sheet), "no autofilter"
mins = [int(m) for m in re.findall(r'<col min="(\d+)"', sheet)]
assert mins == sorted(mins) and len(mins) > 8, "columns out of order: %s" % mins
assert 'state="frozen"' in sheet, "not frozen"
assert "_xlnm._FilterDatabase" in wb, "no filter name"
cells = re.findall(r'<c r="([A-Z]+)2"[^>]*?(?: t="(\w+)")?[^>]*>', sheet)
print(len(re.findall(r"<row ", sheet)), sorted(set(t for _, t in cells)))
`
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("python check: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "26 ") {
		t.Errorf("python saw %s", out)
	}
	_ = os.Remove(path)
}

func TestFormatOf(t *testing.T) {
	for in, want := range map[string]Format{"a.CSV": CSV, "b.xlsx": XLSX, "c.json": JSON, "d.pdf": PDF} {
		if f, err := FormatOf(in); err != nil || f != want {
			t.Errorf("FormatOf(%s) = %s, %v", in, f, err)
		}
	}
	for _, in := range []string{"noext", "e.doc"} {
		if _, err := FormatOf(in); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("FormatOf(%s): %v", in, err)
		}
	}
}

func ptr(v float64) *float64 { return &v }
