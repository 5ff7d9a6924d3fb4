package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits that keep an Excel import's memory bounded. excelize decodes a
// cell's text, and any other run of text or tag, whole (a 900 MB cell took
// 4 GB), and reads every part it does not stream into memory. So before
// excelize opens a workbook, guardXLSX streams its zip once, in constant
// memory, and refuses what would not fit.
const (
	// maxXLSXFile: excelize reads the whole file into memory. A workbook
	// of 20,000 students is a few MB.
	maxXLSXFile = 100 << 20
	// xmlInMemory: sheets and shared strings bigger than this are unzipped
	// to temporary files and streamed; smaller parts are held in memory.
	xmlInMemory = 4 << 20
	// maxInMemory bounds the parts held in memory, all together.
	maxInMemory = 64 << 20
	// maxTag bounds an element's tag with its attributes, a comment or a
	// processing instruction.
	maxTag = 64 << 10
	// rawCellSlack: the guard counts text as written in the XML, where an
	// entity (&quot;) is up to 6 bytes for 1, so it refuses beyond
	// rawCellSlack×maxCell; the exact limit is checked on the decoded cell.
	rawCellSlack = 6
	// maxSharedStrings bounds the shared-string table (excelize keeps an
	// index entry per string): 50 distinct texts for each of 20,000 rows.
	maxSharedStrings = 1_000_000
)

// guardXLSX checks the workbook at path against the limits above, for the
// sheet that will be read ("" is the first).
func guardXLSX(path, sheet string) error {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil // excelize says why it is not a workbook
	}
	defer zr.Close()
	return guardZip(&zr.Reader, sheet)
}

func guardZip(zr *zip.Reader, sheet string) error {
	var total, inMemory uint64
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		parts[name] = f
		total += f.UncompressedSize64
		streamed := (name == "xl/sharedstrings.xml" || strings.HasPrefix(name, "xl/worksheets/sheet")) && f.UncompressedSize64 > xmlInMemory
		if !streamed {
			inMemory += f.UncompressedSize64
		}
	}
	switch {
	case total > maxUnzip:
		return fileError("the workbook unpacks to more than %d MB: refused", maxUnzip>>20)
	case inMemory > maxInMemory:
		return fileError("the workbook's parts other than its sheets take more than %d MB unpacked (images, styles?): save the student list alone in a new workbook", maxInMemory>>20)
	}
	var shared []int32
	if f := parts["xl/sharedstrings.xml"]; f != nil {
		var err error
		if shared, err = scanSharedStrings(f); err != nil {
			return err
		}
	}
	for _, f := range sheetParts(parts, sheet) {
		if err := scanSheet(f, shared); err != nil {
			return err
		}
	}
	return nil
}

// sheetParts is the worksheet part of sheet (the first when ""), found
// through the workbook and its relationships; every worksheet when they
// cannot be read (excelize will then say what is wrong).
func sheetParts(parts map[string]*zip.File, sheet string) []*zip.File {
	if f := parts[sheetPath(parts, sheet)]; f != nil {
		return []*zip.File{f}
	}
	var all []*zip.File
	for name, f := range parts {
		if strings.HasPrefix(name, "xl/worksheets/") && strings.HasSuffix(name, ".xml") {
			all = append(all, f)
		}
	}
	return all
}

func sheetPath(parts map[string]*zip.File, sheet string) string {
	rid := ""
	_ = walkPart(parts["xl/workbook.xml"], func(name string, tag []byte) error {
		if name == "sheet" && rid == "" && (sheet == "" || attr(tag, "name") == sheet) {
			rid = attr(tag, "r:id")
		}
		return nil
	}, nil)
	target := ""
	_ = walkPart(parts["xl/_rels/workbook.xml.rels"], func(name string, tag []byte) error {
		if name == "Relationship" && rid != "" && attr(tag, "Id") == rid {
			target = attr(tag, "Target")
		}
		return nil
	}, nil)
	target = strings.ToLower(target)
	if t, ok := strings.CutPrefix(target, "/"); ok {
		return t
	}
	return "xl/" + target
}

// scanSharedStrings returns the length of each shared string (capped),
// so that the sheet's scan counts the text of the cells that use one.
func scanSharedStrings(f *zip.File) ([]int32, error) {
	var lengths []int32
	err := walkPart(f, func(name string, tag []byte) error {
		if name == "si" && (len(tag) == 0 || tag[0] != '/') {
			if len(lengths) >= maxSharedStrings {
				return fileError("the workbook holds more than %d different texts: this is not a list of students", maxSharedStrings)
			}
			lengths = append(lengths, 0)
		}
		return nil
	}, func(text []byte) error {
		if i := len(lengths) - 1; i >= 0 {
			lengths[i] = int32(min(int64(lengths[i])+int64(len(text)), 1<<30))
		}
		return nil
	})
	return lengths, err
}

