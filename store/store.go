// Package store implements the domain's repository interfaces on MongoDB
// with the official driver. The same code serves a real MongoDB server and
// the embedded FerretDB 1.24 (see embedded.go), so it only uses what both
// execute: finds with filters, sort, skip, limit and projections, unique
// and plain indexes, findAndModify, and $group with $sum / $count. There are
// no transactions and no $avg; the domain computes averages in Go.
//
// FerretDB 1.24 differs from MongoDB in ways this package works around,
// each explained where it is handled:
//   - update, delete and findAndModify are a query then a separate write,
//     not atomic: conditional writes and counters take Store.writes, and
//     conditional writes also claim their version (claims.go) so that
//     processes sharing one server exclude each other too;
//   - a unique-index violation on update is an InternalError, not E11000,
//     and E11000 never names the index: duplicates are explained by
//     looking up who holds the value (StudentRepo.duplicate);
//   - an ordered insert that fails goes on with one more internal batch
//     of 100 documents (StudentRepo.undoAfter);
//   - createIndexes with several already existing indexes panics the
//     connection: indexes are created one per command (ensureIndexes).
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
)

// Collection names.
const (
	studentsColl = "students"
	countersColl = "counters"
	claimsColl   = "claims"
	leasesColl   = "leases"
	usersColl    = "users"
	auditColl    = "audit"
	eventsColl   = "events"
)

// Store is a connection to one database and the repositories on it.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	// writes serialises this process's conditional writes. FerretDB 1.24
	// runs update, delete and findAndModify as a query followed by a
	// separate write, so two concurrent "replace if version is 3" (or two
	// $inc of a counter) can both match and one update is lost. MongoDB
	// does these atomically and does not need it; the lock costs little
	// there because writes come from people at a keyboard.
	writes writeLock

	trails    *Trails
	students  *StudentRepo
	curricula *CurriculumRepo
	results   *ResultsRepo
	releves   *TranscriptRepo
	users     *UserRepo
	audit     *AuditLog
	events    *EventLog
	leases    *Leases
	imports   *ImportJournal
}

// writeLock is a mutex whose lock method returns its unlock, so a write
// path reads `defer r.writes.lock()()`.
type writeLock struct{ mu sync.Mutex }

func (l *writeLock) lock() func() {
	l.mu.Lock()
	return l.mu.Unlock
}

// Option changes how Open connects.
type Option func(*openConfig)

// openConfig is what the options set: the driver's options, the log and,
// for the embedded FerretDB, where its SQLite files are.
type openConfig struct {
	client *options.ClientOptions
	log    *slog.Logger
	// sqliteDir is the embedded FerretDB's SQLite directory ("" for any
	// other server); see WithEmbeddedDir.
	sqliteDir string
}

// WithDialer makes the driver open its connections through d, e.g. to
// follow embedded servers that move to another address (main's route).
func WithDialer(d options.ContextDialer) Option {
	return func(o *openConfig) { o.client.SetDialer(d) }
}

// WithLogger sends the driver's own log (off unless the MONGODB_LOG_*
// variables ask for it) to log instead of standard error, which belongs
// to the screen.
func WithLogger(log *slog.Logger) Option {
	return func(o *openConfig) {
		o.client.SetLoggerOptions(options.Logger().SetSink(logSink{log: log}))
		o.log = log
	}
}

// WithServerWatch sets how often the driver checks that the server is
// there (heartbeat; the driver's minimum is 500 ms) and how long an
// operation waits for a server before failing (selection). For embedded
// servers that another process may take over, a short heartbeat clears
// the connections to the stopped server quickly, so that operations wait
// for the new one instead of failing on a dead connection.
func WithServerWatch(heartbeat, selection time.Duration) Option {
	return func(o *openConfig) {
		o.client.SetHeartbeatInterval(heartbeat).SetServerSelectionTimeout(selection)
	}
}

// WithEmbeddedDir says that the server is the embedded FerretDB started
// on data dir dir (StartEmbedded), in this process or another: Open then
// adds the SQLite index FerretDB 1.24 lacks for lookups by _id (see
// idIndexes). Without it the store works the same, scanning.
func WithEmbeddedDir(dir string) Option {
	return func(o *openConfig) { o.sqliteDir = sqliteDirOf(dir) }
}

// Open connects to the server at uri, checks it answers, makes sure the
// indexes exist and returns the store for database dbName. ctx bounds the
// whole start-up, including server selection.
func Open(ctx context.Context, uri, dbName string, opts ...Option) (*Store, error) {
	cfg := openConfig{client: options.Client().ApplyURI(uri).SetAppName("scolarite"),
		log: slog.New(slog.DiscardHandler)}
	for _, o := range opts {
		o(&cfg)
	}
	client, err := mongo.Connect(cfg.client)
	if err != nil {
		return nil, fmt.Errorf("connect to MongoDB: %w", err)
	}
	if err := client.Ping(ctx, readpref.Primary()); err != nil {
		return nil, errors.Join(fmt.Errorf("ping MongoDB: %w", err), client.Disconnect(context.WithoutCancel(ctx)))
	}
	s := newStore(client, client.Database(dbName), cfg.log)
	if err := s.ensureCollections(ctx); err != nil {
		return nil, errors.Join(err, client.Disconnect(context.WithoutCancel(ctx)))
	}
	if err := s.ensureIndexes(ctx); err != nil {
		return nil, errors.Join(err, client.Disconnect(context.WithoutCancel(ctx)))
	}
	if err := s.ensureRoster(ctx); err != nil {
		return nil, errors.Join(err, client.Disconnect(context.WithoutCancel(ctx)))
	}
	if cfg.sqliteDir != "" {
		if err := idIndexes(ctx, cfg.sqliteDir, dbName); err != nil {
			return nil, errors.Join(err, client.Disconnect(context.WithoutCancel(ctx)))
		}
		f, err := openFerretFile(cfg.sqliteDir, dbName)
		if err != nil {
			return nil, errors.Join(err, client.Disconnect(context.WithoutCancel(ctx)))
		}
		s.students.file, s.events.file, s.curricula.file = f, f, f
	}
	return s, nil
}

