package store

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"scolarite/domain"
)

// insertBatch is how many students InsertMany sends per insert command:
// big enough that an import of thousands is a handful of round trips,
// small enough that a failure reports a row close to where it happened.
const insertBatch = 1000

// readBatch is the cursor batch size for whole-collection reads. Roster
// rows are ~200 bytes, so a batch stays far below the 16 MiB message limit
// while a school's roster comes back in one or two round trips.
const readBatch = 5000

// StudentRepo implements domain.StudentRepo on the `students` and
// `counters` collections; every write delivers its trail to `audit` and
// `events` through its claim (claims.go, trail.go).
type StudentRepo struct {
	coll     *mongo.Collection
	counters *mongo.Collection
	keys     *mongo.Collection // lookup hints, see byKey
	trails   *Trails
	file     *ferretFile // nil but on the embedded store
	// writes serialises conditional writes; see Store.writes.
	writes *writeLock
	// rosterUnmarked: the store was empty at open, so the roster marker
	// is written with the first students (see ensureRoster).
	rosterUnmarked atomic.Bool
}

var _ domain.StudentRepo = (*StudentRepo)(nil)

// Insert stores s with its trail, assigning s.ID when it is empty.
func (r *StudentRepo) Insert(ctx context.Context, s *domain.Student, t domain.Trail) error {
	return r.InsertMany(ctx, []*domain.Student{s}, []domain.Trail{t})
}

// InsertMany stores ss in ordered batches of insertBatch, all or none:
// without transactions (FerretDB has none) the students stored before a
// failure are removed again, and the error names the student that failed
// so an import can say which row to fix. Each student's claim, with its
// trail, is written before any student; the trails are delivered once
// every student is stored. Students get their ID written back only then.
func (r *StudentRepo) InsertMany(ctx context.Context, ss []*domain.Student, trails []domain.Trail) error {
	oids := make([]bson.ObjectID, len(ss))
	claims := make([]*claimDoc, len(ss))
	for i, s := range ss {
		oid, err := newOrParseID("id", s.ID)
		if err != nil {
			return err
		}
		var t domain.Trail
		if i < len(trails) {
			t = trails[i]
		}
		if claims[i], err = r.trails.newClaim("", oid, s.Version, false, t); err != nil {
			return err
		}
		oids[i] = oid
	}
	stored := 0 // students stored so far, all before the failing one
	for start := 0; start < len(ss); start += insertBatch {
		end := min(start+insertBatch, len(ss))
		n, err := r.insertBatch(ctx, ss[start:end], oids[start:end], claims[start:end])
		stored = start + n
		if err != nil {
			if uerr := r.undoInsert(ctx, oids[:stored], claims[:end]); uerr != nil {
				err = fmt.Errorf("%w (and removing the students stored before it failed: %w)", err, uerr)
			}
			return err
		}
	}
	if len(ss) > 0 && r.rosterUnmarked.CompareAndSwap(true, false) {
		// Their rows were written just now, by this code. A failure only
		// costs a rebuild at the next open.
		if err := markRosterBuilt(ctx, r.counters); err != nil {
			r.rosterUnmarked.Store(true)
		}
	}
	for i := range ss {
		ss[i].ID = oids[i].Hex()
	}
	for start := 0; start < len(claims); start += insertBatch {
		r.trails.finish(ctx, claims[start:min(start+insertBatch, len(claims))]...)
	}
	return nil
}

// insertBatch writes the claims, then the students of one batch, and
// returns how many students it stored.
func (r *StudentRepo) insertBatch(ctx context.Context, ss []*domain.Student, oids []bson.ObjectID, claims []*claimDoc) (int, error) {
	cdocs := make([]any, len(claims))
	docs := make([]any, len(ss))
	typed := make([]studentDoc, len(ss))
	for i, s := range ss {
		cdocs[i] = claims[i]
		typed[i] = toStudentDoc(s, oids[i])
		typed[i].Write = claims[i].Write
		claims[i].Row = rowOf(&typed[i])
		docs[i] = typed[i]
	}
	if _, err := r.trails.claims.InsertMany(ctx, cdocs, options.InsertMany().SetOrdered(true)); err != nil {
		return 0, outOfSpace(fmt.Errorf("claim %d new student(s): %w", len(claims), err))
	}
	_, err := r.coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
	if err == nil {
		r.noteNewKeys(ctx, typed)
		return len(ss), nil
	}
	failed := len(ss) // index of the first student not stored
	var bwe mongo.BulkWriteException
	if errors.As(err, &bwe) && len(bwe.WriteErrors) > 0 {
		failed = bwe.WriteErrors[0].Index
	}
	if failed < len(ss) {
		err = errors.Join(err, r.undoAfter(ctx, ss[failed+1:], oids[failed+1:]))
	}
	if failed < len(ss) && mongo.IsDuplicateKeyError(err) {
		s := ss[failed]
		derr := r.duplicate(ctx, s, oids[failed], err)
		var de *domain.Error
		if errors.As(derr, &de) && de.Message == "" {
			de.Message = fmt.Sprintf("student %s (%s)", s.Number, s.FullName())
		}
		return failed, derr
	}
	return failed, outOfSpace(fmt.Errorf("insert students %s to %s: %w", ss[0].Number, ss[len(ss)-1].Number, err))
}

