package export

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

// pdfText extracts a PDF's text with poppler's pdftotext, one string per
// page; the test is skipped where poppler-utils is not installed.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	return pages[:len(pages)-1]
}

// reportService holds 200 demo students and one with names that test the
// font and the truncation.
func reportService(t *testing.T) *domain.StudentService {
	t.Helper()
	svc := newService(t)
	seed(t, svc, 200)
	ctx := context.Background()
	_, err := svc.Create(ctx, admin, domain.StudentInput{LastName: "Ndiaye-Sow de la Très Longue Famille Sénégalaise", FirstName: "Ndèye Aïssatou Françoise",
		Phone: "77 999 88 77", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.AddGrade(ctx, admin, "77 999 88 77", 0, domain.GradeInput{Subject: "Algorithmique", Value: "7,5", Coefficient: "2"}); err != nil {
		t.Fatal(err)
	}
	return svc
}

var reportOpt = ReportOptions{Now: func() time.Time { return fixedAt }}

// freeCard writes the report card of a student's free grades: no
// results service, no bulletin.
func freeCard(r Reader, a domain.Actor, ref string, w io.Writer, opt ReportOptions) error {
	b, err := ReportCard(context.Background(), r, nil, a, CardQuery{Student: ref}, w, opt)
	if b != nil {
		return fmt.Errorf("a bulletin of %s", b.Curriculum.Key())
	}
	return err
}

func TestStudentReport(t *testing.T) {
	svc := reportService(t)
	var b bytes.Buffer
	if err := freeCard(svc, admin, "77 999 88 77", &b, reportOpt); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, b.Bytes())
	text := strings.Join(pages, "\n")
	for _, want := range []string{"Bulletin de notes", "Ndiaye-Sow de la Très Longue Famille Sénégalaise Ndèye", "Aïssatou Françoise",
		"Algorithmique", "7,5", "7,50/20", "Alerte : moyenne inférieure à 10", "Rang dans la classe", "Moyenne de la classe"} {
		if !strings.Contains(text, want) {
			t.Errorf("report card lacks %q:\n%s", want, text)
		}
	}
	b.Reset()
	if err := freeCard(svc, admin, "77 999 88 77", &b, ReportOptions{Lang: English, Now: reportOpt.Now}); err != nil {
		t.Fatal(err)
	}
	if text := strings.Join(pdfText(t, b.Bytes()), ""); !strings.Contains(text, "Alert: average below 10") || !strings.Contains(text, "Report card") {
		t.Errorf("English card:\n%s", text)
	}
}

func TestSchoolReport(t *testing.T) {
	svc := reportService(t)
	var b bytes.Buffer
	if err := SchoolReport(context.Background(), svc, admin, &b, reportOpt); err != nil {
		t.Fatal(err)
	}
	text := strings.Join(pdfText(t, b.Bytes()), "\n")
	for _, want := range []string{"Synthèse de l'établissement", "Par classe", "L2-GC", "L3-INFO", "Total", "201",
		"Les 10 meilleures moyennes de l'établissement"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

// Reports go through the domain's permissions: a teacher reads the cards
// of their classes (and a school summary of those), a student only their
// own card. (The class's document, the procès-verbal, is of the results
// service, which checks its reader: domain.TestClassResults.)
func TestReportPermissions(t *testing.T) {
	ctx := context.Background()
	svc := reportService(t)
	own, err := svc.Get(ctx, admin, "77 999 88 77")
	if err != nil {
		t.Fatal(err)
	}
	teacher := domain.Actor{Name: "prof", Role: domain.RoleTeacher, Classes: []string{"L3-INFO"}}
	student := domain.Actor{Name: "eleve", Role: domain.RoleStudent, StudentID: own.ID}
	var b bytes.Buffer
	for _, tc := range []struct {
		name string
		run  func() error
		want domain.Code
	}{
		{"teacher card", func() error { return freeCard(svc, teacher, own.Number, &b, reportOpt) }, ""},
		{"teacher school", func() error { return SchoolReport(ctx, svc, teacher, &b, reportOpt) }, ""},
		{"student own card", func() error { return freeCard(svc, student, own.Number, &b, reportOpt) }, ""},
		{"student other card", func() error { return freeCard(svc, student, "2026-00001", &b, reportOpt) }, domain.EFORBIDDEN},
		{"student school", func() error { return SchoolReport(ctx, svc, student, &b, reportOpt) }, domain.EFORBIDDEN},
	} {
		b.Reset()
		if err := tc.run(); domain.ErrorCode(err) != tc.want {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