func newStore(client *mongo.Client, db *mongo.Database, log *slog.Logger) *Store {
	s := &Store{client: client, db: db}
	s.trails = &Trails{db: db, claims: db.Collection(claimsColl), audit: db.Collection(auditColl),
		events: db.Collection(eventsColl), self: thisProcess(), log: log}
	s.students = &StudentRepo{coll: db.Collection(studentsColl), counters: db.Collection(countersColl),
		keys: db.Collection(studentKeysColl), trails: s.trails, writes: &s.writes}
	s.curricula = &CurriculumRepo{curricula: db.Collection(curriculaColl), evals: db.Collection(evaluationsColl),
		trails: s.trails, writes: &s.writes}
	s.results = &ResultsRepo{regulations: db.Collection(regulationsColl), jury: db.Collection(juryColl),
		trails: s.trails, writes: &s.writes}
	s.releves = &TranscriptRepo{coll: db.Collection(relevesColl)}
	s.users = &UserRepo{coll: db.Collection(usersColl)}
	s.audit = &AuditLog{coll: db.Collection(auditColl)}
	s.events = &EventLog{coll: db.Collection(eventsColl)}
	s.leases = &Leases{coll: db.Collection(leasesColl), now: time.Now}
	s.imports = &ImportJournal{coll: db.Collection(importsColl), self: s.trails.self}
	return s
}

// ensureIndexes creates the indexes the repositories rely on: the unique
// ones enforce the domain's rules (one student per phone and matricule, one
// account per username), the others serve the class filter, the sort by
// average and reading the outbox in order. Creating an existing index is a
// no-op, so this runs on every start.
func (s *Store) ensureIndexes(ctx context.Context) error {
	// One options value per index: the driver writes the generated name
	// into the options it is given, so a shared value would give the second
	// index the first one's name (found the hard way). Names are explicit
	// and equal to what MongoDB would generate.
	index := func(field string, unique bool) mongo.IndexModel {
		opts := options.Index().SetName(field + "_1")
		if unique {
			opts.SetUnique(true)
		}
		return mongo.IndexModel{Keys: bson.D{{Key: field, Value: 1}}, Options: opts}
	}
	specs := []struct {
		coll   string
		models []mongo.IndexModel
	}{
		{studentsColl, []mongo.IndexModel{
			index("phone", true), index("number", true), index("class", false), index("average", false),
		}},
		{usersColl, []mongo.IndexModel{index("username", true), keyIndex()}},
		{eventsColl, []mongo.IndexModel{index("at", false)}},
		{notificationsColl, notificationIndexes()},
	}
	// One command per index: FerretDB 1.24 panics (and drops the
	// connection) on a createIndexes naming two or more indexes that all
	// exist already, i.e. on every start after the first. A single index
	// per command takes its "already exists, nothing to do" path safely.
	for _, spec := range specs {
		for _, m := range spec.models {
			if _, err := s.db.Collection(spec.coll).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("create index %s on %s: %w", m.Keys, spec.coll, err)
			}
		}
	}
	return nil
}

// keyIndex makes an SSH key identify one account: unique over the
// fingerprints of every user's keys (a multikey index), sparse so that the
// accounts without keys (no ssh_keys field) are not indexed at all. MongoDB
// enforces it; FerretDB 1.24 creates it but enforces nothing on a path into
// an array (measured: TestUsersSSHKeys), so the domain checks before
// writing and ByKeyFingerprint reports a key held twice.
func keyIndex() mongo.IndexModel {
	return mongo.IndexModel{
		Keys:    bson.D{{Key: "ssh_keys.fingerprint", Value: 1}},
		Options: options.Index().SetName("ssh_keys.fingerprint_1").SetUnique(true).SetSparse(true),
	}
}

// Close disconnects from the server, waiting for in-flight operations
// until ctx ends.
func (s *Store) Close(ctx context.Context) error {
	if s.students.file != nil {
		_ = s.students.file.Close()
	}
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("disconnect from MongoDB: %w", err)
	}
	return nil
}

// Students returns the student repository.
func (s *Store) Students() *StudentRepo { return s.students }

// Trails returns the writer of every write's trail (SettleAbandoned).
func (s *Store) Trails() *Trails { return s.trails }

// Curricula returns the curricula and evaluations.
func (s *Store) Curricula() *CurriculumRepo { return s.curricula }

// Results returns the regulation and the jury's decisions.
func (s *Store) Results() *ResultsRepo { return s.results }

// Transcripts returns the record of the relevés de notes issued.
func (s *Store) Transcripts() *TranscriptRepo { return s.releves }

// Users returns the account repository.
func (s *Store) Users() *UserRepo { return s.users }

// Audit returns the audit log.
func (s *Store) Audit() *AuditLog { return s.audit }

// Events returns the event outbox.
func (s *Store) Events() *EventLog { return s.events }

// Imports returns the journal of running imports.
func (s *Store) Imports() *ImportJournal { return s.imports }

// Leases returns the cross-process leases.
func (s *Store) Leases() *Leases { return s.leases }

// Database returns the underlying database, for tests and tools that need
// to look at raw documents.
func (s *Store) Database() *mongo.Database { return s.db }
