package store_test

import (
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// transcript is the relevé of a student numbered 2026-<n> with average
// avg in one UE of two subjects.
func transcript(n int, avg int64) *domain.Transcript {
	c := &domain.Curriculum{Class: "L1-INFO", Semester: "S1", Year: "2026-2027", Status: domain.SemesterClosed,
		UEs: []domain.UE{{Code: "UE11", Title: "Mathématiques", Credits: 6}}}
	mark := big.NewRat(avg, 1)
	o := domain.SemesterOutcome{StudentID: fmt.Sprintf("st%d", n), Number: fmt.Sprintf("2026-%05d", n), LastName: "Ndiaye",
		FirstName: "Awa", BirthDate: domain.NewDate(2004, time.May, 12), Class: "L1-INFO", Semester: "S1", Year: "2026-2027",
		Session: 1, Average: mark, Credits: 6, Computed: domain.DecisionADM, Decision: domain.DecisionADM, Mention: domain.MentionOf(domain.DecisionADM, mark),
		UEs: []domain.UEOutcome{{Code: "UE11", Title: "Mathématiques", Credits: 6, Average: mark, Status: domain.UEAcquired, Earned: 6,
			Subjects: []domain.SubjectOutcome{{Subject: "Analyse", Coefficient: 2, Average: mark, Resit: true}, {Subject: "Algèbre", Coefficient: 1.5}}}}}
	t := domain.TranscriptOf(c, &o)
	t.IssuedAt, t.IssuedBy = at(3, 10), "admin"
	return &t
}

// The record of relevés: written once per code, read back as issued
// (so that it still hashes to its code), the first issue kept.
func TestTranscriptRecords(t *testing.T) {
	s := storetest.Open(t)
	repo := s.Transcripts()
	first := transcript(1, 12)
	if err := repo.RecordTranscripts(ctx(t), []*domain.Transcript{first}); err != nil {
		t.Fatal(err)
	}
	got, err := repo.Transcript(ctx(t), first.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, first) {
		t.Errorf("read back\n%+v\nwant\n%+v", got, first)
	}
	// The domain checks the record against its code: it still matches.
	results := domain.NewResultsService(domain.ResultsDeps{Transcripts: repo})
	if v, err := results.VerifyTranscript(ctx(t), first.Code); err != nil || v.Average != "12.00" || v.Mention != domain.MentionAssezBien {
		t.Errorf("verify: %+v, %v", v, err)
	}

	// Issued again later, with another: one new record, the first date kept.
	again, other := transcript(1, 12), transcript(2, 14)
	again.IssuedAt, again.IssuedBy = at(9, 8), "secretariat"
	other.IssuedAt = at(9, 8)
	if err := repo.RecordTranscripts(ctx(t), []*domain.Transcript{again, other, transcript(2, 14)}); err != nil {
		t.Fatal(err)
	}
	if !again.IssuedAt.Equal(at(3, 10)) || again.IssuedBy != "admin" || !other.IssuedAt.Equal(at(9, 8)) {
		t.Errorf("issued again: %s by %s; the other %s", again.IssuedAt, again.IssuedBy, other.IssuedAt)
	}
	if n, err := s.Database().Collection("releves").CountDocuments(ctx(t), bson.D{}); err != nil || n != 2 {
		t.Errorf("%d record(s), %v; want 2", n, err)
	}

	// A code recorded for another content is refused, not overwritten.
	clash := transcript(3, 15)
	clash.Code = first.Code
	if err := repo.RecordTranscripts(ctx(t), []*domain.Transcript{clash}); err == nil {
		t.Error("a collision of codes was accepted")
	}
	if got, _ := repo.Transcript(ctx(t), first.Code); got == nil || got.Number != first.Number {
		t.Errorf("after a collision the record is %+v", got)
	}
	_, err = repo.Transcript(ctx(t), "7KQ2-M9XD-4T1A")
	wantCode(t, err, domain.ENOTFOUND)

	// A class larger than a batch.
	class := make([]*domain.Transcript, 0, 620)
	for i := range 620 {
		class = append(class, transcript(100+i, int64(i%20)))
	}
	if err := repo.RecordTranscripts(ctx(t), class); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Database().Collection("releves").CountDocuments(ctx(t), bson.D{}); err != nil || n != 622 {
		t.Errorf("%d record(s), %v; want 622", n, err)
	}
	if last, err := repo.Transcript(ctx(t), class[619].Code); err != nil || last.Number != "2026-00719" {
		t.Errorf("the last of the class: %+v, %v", last, err)
	}
}
