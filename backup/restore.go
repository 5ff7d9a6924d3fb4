package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/store"
)

// ErrNotEmpty is returned (wrapped) by Restore when the database already
// holds documents.
var ErrNotEmpty = errors.New("the store is not empty")

// ErrDamaged is returned (wrapped) by Restore for a file that is not a
// whole backup of a format this build reads.
var ErrDamaged = errors.New("the backup file is damaged or not a Scolarité backup")

const (
	// insertBatch bounds the documents of one insert command.
	insertBatch = 500
	// undoTimeout bounds emptying the collections after a failed restore.
	undoTimeout = 2 * time.Minute
)

// Restore fills the empty database db from the backup r. It refuses a
// database holding any document, then reads the whole file and checks its
// format, schema version, and every file's size, checksum and count,
// before it writes anything. If an insert fails, the collections it
// filled are emptied again, so the store is left as empty as it was.
// Indexes are not in the backup: the store creates them when it opens.
func Restore(ctx context.Context, db *mongo.Database, r io.Reader, opts Options) (Header, error) {
	if err := checkEmpty(ctx, db); err != nil {
		return Header{}, err
	}
	tmp, err := os.MkdirTemp(opts.TempDir, "scolarite-restore-")
	if err != nil {
		return Header{}, fmt.Errorf("restore: temporary directory: %w", err)
	}
	defer os.RemoveAll(tmp)
	h, err := verify(r, tmp)
	if err != nil {
		return Header{}, err
	}
	// Checked again: a writer may have started while the file was read.
	if err := checkEmpty(ctx, db); err != nil {
		return Header{}, err
	}
	for i, c := range h.Collections {
		if err := load(ctx, db.Collection(c.Name), spoolPath(tmp, i)); err != nil {
			return Header{}, errors.Join(err, undo(db, h.Collections[:i+1]))
		}
	}
	return h, nil
}

func checkEmpty(ctx context.Context, db *mongo.Database) error {
	names, err := Collections(ctx, db)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, name := range names {
		n, err := db.Collection(name).CountDocuments(ctx, bson.D{})
		if err != nil {
			return fmt.Errorf("restore: count %s: %w", name, err)
		}
		if n > 0 {
			return fmt.Errorf("%w: collection %s of database %s holds %d document(s); restore fills an empty store only (use a new --data-dir, or another --database)",
				ErrNotEmpty, name, db.Name(), n)
		}
	}
	return nil
}

func spoolPath(tmp string, i int) string { return tmp + "/" + strconv.Itoa(i) + ".bson" }

