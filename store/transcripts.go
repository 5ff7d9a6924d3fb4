package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

const relevesColl = "releves"

// recordBatch is how many relevés one read and one insert handle.
const recordBatch = 500

// TranscriptRepo implements domain.TranscriptRepo: the `releves`
// collection keeps every relevé de notes issued, its _id the verification
// code, with what it certifies and its first issue (date, issuer). A
// record is never replaced: issuing the same relevé again finds it. The
// record is its own log (who issued what, when), so it carries no audit
// trail; issuing changes no one's data.
type TranscriptRepo struct {
	coll *mongo.Collection
}

var _ domain.TranscriptRepo = (*TranscriptRepo)(nil)

type releveDoc struct {
	Code         string        `bson:"_id"`
	Digest       string        `bson:"digest"`
	StudentID    string        `bson:"student_id"`
	Number       string        `bson:"number"`
	LastName     string        `bson:"last_name"`
	FirstName    string        `bson:"first_name"`
	BirthDate    string        `bson:"birth_date,omitempty"`
	Class        string        `bson:"class"`
	Semester     string        `bson:"semester"`
	Year         string        `bson:"year"`
	Session      int           `bson:"session"`
	Provisional  bool          `bson:"provisional,omitempty"`
	UEs          []releveUEDoc `bson:"ues"`
	Average      string        `bson:"average"`
	Credits      int           `bson:"credits"`
	TotalCredits int           `bson:"total_credits"`
	Decision     string        `bson:"decision"`
	Jury         bool          `bson:"jury,omitempty"`
	Mention      string        `bson:"mention,omitempty"`
	IssuedAt     time.Time     `bson:"issued_at"`
	IssuedBy     string        `bson:"issued_by"`
}

type releveUEDoc struct {
	Code     string             `bson:"code"`
	Title    string             `bson:"title"`
	Credits  int                `bson:"credits"`
	Average  string             `bson:"average"`
	Status   string             `bson:"status"`
	Earned   int                `bson:"earned"`
	Subjects []releveSubjectDoc `bson:"subjects"`
}

type releveSubjectDoc struct {
	Name        string  `bson:"name"`
	Coefficient float64 `bson:"coefficient"`
	Average     string  `bson:"average"`
	Resit       bool    `bson:"resit,omitempty"`
}

// RecordTranscripts records the relevés not recorded yet, in batches:
// one read of the codes, one insert of the new ones. The others (and any
// a concurrent issue recorded between the two) get their record's date
// and issuer.
func (r *TranscriptRepo) RecordTranscripts(ctx context.Context, ts []*domain.Transcript) error {
	for start := 0; start < len(ts); start += recordBatch {
		if err := r.recordBatch(ctx, ts[start:min(start+recordBatch, len(ts))]); err != nil {
			return err
		}
	}
	return nil
}

func (r *TranscriptRepo) recordBatch(ctx context.Context, ts []*domain.Transcript) error {
	have, err := r.records(ctx, ts)
	if err != nil {
		return err
	}
	var docs []any
	for _, t := range ts {
		if _, ok := have[t.Code]; !ok {
			docs = append(docs, toReleveDoc(t))
			have[t.Code] = releveDoc{} // a second copy in ts is not inserted twice
		}
	}
	if len(docs) > 0 {
		_, err := r.coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		var bwe mongo.BulkWriteException
		if err != nil && !(errors.As(err, &bwe) && allDuplicates(bwe)) {
			return outOfSpace(fmt.Errorf("record %d relevé(s): %w", len(docs), err))
		}
		// Those inserted are read back with the others: a duplicate is a
		// concurrent issue of the same relevé, whose record wins.
		if have, err = r.records(ctx, ts); err != nil {
			return err
		}
	}
	for _, t := range ts {
		d, ok := have[t.Code]
		if !ok {
			return fmt.Errorf("relevé %s: not found after it was recorded", t.Code)
		}
		if d.Digest != t.Digest {
			return domain.Errorf(domain.EINTERNAL, "relevé code %s is already recorded for another relevé (%s %s %s): a collision of codes", t.Code, d.Number, d.Semester, d.Year)
		}
		t.IssuedAt, t.IssuedBy = d.IssuedAt, d.IssuedBy
	}
	return nil
}

