package analytics

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"scolarite/export"
)

// WriteOutputs writes the chart, the Markdown report and the PDF report
// into dir and returns their paths.
func WriteOutputs(dir string, d *Document) ([]string, error) {
	if dir == "" {
		return nil, errNoOutDir
	}
	if err := d.check(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	var chart bytes.Buffer
	if err := WriteChart(&chart, d.Report, d.Partial, d.chartEngine()); err != nil {
		return nil, err
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{ChartFile, func(w io.Writer) error { _, err := w.Write(chart.Bytes()); return err }},
		{ReportMarkdown, func(w io.Writer) error { return WriteMarkdown(w, d) }},
		{ReportPDF, func(w io.Writer) error { return WritePDF(w, d, chart.Bytes()) }},
	}
	paths := make([]string, 0, len(files))
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		if err := export.WriteFile(path, f.write); err != nil {
			return paths, fmt.Errorf("write %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// chartEngine names the engine in the chart's title ("" for in-process).
func (d *Document) chartEngine() string {
	if d.SparkVersion == "" {
		return ""
	}
	return "Apache Spark " + d.SparkVersion
}