// undoInsert removes the students a failed InsertMany stored, then drops
// the claims: a process killed in between leaves claims whose students
// exist, and settling them delivers those students' trails, so nothing is
// ever stored without its trail.
func (r *StudentRepo) undoInsert(ctx context.Context, stored []bson.ObjectID, claims []*claimDoc) error {
	ctx = context.WithoutCancel(ctx)
	if len(stored) > 0 {
		ids := make(bson.A, len(stored))
		for i, oid := range stored {
			ids[i] = oid
		}
		if _, err := r.coll.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}}); err != nil {
			return fmt.Errorf("remove %d student(s): %w", len(stored), err)
		}
	}
	ids := make(bson.A, len(claims))
	for i, c := range claims {
		ids[i] = c.ID
	}
	return r.trails.dropClaims(ctx, ids)
}

// undoAfter deletes the students of a failed ordered insert that come
// after the failing one. MongoDB never writes them, but FerretDB 1.24 goes
// on with its next internal batch of 100 documents after the failure and
// stores those, although they are reported as not inserted. Only IDs the
// repo generated itself are deleted: a caller-supplied ID could belong to
// a stored student that the failed insert never touched.
func (r *StudentRepo) undoAfter(ctx context.Context, ss []*domain.Student, oids []bson.ObjectID) error {
	var ours bson.A
	for i, s := range ss {
		if s.ID == "" {
			ours = append(ours, oids[i])
		}
	}
	if len(ours) == 0 {
		return nil
	}
	if _, err := r.coll.DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ours}}}}); err != nil {
		return fmt.Errorf("remove students written after the failed one: %w", err)
	}
	return nil
}

// ByID returns the student with that ID.
func (r *StudentRepo) ByID(ctx context.Context, id string) (*domain.Student, error) {
	oid, ok := parseID(id)
	if !ok {
		return nil, notFound("student", id)
	}
	return r.findOne(ctx, bson.D{{Key: "_id", Value: oid}}, id)
}

// ByIDs returns the students of those IDs, in that order, leaving out the
// IDs of no student. On the embedded store they are read from its SQLite
// file (studentsByID), through the _id index; otherwise, or when that read
// meets a surprise, in one query by _id.
func (r *StudentRepo) ByIDs(ctx context.Context, ids []string) ([]*domain.Student, error) {
	if r.file != nil {
		out, err := r.file.studentsByID(ctx, ids)
		if err == nil {
			return out, nil
		}
		r.trails.log.Warn("students by id: reading the SQLite file failed; reading through FerretDB", "err", err)
	}
	oids := make(bson.A, 0, len(ids))
	for _, id := range ids {
		if oid, ok := parseID(id); ok {
			oids = append(oids, oid)
		}
	}
	byID := make(map[string]*domain.Student, len(oids))
	if len(oids) > 0 {
		cur, err := r.coll.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: oids}}}}, options.Find().SetBatchSize(readBatch))
		if err != nil {
			return nil, fmt.Errorf("read %d students: %w", len(oids), err)
		}
		defer cur.Close(ctx)
		for cur.Next(ctx) {
			var d studentDoc
			if err := cur.Decode(&d); err != nil {
				return nil, fmt.Errorf("read %d students: decode: %w", len(oids), err)
			}
			if d.Deleted {
				continue
			}
			st, err := d.student()
			if err != nil {
				return nil, err
			}
			byID[st.ID] = st
		}
		if err := cur.Err(); err != nil {
			return nil, fmt.Errorf("read %d students: %w", len(oids), err)
		}
	}
	return inOrder(ids, byID), nil
}

// inOrder is the students of ids found in byID, in the order of ids.
func inOrder(ids []string, byID map[string]*domain.Student) []*domain.Student {
	out := make([]*domain.Student, 0, len(byID))
	for _, id := range ids {
		if st, ok := byID[id]; ok {
			out = append(out, st)
		}
	}
	return out
}

// ByNumber returns the student with that matricule.
func (r *StudentRepo) ByNumber(ctx context.Context, number string) (*domain.Student, error) {
	return r.byKey(ctx, "number", number, number)
}

// ByPhone returns the student with that E.164 phone.
func (r *StudentRepo) ByPhone(ctx context.Context, e164 string) (*domain.Student, error) {
	return r.byKey(ctx, "phone", e164, "with phone "+e164)
}

