package export

import (
	"bufio"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// encoding is what a CSV file's text is written in.
type encoding int

const (
	encUndecided encoding = iota // only ASCII so far
	encUTF8
	encWindows1252
)

// encodingReader decides a CSV file's encoding line by line, with
// certainty or not at all: the first line holding a non-ASCII byte decides
// (valid UTF-8: UTF-8, else Windows-1252, what older spreadsheets save),
// and a later line that contradicts it refuses the file naming both lines.
// A file cannot be both, and guessing one for the whole file turned a
// UTF-8 header into "PrÃ©nom" or a name into "FranÃ§oise". (Windows-1252
// text that happens to be valid UTF-8 needs pairs like "Ã©", which no
// student list holds.)
type encodingReader struct {
	br        *bufio.Reader
	mode      encoding
	decidedAt int // the line that decided the mode (0: the UTF-8 mark)
	line      int // lines read
	out       []byte
	buf       []byte
	err       error
}

var errMixed = errors.New("mixed encodings")

func (e *encodingReader) Read(p []byte) (int, error) {
	for len(e.out) == 0 {
		if e.err != nil {
			return 0, e.err
		}
		raw, err := e.readLine()
		if len(raw) > 0 {
			e.line++
			if e.err = e.decide(raw); e.err != nil {
				return 0, e.err
			}
			if e.mode == encWindows1252 {
				raw, _ = charmap.Windows1252.NewDecoder().Bytes(raw)
			}
			e.out = raw
		}
		if err != nil {
			e.err = err
		}
	}
	n := copy(p, e.out)
	e.out = e.out[n:]
	return n, nil
}

// readLine reads one line with its line feed, refusing one longer than
// maxLine before it is held whole.
func (e *encodingReader) readLine() ([]byte, error) {
	e.buf = e.buf[:0]
	for {
		chunk, err := e.br.ReadSlice('\n')
		e.buf = append(e.buf, chunk...)
		if len(e.buf) > maxLine+1 {
			return nil, &lineTooLong{line: e.line + 1}
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return e.buf, err
		}
	}
}

// decide records or checks the encoding of one line.
func (e *encodingReader) decide(raw []byte) error {
	ascii := true
	for _, c := range raw {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	valid := utf8.Valid(raw)
	switch {
	case e.mode == encUndecided && valid:
		e.mode, e.decidedAt = encUTF8, e.line
	case e.mode == encUndecided:
		e.mode, e.decidedAt = encWindows1252, e.line
	case e.mode == encUTF8 && !valid:
		why := fmt.Sprintf("line %d is in UTF-8", e.decidedAt)
		if e.decidedAt == 0 {
			why = "the file starts with the UTF-8 mark"
		}
		return fileErrorFrom(errMixed, "line %d is not UTF-8 (it writes accents as one byte, as Windows-1252 does) while %s: the file mixes two encodings; save it again as \"CSV UTF-8\" and import that", e.line, why)
	case e.mode == encWindows1252 && valid:
		return fileErrorFrom(errMixed, "line %d is in UTF-8 while line %d is not (it writes accents as one byte, as Windows-1252 does): the file mixes two encodings; save it again as \"CSV UTF-8\" and import that", e.line, e.decidedAt)
	}
	return nil
}
