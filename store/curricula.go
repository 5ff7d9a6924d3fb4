package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

const (
	curriculaColl   = "curricula"
	evaluationsColl = "evaluations"
)

// CurriculumRepo implements domain.CurriculumRepo on the `curricula`
// collection (one document per class, semester and year, whose _id is
// "<class>/<semester>/<year>": a read of one is a primary-key lookup) and
// the `evaluations` collection. Writes go through Trails like students'.
type CurriculumRepo struct {
	curricula, evals *mongo.Collection
	trails           *Trails
	writes           *writeLock
	// file reads a year's curricula and a semester's evaluations from the
	// embedded store's SQLite file (nil elsewhere): see findWhere.
	file *ferretFile
}

var _ domain.CurriculumRepo = (*CurriculumRepo)(nil)

type curriculumDoc struct {
	ID       string  `bson:"_id"`
	Class    string  `bson:"class"`
	Semester string  `bson:"semester"`
	Year     string  `bson:"year"`
	UEs      []ueDoc `bson:"ues"`
	Status   string  `bson:"status"`
	Session  int     `bson:"session,omitempty"`
	Reason   string  `bson:"reason,omitempty"`
	// Regulations: the regulation version each session was closed under.
	Regulations []int `bson:"regulations,omitempty"`
	// Published: the latest session whose results were published.
	Published int    `bson:"published,omitempty"`
	Version   int64  `bson:"version"`
	Write     string `bson:"write,omitempty"` // see trail.go
}

type ueDoc struct {
	Code     string         `bson:"code"`
	Title    string         `bson:"title"`
	Credits  int            `bson:"credits"`
	Subjects []ueSubjectDoc `bson:"subjects"`
}

type ueSubjectDoc struct {
	Name        string   `bson:"subject"`
	Coefficient float64  `bson:"coefficient"`
	Teachers    []string `bson:"teachers,omitempty"`
}

func curriculumID(class, semester, year string) string { return class + "/" + semester + "/" + year }

func toCurriculumDoc(c *domain.Curriculum) curriculumDoc {
	d := curriculumDoc{ID: curriculumID(c.Class, c.Semester, c.Year), Class: c.Class, Semester: c.Semester, Year: c.Year,
		Status: string(c.Status), Session: c.Session, Reason: c.Reason, Regulations: c.Regulations, Published: c.Published, Version: c.Version, UEs: make([]ueDoc, 0, len(c.UEs))}
	for _, ue := range c.UEs {
		u := ueDoc{Code: ue.Code, Title: ue.Title, Credits: ue.Credits, Subjects: make([]ueSubjectDoc, 0, len(ue.Subjects))}
		for _, s := range ue.Subjects {
			u.Subjects = append(u.Subjects, ueSubjectDoc{Name: s.Name, Coefficient: s.Coefficient, Teachers: s.Teachers})
		}
		d.UEs = append(d.UEs, u)
	}
	return d
}

func (d *curriculumDoc) curriculum() *domain.Curriculum {
	c := &domain.Curriculum{ID: d.ID, Class: d.Class, Semester: d.Semester, Year: d.Year,
		Status: domain.SemesterStatus(d.Status), Session: d.Session, Reason: d.Reason, Regulations: d.Regulations, Published: d.Published, Version: d.Version, UEs: make([]domain.UE, 0, len(d.UEs))}
	for _, u := range d.UEs {
		ue := domain.UE{Code: u.Code, Title: u.Title, Credits: u.Credits, Subjects: make([]domain.CourseSubject, 0, len(u.Subjects))}
		for _, s := range u.Subjects {
			ue.Subjects = append(ue.Subjects, domain.CourseSubject{Name: s.Name, Coefficient: s.Coefficient, Teachers: s.Teachers})
		}
		c.UEs = append(c.UEs, ue)
	}
	return c
}

// Curriculum returns one class's curriculum of a semester and year.
func (r *CurriculumRepo) Curriculum(ctx context.Context, class, semester, year string) (*domain.Curriculum, error) {
	var d curriculumDoc
	err := r.curricula.FindOne(ctx, bson.D{{Key: "_id", Value: curriculumID(class, semester, year)}}).Decode(&d)
	if isNoDocuments(err) {
		return nil, domain.Errorf(domain.ENOTFOUND, "no curriculum for %s %s %s (curriculum import sets one)", class, semester, year)
	}
	if err != nil {
		return nil, fmt.Errorf("read the curriculum of %s %s %s: %w", class, semester, year, err)
	}
	return d.curriculum(), nil
}

