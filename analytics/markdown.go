package analytics

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes the report in Markdown.
func WriteMarkdown(w io.Writer, d *Document) error {
	if err := d.check(); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n", reportTitle)
	for _, s := range d.sections() {
		fmt.Fprintf(&b, "\n## %s\n\n", s.title)
		for _, l := range s.lines {
			if s.list {
				b.WriteString("- ")
			}
			b.WriteString(mdEscape(l))
			b.WriteString("\n")
			if !s.list {
				b.WriteString("\n")
			}
		}
		if len(s.table) > 0 {
			writeMDTable(&b, s.table, s.right)
		}
		if s.image != "" {
			fmt.Fprintf(&b, "\n![Âge par filière](%s)\n", s.image)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeMDTable(b *strings.Builder, rows [][]string, right []bool) {
	for i, row := range rows {
		cells := make([]string, len(row))
		for j, c := range row {
			cells[j] = strings.ReplaceAll(mdEscape(c), "|", `\|`)
		}
		fmt.Fprintf(b, "| %s |\n", strings.Join(cells, " | "))
		if i == 0 {
			seps := make([]string, len(row))
			for j := range row {
				seps[j] = "---"
				if j < len(right) && right[j] {
					seps[j] = "---:"
				}
			}
			fmt.Fprintf(b, "| %s |\n", strings.Join(seps, " | "))
		}
	}
}

// mdEscape keeps text from other programs (a major's name) from being
// read as Markdown; underscores inside words are literal in CommonMark.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "`", "\\`", "<", "&lt;", "[", `\[`).Replace(s)
}
