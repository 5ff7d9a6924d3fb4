// Package atomicfile writes a file whole or not at all: a reader (or a
// restart after a kill) sees the previous file or the new one, never half
// of it. Exports, reports and backups all write through it.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// AbandonedAfter is how long a temporary file may go unwritten before it
// counts as left by a writer that was killed: a live one writes it
// continuously.
const AbandonedAfter = time.Minute

// Write runs write on a temporary file beside path (".<name>.*.tmp"), and
// when it succeeded syncs it, gives it perm and renames it to path;
// otherwise the temporary file is removed. Temporary files that earlier,
// killed writers of the same path left are removed first.
func Write(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	dir := filepath.Dir(path)
	pattern := "." + filepath.Base(path) + ".*.tmp"
	removeAbandoned(filepath.Join(dir, pattern))
	tmp, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err = write(tmp); err != nil {
		return err
	}
	if err = errors.Join(tmp.Chmod(perm), tmp.Sync(), tmp.Close()); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func removeAbandoned(glob string) {
	matches, _ := filepath.Glob(glob)
	for _, m := range matches {
		if info, err := os.Stat(m); err == nil && time.Since(info.ModTime()) > AbandonedAfter {
			_ = os.Remove(m)
		}
	}
}
