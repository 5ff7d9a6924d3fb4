package export

import (
	"slices"
	"strings"
	"testing"
)

// Every bad cell of a curriculum file is named by its line and column,
// the domain's rules of a cell included (a UE code, a UE title, a
// subject's name, a subject given twice in a semester), and nothing is
// returned then.
func TestReadCurriculaNamesEveryBadCell(t *testing.T) {
	const head = "Classe;Semestre;Code UE;Intitulé UE;Crédits;Matière;Coefficient;Enseignants\n"
	long := strings.Repeat("x", 121)
	tests := []struct {
		name, rows string
		want       []string
	}{
		{"the reader's own checks",
			"M1-INFO;S11;UE71;Génie logiciel;0;Tests;x;\n",
			[]string{"line 2, column Semestre: must be S1 to S10", "line 2, column Crédits: must be a whole number", "line 2, column Coefficient: is not a number"}},
		{"a UE code the domain refuses",
			"M1-INFO;S7;UE 7!;Génie logiciel;30;Tests;1;\n",
			[]string{"line 2, column Code UE: must be letters, digits, '.', '_' or '-', at most 20"}},
		{"a UE title too long",
			"M1-INFO;S7;UE71;" + long + ";30;Tests;1;\n",
			[]string{"line 2, column Intitulé UE: is required, at most 120 characters"}},
		{"a subject name the domain refuses",
			"M1-INFO;S7;UE71;Génie logiciel;30;Tests (coef 2);1;\n",
			[]string{"line 2, column Matière: cannot end with a coefficient in brackets"}},
		{"a subject twice in a semester, in two UEs",
			"M1-INFO;S7;UE71;Génie logiciel;12;Bases de données;1;\nM1-INFO;S7;UE72;Données;18;bases de donnees;2;\n",
			[]string{"line 3, column Matière: appears twice in M1-INFO S7 (line 2)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, probs, err := ReadCurricula(writeTemp(t, "maquette.csv", []byte(head+tt.rows)), "2026-2027")
			if err != nil {
				t.Fatal(err)
			}
			if items != nil {
				t.Errorf("curricula returned beside problems: %d", len(items))
			}
			got := make([]string, len(probs))
			for i, p := range probs {
				got[i] = p.String()
			}
			for _, w := range tt.want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
					t.Errorf("problems %q lack %q", got, w)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d problems %q, want %d", len(got), got, len(tt.want))
			}
		})
	}
	// The same subject in two semesters, or two classes, is no duplicate.
	ok := head + "M1-INFO;S7;UE71;Génie logiciel;30;Tests;1;prof\nM1-INFO;S8;UE81;Génie logiciel;30;Tests;1;\nM2-INFO;S7;UE71;Génie logiciel;30;Tests;1;\n"
	items, probs, err := ReadCurricula(writeTemp(t, "ok.csv", []byte(ok)), "2026-2027")
	if err != nil || len(probs) != 0 || len(items) != 3 {
		t.Fatalf("a valid file: %d curricula, problems %v, %v", len(items), probs, err)
	}
}