func (r *StudentRepo) findOne(ctx context.Context, filter bson.D, key string) (*domain.Student, error) {
	var d studentDoc
	if err := r.coll.FindOne(ctx, filter).Decode(&d); err != nil {
		if isNoDocuments(err) {
			return nil, notFound("student", key)
		}
		return nil, fmt.Errorf("find student %s: %w", key, err)
	}
	if d.Deleted {
		return nil, notFound("student", key)
	}
	return d.student()
}

// Replace writes s if the stored version is still prevVersion.
func (r *StudentRepo) Replace(ctx context.Context, s *domain.Student, prevVersion int64, t domain.Trail) error {
	oid, ok := parseID(s.ID)
	if !ok {
		return notFound("student", s.Number)
	}
	doc := toStudentDoc(s, oid)
	var oldPhone string
	err := r.write(ctx, oid, prevVersion, false, t, s.Number, rowOf(&doc), func(c *claimDoc) (bool, error) {
		var err error
		if oldPhone, err = r.storedVersion(ctx, oid, prevVersion, s.Number); err != nil {
			return false, err
		}
		doc.Write = c.Write
		res, err := r.coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: oid}}, doc)
		if err != nil && (mongo.IsDuplicateKeyError(err) || isServerError(err)) && domain.ErrorCode(outOfSpace(err)) != domain.EUNAVAILABLE {
			return false, r.duplicate(ctx, s, oid, err)
		}
		return err == nil && res.MatchedCount > 0, err
	})
	if err == nil && oldPhone != s.Phone {
		r.noteKeys(ctx, &doc)
	}
	return err
}

// Delete removes the student if it is still at version: it becomes a
// tombstone carrying the claim's token, removed once the trail is
// delivered (trail.go).
func (r *StudentRepo) Delete(ctx context.Context, id string, version int64, t domain.Trail) error {
	oid, ok := parseID(id)
	if !ok {
		return notFound("student", id)
	}
	return r.write(ctx, oid, version, true, t, id, nil, func(c *claimDoc) (bool, error) {
		if _, err := r.storedVersion(ctx, oid, version, id); err != nil {
			return false, err
		}
		res, err := r.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: oid}},
			bson.D{{Key: "$set", Value: bson.D{
				{Key: "deleted", Value: true}, {Key: "write", Value: c.Write}, {Key: "version", Value: version + 1},
			}}})
		return err == nil && res.MatchedCount > 0, err
	})
}

// write runs one conditional write of version prev+1 of a student (see
// Trails.write).
func (r *StudentRepo) write(ctx context.Context, oid bson.ObjectID, prev int64, del bool, t domain.Trail, key string,
	row *rosterDoc, do func(*claimDoc) (bool, error)) error {
	defer r.writes.lock()()
	return r.trails.write(ctx, "", oid, prev, del, t, "student "+key, row, do, func() error { return r.missed(ctx, oid, key) })
}

// missed explains why a conditional write matched nothing: the student is
// gone (ENOTFOUND) or is at another version (ECONFLICT). key names the
// student in the message when it no longer exists.
func (r *StudentRepo) missed(ctx context.Context, oid bson.ObjectID, key string) error {
	var cur struct {
		Number  string `bson:"number"`
		Deleted bool   `bson:"deleted"`
	}
	err := r.coll.FindOne(ctx, bson.D{{Key: "_id", Value: oid}},
		options.FindOne().SetProjection(bson.D{{Key: "number", Value: 1}, {Key: "deleted", Value: 1}})).Decode(&cur)
	switch {
	case isNoDocuments(err) || err == nil && cur.Deleted:
		return notFound("student", key)
	case err != nil:
		return fmt.Errorf("check student %s after a missed write: %w", key, err)
	}
	return stale("student", cur.Number)
}

// duplicate turns a failed write of s into the ECONFLICT naming the
// student that holds its phone or its matricule. FerretDB's E11000 message
// does not name the index (and its updates do not even report E11000), so
// the holder is looked up instead of parsing the message; the same code
// then serves MongoDB. When nobody else holds either value the write failed
// for another reason: an E11000 stays a conflict, anything else is wrapped.
func (r *StudentRepo) duplicate(ctx context.Context, s *domain.Student, oid bson.ObjectID, cause error) error {
	for _, f := range []struct{ field, value string }{{"phone", s.Phone}, {"number", s.Number}} {
		holder, err := r.holder(ctx, f.field, f.value, oid)
		if err != nil {
			return fmt.Errorf("write student %s: %w (and looking for the holder of its %s: %w)", s.Number, cause, f.field, err)
		}
		if holder == nil {
			continue
		}
		reason := "is already used by student " + holder.label()
		if f.field == "number" {
			reason = "is already the matricule of student " + holder.label()
		}
		return taken(f.field, reason, holder.Number)
	}
	if mongo.IsDuplicateKeyError(cause) {
		return duplicateFallback("student", s.Number, cause)
	}
	return fmt.Errorf("write student %s: %w", s.Number, cause)
}

