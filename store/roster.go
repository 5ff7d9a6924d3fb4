package store

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

// rosterColl holds one small document per student: its table row. The
// roster is what every screen opens on, and FerretDB decodes whole
// documents before projecting: reading 20,000 students of 60 grades for
// their rows took 49 s (the rows alone are ~200 bytes each). A student's
// row travels in the claim of each write of that student and is written
// when its trail is delivered (trail.go), so the row and the student are
// one as the audit entry and the student are: a killed writer's row is
// written by whoever settles its claim, and a write that never happened
// leaves no row. A delete removes the row.
const rosterColl = "roster"

// rosterBuilt is the `counters` document that says the roster collection
// was filled from the students (stores made before it existed, restores),
// and rosterVersion the shape of row it was filled with: a store whose
// rows are of an older shape (no version: before the rows carried the
// semester averages) has them built again once, at start.
const (
	rosterBuilt   = "roster-built"
	rosterVersion = 2
)

// rosterDoc is a student's table row.
type rosterDoc struct {
	ID         bson.ObjectID `bson:"_id"`
	Number     string        `bson:"number"`
	LastName   string        `bson:"last_name"`
	FirstName  string        `bson:"first_name"`
	Phone      string        `bson:"phone"`
	Class      string        `bson:"class"`
	Major      string        `bson:"major"`
	Average    *float64      `bson:"average"`
	GradeCount int           `bson:"grade_count"`
	// Terms are the semester averages, packed in one string (packTerms).
	Terms   string `bson:"terms,omitempty"`
	Version int64  `bson:"version"`
}

func rowOf(d *studentDoc) *rosterDoc {
	return &rosterDoc{ID: d.ID, Number: d.Number, LastName: d.LastName, FirstName: d.FirstName, Phone: d.Phone,
		Class: d.Class, Major: d.Major, Average: d.Average, GradeCount: d.GradeCount, Terms: packTerms(d.Terms), Version: d.Version}
}

func (d *rosterDoc) row() domain.RosterRow {
	return domain.RosterRow{
		ID: d.ID.Hex(), Number: d.Number, LastName: d.LastName, FirstName: d.FirstName,
		Phone: d.Phone, Class: d.Class, Major: d.Major, Average: d.Average, GradeCount: d.GradeCount,
		Terms: unpackTerms(d.Terms),
	}
}

// Roster returns every student as a table row, from the roster
// collection (on the embedded store, from its SQLite file: see
// ferretFile); the order is left to the domain, which sorts.
func (r *StudentRepo) Roster(ctx context.Context) ([]domain.RosterRow, error) {
	if r.file != nil {
		rows, err := r.file.rows(ctx)
		if err == nil {
			return rows, nil
		}
		r.trails.log.Warn("roster: reading the SQLite file failed; reading through FerretDB", "err", err)
	}
	cur, err := r.trails.db.Collection(rosterColl).Find(ctx, bson.D{}, options.Find().SetBatchSize(readBatch))
	if err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	defer cur.Close(ctx)
	var rows []domain.RosterRow
	for cur.Next(ctx) {
		var d rosterDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("read roster: decode a row: %w", err)
		}
		rows = append(rows, d.row())
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("read roster: %w", err)
	}
	return rows, nil
}

// deliverRows writes the rows the claims carry (a new student's is
// inserted, a changed one's replaced by _id) and removes those of deleted
// students. Each is idempotent: settling a claim twice writes the same row.
func (tr *Trails) deliverRows(ctx context.Context, claims []*claimDoc) error {
	rows := tr.db.Collection(rosterColl)
	var fresh []any
	for _, c := range claims {
		switch {
		case c.Coll != "":
		case c.Delete:
			if _, err := rows.DeleteOne(ctx, bson.D{{Key: "_id", Value: c.Target}}); err != nil {
				return outOfSpace(fmt.Errorf("remove a roster row: %w", err))
			}
		case c.Row == nil:
		case c.Row.Version == 1:
			fresh = append(fresh, c.Row)
		default:
			if _, err := rows.ReplaceOne(ctx, bson.D{{Key: "_id", Value: c.Row.ID}}, c.Row, options.Replace().SetUpsert(true)); err != nil {
				return outOfSpace(fmt.Errorf("write a roster row: %w", err))
			}
		}
	}
	return insertOnce(ctx, rows, fresh)
}

// ensureRoster fills the roster collection from the students once, for a
// store made before it existed or whose rows are of an older shape: the
// `rosterBuilt` counter says it was done, and with which rosterVersion.
func (s *Store) ensureRoster(ctx context.Context) error {
	var marker struct {
		Version int `bson:"version"`
	}
	err := s.db.Collection(countersColl).FindOne(ctx, bson.D{{Key: "_id", Value: rosterBuilt}}).Decode(&marker)
	if err == nil && marker.Version >= rosterVersion {
		return nil
	}
	if err != nil && !isNoDocuments(err) {
		return fmt.Errorf("read the roster marker: %w", err)
	}
	// An empty store stays empty (a restore refuses any document): its
	// rows come with its first students, written by this code, and the
	// marker with them (StudentRepo.InsertMany), not with a rebuild at
	// the next open (80 s at 20,000 students).
	err = s.db.Collection(studentsColl).FindOne(ctx, bson.D{}).Err()
	if isNoDocuments(err) {
		s.students.rosterUnmarked.Store(true)
		return nil
	}
	if err != nil {
		return fmt.Errorf("look for students: %w", err)
	}
	return s.RebuildRoster(ctx)
}

// RebuildRoster writes the roster collection again from the students (a
// restore brings students and rows read at different moments): every
// student's row replaced, rows of no student removed.
func (s *Store) RebuildRoster(ctx context.Context) error {
	rows := s.db.Collection(rosterColl)
	if _, err := rows.DeleteMany(ctx, bson.D{}); err != nil {
		return outOfSpace(fmt.Errorf("empty the roster: %w", err))
	}
	cur, err := s.db.Collection(studentsColl).Find(ctx, bson.D{}, options.Find().SetBatchSize(readBatch))
	if err != nil {
		return fmt.Errorf("read the students for the roster: %w", err)
	}
	defer cur.Close(ctx)
	var batch []any
	flush := func() error {
		err := insertOnce(ctx, rows, batch)
		batch = batch[:0]
		return err
	}
	for cur.Next(ctx) {
		var d studentDoc
		if err := cur.Decode(&d); err != nil {
			return fmt.Errorf("read the students for the roster: %w", err)
		}
		if d.Deleted {
			continue
		}
		if batch = append(batch, rowOf(&d)); len(batch) == insertBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := cur.Err(); err != nil {
		return fmt.Errorf("read the students for the roster: %w", err)
	}
	if err := flush(); err != nil {
		return err
	}
	return markRosterBuilt(ctx, s.db.Collection(countersColl))
}

// markRosterBuilt writes the marker that says every student's roster row
// is there, of the current shape.
func markRosterBuilt(ctx context.Context, counters *mongo.Collection) error {
	_, err := counters.ReplaceOne(ctx, bson.D{{Key: "_id", Value: rosterBuilt}},
		bson.D{{Key: "_id", Value: rosterBuilt}, {Key: "built", Value: true}, {Key: "version", Value: rosterVersion}}, options.Replace().SetUpsert(true))
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return outOfSpace(fmt.Errorf("mark the roster built: %w", err))
	}
	return nil
}
