package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of an Excel import: a workbook unzips to at most maxUnzip bytes
// (a zip bomb is refused), and parts above excelize's stream chunk go to
// temporary files instead of memory.
const maxUnzip = 1 << 30

// xlsxOptions stream big sheets and shared strings from temporary files.
var xlsxOptions = excelize.Options{UnzipSizeLimit: maxUnzip, UnzipXMLSizeLimit: xmlInMemory}

// xlsxRows streams the rows of one sheet with excelize's row iterator,
// reading raw cell values: numbers as stored (771234567, not 7.7E+08 or
// "771 234 567"), dates as serial numbers, formulas as the value the
// spreadsheet last calculated.
type xlsxRows struct {
	f     *excelize.File
	rows  *excelize.Rows
	line  int
	total int64
}

func openXLSXFile(path, sheet string, size int64) (rowReader, error) {
	if size > maxXLSXFile {
		return nil, fileError("%s is larger than %d MB: a workbook of 20,000 students is a few MB; save the student list alone in a new workbook", filepath.Base(path), maxXLSXFile>>20)
	}
	if err := guardXLSX(path, sheet); err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, xlsxOptions)
	if err != nil {
		return nil, xlsxOpenError(filepath.Base(path), err)
	}
	return newXLSXRows(f, sheet)
}

// openXLSXReader reads a workbook from memory (tests and fuzzing).
func openXLSXReader(r io.Reader, sheet string) (rowReader, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxXLSXFile+1))
	if err != nil {
		return nil, fmt.Errorf("read workbook: %w", err)
	}
	if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil {
		if err := guardZip(zr, sheet); err != nil {
			return nil, err
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxOptions)
	if err != nil {
		return nil, xlsxOpenError("the file", err)
	}
	return newXLSXRows(f, sheet)
}

func xlsxOpenError(name string, err error) error {
	if strings.Contains(err.Error(), "unzip size") {
		return fileError("%s unpacks to more than %d MB: refused", name, maxUnzip>>20)
	}
	return fileErrorFrom(err, "%s is not a readable Excel workbook (%v)", name, err)
}

func newXLSXRows(f *excelize.File, sheet string) (*xlsxRows, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return nil, fileError("the workbook has no sheet")
	}
	if sheet == "" {
		sheet = sheets[0]
	} else if !slices.Contains(sheets, sheet) {
		_ = f.Close()
		return nil, fileError("the workbook has no sheet named %q; its sheets are: %s", sheet, strings.Join(sheets, ", "))
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		_ = f.Close()
		return nil, fileErrorFrom(err, "sheet %q cannot be read (%v)", sheet, err)
	}
	x := &xlsxRows{f: f, rows: rows}
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.CellNameToCoordinates(last); err == nil {
				x.total = int64(row)
			}
		}
	}
	return x, nil
}

func (x *xlsxRows) Next() ([]string, int, error) {
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			if errors.Is(err, excelize.ErrMaxRows) {
				return nil, 0, fileError("the sheet has more rows than Excel allows")
			}
			return nil, 0, fileErrorFrom(err, "row %d cannot be read (%v)", x.line+1, err)
		}
		return nil, 0, io.EOF
	}
	x.line++
	cells, err := x.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, 0, fileErrorFrom(err, "row %d cannot be read (%v)", x.line, err)
	}
	if i := longCell(cells); i >= 0 {
		return nil, 0, fileError("row %d, column %s: the cell holds %s of text; a cell holds at most %d KB (no value of a student list is that long)", x.line, colName(i), sizeText(len(cells[i])), maxCell>>10)
	}
	return cells, x.line, nil
}

func (x *xlsxRows) Position() (int64, int64) { return int64(x.line), max(x.total, int64(x.line)) }

func (x *xlsxRows) Close() error {
	err := x.rows.Close()
	if cerr := x.f.Close(); cerr != nil && err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("close workbook: %w", err)
	}
	return nil
}