// holderDoc names the student that holds a unique value.
type holderDoc struct {
	Number    string `bson:"number"`
	LastName  string `bson:"last_name"`
	FirstName string `bson:"first_name"`
}

// label is "2026-00012 (DIOP Ndèye)", as the domain names a student in
// its own duplicate-phone message.
func (h *holderDoc) label() string { return h.Number + " (" + h.LastName + " " + h.FirstName + ")" }

// holder returns the student other than self whose field has value, or
// nil if there is none.
func (r *StudentRepo) holder(ctx context.Context, field, value string, self bson.ObjectID) (*holderDoc, error) {
	var h holderDoc
	err := r.coll.FindOne(ctx,
		bson.D{{Key: field, Value: value}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: self}}}, notDeleted()},
		options.FindOne().SetProjection(bson.D{
			{Key: "number", Value: 1}, {Key: "last_name", Value: 1}, {Key: "first_name", Value: 1},
		})).Decode(&h)
	if isNoDocuments(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// All returns every student in full, by matricule so that exports are
// stable from one run to the next.
func (r *StudentRepo) All(ctx context.Context) ([]*domain.Student, error) {
	cur, err := r.coll.Find(ctx, bson.D{},
		options.Find().SetSort(bson.D{{Key: "number", Value: 1}}).SetBatchSize(readBatch))
	if err != nil {
		return nil, fmt.Errorf("read all students: %w", err)
	}
	defer cur.Close(ctx)
	var out []*domain.Student
	for cur.Next(ctx) {
		var d studentDoc
		if err := cur.Decode(&d); err != nil {
			return nil, fmt.Errorf("read all students: decode: %w", err)
		}
		if d.Deleted {
			continue
		}
		s, err := d.student()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := cur.Err(); err != nil {
		return nil, fmt.Errorf("read all students: %w", err)
	}
	return out, nil
}

// Count returns the number of students.
func (r *StudentRepo) Count(ctx context.Context) (int64, error) {
	n, err := r.coll.CountDocuments(ctx, bson.D{notDeleted()})
	if err != nil {
		return 0, fmt.Errorf("count students: %w", err)
	}
	return n, nil
}

// notDeleted is the filter element that leaves tombstones out.
func notDeleted() bson.E {
	return bson.E{Key: "deleted", Value: bson.D{{Key: "$ne", Value: true}}}
}

// NextNumber reserves the next matricule sequence number for year.
func (r *StudentRepo) NextNumber(ctx context.Context, year int) (int64, error) {
	return r.ReserveNumbers(ctx, year, 1)
}

// ReserveNumbers reserves n consecutive sequence numbers for year and
// returns the last one. The counter document `students-<year>` of the
// `counters` collection is created on first use.
func (r *StudentRepo) ReserveNumbers(ctx context.Context, year int, n int) (int64, error) {
	if n < 1 {
		return 0, domain.Invalid("n", fmt.Sprintf("must reserve at least one number (got %d)", n))
	}
	key := fmt.Sprintf("students-%d", year)
	defer r.writes.lock()()
	var c struct {
		Seq int64 `bson:"seq"`
	}
	// Two first reservations of a year may both try to create the counter;
	// the loser gets a duplicate _id (MongoDB retries that itself since
	// 4.2, FerretDB does not) and simply tries again, finding it.
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = r.counters.FindOneAndUpdate(ctx,
			bson.D{{Key: "_id", Value: key}},
			bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(n)}}}},
			options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
		).Decode(&c)
		if !mongo.IsDuplicateKeyError(err) {
			break
		}
	}
	if err != nil {
		return 0, outOfSpace(fmt.Errorf("reserve %d matricule(s) for %d: %w", n, year, err))
	}
	return c.Seq, nil
}

// ReleaseNumbers gives back the n numbers ending at last, in one
// conditional update: only while the counter still stands at last, so
// that a number reserved by someone else since is never issued twice.
func (r *StudentRepo) ReleaseNumbers(ctx context.Context, year int, last int64, n int) (bool, error) {
	defer r.writes.lock()()
	res, err := r.counters.UpdateOne(ctx,
		bson.D{{Key: "_id", Value: fmt.Sprintf("students-%d", year)}, {Key: "seq", Value: last}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: -int64(n)}}}})
	if err != nil {
		return false, outOfSpace(fmt.Errorf("release %d matricule(s) of %d: %w", n, year, err))
	}
	return res.ModifiedCount == 1, nil
}
