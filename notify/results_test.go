package notify

import (
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

// The message of published results: one per student and guardian, in the
// words the office uses ("admis par compensation — 30 crédits, moyenne
// 10,28/20"), the jury's decision said as such.
func TestResultsMessages(t *testing.T) {
	tmpl, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	p := &planner{tmpl: tmpl, channels: Channels, staff: []string{"direction@esp221.sn"}, lang: French, school: DefaultSchool}
	e := gradeEvent()
	e.Type, e.Grade, e.Average, e.PreviousAverage = domain.EventResultsPublished, nil, nil, nil
	e.Student.GuardianPhone = "+221770001122"
	e.Result = &domain.ResultNotice{Semester: "S1", Year: "2026-2027", Session: 1, Decision: domain.DecisionADC,
		Credits: 30, TotalCredits: 30, Average: ptr(10.28), Mention: domain.MentionPassable}
	recs, err := p.records(e, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var sms, guardian, mail string
	for _, r := range recs {
		switch {
		case r.Audience == ToStaff:
			t.Errorf("results told to the staff: %+v", r)
		case r.Audience == ToStudent && r.Channel == SMS:
			sms = r.Body
		case r.Audience == ToGuardian && r.Channel == SMS:
			guardian = r.Body
		case r.Audience == ToStudent && r.Channel == Email:
			mail = r.Body
		}
		if r.Kind != KindResults {
			t.Errorf("kind %q", r.Kind)
		}
	}
	if want := "ÉSP 221 : Résultats du semestre S1 : admis par compensation — 30 crédits, moyenne 10,28/20."; sms != want {
		t.Errorf("student SMS = %q, want %q", sms, want)
	}
	if !strings.Contains(guardian, "de Ndèye DIOP : admis par compensation — 30 crédits") {
		t.Errorf("guardian SMS = %q", guardian)
	}
	if !strings.Contains(mail, "30 crédits sur 30, moyenne 10,28/20, mention Passable.") {
		t.Errorf("student e-mail = %q", mail)
	}

	e.Result.Decision, e.Result.Jury, e.Result.Session, e.Result.Credits, e.Result.Mention = domain.DecisionAJ, true, 2, 18, ""
	p.lang = English
	recs, err = p.records(e, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if r.Audience == ToStudent && r.Channel == SMS {
			if want := "ÉSP 221: Results of semester S1 (resit): not passed (jury decision) — 18 credits, average 10.28/20."; r.Body != want {
				t.Errorf("English SMS = %q, want %q", r.Body, want)
			}
		}
	}
}
