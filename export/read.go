package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"scolarite/domain"
)

// rowReader yields the rows of a file, header included, with the line (CSV)
// or row number (Excel) each starts on; io.EOF after the last.
type rowReader interface {
	Next() (cells []string, line int, err error)
	// Position is how far reading went, out of Size, for progress bars.
	Position() (done, size int64)
	Close() error
}

// Magic numbers of files people pick by mistake or on purpose.
var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1} // .xls, .doc
	pdfMagic = []byte("%PDF")
)

// maxCell is the most text a cell may hold, in bytes: the longest value
// an import reads is an e-mail (254 bytes), and a free-text column the
// import ignores (Observations) rarely holds more than a paragraph. 4 KB
// leaves room for both, and bounds a row's memory with its line length.
const maxCell = 4 << 10

// longCell is the index of the first cell longer than maxCell, or -1.
func longCell(cells []string) int {
	for i, c := range cells {
		if len(c) > maxCell {
			return i
		}
	}
	return -1
}

// sizeText writes a byte count for people: "5 KB", "900 MB".
func sizeText(n int) string {
	switch {
	case n >= 10<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", (n+1<<10-1)>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// fileError is an EINVALID error about the file as a whole.
func fileError(format string, args ...any) error {
	return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf(format, args...)}
}

// fileErrorFrom is fileError keeping the library's error as the cause (for
// the log; people read the message).
func fileErrorFrom(cause error, format string, args ...any) error {
	return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf(format, args...), Err: cause}
}

// openRows opens path as CSV or Excel, by its content first (a .csv that
// is really a workbook is read as one) and its extension second.
func openRows(path, sheet string) (rowReader, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fileError("%s: no such file", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	info, err := f.Stat()
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if info.IsDir() {
		_ = f.Close()
		return nil, fileError("%s is a directory, not a file", path)
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	ext := strings.ToLower(filepath.Ext(path))
	switch {
	case n == 0:
		_ = f.Close()
		return nil, fileError("%s is empty", filepath.Base(path))
	case bytes.HasPrefix(head, zipMagic):
		_ = f.Close()
		return openXLSXFile(path, sheet, info.Size())
	case bytes.HasPrefix(head, oleMagic) || ext == ".xls":
		_ = f.Close()
		return nil, fileError("%s is an old Excel 97–2003 (.xls) file: save it as .xlsx (Excel workbook) or .csv and import that", filepath.Base(path))
	case bytes.HasPrefix(head, pdfMagic):
		_ = f.Close()
		return nil, fileError("%s is a PDF document: import a .csv or .xlsx file", filepath.Base(path))
	case ext == ".xlsx" || ext == ".xlsm":
		_ = f.Close()
		return nil, fileError("%s is not an Excel workbook (it does not start like one): is it a renamed file?", filepath.Base(path))
	}
	if sheet != "" {
		_ = f.Close()
		return nil, fileError("--sheet is for Excel workbooks; %s is a CSV file", filepath.Base(path))
	}
	r, err := newCSVRows(f, info.Size())
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return r, nil
}
