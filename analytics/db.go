package analytics

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"scolarite/domain"
)

// DBFile is the name of the job's database in the data directory.
const DBFile = "analytics.db"

// schema: record_batches hold the transformed messages, one row per
// partition and batch with the records as a JSON array (a row per record
// cost three times the consumer's own time; see the README's benchmark),
// and the view records shows them one per row with their topic /
// partition / offset; a batch overlapping stored offsets is refused (the
// trigger), so storing a message twice is impossible and replaying a
// batch is a no-op. partitions and partition_ages hold each partition's
// progress and partial, written in the transaction that stores its
// records; reports and major_stats are the results, the latest of which
// the application's dashboard shows.
const schema = `
CREATE TABLE IF NOT EXISTS record_batches (
	topic TEXT NOT NULL, "partition" INTEGER NOT NULL,
	first_offset INTEGER NOT NULL, last_offset INTEGER NOT NULL,
	records TEXT NOT NULL, -- [[offset, key, type, time_ms, first_name, last_name, age, major, class], ...]
	PRIMARY KEY (topic, "partition", first_offset));
CREATE INDEX IF NOT EXISTS record_batches_last ON record_batches (topic, "partition", last_offset, first_offset);
CREATE TRIGGER IF NOT EXISTS record_batches_no_overlap BEFORE INSERT ON record_batches
WHEN EXISTS (SELECT 1 FROM record_batches b INDEXED BY record_batches_last
	WHERE b.topic = NEW.topic AND b."partition" = NEW."partition"
	AND b.last_offset >= NEW.first_offset AND b.first_offset <= NEW.last_offset)
BEGIN
	SELECT RAISE(IGNORE);
END;
CREATE VIEW IF NOT EXISTS records AS
SELECT b.topic, b."partition", r.value->>0 AS "offset", r.value->>1 AS key, r.value->>2 AS type,
	strftime('%Y-%m-%dT%H:%M:%fZ', (r.value->>3) / 1000.0, 'unixepoch') AS time,
	r.value->>4 AS first_name, r.value->>5 AS last_name, r.value->>6 AS age,
	r.value->>7 AS major, r.value->>8 AS class
FROM record_batches b, json_each(b.records) r;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS partitions (
	topic TEXT NOT NULL, "partition" INTEGER NOT NULL, next_offset INTEGER NOT NULL,
	read INTEGER NOT NULL, rejected INTEGER NOT NULL,
	events INTEGER NOT NULL, old_json INTEGER NOT NULL, old_csv INTEGER NOT NULL,
	PRIMARY KEY (topic, "partition"));
CREATE TABLE IF NOT EXISTS partition_ages (
	topic TEXT NOT NULL, "partition" INTEGER NOT NULL,
	major TEXT NOT NULL, -- '' counts messages (for the filter), else students of the major
	age INTEGER NOT NULL, n INTEGER NOT NULL,
	PRIMARY KEY (topic, "partition", major, age)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS reports (
	id INTEGER PRIMARY KEY AUTOINCREMENT, generated_at TEXT NOT NULL, topic TEXT NOT NULL,
	min_age INTEGER NOT NULL, read INTEGER NOT NULL, rejected INTEGER NOT NULL,
	filtered INTEGER NOT NULL, kept INTEGER NOT NULL, students INTEGER NOT NULL, mean REAL);
CREATE TABLE IF NOT EXISTS major_stats (
	report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE, major TEXT NOT NULL,
	students INTEGER NOT NULL, mean REAL NOT NULL, std REAL,
	min REAL NOT NULL, q1 REAL NOT NULL, median REAL NOT NULL, q3 REAL NOT NULL, max REAL NOT NULL,
	PRIMARY KEY (report_id, major));
`

// keptReports is how many reports the database keeps.
const keptReports = 50

// DB is analytics.db. Several processes may share it (SQLite locks; each
// consumer writes only the rows of the partitions it owns).
type DB struct {
	db *sql.DB
}

// OpenDB opens or creates the database at path.
func OpenDB(ctx context.Context, path string) (*DB, error) {
	q := url.Values{}
	// A checkpoint every 16000 pages (64 MB of WAL at most), not 1000:
	// each one waits for two fsyncs and copies again the pages every
	// transaction changes (b-tree interiors, partitions, partition_ages);
	// at 1000 pages the job spent a fifth of its time there.
	pragmas := []string{"busy_timeout(30000)", "journal_mode(WAL)", "synchronous(NORMAL)", "foreign_keys(1)", "wal_autocheckpoint(16000)"}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare %s: %w", path, err)
	}
	return &DB{db: db}, nil
}

