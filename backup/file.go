package backup

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"scolarite/atomicfile"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// WriteFile writes a backup of db to path, whole or not at all
// (atomicfile.Write), mode 0600: a backup holds password hashes.
// Collections are spooled in path's directory, which must hold about
// twice the backup's uncompressed size.
func WriteFile(ctx context.Context, db *mongo.Database, path string, opts Options) (h Header, err error) {
	if opts.TempDir == "" {
		opts.TempDir = filepath.Dir(path)
	}
	err = atomicfile.Write(path, 0o600, func(w io.Writer) error {
		h, err = Write(ctx, db, w, opts)
		return err
	})
	if err != nil {
		return Header{}, fmt.Errorf("backup: %w", err)
	}
	return h, nil
}

// RestoreFile restores the backup at path into the empty db (Restore).
func RestoreFile(ctx context.Context, db *mongo.Database, path string, opts Options) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, fmt.Errorf("restore: %w", err)
	}
	defer f.Close()
	return Restore(ctx, db, f, opts)
}
