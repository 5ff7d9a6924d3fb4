package notify

import (
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

func ptr(f float64) *float64 { return &f }

func gradeEvent() *domain.Event {
	return &domain.Event{
		ID: "6b0000000000000000000001", Type: domain.EventGradeAdded, StudentID: "6b0000000000000000000002",
		Student: domain.Snapshot{Number: "2026-00042", LastName: "DIOP", FirstName: "Ndèye", Class: "L3-INFO",
			Phone: "+221771234567", Email: "ndeye.diop@esp221.sn"},
		Grade:   &domain.Grade{Subject: "Mathématiques", Value: 12.5, Coefficient: 2},
		Average: ptr(11.25), PreviousAverage: ptr(10),
	}
}

func TestNumbersFrenchAndEnglish(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fr, en string
	}{
		{12.5, "12,5/20", "12.5/20"},
		{14.0, "14/20", "14/20"},
		{9.6667, "9,67/20", "9.67/20"},
		{ptr(11.25), "11,25/20", "11.25/20"},
		{(*float64)(nil), "–", "–"},
	} {
		if got := on20(French, tc.v); got != tc.fr {
			t.Errorf("on20(fr, %v) = %q, want %q", tc.v, got, tc.fr)
		}
		if got := on20(English, tc.v); got != tc.en {
			t.Errorf("on20(en, %v) = %q, want %q", tc.v, got, tc.en)
		}
	}
}

func TestRenderEveryMessage(t *testing.T) {
	tmpl, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	e := gradeEvent()
	d := dataFor(DefaultSchool, e)
	subject, body, err := tmpl.render(French, KindGrade, ToStudent, Email, d)
	if err != nil {
		t.Fatal(err)
	}
	if subject != "ÉSP 221 · Nouvelle note en Mathématiques" {
		t.Errorf("subject %q", subject)
	}
	for _, want := range []string{"Bonjour Ndèye DIOP,", "Matière       : Mathématiques", "Note          : 12,5/20",
		"Coefficient   : 2", "Votre moyenne : 11,25/20", "— ÉSP 221"} {
		if !strings.Contains(body, want) {
			t.Errorf("French grade e-mail lacks %q:\n%s", want, body)
		}
	}
	_, sms, _ := tmpl.render(French, KindGrade, ToStudent, SMS, d)
	if sms != "ÉSP 221 : nouvelle note en Mathématiques : 12,5/20 (coef. 2). Votre moyenne : 11,25/20." {
		t.Errorf("French grade SMS %q", sms)
	}
	_, sms, _ = tmpl.render(English, KindGrade, ToStudent, SMS, d)
	if sms != "ÉSP 221: new grade in Mathématiques: 12.5/20 (coef. 2). Your average: 11.25/20." {
		t.Errorf("English grade SMS %q", sms)
	}
	d.Average, d.Previous = ptr(9.5), ptr(10.25)
	subject, body, _ = tmpl.render(French, KindAlert, ToStudent, Email, d)
	if subject != "ÉSP 221 · Alerte : votre moyenne est sous 10/20" || !strings.Contains(body, "elle est maintenant de 9,5/20 (elle était de 10,25/20)") {
		t.Errorf("French alert:\n%s\n%s", subject, body)
	}
	subject, body, _ = tmpl.render(English, KindAlert, ToStaff, Email, d)
	if subject != "ÉSP 221 · Alert: DIOP Ndèye (L3-INFO) below 10/20" || !strings.Contains(body, "matricule 2026-00042") {
		t.Errorf("English staff alert:\n%s\n%s", subject, body)
	}
	// Every template exists in both languages and fits an SMS or two.
	for _, lang := range []string{French, English} {
		for _, k := range []Kind{KindGrade, KindAlert} {
			for _, aud := range []Audience{ToStudent, ToGuardian, ToStaff} {
				for _, ch := range Channels {
					subject, body, err := tmpl.render(lang, k, aud, ch, d)
					if err != nil || body == "" || (ch == Email) != (subject != "") {
						t.Errorf("%s %s %s %s: %q %q %v", lang, k, aud, ch, subject, body, err)
					}
					if ch == SMS && len([]rune(body)) > 160 {
						t.Errorf("%s %s %s SMS is %d characters", lang, k, aud, len([]rune(body)))
					}
				}
			}
		}
	}
}

func TestPlannerRecords(t *testing.T) {
	tmpl, _ := NewTemplates()
	p := &planner{tmpl: tmpl, channels: Channels, staff: []string{"direction@esp221.sn", "+221770000001"}, lang: French, school: DefaultSchool}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	e := gradeEvent()
	e.Student.Email = ""
	recs, err := p.records(e, now)
	if err != nil || len(recs) != 2 {
		t.Fatalf("grade.added: %d records, %v", len(recs), err)
	}
	if recs[0].Channel != Email || recs[0].Status != Skipped || recs[0].LastError != "no e-mail address" {
		t.Errorf("no e-mail: %+v", recs[0])
	}
	if recs[1].Channel != SMS || recs[1].Status != Pending || recs[1].Recipient != "+221771234567" || recs[1].Student != "2026-00042 DIOP Ndèye" {
		t.Errorf("sms: %+v", recs[1])
	}
	e.Type = domain.EventAverageBelow
	recs, _ = p.records(e, now)
	if len(recs) != 4 || recs[2].Audience != ToStaff || recs[2].Recipient != "direction@esp221.sn" || recs[3].Channel != SMS {
		t.Errorf("alert: %d records %+v", len(recs), recs)
	}
	e.Type = domain.EventGradeChanged
	if recs, _ := p.records(e, now); len(recs) != 0 {
		t.Errorf("grade.changed makes %d records", len(recs))
	}
	// A mark of an evaluation not published yet is told nobody; its
	// publication is told as a new grade.
	e.Type, e.Hidden = domain.EventGradeAdded, true
	if recs, _ := p.records(e, now); len(recs) != 0 {
		t.Errorf("a hidden grade.added makes %d records", len(recs))
	}
	e.Type, e.Hidden = domain.EventGradePublished, false
	if recs, _ := p.records(e, now); len(recs) != 2 || recs[1].Kind != KindGrade {
		t.Errorf("grade.published makes %d records: %+v", len(recs), recs)
	}
}
