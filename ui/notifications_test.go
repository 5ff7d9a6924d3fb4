package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"scolarite/domain"
)

// fakeNotifications is an in-memory Notifications with the notifier's
// rules: the log for admins, a student's own messages, retry of a failed
// record only.
type fakeNotifications struct {
	mu      sync.Mutex
	rows    []NotificationRow // newest first
	owner   map[string]string // row id → student id
	asked   []string          // statuses asked for, in order
	retried []string
}

func newFakeNotifications() *fakeNotifications {
	at := time.Date(2026, 11, 23, 10, 2, 0, 0, time.Local)
	return &fakeNotifications{
		rows: []NotificationRow{
			{ID: "n4", Channel: "email", Recipient: "parti@esp221.sn", Student: "2026-00002 FALL Moussa", Status: "failed",
				Subject: "ÉSP 221 · Nouvelle note en Physique", LastError: "550 5.1.1 no such mailbox here", Attempts: 1, CreatedAt: at.Add(3 * time.Minute)},
			{ID: "n3", Channel: "sms", Recipient: "+221771234567", Student: "2026-00001 DIOP Awa", Status: "pending",
				Subject: "ÉSP 221 : nouvelle note en Mathématiques : 8/20 (coef. 2).", LastError: "SMS provider unreachable", Attempts: 2,
				CreatedAt: at.Add(2 * time.Minute), NextAt: at.Add(10 * time.Minute)},
			{ID: "n2", Channel: "email", Recipient: "", Student: "2026-00003 NDIAYE Fatou", Status: "skipped",
				Subject: "ÉSP 221 · Nouvelle note en Topographie", CreatedAt: at.Add(time.Minute)},
			{ID: "n1", Channel: "email", Recipient: "awa.diop@esp221.sn", Student: "2026-00001 DIOP Awa", Status: "sent",
				Subject: "ÉSP 221 · Nouvelle note en Mathématiques", Attempts: 1, CreatedAt: at, SentAt: at.Add(time.Second)},
		},
		owner: map[string]string{"n4": "s2", "n3": "s1", "n2": "s3", "n1": "s1"},
	}
}

