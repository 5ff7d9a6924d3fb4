package notify_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/notify"
	"scolarite/store"
	"scolarite/store/storetest"
)

// The whole path: grades added through the domain service write outbox
// events; the worker turns them into records and delivers them to a real
// SMTP server and an SMS API; the alert comes once per crossing below 10.
func TestWorkerDeliversGradesAndAlertsFromTheDomain(t *testing.T) {
	s := storetest.Open(t)
	students := domain.NewStudentService(domain.StudentDeps{Repo: s.Students(), Phones: domain.PhoneParser{}})
	admin := domain.SystemActor("cli:test")
	st, err := students.Create(ctx(t), admin, domain.StudentInput{LastName: "Diop", FirstName: "Ndèye", Phone: "77 123 45 67",
		Email: "ndeye.diop@esp221.sn", Class: "L3-INFO", Major: "Informatique", BirthDate: "2003-04-05"})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []domain.GradeInput{
		{Subject: "Mathématiques", Value: "14"},                    // 14: no alert
		{Subject: "Physique", Value: "6,5", Coefficient: "2"},      // 9: crosses below 10
		{Subject: "Chimie", Value: "5"},                            // 8: still below, no new alert
		{Subject: "Informatique", Value: "19,5", Coefficient: "3"}, // back above
	} {
		if _, _, err := students.AddGrade(ctx(t), admin, st.Number, 0, g); err != nil {
			t.Fatal(err)
		}
	}
	srv := newMailServer(t).start()
	api := newSMSAPI(t)
	cfg := notify.Config{Channels: notify.Channels, Staff: []string{"direction@esp221.sn"}, Lang: notify.French}
	w := worker(t, s, map[notify.Channel]notify.Sender{
		notify.Email: mailer(t, smtpConfig(t, srv, "smtp://ADDR", nil)),
		notify.SMS:   notify.SMSSender{Provider: twilio(api)},
	}, cfg, notify.Options{})
	if err := w.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}
	// 4 grades + 1 alert to the student by each channel, 1 alert to staff.
	mails := srv.messages()
	if len(mails) != 6 || len(api.requests()) != 5 {
		t.Fatalf("%d e-mails and %d SMS, want 6 and 5", len(mails), len(api.requests()))
	}
	var alerts, staff int
	for _, m := range mails {
		p := parse(t, m.Data)
		subject := p.get(t, "Subject")
		switch {
		case m.To[0] == "direction@esp221.sn":
			staff++
			if subject != "ÉSP 221 · Alerte : Diop Ndèye (L3-INFO) sous 10/20" {
				t.Errorf("staff subject %q", subject)
			}
		case strings.Contains(subject, "Alerte"):
			alerts++
			if !strings.Contains(p.body, "elle est maintenant de 9/20 (elle était de 14/20)") {
				t.Errorf("alert body:\n%s", p.body)
			}
		case strings.Contains(subject, "Physique"):
			if !strings.Contains(p.body, "Note          : 6,5/20") || !strings.Contains(p.body, "Coefficient   : 2") {
				t.Errorf("grade body:\n%s", p.body)
			}
		}
	}
	if alerts != 1 || staff != 1 {
		t.Errorf("%d alerts to the student and %d to staff, want 1 and 1", alerts, staff)
	}
	if pending, _ := s.Events().Pending(ctx(t), domain.ConsumerNotifier, 100); len(pending) != 0 {
		t.Errorf("%d events left unmarked", len(pending))
	}
	ns := all(t, s)
	if c := byStatus(ns); c[notify.Sent] != 11 || len(ns) != 11 {
		t.Errorf("records by status %v", c)
	}
	// Running again sends nothing more.
	if err := w.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if len(srv.messages()) != 6 || len(api.requests()) != 5 {
		t.Error("a second pass sent again")
	}
}

