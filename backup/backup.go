// Package backup writes and restores whole-store backups: every collection
// of the MongoDB database (embedded FerretDB or a real server), each as
// canonical Extended JSON lines, with a header of counts and checksums, in
// one tar.gz. It takes the raw database from the store (Store.Database) and
// is wired by main; the domain never sees it.
//
// Format (version 1): a gzip-compressed tar whose first entry is
// header.json (Header), followed by one <collection>.jsonl per collection
// in the header's order. Each line of a .jsonl file is one document as
// bson.MarshalExtJSON(doc, canonical=true, escapeHTML=false) writes it,
// which `mongoimport --file students.jsonl` reads as it is. The header
// holds the SHA-256, size and document count of every file, so that
// restore can refuse a damaged or truncated backup before writing anything.
//
// Consistency. FerretDB has no snapshots and no transactions, so a backup
// is a pass that reads each collection once, in an order chosen so that
// what it holds is what a crash could have left: the trails (audit,
// events, notifications and the other collections) first, then the records
// (students, users), then counters last (the next matricule is never below
// a stored one). Every document is read whole (one document is one read on
// both servers), so every restored student is valid. Every domain write
// appends to audit and events; when their counts did not move during a
// pass, no recorded write happened meanwhile and the backup is one moment
// of the store (Header.Quiet). Otherwise the pass is retried, up to
// maxPasses times, and the last one is kept with Quiet false: then a
// student may hold a change made during the pass whose audit entry or event
// is missing, as after a crash between the two writes, but no event or
// entry exists without its write.
package backup

import (
	"archive/tar"
	"bufio"
	"cmp"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/store"
)

// Format identifies a backup file; FormatVersion is its layout.
const (
	Format        = "scolarite-backup"
	FormatVersion = 1
	headerName    = "header.json"
	// maxPasses bounds the retries of a pass during which writes happened.
	maxPasses = 3
)

// Header is header.json, the first entry of a backup.
type Header struct {
	Format        string       `json:"format"`
	FormatVersion int          `json:"format_version"`
	SchemaVersion int          `json:"schema_version"`
	Database      string       `json:"database"`
	StartedAt     time.Time    `json:"started_at"`
	FinishedAt    time.Time    `json:"finished_at"`
	Quiet         bool         `json:"quiet"`
	Passes        int          `json:"passes"`
	Collections   []Collection `json:"collections"`
}

// Collection describes one <collection>.jsonl entry.
type Collection struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	Count  int64  `json:"count"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Options tune Write; the zero value is usable.
type Options struct {
	// TempDir holds the collections while the pass runs (default
	// os.TempDir()); the daily backups use their own directory.
	TempDir string
	Now     func() time.Time
}

// Write reads every collection of db and writes the backup to w. The
// collections are spooled to temporary files first, so that the header,
// which needs their counts and checksums, comes first in the file.
func Write(ctx context.Context, db *mongo.Database, w io.Writer, opts Options) (Header, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	tmp, err := os.MkdirTemp(opts.TempDir, "scolarite-backup-")
	if err != nil {
		return Header{}, fmt.Errorf("backup: temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)

	h := Header{Format: Format, FormatVersion: FormatVersion, SchemaVersion: store.SchemaVersion, Database: db.Name()}
	for h.Passes < maxPasses && !h.Quiet {
		h.Passes++
		h.StartedAt = opts.Now().UTC()
		before, err := fence(ctx, db)
		if err != nil {
			return Header{}, err
		}
		if h.Collections, err = pass(ctx, db, tmp); err != nil {
			return Header{}, err
		}
		after, err := fence(ctx, db)
		if err != nil {
			return Header{}, err
		}
		h.Quiet = before == after
		h.FinishedAt = opts.Now().UTC()
	}
	if err := writeArchive(w, h, tmp); err != nil {
		return Header{}, err
	}
	return h, nil
}

// fence counts the trails every domain write appends to.
func fence(ctx context.Context, db *mongo.Database) ([2]int64, error) {
	var f [2]int64
	for i, name := range []string{"audit", "events"} {
		n, err := db.Collection(name).CountDocuments(ctx, bson.D{})
		if err != nil {
			return f, fmt.Errorf("backup: count %s: %w", name, err)
		}
		f[i] = n
	}
	return f, nil
}

// Collections lists the database's collections in the order a pass reads
// them (see the package comment); system collections are left out.
func Collections(ctx context.Context, db *mongo.Database) ([]string, error) {
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("backup: list collections: %w", err)
	}
	names = slices.DeleteFunc(names, func(n string) bool { return strings.HasPrefix(n, "system.") })
	rank := func(n string) int {
		switch n {
		case "students", "users":
			return 1
		case "counters":
			return 2
		}
		return 0
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(a, b))
	})
	return names, nil
}

// pass writes each collection to tmp/<name>.jsonl.
func pass(ctx context.Context, db *mongo.Database, tmp string) ([]Collection, error) {
	names, err := Collections(ctx, db)
	if err != nil {
		return nil, err
	}
	colls := make([]Collection, 0, len(names))
	for _, name := range names {
		c, err := dump(ctx, db.Collection(name), tmp)
		if err != nil {
			return nil, err
		}
		colls = append(colls, c)
	}
	return colls, nil
}

func dump(ctx context.Context, coll *mongo.Collection, tmp string) (c Collection, err error) {
	c = Collection{Name: coll.Name(), File: coll.Name() + ".jsonl"}
	f, err := os.Create(tmp + "/" + c.File)
	if err != nil {
		return c, fmt.Errorf("backup: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	sum := sha256.New()
	counted := &countWriter{w: io.MultiWriter(f, sum)}
	bw := bufio.NewWriterSize(counted, 256<<10)
	cur, err := coll.Find(ctx, bson.D{})
	if err != nil {
		return c, fmt.Errorf("backup: read %s: %w", c.Name, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		line, err := bson.MarshalExtJSON(cur.Current, true, false)
		if err != nil {
			return c, fmt.Errorf("backup: %s document %d to Extended JSON: %w", c.Name, c.Count+1, err)
		}
		bw.Write(line)
		bw.WriteByte('\n')
		c.Count++
	}
	if err := cur.Err(); err != nil {
		return c, fmt.Errorf("backup: read %s: %w", c.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return c, fmt.Errorf("backup: spool %s: %w", c.Name, err)
	}
	c.Bytes, c.SHA256 = counted.n, hex.EncodeToString(sum.Sum(nil))
	return c, nil
}

// writeArchive writes header.json then the spooled files as a tar.gz.
func writeArchive(w io.Writer, h Header, tmp string) error {
	head, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return fmt.Errorf("backup: header: %w", err)
	}
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	entry := func(name string, size int64) error {
		return tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: size, ModTime: h.FinishedAt, Typeflag: tar.TypeReg, Format: tar.FormatPAX})
	}
	if err := entry(headerName, int64(len(head))); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	if _, err := tw.Write(head); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	for _, c := range h.Collections {
		if err := copyEntry(tw, entry, tmp, c); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("backup: write: %w", err)
	}
	return nil
}

func copyEntry(tw *tar.Writer, entry func(string, int64) error, tmp string, c Collection) error {
	f, err := os.Open(tmp + "/" + c.File)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	if err := entry(c.File, c.Bytes); err != nil {
		return fmt.Errorf("backup: write %s: %w", c.File, err)
	}
	if _, err := io.Copy(tw, f); err != nil {
		return fmt.Errorf("backup: write %s: %w", c.File, err)
	}
	return nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
