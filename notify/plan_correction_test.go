package notify

import (
	"strings"
	"testing"
	"time"

	"scolarite/domain"
)

// A mark the student was told of and then corrected is told again, as a
// correction from the old mark to the new one, to the student and the
// guardian; a change they cannot see, or one that leaves the mark as it
// was, is told to nobody.
func TestPlannerCorrection(t *testing.T) {
	tmpl, err := NewTemplates()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		lang     string
		prev     *domain.Grade
		absent   domain.Absence
		hidden   bool
		want     int      // records
		smsParts []string // in the student's SMS
	}{
		{name: "value corrected", lang: French, prev: &domain.Grade{Subject: "Mathématiques", Value: 8}, want: 4,
			smsParts: []string{"note corrigée en Mathématiques : 8/20 → 12,5/20", "Votre moyenne : 11,25/20"}},
		{name: "absence replaced by a mark, in English", lang: English, prev: &domain.Grade{Subject: "Mathématiques", Absent: domain.AbsentUnjustified}, want: 4,
			smsParts: []string{"grade corrected in Mathématiques: unjustified absence (ABI, counts as 0) → 12.5/20"}},
		{name: "mark replaced by a justified absence", lang: French, prev: &domain.Grade{Subject: "Mathématiques", Value: 12.5}, absent: domain.AbsentJustified, want: 4,
			smsParts: []string{"12,5/20 → absence justifiée (ABJ)"}},
		{name: "comment edited only", lang: French, prev: &domain.Grade{Subject: "Mathématiques", Value: 12.5, Comment: "copie revue"}, want: 0},
		{name: "evaluation not published", lang: French, prev: &domain.Grade{Subject: "Mathématiques", Value: 8}, hidden: true, want: 0},
		{name: "an old event without the previous mark", lang: French, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &planner{tmpl: tmpl, channels: Channels, lang: tt.lang, school: DefaultSchool}
			e := gradeEvent()
			e.Type, e.PreviousGrade, e.Hidden = domain.EventGradeChanged, tt.prev, tt.hidden
			e.Grade.Absent = tt.absent
			if tt.absent != "" {
				e.Grade.Value = 0
			}
			e.Student.GuardianName, e.Student.GuardianPhone, e.Student.GuardianEmail = "Mamadou Diop", "+221770001122", "m.diop@example.sn"
			recs, err := p.records(e, now)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != tt.want {
				t.Fatalf("%d records, want %d: %+v", len(recs), tt.want, recs)
			}
			for _, n := range recs {
				if n.Kind != KindCorrection {
					t.Errorf("%s %s record of kind %s", n.Audience, n.Channel, n.Kind)
				}
				if n.Audience == ToStudent && n.Channel == SMS {
					for _, part := range tt.smsParts {
						if !strings.Contains(n.Body, part) {
							t.Errorf("SMS %q lacks %q", n.Body, part)
						}
					}
				}
				if n.Audience == ToGuardian && n.Channel == Email && !strings.Contains(n.Body, "Mamadou Diop") {
					t.Errorf("guardian's e-mail: %q", n.Body)
				}
			}
		})
	}
}