func TestWorkerSMTPDownThenBack(t *testing.T) {
	s := storetest.Open(t)
	appendGrades(t, s, 5, 1, nil)
	srv := newMailServer(t) // down
	srv.user, srv.pass = "scolarite", "hunter2-secret"
	w := worker(t, s, map[notify.Channel]notify.Sender{
		notify.Email: mailer(t, smtpConfig(t, srv, "smtp://scolarite:hunter2-secret@ADDR?tls=none&auth=plain", nil)),
	}, notify.Config{Channels: []notify.Channel{notify.Email}, SMTP: &notify.SMTPConfig{Password: "hunter2-secret"}},
		notify.Options{MaxAttempts: 1000})
	if err := w.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "three attempts each while the server is down", func() bool {
		if _, err := w.Deliver(ctx(t)); err != nil {
			t.Fatal(err)
		}
		for _, n := range all(t, s) {
			if n.Status != notify.Pending || n.Attempts < 3 {
				return false
			}
		}
		return true
	})
	for _, n := range all(t, s) {
		if !strings.Contains(n.LastError, "connect to the SMTP server") || strings.Contains(n.LastError, "hunter2") {
			t.Errorf("last error %q", n.LastError)
		}
		if !n.NextAt.After(n.UpdatedAt) {
			t.Errorf("next attempt %v is not after the last %v", n.NextAt, n.UpdatedAt)
		}
	}
	srv.start()
	eventually(t, 10*time.Second, "all sent once the server is back", func() bool {
		if _, err := w.Deliver(ctx(t)); err != nil {
			t.Fatal(err)
		}
		return byStatus(all(t, s))[notify.Sent] == 5
	})
	onceEach(t, srv.messages(), 5)
}