// ClaimCluster records the cluster whose offsets the database holds, and
// refuses another one: offsets of two clusters must not mix.
func (d *DB) ClaimCluster(ctx context.Context, id string) error {
	if id == "" {
		return nil
	}
	if _, err := d.db.ExecContext(ctx, `INSERT OR IGNORE INTO meta VALUES ('cluster_id', ?)`, id); err != nil {
		return fmt.Errorf("record the cluster: %w", err)
	}
	var held string
	if err := d.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'cluster_id'`).Scan(&held); err != nil {
		return fmt.Errorf("read the cluster: %w", err)
	}
	if held != id {
		return domain.Errorf(domain.ECONFLICT, "this analytics database holds the progress of Kafka cluster %q, not of %q: give another file with --db", held, id)
	}
	return nil
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

// loadPartition reads a partition's progress, partial and students.
func (d *DB) loadPartition(ctx context.Context, topic string, part int32, m *majors) (*partitionState, error) {
	s := newPartitionState(m)
	p := s.partial
	err := d.db.QueryRowContext(ctx, `SELECT next_offset, read, rejected, events, old_json, old_csv
		FROM partitions WHERE topic = ? AND "partition" = ?`, topic, part).
		Scan(&s.next, &p.Read, &p.Rejected, &p.Formats[FormatEvent], &p.Formats[FormatOldJSON], &p.Formats[FormatOldCSV])
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read progress of %s[%d]: %w", topic, part, err)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT major, age, n FROM partition_ages WHERE topic = ? AND "partition" = ?`, topic, part)
	if err != nil {
		return nil, fmt.Errorf("read partial of %s[%d]: %w", topic, part, err)
	}
	for rows.Next() {
		var major string
		var age int
		var n int64
		if err := rows.Scan(&major, &age, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read partial of %s[%d]: %w", topic, part, err)
		}
		if age < 0 || age > MaxValidAge {
			continue
		}
		if major == "" {
			p.Messages[age] = n
		} else {
			p.major(m.names[m.id(major)])[age] = n
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("read partial of %s[%d]: %w", topic, part, err)
	}
	rows, err = d.db.QueryContext(ctx, `SELECT r.value->>1, r.value->>2, r.value->>7, r.value->>6
		FROM record_batches b, json_each(b.records) r
		WHERE b.topic = ? AND b."partition" = ? AND r.value->>1 IS NOT NULL ORDER BY b.first_offset, r.key`, topic, part)
	if err != nil {
		return nil, fmt.Errorf("read students of %s[%d]: %w", topic, part, err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, typ, major string
		var age int
		if err := rows.Scan(&key, &typ, &major, &age); err != nil {
			return nil, fmt.Errorf("read students of %s[%d]: %w", topic, part, err)
		}
		s.replay(key, typ, major, age)
	}
	return s, rows.Err()
}

// saveBatch stores a batch's records and the new state of the partitions
// it touched in one transaction.
func (d *DB) saveBatch(ctx context.Context, topic string, runs []*recordRun, snaps []snapshot) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store batch: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	if err := insertRuns(ctx, tx, topic, runs); err != nil {
		return err
	}
	// Prepared once: a batch changes hundreds of cells.
	progress, err := tx.PrepareContext(ctx, `INSERT INTO partitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (topic, "partition") DO UPDATE SET next_offset = excluded.next_offset, read = excluded.read,
		rejected = excluded.rejected, events = excluded.events, old_json = excluded.old_json, old_csv = excluded.old_csv`)
	if err != nil {
		return fmt.Errorf("store progress: %w", err)
	}
	defer progress.Close()
	cell, err := tx.PrepareContext(ctx, `INSERT INTO partition_ages VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (topic, "partition", major, age) DO UPDATE SET n = excluded.n`)
	if err != nil {
		return fmt.Errorf("store partial: %w", err)
	}
	defer cell.Close()
	for _, s := range snaps {
		if _, err := progress.ExecContext(ctx, topic, s.partition, s.next, s.read, s.rejected,
			s.formats[FormatEvent], s.formats[FormatOldJSON], s.formats[FormatOldCSV]); err != nil {
			return fmt.Errorf("store progress of %s[%d]: %w", topic, s.partition, err)
		}
		for _, c := range s.cells {
			if _, err := cell.ExecContext(ctx, topic, s.partition, c.major, c.age, c.n); err != nil {
				return fmt.Errorf("store partial of %s[%d]: %w", topic, s.partition, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

// Partial sums the partials of every partition of topic in the database,
// whichever process consumed them.
func (d *DB) Partial(ctx context.Context, topic string) (*Partial, error) {
	p := NewPartial()
	err := d.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(read), 0), COALESCE(SUM(rejected), 0), COALESCE(SUM(events), 0),
		COALESCE(SUM(old_json), 0), COALESCE(SUM(old_csv), 0) FROM partitions WHERE topic = ?`, topic).
		Scan(&p.Read, &p.Rejected, &p.Formats[FormatEvent], &p.Formats[FormatOldJSON], &p.Formats[FormatOldCSV])
	if err != nil {
		return nil, fmt.Errorf("read totals of %s: %w", topic, err)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT major, age, SUM(n) FROM partition_ages WHERE topic = ? GROUP BY major, age`, topic)
	if err != nil {
		return nil, fmt.Errorf("read ages of %s: %w", topic, err)
	}
	defer rows.Close()
	for rows.Next() {
		var major string
		var age int
		var n int64
		if err := rows.Scan(&major, &age, &n); err != nil {
			return nil, fmt.Errorf("read ages of %s: %w", topic, err)
		}
		switch {
		case age < 0 || age > MaxValidAge || n == 0:
		case major == "":
			p.Messages[age] = n
		default:
			p.major(major)[age] = n
		}
	}
	return p, rows.Err()
}

// SaveReport stores r as the latest report and forgets the oldest ones.
func (d *DB) SaveReport(ctx context.Context, r *domain.AgeReport) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store report: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // after Commit, a no-op
	res, err := tx.ExecContext(ctx, `INSERT INTO reports (generated_at, topic, min_age, read, rejected, filtered, kept, students, mean)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.GeneratedAt.UTC().Format(time.RFC3339Nano), r.Topic, r.MinAge,
		r.Read, r.Rejected, r.Filtered, r.Kept, r.Students, r.Mean)
	if err != nil {
		return fmt.Errorf("store report: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return fmt.Errorf("store report: %w", err)
	}
	for _, m := range r.Majors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO major_stats VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, m.Major, m.Students, m.Mean, m.Std, m.Min, m.Q1, m.Median, m.Q3, m.Max); err != nil {
			return fmt.Errorf("store report: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE id <= ?`, id-keptReports); err != nil {
		return fmt.Errorf("prune reports: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store report: %w", err)
	}
	return nil
}

// Latest returns the most recent report, or nil when there is none.
func (d *DB) Latest(ctx context.Context) (*domain.AgeReport, error) {
	r := &domain.AgeReport{Majors: []domain.MajorAges{}}
	var id int64
	var at string
	err := d.db.QueryRowContext(ctx, `SELECT id, generated_at, topic, min_age, read, rejected, filtered, kept, students, mean
		FROM reports ORDER BY id DESC LIMIT 1`).
		Scan(&id, &at, &r.Topic, &r.MinAge, &r.Read, &r.Rejected, &r.Filtered, &r.Kept, &r.Students, &r.Mean)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the latest report: %w", err)
	}
	r.GeneratedAt, _ = time.Parse(time.RFC3339Nano, at)
	rows, err := d.db.QueryContext(ctx, `SELECT major, students, mean, std, min, q1, median, q3, max
		FROM major_stats WHERE report_id = ? ORDER BY major`, id)
	if err != nil {
		return nil, fmt.Errorf("read the latest report: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m domain.MajorAges
		if err := rows.Scan(&m.Major, &m.Students, &m.Mean, &m.Std, &m.Min, &m.Q1, &m.Median, &m.Q3, &m.Max); err != nil {
			return nil, fmt.Errorf("read the latest report: %w", err)
		}
		r.Majors = append(r.Majors, m)
	}
	return r, rows.Err()
}

// Reader is domain.AgeReports over a database file that may not exist
// yet: each call opens it read-only, so the application never holds it.
type Reader struct{ Path string }

var _ domain.AgeReports = Reader{}

// Latest returns the latest report of the file, nil when there is none.
func (r Reader) Latest(ctx context.Context) (*domain.AgeReport, error) {
	if _, err := os.Stat(r.Path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	db, err := sql.Open("sqlite", "file:"+r.Path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", r.Path, err)
	}
	defer db.Close()
	var exists int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE name = 'reports'`).Scan(&exists); err != nil {
		return nil, fmt.Errorf("read %s: %w", r.Path, err)
	}
	if exists == 0 {
		return nil, nil
	}
	return (&DB{db: db}).Latest(ctx)
}
