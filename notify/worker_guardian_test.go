package notify_test

import (
	"strings"
	"testing"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store/storetest"
)

// The guardian's path end to end: a student created through the domain
// with a guardian, a grade that makes the average fall below 10, and the
// worker delivering to the real SMTP test server: the guardian receives
// the new grade and the alert, addressed about their student; a student
// without a guardian gets nothing extra; and a guardian whose e-mail is
// the student's own gets the message once (the unique index holds).
func TestWorkerDeliversToTheGuardian(t *testing.T) {
	s := storetest.Open(t)
	students := domain.NewStudentService(domain.StudentDeps{Repo: s.Students(), Phones: domain.PhoneParser{}})
	admin := domain.SystemActor("cli:test")
	awa, err := students.Create(ctx(t), admin, domain.StudentInput{LastName: "Diop", FirstName: "Awa", Phone: "77 123 45 67",
		Email: "awa.diop@esp221.sn", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05",
		GuardianName: "Mamadou Diop", GuardianPhone: "77 000 11 22", GuardianEmail: "m.diop@example.sn"})
	if err != nil {
		t.Fatal(err)
	}
	alone, err := students.Create(ctx(t), admin, domain.StudentInput{LastName: "Fall", FirstName: "Modou", Phone: "78 123 45 67",
		Email: "modou.fall@esp221.sn", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05"})
	if err != nil {
		t.Fatal(err)
	}
	shared, err := students.Create(ctx(t), admin, domain.StudentInput{LastName: "Sow", FirstName: "Binta", Phone: "76 123 45 67",
		Email: "famille.sow@example.sn", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05",
		GuardianName: "Aminata Sow", GuardianEmail: "famille.sow@example.sn"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := students.AddGrade(ctx(t), admin, shared.Number, 0, domain.GradeInput{Subject: "Maths", Value: "12"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := students.AddGrade(ctx(t), admin, awa.Number, 0, domain.GradeInput{Subject: "Maths", Value: "8,5", Coefficient: "2"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := students.AddGrade(ctx(t), admin, alone.Number, 0, domain.GradeInput{Subject: "Maths", Value: "15"}); err != nil {
		t.Fatal(err)
	}

	srv := newMailServer(t).start()
	w := worker(t, s, map[notify.Channel]notify.Sender{
		notify.Email: mailer(t, smtpConfig(t, srv, "smtp://ADDR", nil)),
	}, notify.Config{Channels: []notify.Channel{notify.Email}, Lang: notify.French}, notify.Options{})
	if err := w.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}

	var toGuardian []string
	byRecipient := map[string]int{}
	for _, m := range srv.messages() {
		byRecipient[m.To[0]]++
		if m.To[0] != "m.diop@example.sn" {
			continue
		}
		p := parse(t, m.Data)
		subject := p.get(t, "Subject")
		toGuardian = append(toGuardian, subject)
		if !strings.Contains(p.body, "Bonjour Mamadou Diop,") || !strings.Contains(p.body, "Awa Diop") {
			t.Errorf("guardian e-mail %q does not address the guardian about Awa:\n%s", subject, p.body)
		}
	}
	wantSubjects := []string{"ÉSP 221 · Nouvelle note de Awa Diop en Maths", "ÉSP 221 · Alerte : la moyenne de Awa Diop est sous 10/20"}
	if len(toGuardian) != 2 {
		t.Fatalf("guardian received %d e-mails %q, want 2 (grade and alert); all recipients %v", len(toGuardian), toGuardian, byRecipient)
	}
	for _, w := range wantSubjects {
		found := false
		for _, got := range toGuardian {
			found = found || got == w
		}
		if !found {
			t.Errorf("guardian e-mails %q lack %q", toGuardian, w)
		}
	}
	if byRecipient["awa.diop@esp221.sn"] != 2 || byRecipient["modou.fall@esp221.sn"] != 1 ||
		byRecipient["famille.sow@example.sn"] != 1 || len(byRecipient) != 4 {
		t.Errorf("e-mails by recipient %v", byRecipient)
	}
	ns := all(t, s)
	guardians := 0
	for _, n := range ns {
		if n.Audience == notify.ToGuardian {
			guardians++
			if n.Status != notify.Sent || n.Recipient != "m.diop@example.sn" || n.StudentID != awa.ID {
				t.Errorf("guardian record %+v", n)
			}
		}
	}
	if guardians != 2 || len(ns) != 6 {
		t.Errorf("%d records, %d for a guardian; want 6 and 2 (no skipped guardian record for Modou, one record for the Sows' shared address)", len(ns), guardians)
	}
}