// A worker stopped between claiming and sending releases its batch; one
// killed outright keeps its lease until it expires. Either way nothing is
// lost and nothing is sent twice.
func TestWorkerStoppedOrKilledMidBatch(t *testing.T) {
	s := storetest.Open(t)
	appendGrades(t, s, 12, 2, nil)
	srv := newMailServer(t).start()
	send := mailer(t, smtpConfig(t, srv, "smtp://ADDR", nil))
	email := []notify.Channel{notify.Email}
	cfg := notify.Config{Channels: email}

	stopping, stop := context.WithCancel(ctx(t))
	a := worker(t, s, map[notify.Channel]notify.Sender{notify.Email: cancelOnSend{inner: send, cancel: stop}}, cfg, notify.Options{Batch: 5})
	if _, err := a.Plan(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if n, err := a.Deliver(stopping); err != nil || n != 0 {
		t.Fatalf("stopped worker: %d handled, %v", n, err)
	}
	if len(srv.messages()) != 0 {
		t.Fatal("the stopped worker sent")
	}
	for _, n := range all(t, s) {
		if n.Status != notify.Pending || n.Attempts != 0 {
			t.Fatalf("after a stop: %s %s, %d attempts", n.ID, n.Status, n.Attempts)
		}
	}

	// Killed: it claimed a batch (as Deliver does first) and never came back.
	killed, err := s.Notifications().Claim(ctx(t), notify.Claim{Owner: "killed", Channels: email, Now: time.Now(), TTL: 1500 * time.Millisecond, Limit: 5})
	if err != nil || len(killed) != 5 {
		t.Fatalf("killed worker's claim: %d, %v", len(killed), err)
	}
	b := worker(t, s, map[notify.Channel]notify.Sender{notify.Email: send}, cfg, notify.Options{Batch: 5})
	if err := b.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if got := len(srv.messages()); got != 7 {
		t.Fatalf("%d sent while the dead worker's lease holds, want the 7 others", got)
	}
	eventually(t, 5*time.Second, "the dead worker's records sent after its lease", func() bool {
		if err := b.Drain(ctx(t)); err != nil {
			t.Fatal(err)
		}
		return len(srv.messages()) == 12
	})
	onceEach(t, srv.messages(), 12)
	if c := byStatus(all(t, s)); c[notify.Sent] != 12 {
		t.Errorf("records %v", c)
	}
}

func TestWorkerInvalidAddressEndsFailedWithTheReason(t *testing.T) {
	s := storetest.Open(t)
	appendGrades(t, s, 3, 1, func(i int, e *domain.Event) {
		switch i {
		case 0:
			e.Student.Email = "parti@esp221.sn" // the server has no such mailbox
		case 1:
			e.Student.Phone = "+22100000000" // the SMS provider refuses the number
		}
	})
	srv := newMailServer(t)
	srv.reject["parti@esp221.sn"] = true
	srv.start()
	api := newSMSAPI(t)
	api.refuse["+22100000000"] = true
	w := worker(t, s, map[notify.Channel]notify.Sender{
		notify.Email: mailer(t, smtpConfig(t, srv, "smtp://ADDR", nil)),
		notify.SMS:   notify.SMSSender{Provider: twilio(api)},
	}, notify.Config{}, notify.Options{})
	if err := w.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}
	var failed []*notify.Notification
	for _, n := range all(t, s) {
		if n.Status == notify.Failed {
			failed = append(failed, n)
		} else if n.Status != notify.Sent {
			t.Errorf("%s to %s: %s", n.Channel, n.Recipient, n.Status)
		}
	}
	if len(failed) != 2 {
		t.Fatalf("%d failed, want 2", len(failed))
	}
	for _, n := range failed {
		want := map[notify.Channel]string{notify.Email: "550", notify.SMS: "21211"}[n.Channel]
		if n.Attempts != 1 || !strings.Contains(n.LastError, want) {
			t.Errorf("%s to %s: %d attempts, reason %q (want %s)", n.Channel, n.Recipient, n.Attempts, n.LastError, want)
		}
	}
	// The mailbox is fixed; an admin retries the failed e-mail.
	srv.reject = map[string]bool{}
	svc := notify.NewService(s.Notifications())
	mail := failed[0]
	if mail.Channel != notify.Email {
		mail = failed[1]
	}
	if err := svc.Retry(ctx(t), domain.Actor{Role: domain.RoleTeacher}, mail.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
		t.Errorf("a teacher retried: %v", err)
	}
	if err := svc.Retry(ctx(t), domain.SystemActor("admin"), mail.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.Drain(ctx(t)); err != nil {
		t.Fatal(err)
	}
	if c := byStatus(all(t, s)); c[notify.Sent] != 5 || c[notify.Failed] != 1 {
		t.Errorf("after retry: %v", c)
	}
}

func TestWorkersAtOnceNeverSendTwice(t *testing.T) {
	s := storetest.Open(t)
	const events = 80
	appendGrades(t, s, events, 4, nil)
	srv := newMailServer(t).start()
	api := newSMSAPI(t)
	var wg sync.WaitGroup
	for i := range 4 {
		// Each worker has its own connection, as separate processes do.
		other, err := store.Open(ctx(t), storetest.URI(t), s.Database().Name(), storetest.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = other.Close(context.Background()) })
		w := worker(t, other, map[notify.Channel]notify.Sender{
			notify.Email: mailer(t, smtpConfig(t, srv, "smtp://ADDR", nil)),
			notify.SMS:   notify.SMSSender{Provider: twilio(api)},
		}, notify.Config{}, notify.Options{Batch: 5 + i, EventBatch: 20, Concurrency: 2})
		wg.Go(func() {
			if err := w.Drain(ctx(t)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	onceEach(t, srv.messages(), events)
	sms := map[string]int{}
	for _, r := range api.requests() {
		sms[r.Form.Get("To")]++
	}
	if len(sms) != events || len(api.requests()) != events {
		t.Errorf("%d SMS to %d numbers, want %d once each", len(api.requests()), len(sms), events)
	}
	if c := byStatus(all(t, s)); c[notify.Sent] != 2*events {
		t.Errorf("records %v", c)
	}
}
