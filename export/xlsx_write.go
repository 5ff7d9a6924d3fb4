package export

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"scolarite/domain"
)

// xlsxStyles are the cell styles of an Excel export.
type xlsxStyles struct {
	header, text, number, date int
}

// WriteXLSX writes students as an Excel workbook through excelize's
// streaming writer (rows go to a temporary file, not into memory): a
// styled header row, frozen, with an auto-filter; grades and averages as
// numbers, birth dates as dates, phones as text.
func WriteXLSX(ctx context.Context, students []*domain.Student, w io.Writer, opt Options) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close workbook: %w", cerr)
		}
	}()
	name := opt.Lang.t("sheet")
	if err := f.SetSheetName("Sheet1", name); err != nil {
		return fmt.Errorf("name sheet: %w", err)
	}
	sh := newSheet(students, opt.Lang)
	headers := sh.headers()
	last, err := excelize.CoordinatesToCellName(len(headers), max(2, len(students)+1))
	if err != nil {
		return fmt.Errorf("sheet range: %w", err)
	}
	// Set before the stream starts: the streaming writer copies the
	// worksheet's filter when it flushes.
	if err := f.AutoFilter(name, "A1:"+last, nil); err != nil {
		return fmt.Errorf("auto-filter: %w", err)
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return fmt.Errorf("start sheet: %w", err)
	}
	if err := layoutXLSX(sw, sh, st); err != nil {
		return err
	}
	row := make([]any, len(headers))
	for i, h := range headers {
		row[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 20}); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	// Rows hold plain values: the column styles apply to them, and a
	// plain value costs less to box than an excelize.Cell (100,000 rows).
	var means []*float64
	for i, s := range students {
		if err := opt.step(ctx, students, i); err != nil {
			return err
		}
		row = row[:0]
		for j, v := range identity(s) {
			switch {
			case j == 7 && !s.BirthDate.IsZero():
				row = append(row, s.BirthDate.Time())
			case v == "":
				row = append(row, nil)
			default:
				row = append(row, v)
			}
		}
		means = sh.means(s, means)
		for _, m := range means {
			row = append(row, numberValue(m))
		}
		row = append(row, numberValue(s.Average))
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return fmt.Errorf("write row %d: %w", i+2, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("finish sheet: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	opt.progress(len(students), len(students))
	return nil
}

func numberValue(v *float64) any {
	if v == nil {
		return nil
	}
	return *v
}

// layoutXLSX sets column widths and styles and freezes the header row;
// all must come before the first row of a stream. Columns are set last
// first: excelize puts each new one in front, and Excel wants them in
// order.
func layoutXLSX(sw *excelize.StreamWriter, sh *sheet, st xlsxStyles) error {
	// The guardian's phone is text like the student's: a number style
	// would drop the "+" and show 2.2177e+11.
	widths := []float64{12, 18, 18, 16, 26, 11, 18, 16, 22, 16, 26}
	styles := []int{st.text, st.text, st.text, st.text, st.text, st.text, st.text, st.date, st.text, st.text, st.text}
	for range len(sh.subjects) + 1 {
		widths, styles = append(widths, 14), append(styles, st.number)
	}
	var errs []error
	for i := len(widths) - 1; i >= 0; i-- {
		errs = append(errs, sw.SetColWidth(i+1, i+1, widths[i]), sw.SetColStyle(i+1, i+1, styles[i]))
	}
	errs = append(errs, sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}))
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("lay out sheet: %w", err)
	}
	return nil
}

func newXLSXStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	border := []excelize.Border{{Type: "bottom", Color: "1F4E79", Style: 2}}
	dateFmt := "dd/mm/yyyy"
	specs := []struct {
		dst   *int
		style *excelize.Style
	}{
		{&s.header, &excelize.Style{
			Font:      &excelize.Font{Bold: true, Color: "FFFFFF", Size: 11},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"1F4E79"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
			Border:    border,
		}},
		{&s.text, &excelize.Style{NumFmt: 49}},  // "@": text, so 0771… stays as typed
		{&s.number, &excelize.Style{NumFmt: 2}}, // 0.00
		{&s.date, &excelize.Style{CustomNumFmt: &dateFmt}},
	}
	for _, sp := range specs {
		id, err := f.NewStyle(sp.style)
		if err != nil {
			return s, fmt.Errorf("workbook style: %w", err)
		}
		*sp.dst = id
	}
	return s, nil
}
