package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"scolarite/domain"
)

// utf8BOM starts a CSV file for spreadsheets that otherwise read it as
// their local code page (Excel in French locales).
const utf8BOM = "\uFEFF"

// WriteCSV writes students as CSV: UTF-8, the sheet's columns, numbers
// with a decimal comma when the separator is ';' (what a French
// spreadsheet expects), dates as YYYY-MM-DD. Cells that a spreadsheet
// would run as a formula are neutralised.
func WriteCSV(ctx context.Context, students []*domain.Student, w io.Writer, opt Options) error {
	if opt.Separator == 0 {
		opt.Separator = ','
	}
	if err := checkSeparator(opt.Separator); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if opt.BOM {
		_, _ = bw.WriteString(utf8BOM)
	}
	cw := csv.NewWriter(bw)
	cw.Comma = opt.Separator
	cw.UseCRLF = true
	sh := newSheet(students, opt.Lang)
	record := sh.headers()
	for i := range record {
		record[i] = Neutralise(record[i])
	}
	if err := cw.Write(record); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	comma := opt.Separator == ';'
	var means []*float64
	for i, st := range students {
		if err := opt.step(ctx, students, i); err != nil {
			return err
		}
		record = record[:0]
		for _, v := range identity(st) {
			record = append(record, Neutralise(v))
		}
		means = sh.means(st, means)
		for _, m := range means {
			record = append(record, csvNumber(m, -1, comma))
		}
		record = append(record, csvNumber(st.Average, 2, comma))
		if err := cw.Write(record); err != nil {
			return fmt.Errorf("write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write CSV: %w", err)
	}
	opt.progress(len(students), len(students))
	return flush(bw)
}

func csvNumber(v *float64, decimals int, comma bool) string {
	if v == nil {
		return ""
	}
	return domain.FormatDecimal(*v, decimals, comma)
}

// Neutralise defuses a cell that a spreadsheet would take for a formula
// (it starts with = + - @, a tab or a carriage return) by putting an
// apostrophe in front, as OWASP recommends; the importer takes it off.
func Neutralise(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// unneutralise removes the apostrophe Neutralise added.
func unneutralise(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(cell[1])) {
		return cell[1:]
	}
	return cell
}
