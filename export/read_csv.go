package export

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"scolarite/domain"
)

// Limits of a CSV import: the header row must show within the first
// sniffLen bytes, and no line may be longer than maxLine (a 20 MB file of
// one line is not a student list, and must not be read whole).
const (
	sniffLen = 64 << 10
	maxLine  = 1 << 20
)

// csvRows reads CSV rows: UTF-8 with or without a byte order mark, or
// Windows-1252 (what older spreadsheets save), decided for the whole file
// by encodingReader; separated by , ; or a tab, whichever the first line
// uses most.
type csvRows struct {
	c     io.Closer
	count *countReader
	r     *csv.Reader
	size  int64
}

// newCSVRows sniffs the encoding and the separator, then streams.
func newCSVRows(rc io.ReadCloser, size int64) (*csvRows, error) {
	count := &countReader{r: rc}
	br := bufio.NewReaderSize(count, sniffLen)
	sample, err := br.Peek(sniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read: %w", err)
	}
	sample, hadBOM := bytes.CutPrefix(sample, []byte(utf8BOM))
	if hadBOM {
		_, _ = br.Discard(len(utf8BOM))
	}
	if len(bytes.TrimSpace(sample)) == 0 {
		return nil, fileError("the file is empty: it should start with a header row (Nom, Prénom, Téléphone, …)")
	}
	if isBinary(sample) {
		return nil, fileError("the file holds binary data, not text: import a .csv (text) or .xlsx (Excel) file")
	}
	first, _, found := bytes.Cut(sample, []byte{'\n'})
	if !found && len(sample) == sniffLen {
		return nil, fileError("line 1 is longer than %d KB without a line break: this is not a CSV file with a header row", sniffLen>>10)
	}
	if !utf8.Valid(first) {
		first, _ = charmap.Windows1252.NewDecoder().Bytes(first)
	}
	text := &encodingReader{br: br}
	if hadBOM {
		text.mode = encUTF8
	}
	sep := sniffSeparator(first)
	r := csv.NewReader(&lineLimit{r: text, max: maxLine, line: 1})
	r.Comma = sep
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = true
	return &csvRows{c: rc, count: count, r: r, size: size}, nil
}

func (c *csvRows) Next() ([]string, int, error) {
	rec, err := c.r.Read()
	if err != nil {
		var le *lineTooLong
		var pe *csv.ParseError
		var de *domain.Error
		switch {
		case errors.As(err, &de):
			return nil, 0, err
		case errors.Is(err, io.EOF):
			return nil, 0, io.EOF
		case errors.As(err, &le):
			return nil, 0, fileError("line %d is longer than %d KB: this is not a list of students", le.line, maxLine>>10)
		case errors.As(err, &pe):
			return nil, 0, fileErrorFrom(err, "line %d: %v", pe.Line, pe.Err)
		}
		return nil, 0, fmt.Errorf("read CSV: %w", err)
	}
	line, _ := c.r.FieldPos(0)
	if i := longCell(rec); i >= 0 {
		at, _ := c.r.FieldPos(i)
		return nil, 0, fileError("line %d, column %s: the cell holds %s of text; a cell holds at most %d KB (no value of a student list is that long)", at, colName(i), sizeText(len(rec[i])), maxCell>>10)
	}
	return rec, line, nil
}

func (c *csvRows) Position() (int64, int64) { return c.count.n, c.size }
func (c *csvRows) Close() error             { return c.c.Close() }

// isBinary: NUL bytes or many control characters are no spreadsheet text.
func isBinary(b []byte) bool {
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' {
			ctl++
		}
	}
	return ctl*100 > len(b)
}

// sniffSeparator picks the separator the header line uses most, counting
// outside quotes; a comma when it uses none.
func sniffSeparator(line []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range line {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ',' || c == ';' || c == '\t'):
			counts[c]++
		}
	}
	best, n := byte(','), 0
	for _, c := range []byte{',', ';', '\t'} {
		if counts[c] > n {
			best, n = c, counts[c]
		}
	}
	return rune(best)
}

// countReader counts the bytes read, for progress.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// lineLimit fails a read once a line grows beyond max bytes, so a huge
// file without line breaks is refused instead of read into one record.
type lineLimit struct {
	r    io.Reader
	max  int
	cur  int
	line int
}

type lineTooLong struct{ line int }

func (e *lineTooLong) Error() string { return fmt.Sprintf("line %d is too long", e.line) }

func (l *lineLimit) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for i := 0; i < n; i++ {
		if p[i] == '\n' {
			l.cur = 0
			l.line++
			continue
		}
		l.cur++
		if l.cur > l.max {
			return i, &lineTooLong{line: l.line}
		}
	}
	return n, err
}
