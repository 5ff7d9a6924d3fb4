package export

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"testing"

	"scolarite/domain"
)

// checkRows reads every row of rr through a planner without a store, as
// an import's check does: no input may panic or loop, and every row gets
// a line number.
func checkRows(t *testing.T, rr rowReader) {
	defer rr.Close()
	pl := &planner{phones: domain.PhoneParser{}, today: domain.NewDate(2026, 11, 23),
		existing: map[string]*domain.RosterRow{}, seen: map[string]int{}}
	if err := pl.findHeader(rr); err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("header: %v is not a validation error", err)
		}
		return
	}
	for range 10_000 {
		cells, line, err := rr.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			return
		}
		if line <= 0 {
			t.Fatalf("row without a line number: %q", cells)
		}
		rp, ok, err := pl.plan(context.Background(), line, cells)
		if err != nil {
			t.Fatalf("plan: %v", err)
		}
		for _, p := range rp.problems {
			if p.Line != line || p.Reason == "" {
				t.Fatalf("problem %+v on line %d", p, line)
			}
		}
		if ok && len(rp.problems) == 0 && (rp.phone == "" || rp.item.Input.BirthDate == "") {
			t.Fatalf("valid row without phone or birth date: %+v", rp)
		}
	}
}

func FuzzCSVRows(f *testing.F) {
	f.Add([]byte("Nom;Prénom;Téléphone;Classe;Filière;Date de naissance;Maths (coef. 2)\r\nDiop;Ndèye;771234567;L3-INFO;Informatique;05/04/2003;12,5\r\n"))
	f.Add([]byte("\uFEFFLast name,First name,Phone,Class,Major,Birth date\n\"Ba, Jr\",\"A\"\"b\",+221 78 123 45 67,L2,GC,37716\n,,,,\n"))
	f.Add([]byte("Nom\tPrénom\tTél\tClasse\tFilière\tNé le\n\xe9l\xe8ve\tA\t7.7E8\tX\tY\t2003-04-05\n"))
	f.Add([]byte("\"unterminated\nNom,Prénom"))
	f.Add([]byte{0, 1, 2, 0xff, 0xfe})
	f.Fuzz(func(t *testing.T, data []byte) {
		rr, err := newCSVRows(io.NopCloser(bytes.NewReader(data)), int64(len(data)))
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("open: %v is not a validation error", err)
			}
			return
		}
		checkRows(t, rr)
	})
}

// FuzzXLSXRows fuzzes the worksheet XML inside a valid workbook (a
// mutated zip almost always fails its checksum before any row is read).
func FuzzXLSXRows(f *testing.F) {
	template, sheet := workbookParts(f)
	f.Add(sheet)
	f.Add([]byte(`<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c><c r="B1" t="inlineStr"><is><t>Prénom</t></is></c>` +
		`<c r="C1" t="inlineStr"><is><t>Téléphone</t></is></c><c r="D1" t="inlineStr"><is><t>Classe</t></is></c><c r="E1" t="inlineStr"><is><t>Filière</t></is></c>` +
		`<c r="F1" t="inlineStr"><is><t>Né le</t></is></c><c r="G1" t="inlineStr"><is><t>Maths</t></is></c></row>` +
		`<row r="3"><c r="A3" t="s"><v>0</v></c><c r="C3"><v>7.71234567E8</v></c><c r="F3"><f>A1</f><v>37716</v></c><c r="G3" t="str"><v>12,5</v></c></row>` +
		`<row r="1048577"/></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, sheetXML []byte) {
		data, err := replacePart(template, "xl/worksheets/sheet1.xml", sheetXML)
		if err != nil {
			t.Fatal(err)
		}
		rr, err := openXLSXReader(bytes.NewReader(data), "")
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("open: %v is not a validation error", err)
			}
			return
		}
		checkRows(t, rr)
	})
}

// FuzzXLSXFile fuzzes whole files: broken zips must be refused cleanly.
func FuzzXLSXFile(f *testing.F) {
	template, _ := workbookParts(f)
	f.Add(template)
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rr, err := openXLSXReader(bytes.NewReader(data), "")
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Fatalf("open: %v is not a validation error", err)
			}
			return
		}
		checkRows(t, rr)
	})
}

// workbookParts is an exported workbook and its sheet's XML.
func workbookParts(f *testing.F) ([]byte, []byte) {
	var b bytes.Buffer
	ss := []*domain.Student{{Number: "2026-00001", LastName: "Diop", FirstName: "Ndèye", Phone: "+221771234567", Class: "L3-INFO",
		Major: "Informatique", BirthDate: domain.NewDate(2003, 4, 5), Grades: []domain.Grade{{Subject: "Maths", Value: 12.5, Coefficient: 2}}}}
	if err := WriteXLSX(context.Background(), ss, &b, Options{}); err != nil {
		f.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		f.Fatal(err)
	}
	for _, zf := range z.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			rc, _ := zf.Open()
			sheet, err := io.ReadAll(rc)
			if err != nil {
				f.Fatal(err)
			}
			return b.Bytes(), sheet
		}
	}
	f.Fatal("no sheet1.xml")
	return nil, nil
}

// replacePart rewrites a zip with one part's content replaced.
func replacePart(archive []byte, name string, content []byte) ([]byte, error) {
	z, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	w := zip.NewWriter(&out)
	for _, zf := range z.File {
		dst, err := w.Create(zf.Name)
		if err != nil {
			return nil, err
		}
		if zf.Name == name {
			_, err = dst.Write(content)
		} else {
			var rc io.ReadCloser
			if rc, err = zf.Open(); err == nil {
				_, err = io.Copy(dst, rc)
				rc.Close()
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return out.Bytes(), w.Close()
}

// FuzzCells: the cell readers never panic, and what dateCell accepts the
// domain reads as a date.
func FuzzCells(f *testing.F) {
	for _, s := range []string{"05/04/2003", "2003-04-05T00:00:00Z", "37716", "1.5e3", "771234567.0", "12,5/20", "13.330000000000002", "31/02/2003", "9999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_ = phoneCell(s)
		_ = gradeCell(s)
		_ = cleanCell(s)
		_, _ = phoneRetry(s)
		if d, err := dateCell(s); err == nil && d != "" {
			if _, err := domain.ParseDate(d); err != nil {
				t.Fatalf("dateCell(%q) = %q, which the domain refuses: %v", s, d, err)
			}
		}
	})
}
