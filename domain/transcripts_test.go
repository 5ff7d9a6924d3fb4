package domain_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"scolarite/domain"
	"scolarite/domain/domaintest"
)

var codeForm = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$`)

// transcriptFixture is the jury fixture (Ba ADC 10.20, Diop AJ 9.80)
// with relevés recorded in memory.
func transcriptFixture(t *testing.T) (*juryFixture, *domaintest.TranscriptRepo) {
	t.Helper()
	f := newJuryFixture(t)
	repo := &domaintest.TranscriptRepo{}
	f.results = domain.NewResultsService(domain.ResultsDeps{Repo: f.repo, Curricula: f.school.repo, Students: f.svc, Year: "2026-2027",
		Now: f.clock.Now, Transcripts: repo})
	return f, repo
}

// The code of a relevé: its form, stable for the same content, changed
// by any change of what it certifies.
func TestTranscriptCode(t *testing.T) {
	f, _ := transcriptFixture(t)
	c, err := f.school.repo.Curriculum(ctx, "L1-INFO", "S1", "2026-2027")
	if err != nil {
		t.Fatal(err)
	}
	ba := f.outcome(t, 1, f.ba.Number)
	base := domain.TranscriptOf(c, &ba)
	if !codeForm.MatchString(base.Code) {
		t.Fatalf("code %q is not XXXX-XXXX-XXXX in Crockford's alphabet", base.Code)
	}
	// Ba: UE1 9 (Maths 9 coef 2, Physique 9), UE2 12 → 10.20, ADC, 10/10
	// credits, UE1 compensated; provisional (the semester is open).
	if base.Average != "10.20" || base.Decision != domain.DecisionADC || base.Credits != 10 || base.TotalCredits != 10 ||
		base.UEs[0].Status != domain.UECompensated || base.UEs[0].Subjects[0].Average != "9.00" || !base.Provisional ||
		base.BirthDate.String() != "2004-05-12" || base.Mention != domain.MentionPassable || base.Jury {
		t.Errorf("Ba's relevé: %+v", base.TranscriptContent)
	}
	again := f.outcome(t, 1, f.ba.Number)
	if same := domain.TranscriptOf(c, &again); same.Code != base.Code || same.Digest != base.Digest {
		t.Errorf("the same content gave %s then %s", base.Code, same.Code)
	}
	diop := f.outcome(t, 1, f.diop.Number)
	if other := domain.TranscriptOf(c, &diop); other.Code == base.Code {
		t.Errorf("Ba and Diop share the code %s", base.Code)
	}
	// A mark changed: Ba's Physique 9 → 9.5, UE1 (18 + 9.5)/3 = 9.1666…,
	// the relevé prints 9.17 and 9.50: another code.
	e := f.evalOf(t, "Physique")
	if _, _, err := f.svc.Mark(ctx, admin, f.ba.Number, 0, e, domain.MarkInput{Value: "9,5"}); err != nil {
		t.Fatal(err)
	}
	changed := f.outcome(t, 1, f.ba.Number)
	if tr := domain.TranscriptOf(c, &changed); tr.Code == base.Code || tr.UEs[0].Average != "9.17" {
		t.Errorf("a changed mark kept the code %s (UE1 %s)", tr.Code, tr.UEs[0].Average)
	}
	// Each certified field counts: the closed semester's relevé is no
	// longer provisional, and a jury's decision shows.
	closed := *c
	closed.Status = domain.SemesterClosed
	if tr := domain.TranscriptOf(&closed, &ba); tr.Code == base.Code || tr.Provisional {
		t.Errorf("closing the semester kept the code or the provisional mark: %+v", tr.TranscriptContent)
	}
	ba.Decision = domain.DecisionADM
	if tr := domain.TranscriptOf(c, &ba); tr.Code == base.Code || !tr.Jury {
		t.Errorf("the jury's decision kept the code or did not show: %+v", tr.TranscriptContent)
	}
}

func (f *juryFixture) evalOf(t *testing.T, subject string) string {
	t.Helper()
	evals, err := f.school.repo.Evaluations(ctx, "L1-INFO", "S1", "2026-2027")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evals {
		if e.Subject == subject {
			return e.ID
		}
	}
	t.Fatalf("no evaluation of %s", subject)
	return ""
}

func TestParseTranscriptCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"7KQ2-M9XD-4T1A", "7KQ2-M9XD-4T1A"},
		{"7kq2m9xd4t1a", "7KQ2-M9XD-4T1A"},
		{" 7KQ2 M9XD 4TLA ", "7KQ2-M9XD-4T1A"}, // L read as 1
		{"OKQ2-M9XD-4TIA", "0KQ2-M9XD-4T1A"},   // O as 0, I as 1
		{"7KQ2-M9XD-4T1", ""},                  // 11 characters
		{"7KQ2-M9XD-4T1AB", ""},                // 13
		{"7KQ2-M9XD-4TUA", ""},                 // U is not in the alphabet
		{"", ""},
	} {
		got, err := domain.ParseTranscriptCode(tc.in)
		if tc.want == "" {
			if domain.ErrorCode(err) != domain.EINVALID {
				t.Errorf("%q: %q, %v; want EINVALID", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

// Issuing records each relevé once, keeps its first issue's date, and
// verify reads it back; only admins issue.
func TestIssueAndVerifyTranscripts(t *testing.T) {
	f, repo := transcriptFixture(t)
	q := domain.TranscriptQuery{Class: "l1-info", Semester: "S1", Session: 1}
	all, res, err := f.results.IssueTranscripts(ctx, admin, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || len(res.Outcomes) != 2 || all[0].Number != f.ba.Number || all[1].Number != f.diop.Number || repo.Len() != 2 {
		t.Fatalf("issued %d relevé(s), %d recorded", len(all), repo.Len())
	}
	first := all[0].IssuedAt
	f.clock.Advance(48 * time.Hour)
	one, _, err := f.results.IssueTranscripts(ctx, admin, domain.TranscriptQuery{Student: f.ba.Phone, Semester: "s1", Session: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(one) != 1 || one[0].Code != all[0].Code || !one[0].IssuedAt.Equal(first) || repo.Len() != 2 {
		t.Errorf("issued again: %d relevé(s), code %s (first %s), issued %s (first %s), %d recorded",
			len(one), one[0].Code, all[0].Code, one[0].IssuedAt, first, repo.Len())
	}
	got, err := f.results.VerifyTranscript(ctx, strings.ToLower(all[1].Code))
	if err != nil {
		t.Fatal(err)
	}
	if got.Number != f.diop.Number || got.Decision != domain.DecisionAJ || got.Average != "9.80" || got.Credits != 6 || got.IssuedBy != admin.Name {
		t.Errorf("verified %+v", got)
	}
	if _, err := f.results.VerifyTranscript(ctx, "7KQ2-M9XD-4T1A"); domain.ErrorCode(err) != domain.ENOTFOUND ||
		!strings.Contains(err.Error(), "no relevé de notes has the code 7KQ2-M9XD-4T1A") {
		t.Errorf("an unknown code: %v", err)
	}
	if _, err := f.results.VerifyTranscript(ctx, "nonsense"); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("a malformed code: %v", err)
	}
	prof := domain.Actor{Name: "prof.diop", Role: domain.RoleTeacher, Taught: []string{"L1-INFO"}}
	for _, a := range []domain.Actor{prof, studentActor(f.ba.ID)} {
		if _, _, err := f.results.IssueTranscripts(ctx, a, q); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("%s issued relevés: %v", a.Name, err)
		}
	}
	if _, _, err := f.results.IssueTranscripts(ctx, admin, domain.TranscriptQuery{Semester: "S1", Session: 1}); domain.ErrorCode(err) != domain.EINVALID {
		t.Errorf("no class nor student: %v", err)
	}
}
