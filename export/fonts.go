package export

import _ "embed"

// The PDF font: Liberation Sans (SIL Open Font License 1.1, see
// fonts/LICENSE), embedded so that "Ndèye", "Aïssatou" and "Françoise"
// print right on any machine, whatever fonts it has. Metric-compatible
// with Arial; fpdf embeds only the glyphs a document uses.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	fontRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	fontBold []byte
)

// fontFamily is the name documents register the embedded font under.
const fontFamily = "LiberationSans"