// Curricula lists a year's curricula (one class's, or all), by class then
// semester number.
func (r *CurriculumRepo) Curricula(ctx context.Context, year, class string) ([]*domain.Curriculum, error) {
	conds := []fieldEq{{"year", year}}
	if class != "" {
		conds = append(conds, fieldEq{"class", class})
	}
	docs, err := findWhere[curriculumDoc](ctx, r.file, r.curricula, conds)
	if err != nil {
		return nil, fmt.Errorf("read the curricula of %s: %w", year, err)
	}
	out := make([]*domain.Curriculum, len(docs))
	for i := range docs {
		out[i] = docs[i].curriculum()
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Class != out[j].Class {
			return out[i].Class < out[j].Class
		}
		return semesterNumber(out[i].Semester) < semesterNumber(out[j].Semester)
	})
	return out, nil
}

func semesterNumber(s string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(s, "S"))
	return n
}

// SaveCurriculum inserts (prevVersion 0) or replaces a curriculum if it is
// still at prevVersion.
func (r *CurriculumRepo) SaveCurriculum(ctx context.Context, c *domain.Curriculum, prevVersion int64, t domain.Trail) error {
	d := toCurriculumDoc(c)
	defer r.writes.lock()()
	err := r.trails.write(ctx, curriculaColl, d.ID, prevVersion, false, t, "the curriculum of "+c.Key(), nil, func(cl *claimDoc) (bool, error) {
		d.Write = cl.Write
		if prevVersion == 0 {
			_, err := r.curricula.InsertOne(ctx, d)
			if mongo.IsDuplicateKeyError(err) {
				return false, nil
			}
			return err == nil, err
		}
		res, err := r.curricula.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "version", Value: prevVersion}}, d)
		return err == nil && res.MatchedCount > 0, err
	}, func() error { return stale("curriculum", c.Key()) })
	if err != nil {
		return err
	}
	c.ID = d.ID
	return nil
}

type evaluationDoc struct {
	ID          bson.ObjectID `bson:"_id"`
	Class       string        `bson:"class"`
	Semester    string        `bson:"semester"`
	Year        string        `bson:"year"`
	Subject     string        `bson:"subject"`
	Kind        string        `bson:"kind"`
	Title       string        `bson:"title"`
	Date        string        `bson:"date"` // YYYY-MM-DD
	Weight      float64       `bson:"weight"`
	Session     int           `bson:"session"`
	Published   bool          `bson:"published"`
	PublishedAt *time.Time    `bson:"published_at,omitempty"`
	Version     int64         `bson:"version"`
	Write       string        `bson:"write,omitempty"`
}

func toEvaluationDoc(e *domain.Evaluation, oid bson.ObjectID) evaluationDoc {
	d := evaluationDoc{ID: oid, Class: e.Class, Semester: e.Semester, Year: e.Year, Subject: e.Subject, Kind: string(e.Kind),
		Title: e.Title, Weight: e.Weight, Session: e.Session, Published: e.Published, Version: e.Version}
	if !e.Date.IsZero() {
		d.Date = e.Date.String()
	}
	if !e.PublishedAt.IsZero() {
		at := e.PublishedAt.UTC()
		d.PublishedAt = &at
	}
	return d
}

func (d *evaluationDoc) evaluation() domain.Evaluation {
	e := domain.Evaluation{ID: d.ID.Hex(), Class: d.Class, Semester: d.Semester, Year: d.Year, Subject: d.Subject,
		Kind: domain.EvalKind(d.Kind), Title: d.Title, Weight: d.Weight, Session: d.Session, Published: d.Published, Version: d.Version}
	if day, err := domain.ParseDate(d.Date); err == nil {
		e.Date = day
	}
	if d.PublishedAt != nil {
		e.PublishedAt = *d.PublishedAt
	}
	return e
}

// Evaluations lists a class's semester's evaluations, oldest first. On
// the embedded store they are read from its SQLite file through the
// index on class, semester and year (findWhere): through FerretDB, every
// mark would decode every evaluation of the school.
func (r *CurriculumRepo) Evaluations(ctx context.Context, class, semester, year string) ([]domain.Evaluation, error) {
	docs, err := findWhere[evaluationDoc](ctx, r.file, r.evals, evaluationsWhere(class, semester, year))
	if err != nil {
		return nil, fmt.Errorf("read the evaluations of %s %s %s: %w", class, semester, year, err)
	}
	return evaluationsOf(docs), nil
}

func evaluationsWhere(class, semester, year string) []fieldEq {
	return []fieldEq{{"class", class}, {"semester", semester}, {"year", year}}
}

