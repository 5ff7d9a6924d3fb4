// Package export moves students in and out of files: CSV, JSON, Excel and
// PDF lists of what the student table shows, CSV and Excel imports checked
// row by row before anything is written, and PDF reports (procès-verbal,
// report card, school summary). It calls the domain only, through the
// small interfaces below, so every read and write is checked against the
// acting user's role there.
package export

import (
	"context"
	"io"
	"path/filepath"
	"scolarite/atomicfile"
	"strings"
	"time"

	"scolarite/domain"
)

// Reader is what exports and reports read from the student service.
type Reader interface {
	// Students is the roster query with whole records, in the roster's
	// order and the actor's scope: exactly what the table shows.
	Students(ctx context.Context, a domain.Actor, q domain.RosterQuery) ([]*domain.Student, error)
	Stats(ctx context.Context, a domain.Actor, class string) (*domain.Stats, error)
	Get(ctx context.Context, a domain.Actor, ref string) (*domain.Student, error)
	Standing(ctx context.Context, a domain.Actor, st *domain.Student) (domain.Standing, error)
}

// Format is a file format of an export.
type Format string

const (
	CSV  Format = "csv"
	JSON Format = "json"
	XLSX Format = "xlsx"
	PDF  Format = "pdf"
)

// Formats lists the export formats in the order a menu shows them.
var Formats = []Format{CSV, XLSX, JSON, PDF}

// ParseFormat validates a format name (case-insensitive; "excel" is xlsx).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case CSV, JSON, XLSX, PDF:
		return f, nil
	case "excel":
		return XLSX, nil
	}
	return "", domain.Invalid("format", "must be csv, json, xlsx or pdf (got "+s+")")
}

// FormatOf picks the format from a file name's extension.
func FormatOf(path string) (Format, error) {
	ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if ext == "" {
		return "", domain.Invalid("format", "cannot be told from "+filepath.Base(path)+" (no extension): give --format csv|json|xlsx|pdf")
	}
	f, err := ParseFormat(ext)
	if err != nil {
		return "", domain.Invalid("format", "cannot be told from the extension ."+ext+": give --format csv|json|xlsx|pdf")
	}
	return f, nil
}

// Options tune an export. The zero value is a French CSV with commas.
type Options struct {
	Format    Format
	Separator rune // CSV only: ',' (default), ';' or '\t'
	BOM       bool // CSV only: start with a UTF-8 byte order mark
	Lang      Lang
	// Query is written on a PDF list so a reader knows what was selected.
	Query domain.RosterQuery
	// Now dates PDF documents (default time.Now).
	Now func() time.Time
	// Progress, when set, is told how many of the total rows are written.
	Progress func(done, total int)
	// owned: the students slice is the export's own (Export loaded it),
	// so rows already written are dropped from it and the garbage
	// collector can take them back while the rest is written.
	owned bool
}

func (o *Options) now() time.Time {
	if o.Now == nil {
		return time.Now()
	}
	return o.Now()
}

func (o *Options) progress(done, total int) {
	if o.Progress != nil {
		o.Progress(done, total)
	}
}

// progressStep is how many rows pass between two progress reports.
const progressStep = 500

// step runs before row i of a writer: every progressStep rows it checks
// the context, reports progress and, when the slice is owned, drops the
// rows written since the last step.
func (o *Options) step(ctx context.Context, students []*domain.Student, i int) error {
	if i%progressStep != 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	o.progress(i, len(students))
	if o.owned {
		clear(students[max(0, i-progressStep):i])
	}
	return nil
}

// Export writes the students the actor sees for q, in q's order, to w in
// opt.Format, and returns how many were written.
func Export(ctx context.Context, r Reader, a domain.Actor, q domain.RosterQuery, w io.Writer, opt Options) (int, error) {
	if opt.Format == "" {
		opt.Format = CSV
	}
	if opt.Separator == 0 {
		opt.Separator = ','
	}
	if err := checkSeparator(opt.Separator); err != nil {
		return 0, err
	}
	students, err := r.Students(ctx, a, q)
	if err != nil {
		return 0, err
	}
	opt.Query, opt.owned = q, true
	n := len(students)
	if err := Write(ctx, students, w, opt); err != nil {
		return 0, err
	}
	return n, nil
}

// Write writes students already loaded, in their order.
func Write(ctx context.Context, students []*domain.Student, w io.Writer, opt Options) error {
	switch opt.Format {
	case CSV, "":
		return WriteCSV(ctx, students, w, opt)
	case JSON:
		return WriteJSON(ctx, students, w, opt)
	case XLSX:
		return WriteXLSX(ctx, students, w, opt)
	case PDF:
		return WritePDF(ctx, students, w, opt)
	}
	return domain.Invalid("format", "must be csv, json, xlsx or pdf (got "+string(opt.Format)+")")
}

// ExportFile is Export to a file. It writes a temporary file next to path
// and renames it at the end, so a failed export never leaves half a file
// (nor destroys an older file of that name).
func ExportFile(ctx context.Context, r Reader, a domain.Actor, q domain.RosterQuery, path string, opt Options) (int, error) {
	var n int
	err := WriteFile(path, func(w io.Writer) error {
		var err error
		n, err = Export(ctx, r, a, q, w, opt)
		return err
	})
	return n, err
}

// WriteFile writes path whole or not at all (atomicfile.Write), readable
// by others as documents are.
func WriteFile(path string, write func(io.Writer) error) error {
	if path == "" {
		return domain.Invalid("output", "is required (-o FILE)")
	}
	return atomicfile.Write(path, 0o644, write)
}

func checkSeparator(r rune) error {
	switch r {
	case ',', ';', '\t':
		return nil
	}
	return domain.Invalid("separator", "must be , or ; or a tab (got "+string(r)+")")
}

// ParseSeparator reads a --separator value: "," ";" "tab" or "\t".
func ParseSeparator(s string) (rune, error) {
	switch s {
	case "", ",":
		return ',', nil
	case ";":
		return ';', nil
	case "\t", `\t`, "tab", "TAB":
		return '\t', nil
	}
	return 0, domain.Invalid("separator", "must be , or ; or tab (got "+s+")")
}
