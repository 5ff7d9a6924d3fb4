// Package pdffont registers the font of every PDF Scolarité writes:
// Liberation Sans (SIL Open Font License 1.1), so that "Ndèye", "Aïssatou"
// and "Françoise" print right on any machine, whatever fonts it has. It is
// metric-compatible with Arial; fpdf embeds only the glyphs a document
// uses. The faces come from codeberg.org/go-fonts/liberation, which the
// charts (gonum/plot) already link in, so the binary carries them once.
package pdffont

import (
	"codeberg.org/go-fonts/liberation/liberationsansbold"
	"codeberg.org/go-fonts/liberation/liberationsansregular"
	"codeberg.org/go-pdf/fpdf"
)

// Family is the name Register gives the font.
const Family = "LiberationSans"

// Register adds the regular and bold faces to pdf under Family.
func Register(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(Family, "", liberationsansregular.TTF)
	pdf.AddUTF8FontFromBytes(Family, "B", liberationsansbold.TTF)
}