// evaluationsOf turns documents into evaluations, by date then creation.
func evaluationsOf(docs []evaluationDoc) []domain.Evaluation {
	out := make([]domain.Evaluation, len(docs))
	for i := range docs {
		out[i] = docs[i].evaluation()
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].Date.String(), out[j].Date.String(); a != b {
			return a < b
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// Evaluation returns one evaluation.
func (r *CurriculumRepo) Evaluation(ctx context.Context, id string) (*domain.Evaluation, error) {
	oid, ok := parseID(id)
	if !ok {
		return nil, notFound("evaluation", id)
	}
	var d evaluationDoc
	err := r.evals.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}).Decode(&d)
	if isNoDocuments(err) {
		return nil, notFound("evaluation", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read evaluation %s: %w", id, err)
	}
	e := d.evaluation()
	return &e, nil
}

// SaveEvaluation inserts e (no ID yet) or replaces it if still at
// prevVersion.
func (r *CurriculumRepo) SaveEvaluation(ctx context.Context, e *domain.Evaluation, prevVersion int64, t domain.Trail) error {
	oid, err := newOrParseID("id", e.ID)
	if err != nil {
		return err
	}
	d := toEvaluationDoc(e, oid)
	defer r.writes.lock()()
	err = r.trails.write(ctx, evaluationsColl, oid, prevVersion, false, t, "evaluation "+oid.Hex(), nil, func(cl *claimDoc) (bool, error) {
		d.Write = cl.Write
		if e.ID == "" {
			_, err := r.evals.InsertOne(ctx, d)
			return err == nil, err
		}
		// By _id alone once the version is checked, as a student's
		// Replace (storedVersion): FerretDB cannot hand {_id, version} to
		// SQLite and would decode every evaluation of the school.
		var cur struct {
			Version int64 `bson:"version"`
		}
		err := r.evals.FindOne(ctx, bson.D{{Key: "_id", Value: oid}}, options.FindOne().SetProjection(bson.D{{Key: "version", Value: 1}})).Decode(&cur)
		switch {
		case isNoDocuments(err):
			return false, nil
		case err != nil:
			return false, fmt.Errorf("check the version of evaluation %s: %w", oid.Hex(), err)
		case cur.Version != prevVersion:
			return false, nil
		}
		res, err := r.evals.ReplaceOne(ctx, bson.D{{Key: "_id", Value: oid}}, d)
		return err == nil && res.MatchedCount > 0, err
	}, func() error { return stale("evaluation", oid.Hex()) })
	if err != nil {
		return err
	}
	e.ID = oid.Hex()
	return nil
}

// InsertEvaluations inserts new evaluations (no ID yet; assigned), each
// with its trail, all or none: every claim is written first, then the
// evaluations in one ordered insert; when that fails, the evaluations of
// this call are deleted again (all of their IDs are new: none can be
// another's) and the claims dropped. The trails are delivered once every
// evaluation is stored, as InsertMany does for students.
func (r *CurriculumRepo) InsertEvaluations(ctx context.Context, es []*domain.Evaluation, trails []domain.Trail) error {
	if len(es) == 0 {
		return nil
	}
	oids := make(bson.A, len(es))
	claims := make([]*claimDoc, len(es))
	cdocs := make([]any, len(es))
	docs := make([]any, len(es))
	for i, e := range es {
		if e.ID != "" {
			return fmt.Errorf("insert evaluations: %s is not a new evaluation", e.ID)
		}
		oid := bson.NewObjectID()
		var t domain.Trail
		if i < len(trails) {
			t = trails[i]
		}
		c, err := r.trails.newClaim(evaluationsColl, oid, e.Version, false, t)
		if err != nil {
			return err
		}
		d := toEvaluationDoc(e, oid)
		d.Write = c.Write
		oids[i], claims[i], cdocs[i], docs[i] = oid, c, c, d
	}
	defer r.writes.lock()()
	undo := func(err error) error {
		ctx := context.WithoutCancel(ctx)
		ids := make(bson.A, len(claims))
		for i, c := range claims {
			ids[i] = c.ID
		}
		if _, derr := r.evals.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}}); derr != nil {
			return fmt.Errorf("%w (and removing the evaluations stored before it failed: %w)", err, derr)
		}
		if derr := r.trails.dropClaims(ctx, ids); derr != nil {
			return fmt.Errorf("%w (and dropping their claims: %w)", err, derr)
		}
		return err
	}
	if _, err := r.trails.claims.InsertMany(ctx, cdocs, options.InsertMany().SetOrdered(true)); err != nil {
		return undo(outOfSpace(fmt.Errorf("claim %d new evaluation(s): %w", len(es), err)))
	}
	if _, err := r.evals.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true)); err != nil {
		return undo(outOfSpace(fmt.Errorf("insert %d evaluation(s): %w", len(es), err)))
	}
	for i, e := range es {
		e.ID = oids[i].(bson.ObjectID).Hex()
	}
	r.trails.finish(ctx, claims...)
	return nil
}