// verify reads the whole archive, checks it against its header and
// spools each collection as BSON documents to tmp/<index>.bson.
func verify(r io.Reader, tmp string) (Header, error) {
	zr, err := gzip.NewReader(bufio.NewReader(r))
	if err != nil {
		return Header{}, fmt.Errorf("%w: not gzip-compressed: %v", ErrDamaged, err)
	}
	tr := tar.NewReader(zr)
	first, err := tr.Next()
	if err != nil {
		return Header{}, fmt.Errorf("%w: reading its first entry: %v", ErrDamaged, err)
	}
	if first.Name != headerName {
		return Header{}, fmt.Errorf("%w: the first entry is %q, not %s", ErrDamaged, first.Name, headerName)
	}
	var h Header
	if err := json.NewDecoder(io.LimitReader(tr, 1<<20)).Decode(&h); err != nil {
		return Header{}, fmt.Errorf("%w: %s: %v", ErrDamaged, headerName, err)
	}
	switch {
	case h.Format != Format:
		return Header{}, fmt.Errorf("%w: format %q, want %q", ErrDamaged, h.Format, Format)
	case h.FormatVersion != FormatVersion:
		return Header{}, fmt.Errorf("%w: format version %d; this build reads version %d", ErrDamaged, h.FormatVersion, FormatVersion)
	case h.SchemaVersion > store.SchemaVersion:
		return Header{}, fmt.Errorf("%w: made with schema version %d, newer than this build's %d: restore it with a newer scolarite", ErrDamaged, h.SchemaVersion, store.SchemaVersion)
	}
	seen := map[string]bool{}
	for i, c := range h.Collections {
		if c.Name == "" || seen[c.Name] || c.File != c.Name+".jsonl" {
			return Header{}, fmt.Errorf("%w: header entry %d (%q, file %q) is invalid or repeated", ErrDamaged, i+1, c.Name, c.File)
		}
		seen[c.Name] = true
		e, err := tr.Next()
		if err != nil {
			return Header{}, fmt.Errorf("%w: %s is missing (the file is cut short?): %v", ErrDamaged, c.File, err)
		}
		if e.Name != c.File {
			return Header{}, fmt.Errorf("%w: entry %q where the header announces %s", ErrDamaged, e.Name, c.File)
		}
		if err := spool(tr, c, spoolPath(tmp, i)); err != nil {
			return Header{}, err
		}
	}
	if _, err := tr.Next(); err != io.EOF {
		return Header{}, fmt.Errorf("%w: more entries than the header lists, or a damaged end: %v", ErrDamaged, err)
	}
	// Reading to the gzip end checks its CRC and length.
	if _, err := io.Copy(io.Discard, zr); err != nil {
		return Header{}, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	return h, nil
}

// spool checks one .jsonl entry and writes its documents as BSON.
func spool(r io.Reader, c Collection, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	out := bufio.NewWriterSize(f, 256<<10)
	sum := sha256.New()
	counted := &countWriter{w: sum}
	lines := bufio.NewReaderSize(io.TeeReader(r, counted), 256<<10)
	var n int64
	for {
		line, err := lines.ReadBytes('\n')
		if len(line) > 0 {
			n++
			if line[len(line)-1] != '\n' {
				return fmt.Errorf("%w: %s line %d is cut short", ErrDamaged, c.File, n)
			}
			var doc bson.Raw
			if err := bson.UnmarshalExtJSON(bytes.TrimSpace(line), true, &doc); err != nil {
				return fmt.Errorf("%w: %s line %d: %v", ErrDamaged, c.File, n, err)
			}
			if _, err := out.Write(doc); err != nil {
				return fmt.Errorf("restore: spool %s: %w", c.Name, err)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %v", ErrDamaged, c.File, err)
		}
	}
	got := hex.EncodeToString(sum.Sum(nil))
	switch {
	case counted.n != c.Bytes:
		return fmt.Errorf("%w: %s has %d bytes, the header says %d", ErrDamaged, c.File, counted.n, c.Bytes)
	case got != c.SHA256:
		return fmt.Errorf("%w: %s has SHA-256 %s, the header says %s", ErrDamaged, c.File, got, c.SHA256)
	case n != c.Count:
		return fmt.Errorf("%w: %s has %d documents, the header says %d", ErrDamaged, c.File, n, c.Count)
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("restore: spool %s: %w", c.Name, err)
	}
	return nil
}

// load inserts the spooled documents of one collection in batches.
func load(ctx context.Context, coll *mongo.Collection, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 256<<10)
	batch := make([]any, 0, insertBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := coll.InsertMany(ctx, batch); err != nil {
			return fmt.Errorf("restore: insert into %s: %w", coll.Name(), err)
		}
		batch = batch[:0]
		return nil
	}
	for {
		doc, err := readDoc(r)
		if err == io.EOF {
			return flush()
		}
		if err != nil {
			return fmt.Errorf("restore: read spooled %s: %w", coll.Name(), err)
		}
		if batch = append(batch, doc); len(batch) == insertBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// readDoc reads one length-prefixed BSON document.
func readDoc(r *bufio.Reader) (bson.Raw, error) {
	size, err := r.Peek(4)
	if err != nil {
		if err == io.EOF && len(size) == 0 {
			return nil, io.EOF
		}
		return nil, err
	}
	doc := make([]byte, binary.LittleEndian.Uint32(size))
	if _, err := io.ReadFull(r, doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// undo empties the collections a failed restore wrote to (they were empty
// before it), with a context of its own: the restore's may be what ended.
func undo(db *mongo.Database, colls []Collection) error {
	ctx, cancel := context.WithTimeout(context.Background(), undoTimeout)
	defer cancel()
	var errs []error
	for _, c := range colls {
		if _, err := db.Collection(c.Name).DeleteMany(ctx, bson.D{}); err != nil {
			errs = append(errs, fmt.Errorf("restore: empty %s again after the failure: %w", c.Name, err))
		}
	}
	return errors.Join(errs...)
}
