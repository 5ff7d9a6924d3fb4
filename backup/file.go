package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// WriteFile writes a backup of db to path: to path.tmp first (mode 0600,
// a backup holds password hashes), synced, then renamed, so that path is
// either a whole backup or absent. Collections are spooled in path's
// directory, which must hold about twice the backup's uncompressed size.
func WriteFile(ctx context.Context, db *mongo.Database, path string, opts Options) (h Header, err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return Header{}, fmt.Errorf("backup: %w", err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmp)
		}
	}()
	if opts.TempDir == "" {
		opts.TempDir = filepath.Dir(path)
	}
	if h, err = Write(ctx, db, f, opts); err != nil {
		return Header{}, err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return Header{}, fmt.Errorf("backup: write %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, path); err != nil {
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
