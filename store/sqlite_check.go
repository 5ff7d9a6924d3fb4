package store

import (
	"encoding/binary"

	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// checkSQLiteFiles looks at every SQLite file of the embedded store before
// FerretDB opens it, so that a damaged file (a disk that failed, a copy cut
// short) stops the start with a sentence naming the file and the last
// backup rather than SQLite's "malformed (11)" — or, for some damage, a
// store that opens empty. The check reads one header: it costs nothing at
// any size.
func checkSQLiteFiles(sqliteDir, dataDir string) error {
	files, _ := filepath.Glob(filepath.Join(sqliteDir, "*.sqlite"))
	for _, f := range files {
		if why := damage(f); why != "" {
			return fmt.Errorf("the database file %s is damaged (%s); nothing was opened. %s", f, why, lastBackup(dataDir))
		}
	}
	return nil
}

// damage says what is wrong with an SQLite file's header, "" when nothing.
func damage(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	if info.Size() == 0 {
		return "it is empty"
	}
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil {
		return fmt.Sprintf("only %d bytes, not even an SQLite header", info.Size())
	}
	if string(h[:16]) != "SQLite format 3\x00" {
		return "it is not an SQLite database"
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	pages := int64(binary.BigEndian.Uint32(h[28:32]))
	// The header's page count is valid when its "version valid for"
	// matches the change counter; pages still in the WAL are not in the
	// file yet.
	valid := binary.BigEndian.Uint32(h[92:96]) == binary.BigEndian.Uint32(h[24:28])
	if _, err := os.Stat(path + "-wal"); err == nil || !valid {
		return ""
	}
	if want := pages * pageSize; info.Size() < want {
		return fmt.Sprintf("cut short: %d bytes of %d", info.Size(), want)
	}
	return ""
}

// BackupsDir is where the daily backups of a data dir go, and where a
// damaged store's message looks for the last one.
func BackupsDir(dataDir string) string { return filepath.Join(dataDir, "backups") }

// lastBackup is the sentence that says how to go on.
func lastBackup(dataDir string) string {
	dir := BackupsDir(dataDir)
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	if len(names) == 0 {
		return fmt.Sprintf("No backup was found in %s: keep the damaged file for recovery and ask for help.", dir)
	}
	slices.Sort(names) // the daily backups are named by their date
	return fmt.Sprintf("The last backup is %s: move the data directory aside and run 'scolarite restore %s' on a new one.",
		filepath.Join(dir, names[len(names)-1]), filepath.Join(dir, names[len(names)-1]))
}
