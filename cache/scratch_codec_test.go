package cache_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"fmt"
	"testing"

	"scolarite/domain"
)

func scratchRoster(n int) []domain.RosterRow {
	rows := make([]domain.RosterRow, n)
	for i := range rows {
		avg := float64(i%200) / 10
		rows[i] = domain.RosterRow{ID: fmt.Sprintf("65f1c0a2b3d4e5f6%08x", i), Number: fmt.Sprintf("2026-%05d", i),
			LastName: "Diallo-Sow", FirstName: "Ndèye Fatou", Phone: fmt.Sprintf("+22177%07d", i),
			Class: "L3-INFO", Major: "Informatique", Average: &avg, GradeCount: i % 12}
	}
	return rows
}

func BenchmarkScratch(b *testing.B) {
	rows := scratchRoster(10000)
	js, _ := json.Marshal(rows)
	var gb bytes.Buffer
	gob.NewEncoder(&gb).Encode(rows)
	b.Logf("json %d bytes, gob %d bytes", len(js), gb.Len())
	b.Run("json-decode", func(b *testing.B) {
		for b.Loop() {
			var out []domain.RosterRow
			if err := json.Unmarshal(js, &out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gob-decode", func(b *testing.B) {
		for b.Loop() {
			var out []domain.RosterRow
			if err := gob.NewDecoder(bytes.NewReader(gb.Bytes())).Decode(&out); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json-encode", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(rows)
		}
	})
	b.Run("gob-encode", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			gob.NewEncoder(&buf).Encode(rows)
		}
	})
}

func TestScratchGobZero(t *testing.T) {
	zero := 0.0
	in := []domain.RosterRow{{ID: "a", Average: &zero}}
	var buf bytes.Buffer
	gob.NewEncoder(&buf).Encode(in)
	var out []domain.RosterRow
	gob.NewDecoder(&buf).Decode(&out)
	t.Logf("gob: in average=%v, out average=%v", in[0].Average != nil, out[0].Average != nil)
}