// scanSheet refuses a cell or a row holding too much text, naming it.
func scanSheet(f *zip.File, shared []int32) error {
	var (
		row, col        int
		ref, typ, value string
		inCell, inValue bool
		cellText, rowN  int
	)
	cellName := func() string {
		if c, r, err := excelize.CellNameToCoordinates(ref); err == nil {
			return fmt.Sprintf("row %d, column %s", r, colName(c-1))
		}
		return fmt.Sprintf("row %d, column %s", row, colName(col))
	}
	count := func(n int) error {
		cellText += n
		rowN += n
		switch {
		case cellText > rawCellSlack*maxCell:
			return fileError("%s: the cell holds more than %d KB of text; no value of a student list is that long", cellName(), maxCell>>10)
		case rowN > rawCellSlack*maxLine:
			return fileError("row %d holds more than %d KB of text: this is not a list of students", row, maxLine>>10)
		}
		return nil
	}
	return walkPart(f, func(name string, tag []byte) error {
		closing := len(tag) > 0 && tag[0] == '/'
		switch {
		case name == "row" && !closing:
			if r, err := strconv.Atoi(attr(tag, "r")); err == nil {
				row = r
			} else {
				row++
			}
			col, rowN = -1, 0
		case name == "c" && !closing:
			col++
			ref, typ, value, cellText = attr(tag, "r"), attr(tag, "t"), "", 0
			inCell = !bytes.HasSuffix(tag, []byte("/"))
		case name == "c":
			inCell = false
			if typ == "s" {
				if i, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && i >= 0 && i < len(shared) {
					return count(int(shared[i]))
				}
			}
		case name == "v":
			inValue = !closing && inCell
		}
		return nil
	}, func(text []byte) error {
		if !inCell {
			if len(text) > rawCellSlack*maxCell {
				return fileError("row %d: the sheet holds more than %d KB of text outside any cell: this is not a list of students", max(row, 1), rawCellSlack*maxCell>>10)
			}
			return nil
		}
		if inValue && len(value) < 32 {
			value += string(text[:min(len(text), 32)])
		}
		return count(len(text))
	})
}

// walkPart streams the XML of f, handing each tag (between < and >, with
// its local name) and each piece of text to the callbacks. It holds at
// most one tag and one buffer: a long text is handed over in pieces, so
// the callbacks can refuse it before it is read to its end.
func walkPart(f *zip.File, onTag func(name string, tag []byte) error, onText func([]byte) error) error {
	if f == nil {
		return nil
	}
	rc, err := f.Open()
	if err != nil {
		return nil // excelize reports an unreadable part
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 64<<10)
	var tag []byte
	for {
		chunk, err := br.ReadSlice('<')
		if len(chunk) > 0 {
			text := chunk
			if text[len(text)-1] == '<' {
				text = text[:len(text)-1]
			}
			if len(text) > 0 && onText != nil {
				if err := onText(text); err != nil {
					return err
				}
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err != nil:
			return nil // the end, or a broken part excelize will report
		}
		if tag, err = readTag(br, tag[:0]); err != nil {
			return err
		}
		if len(tag) == 0 || tag[0] == '?' || tag[0] == '!' {
			continue
		}
		name := tagName(tag)
		if err := onTag(name, tag); err != nil {
			return err
		}
	}
}

// readTag reads up to the end of a tag (quotes respected), a comment or a
// processing instruction; CDATA is read as a tag too, so it is bounded.
func readTag(br *bufio.Reader, tag []byte) ([]byte, error) {
	var quote byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			return tag, nil
		}
		tag = append(tag, c)
		if len(tag) > maxTag {
			return nil, fileError("the workbook holds an XML element longer than %d KB: this is not a list of students", maxTag>>10)
		}
		comment := bytes.HasPrefix(tag, []byte("!--")) || bytes.HasPrefix(tag, []byte("![CDATA["))
		switch {
		case comment:
			if c == '>' && len(tag) > 4 && (bytes.HasSuffix(tag, []byte("-->")) || bytes.HasSuffix(tag, []byte("]]>"))) {
				return tag, nil
			}
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			if len(tag) > 1 {
				quote = c
			}
		case c == '>':
			return tag[:len(tag)-1], nil
		}
	}
}

// tagName is the local name of a tag ("x:c" is "c"), without the "/" of
// a closing tag.
func tagName(tag []byte) string {
	t := bytes.TrimPrefix(tag, []byte("/"))
	if i := bytes.IndexAny(t, " \t\r\n/"); i >= 0 {
		t = t[:i]
	}
	if i := bytes.LastIndexByte(t, ':'); i >= 0 {
		t = t[i+1:]
	}
	return string(t)
}

// attr is the value of the attribute key in tag, "" when absent.
func attr(tag []byte, key string) string {
	s := string(tag)
	for i := 0; ; {
		j := strings.Index(s[i:], key+"=")
		if j < 0 {
			return ""
		}
		j += i
		k := j + len(key) + 1
		if (j == 0 || strings.ContainsRune(" \t\r\n", rune(s[j-1]))) && k < len(s) && (s[k] == '"' || s[k] == '\'') {
			if end := strings.IndexByte(s[k+1:], s[k]); end >= 0 {
				return s[k+1 : k+1+end]
			}
			return ""
		}
		i = k
	}
}
