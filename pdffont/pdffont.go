// Package pdffont embeds the font of every PDF Scolarité writes: Liberation
// Sans (SIL Open Font License 1.1, see fonts/LICENSE), so that "Ndèye",
// "Aïssatou" and "Françoise" print right on any machine, whatever fonts it
// has. It is metric-compatible with Arial; fpdf embeds only the glyphs a
// document uses.
package pdffont

import (
	_ "embed"

	"codeberg.org/go-pdf/fpdf"
)

// Family is the name Register gives the font.
const Family = "LiberationSans"

var (
	//go:embed fonts/LiberationSans-Regular.ttf
	regular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	bold []byte
)

// Register adds the regular and bold faces to pdf under Family.
func Register(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(Family, "", regular)
	pdf.AddUTF8FontFromBytes(Family, "B", bold)
}
