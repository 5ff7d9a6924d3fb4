package notify

import (
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

// TestPlannerGuardian: a guardian recorded on the event's snapshot gets one
// record per channel with an address, for new grades and alerts; none when
// no guardian is recorded (absence is normal, not "skipped"); and one
// record only when their address is the student's own, as the unique index
// (event, channel, recipient) requires.
func TestPlannerGuardian(t *testing.T) {
	tmpl, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	type rec struct {
		aud Audience
		ch  Channel
		to  string
	}
	tests := []struct {
		name                 string
		event                string
		gName, gPhone, gMail string
		studentMail          string
		want                 []rec
	}{
		{name: "no guardian", event: domain.EventGradeAdded, studentMail: "ndeye.diop@esp221.sn",
			want: []rec{{ToStudent, Email, "ndeye.diop@esp221.sn"}, {ToStudent, SMS, "+221771234567"}}},
		{name: "guardian by e-mail and SMS", event: domain.EventGradeAdded, gName: "Mamadou Diop", gPhone: "+221770001122",
			gMail: "m.diop@example.sn", studentMail: "ndeye.diop@esp221.sn",
			want: []rec{{ToStudent, Email, "ndeye.diop@esp221.sn"}, {ToStudent, SMS, "+221771234567"},
				{ToGuardian, Email, "m.diop@example.sn"}, {ToGuardian, SMS, "+221770001122"}}},
		{name: "guardian phone only, student without e-mail", event: domain.EventGradeAdded, gPhone: "+221770001122",
			want: []rec{{ToStudent, Email, ""}, {ToStudent, SMS, "+221771234567"}, {ToGuardian, SMS, "+221770001122"}}},
		{name: "guardian e-mail is the student's", event: domain.EventGradeAdded, gPhone: "+221770001122",
			gMail: "Famille.Diop@example.sn", studentMail: "famille.diop@example.sn",
			want: []rec{{ToStudent, Email, "famille.diop@example.sn"}, {ToStudent, SMS, "+221771234567"}, {ToGuardian, SMS, "+221770001122"}}},
		{name: "alert to guardian and staff", event: domain.EventAverageBelow, gPhone: "+221770001122", gMail: "m.diop@example.sn",
			studentMail: "ndeye.diop@esp221.sn",
			want: []rec{{ToStudent, Email, "ndeye.diop@esp221.sn"}, {ToStudent, SMS, "+221771234567"},
				{ToGuardian, Email, "m.diop@example.sn"}, {ToGuardian, SMS, "+221770001122"},
				{ToStaff, Email, "direction@esp221.sn"}}},
		{name: "grade changed tells nobody", event: domain.EventGradeChanged, gPhone: "+221770001122", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &planner{tmpl: tmpl, channels: Channels, staff: []string{"direction@esp221.sn"}, lang: French, school: DefaultSchool}
			e := gradeEvent()
			e.Type = tt.event
			e.Student.Email = tt.studentMail
			e.Student.GuardianName, e.Student.GuardianPhone, e.Student.GuardianEmail = tt.gName, tt.gPhone, tt.gMail
			recs, err := p.records(e, now)
			if err != nil {
				t.Fatal(err)
			}
			var got []rec
			seen := map[string]bool{}
			for _, n := range recs {
				got = append(got, rec{n.Audience, n.Channel, n.Recipient})
				key := string(n.Channel) + " " + strings.ToLower(n.Recipient)
				if n.Recipient != "" && seen[key] {
					t.Errorf("two records for %s: the unique index would refuse one", key)
				}
				seen[key] = true
				if n.Audience == ToGuardian && (n.Status != Pending || n.Student != "2026-00042 DIOP Ndèye" || n.EventID != e.ID) {
					t.Errorf("guardian record %+v", n)
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("records = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("record %d = %v, want %v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestGuardianMessages: the guardian is addressed about their student, in
// French and English.
func TestGuardianMessages(t *testing.T) {
	tmpl, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	e := gradeEvent()
	e.Student.LastName, e.Student.FirstName, e.Student.GuardianName = "Diop", "Awa", "Mamadou Diop"
	e.Grade.Subject, e.Average = "Maths", ptr(13.25)
	d := dataFor(DefaultSchool, e)
	tests := []struct {
		lang    string
		kind    Kind
		ch      Channel
		subject string
		body    []string
	}{
		{French, KindGrade, SMS, "", []string{"ÉSP 221 : nouvelle note de Awa Diop en Maths : 12,5/20 (coef. 2). Sa moyenne : 13,25/20."}},
		{English, KindGrade, SMS, "", []string{"ÉSP 221: new grade for Awa Diop in Maths: 12.5/20 (coef. 2). Their average: 13.25/20."}},
		{French, KindGrade, Email, "ÉSP 221 · Nouvelle note de Awa Diop en Maths",
			[]string{"Bonjour Mamadou Diop,", "au dossier de Awa Diop (matricule 2026-00042", "Sa moyenne  : 13,25/20", "tuteur ou tutrice de Awa Diop"}},
		{English, KindGrade, Email, "ÉSP 221 · New grade for Awa Diop in Maths",
			[]string{"Dear Mamadou Diop,", "in the file of Awa Diop", "Student average : 13.25/20", "as the guardian of Awa Diop"}},
		{French, KindAlert, Email, "ÉSP 221 · Alerte : la moyenne de Awa Diop est sous 10/20",
			[]string{"La moyenne de Awa Diop (matricule 2026-00042, classe L3-INFO) vient de passer sous 10/20"}},
		{English, KindAlert, SMS, "", []string{"ÉSP 221: the average of Awa Diop has fallen below 10/20"}},
	}
	for _, tt := range tests {
		subject, body, err := tmpl.render(tt.lang, tt.kind, ToGuardian, tt.ch, d)
		if err != nil {
			t.Fatalf("%s %s %s: %v", tt.lang, tt.kind, tt.ch, err)
		}
		if subject != tt.subject {
			t.Errorf("%s %s %s subject = %q, want %q", tt.lang, tt.kind, tt.ch, subject, tt.subject)
		}
		for _, w := range tt.body {
			if !strings.Contains(body, w) {
				t.Errorf("%s %s %s body lacks %q:\n%s", tt.lang, tt.kind, tt.ch, w, body)
			}
		}
	}
	// Without a recorded name the greeting stays polite.
	d.GuardianName = ""
	if _, body, _ := tmpl.render(English, KindGrade, ToGuardian, Email, d); !strings.HasPrefix(body, "Dear parent or guardian,") {
		t.Errorf("English greeting without a name:\n%s", body)
	}
	if _, body, _ := tmpl.render(French, KindGrade, ToGuardian, Email, d); !strings.HasPrefix(body, "Bonjour,") {
		t.Errorf("French greeting without a name:\n%s", body)
	}
}