// records reads the records of ts's codes, by code.
func (r *TranscriptRepo) records(ctx context.Context, ts []*domain.Transcript) (map[string]releveDoc, error) {
	codes := make(bson.A, len(ts))
	for i, t := range ts {
		codes[i] = t.Code
	}
	filter := bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: codes}}}}
	if len(ts) == 1 {
		filter = bson.D{{Key: "_id", Value: ts[0].Code}} // served by the _id index on FerretDB too
	}
	cur, err := r.coll.Find(ctx, filter)
	if err != nil {
		return nil, fmt.Errorf("read relevés: %w", err)
	}
	var docs []releveDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read relevés: %w", err)
	}
	out := make(map[string]releveDoc, len(docs))
	for _, d := range docs {
		out[d.Code] = d
	}
	return out, nil
}

func allDuplicates(bwe mongo.BulkWriteException) bool {
	if bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return false
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return false
		}
	}
	return true
}

// Transcript returns the relevé recorded under code; ENOTFOUND.
func (r *TranscriptRepo) Transcript(ctx context.Context, code string) (*domain.Transcript, error) {
	var d releveDoc
	err := r.coll.FindOne(ctx, bson.D{{Key: "_id", Value: code}}).Decode(&d)
	if isNoDocuments(err) {
		return nil, domain.Errorf(domain.ENOTFOUND, "no relevé has the code %s", code)
	}
	if err != nil {
		return nil, fmt.Errorf("read relevé %s: %w", code, err)
	}
	return fromReleveDoc(&d)
}

func toReleveDoc(t *domain.Transcript) releveDoc {
	d := releveDoc{Code: t.Code, Digest: t.Digest, StudentID: t.StudentID, Number: t.Number, LastName: t.LastName,
		FirstName: t.FirstName, Class: t.Class, Semester: t.Semester, Year: t.Year, Session: t.Session,
		Provisional: t.Provisional, Average: t.Average, Credits: t.Credits, TotalCredits: t.TotalCredits,
		Decision: string(t.Decision), Jury: t.Jury, Mention: string(t.Mention), IssuedAt: t.IssuedAt.UTC(), IssuedBy: t.IssuedBy}
	if !t.BirthDate.IsZero() {
		d.BirthDate = t.BirthDate.String()
	}
	d.UEs = make([]releveUEDoc, len(t.UEs))
	for i, u := range t.UEs {
		ue := releveUEDoc{Code: u.Code, Title: u.Title, Credits: u.Credits, Average: u.Average, Status: string(u.Status),
			Earned: u.Earned, Subjects: make([]releveSubjectDoc, len(u.Subjects))}
		for j, s := range u.Subjects {
			ue.Subjects[j] = releveSubjectDoc{Name: s.Name, Coefficient: s.Coefficient, Average: s.Average, Resit: s.Resit}
		}
		d.UEs[i] = ue
	}
	return d
}

func fromReleveDoc(d *releveDoc) (*domain.Transcript, error) {
	t := &domain.Transcript{Code: d.Code, Digest: d.Digest, StudentID: d.StudentID, IssuedAt: d.IssuedAt, IssuedBy: d.IssuedBy,
		TranscriptContent: domain.TranscriptContent{Number: d.Number, LastName: d.LastName, FirstName: d.FirstName,
			Class: d.Class, Semester: d.Semester, Year: d.Year, Session: d.Session, Provisional: d.Provisional,
			Average: d.Average, Credits: d.Credits, TotalCredits: d.TotalCredits, Decision: domain.Decision(d.Decision),
			Jury: d.Jury, Mention: domain.Mention(d.Mention)}}
	if d.BirthDate != "" {
		b, err := domain.ParseDate(d.BirthDate)
		if err != nil {
			return nil, fmt.Errorf("relevé %s: birth date %q: %w", d.Code, d.BirthDate, err)
		}
		t.BirthDate = b
	}
	for _, u := range d.UEs {
		ue := domain.TranscriptUE{Code: u.Code, Title: u.Title, Credits: u.Credits, Average: u.Average,
			Status: domain.UEStatus(u.Status), Earned: u.Earned}
		for _, s := range u.Subjects {
			ue.Subjects = append(ue.Subjects, domain.TranscriptSubject{Name: s.Name, Coefficient: s.Coefficient, Average: s.Average, Resit: s.Resit})
		}
		t.UEs = append(t.UEs, ue)
	}
	return t, nil
}