func (f *fakeNotifications) Log(_ context.Context, a domain.Actor, status string, limit int) ([]NotificationRow, error) {
	if a.Role != domain.RoleAdmin {
		return nil, domain.Errorf(domain.EFORBIDDEN, "admins only")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked = append(f.asked, status)
	var out []NotificationRow
	for _, r := range f.rows {
		if (status == "" || r.Status == status) && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeNotifications) Counts(_ context.Context, a domain.Actor) (map[string]int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for _, r := range f.rows {
		out[r.Status]++
	}
	return out, nil
}

func (f *fakeNotifications) Retry(_ context.Context, a domain.Actor, id string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, r := range f.rows {
		if r.ID == id {
			if r.Status != "failed" {
				return domain.Errorf(domain.ECONFLICT, "not failed")
			}
			f.rows[i].Status, f.rows[i].Attempts = "pending", 0
			f.retried = append(f.retried, id)
			return nil
		}
	}
	return domain.Errorf(domain.ENOTFOUND, "no notification %s", id)
}

func (f *fakeNotifications) Mine(_ context.Context, a domain.Actor, limit int) ([]NotificationRow, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []NotificationRow
	for _, r := range f.rows {
		if f.owner[r.ID] == a.StudentID && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func newSfNotifications(t *testing.T, f *fakeNotifications, w, h int) (*notifications, *Common) {
	t.Helper()
	c := sfCommon(t, nil, nil, domain.Actor{Name: "admin", Role: domain.RoleAdmin})
	c.Notifications = f
	m := newNotifications(c).(*notifications)
	m.SetSize(w, h)
	sfRun(t, m, sfExec(m.Init())...)
	return m, c
}

func TestNotificationsLog(t *testing.T) {
	f := newFakeNotifications()
	m, _ := newSfNotifications(t, f, 80, 20)
	v := m.View()
	wantIn(t, v, "Notifications · état : toutes · 4 affichée(s)",
		"1 en attente · 1 envoyée(s) · 1 en échec · 1 ignorée(s)",
		"23/11 10:05", "e-mail", "échec", "parti@esp221.sn", "2026-00002 FA", "SMS", "en attente", "ignorée", "envoyée",
		// the selected (newest) one in full, with why it failed
		"Message : ÉSP 221 · Nouvelle note en Physique", "Dernière erreur (1 essai(s)) : 550 5.1.1 no such mailbox here")
	fits(t, v, 80, 20)

	sfRun(t, m, sfKey("down"))
	// an SMS's number as the office writes it (stored +221771234567)
	wantIn(t, m.View(), "Prochain essai : 23/11 10:12 · Dernière erreur (2 essai(s)) : SMS provider", "77 123 45 67")
	sfRun(t, m, sfKey("down"))
	wantIn(t, m.View(), "pas d'adresse e-mail")

	// f steps through the statuses; the loaded rows follow.
	sfRun(t, m, sfKey("f"))
	wantIn(t, m.View(), "état : en attente · 1 affichée(s)")
	sfRun(t, m, sfKey("f"), sfKey("f"))
	wantIn(t, m.View(), "état : échec · 1 affichée(s)", "parti@esp221.sn")
	wantNotIn(t, m.View(), "awa.diop@esp221.sn")
	if got := f.asked[len(f.asked)-3:]; got[0] != "pending" || got[1] != "sent" || got[2] != "failed" {
		t.Errorf("statuses asked %v", got)
	}
}

func TestNotificationsRetry(t *testing.T) {
	f := newFakeNotifications()
	m, c := newSfNotifications(t, f, 100, 24)
	out := sfRun(t, m, sfKey("r")) // the failed one is selected
	if len(f.retried) != 1 || f.retried[0] != "n4" {
		t.Fatalf("retried %v", f.retried)
	}
	wantIn(t, sfStatus(c, out), "Notification remise en file d'attente.")
	wantIn(t, m.View(), "2 en attente") // reloaded: the failed one is pending now

	sfRun(t, m, sfKey("down"), sfKey("down"), sfKey("down")) // the sent one
	out = sfRun(t, m, sfKey("r"))
	wantIn(t, sfStatus(c, out), "Seule une notification en échec peut être renvoyée.")
	if len(f.retried) != 1 {
		t.Errorf("a sent notification was retried: %v", f.retried)
	}
}

func TestNotificationsEnglishAndNarrow(t *testing.T) {
	f := newFakeNotifications()
	c := sfCommon(t, nil, nil, domain.Actor{Name: "admin", Role: domain.RoleAdmin})
	c.Notifications, c.T = f, NewTranslator(English)
	m := newNotifications(c).(*notifications)
	m.SetSize(60, 12)
	sfRun(t, m, sfExec(m.Init())...)
	v := m.View()
	wantIn(t, v, "Notifications · status: all · 4 shown", "failed", "Last error (1 attempt(s))")
	fits(t, v, 60, 12)
}

func TestNotificationsTabForAdminsOnlyWithANotifier(t *testing.T) {
	env := newAppEnv(t)
	env.c.Notifications = newFakeNotifications()
	a := startApp(t, env, 100, 30)
	a.logIn("admin", appPassword)
	wantIn(t, a.header(), "Notifications")
	if got := a.m.tabs; len(got) != 4 || got[3] != tabNotifications {
		t.Errorf("admin tabs %v", got)
	}
	for _, user := range []string{"m.sarr", "awa.diop"} {
		env := newAppEnv(t)
		env.c.Notifications = newFakeNotifications()
		a := startApp(t, env, 100, 30)
		a.logIn(user, appPassword)
		wantNotIn(t, a.header(), "Notifications")
	}
	wantNotIn(t, loggedIn(t, "admin").header(), "Notifications") // no notifier
}

func TestMyGradesListsWhatWasSent(t *testing.T) {
	f := sfClass()
	st := f.records[0]
	c := sfCommon(t, f, nil, domain.Actor{Name: "eleve", Role: domain.RoleStudent, StudentID: st.ID})
	n := newFakeNotifications()
	n.owner = map[string]string{"n1": st.ID, "n3": st.ID}
	c.Notifications = n
	m := newMyGrades(c).(*myGrades)
	m.SetSize(80, 24)
	sfRun(t, m, m.Init()())
	v := m.View()
	wantIn(t, v, "Messages qui vous ont été envoyés",
		"• en attente · SMS : ÉSP 221 : nouvelle note en Mathématiques",
		"• envoyé le 23/11 10:02 · e-mail : ÉSP 221 · Nouvelle note en Mathématiques",
		"Matière 0") // the grades are still there
	wantNotIn(t, v, "Physique", "Topographie") // others' messages
	fits(t, v, 80, 24)
}
