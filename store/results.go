package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

const (
	regulationsColl = "regulations"
	juryColl        = "jury"
)

// ResultsRepo implements domain.ResultsRepo: the `regulations` collection
// keeps every version of the regulation (its _id is the version, never
// replaced: results name the version that computed them), the `jury`
// collection the jury's decisions, one document each. Writes go through
// Trails, so each is atomic with its audit entry.
type ResultsRepo struct {
	regulations, jury *mongo.Collection
	trails            *Trails
	writes            *writeLock
}

var _ domain.ResultsRepo = (*ResultsRepo)(nil)

type regulationDoc struct {
	Version          int       `bson:"_id"`
	Barrier          *float64  `bson:"barrier"`
	JuryPointsCap    float64   `bson:"jury_points_cap"`
	AJACCredits      int       `bson:"ajac_credits"`
	YearCompensation bool      `bson:"year_compensation"`
	ChangedAt        time.Time `bson:"changed_at"`
	ChangedBy        string    `bson:"changed_by"`
	Write            string    `bson:"write,omitempty"` // see trail.go
}

// Regulation returns the latest version; the default when none was set.
func (r *ResultsRepo) Regulation(ctx context.Context) (domain.Regulation, error) {
	var d regulationDoc
	err := r.regulations.FindOne(ctx, bson.D{}, options.FindOne().SetSort(bson.D{{Key: "_id", Value: -1}})).Decode(&d)
	if isNoDocuments(err) {
		return domain.DefaultRegulation(), nil
	}
	if err != nil {
		return domain.Regulation{}, fmt.Errorf("read the regulation: %w", err)
	}
	return d.regulation(), nil
}

// RegulationVersion returns one version: the default for version 1 when
// it was never set (the first version written is 2).
func (r *ResultsRepo) RegulationVersion(ctx context.Context, version int) (domain.Regulation, error) {
	var d regulationDoc
	err := r.regulations.FindOne(ctx, bson.D{{Key: "_id", Value: version}}).Decode(&d)
	switch {
	case isNoDocuments(err) && version == 1:
		return domain.DefaultRegulation(), nil
	case isNoDocuments(err):
		return domain.Regulation{}, domain.Errorf(domain.ENOTFOUND, "no regulation version %d", version)
	case err != nil:
		return domain.Regulation{}, fmt.Errorf("read regulation version %d: %w", version, err)
	}
	return d.regulation(), nil
}

func (d *regulationDoc) regulation() domain.Regulation {
	return domain.Regulation{Version: d.Version, Barrier: d.Barrier, JuryPointsCap: d.JuryPointsCap, AJACCredits: d.AJACCredits,
		YearCompensation: d.YearCompensation, ChangedAt: d.ChangedAt, ChangedBy: d.ChangedBy}
}

// SaveRegulation adds version reg.Version; ECONFLICT when someone added
// it first.
func (r *ResultsRepo) SaveRegulation(ctx context.Context, reg domain.Regulation, t domain.Trail) error {
	d := regulationDoc{Version: reg.Version, Barrier: reg.Barrier, JuryPointsCap: reg.JuryPointsCap, AJACCredits: reg.AJACCredits,
		YearCompensation: reg.YearCompensation, ChangedAt: reg.ChangedAt.UTC(), ChangedBy: reg.ChangedBy}
	defer r.writes.lock()()
	name := fmt.Sprintf("regulation version %d", reg.Version)
	return r.trails.write(ctx, regulationsColl, reg.Version, 0, false, t, name, nil, func(cl *claimDoc) (bool, error) {
		d.Write = cl.Write
		_, err := r.regulations.InsertOne(ctx, d)
		if mongo.IsDuplicateKeyError(err) {
			return false, nil
		}
		return err == nil, err
	}, func() error { return stale("the regulation", fmt.Sprint(reg.Version-1)) })
}

type juryDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	StudentID string        `bson:"student_id"`
	Class     string        `bson:"class"`
	Semester  string        `bson:"semester"`
	Year      string        `bson:"year"`
	Session   int           `bson:"session"`
	Decision  string        `bson:"decision,omitempty"`
	Points    float64       `bson:"points,omitempty"`
	UE        string        `bson:"ue,omitempty"`
	Reason    string        `bson:"reason"`
	By        string        `bson:"by"`
	At        time.Time     `bson:"at"`
	Write     string        `bson:"write,omitempty"`
}

// JuryEntries lists the jury's decisions on a class's semester, oldest
// first (a later decision replaces an earlier one).
func (r *ResultsRepo) JuryEntries(ctx context.Context, class, semester, year string) ([]domain.JuryEntry, error) {
	cur, err := r.jury.Find(ctx, bson.D{{Key: "class", Value: class}, {Key: "semester", Value: semester}, {Key: "year", Value: year}})
	if err != nil {
		return nil, fmt.Errorf("read the jury's decisions on %s %s: %w", class, semester, err)
	}
	var docs []juryDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read the jury's decisions on %s %s: %w", class, semester, err)
	}
	out := make([]domain.JuryEntry, len(docs))
	for i, d := range docs {
		out[i] = domain.JuryEntry{ID: d.ID.Hex(), StudentID: d.StudentID, Class: d.Class, Semester: d.Semester, Year: d.Year,
			Session: d.Session, Decision: domain.Decision(d.Decision), Points: d.Points, UE: d.UE, Reason: d.Reason, By: d.By, At: d.At}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// AddJuryEntry inserts e and assigns its ID.
func (r *ResultsRepo) AddJuryEntry(ctx context.Context, e *domain.JuryEntry, t domain.Trail) error {
	oid := bson.NewObjectID()
	d := juryDoc{ID: oid, StudentID: e.StudentID, Class: e.Class, Semester: e.Semester, Year: e.Year, Session: e.Session,
		Decision: string(e.Decision), Points: e.Points, UE: e.UE, Reason: e.Reason, By: e.By, At: e.At.UTC()}
	defer r.writes.lock()()
	err := r.trails.write(ctx, juryColl, oid, 0, false, t, "jury decision "+oid.Hex(), nil, func(cl *claimDoc) (bool, error) {
		d.Write = cl.Write
		_, err := r.jury.InsertOne(ctx, d)
		return err == nil, err
	}, func() error { return stale("jury decision", oid.Hex()) })
	if err != nil {
		return err
	}
	e.ID = oid.Hex()
	return nil
}
