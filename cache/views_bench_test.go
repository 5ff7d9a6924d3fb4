package cache_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"testing"

	"scolarite/domain"
)

// BenchmarkLoadRoster10k is the warm read of the student table: one GET of
// the cached roster and its decoding. The target is 15 times faster than
// reading the 10,000 documents from the embedded FerretDB (~1 s), so under
// 66 ms.
func BenchmarkLoadRoster10k(b *testing.B) {
	rows := roster(10_000)
	data, err := json.Marshal(rows)
	if err != nil {
		b.Fatal(err)
	}
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			e := be.open(b)
			v := e.c.Views()
			if err := v.Save(b.Context(), "roster", 0, rows); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var got []domain.RosterRow
				found, err := v.Load(b.Context(), "roster", 0, &got)
				if err != nil || !found || len(got) != len(rows) {
					b.Fatalf("Load = %v, %v, %d rows", found, err, len(got))
				}
			}
		})
	}
}

// BenchmarkRosterCodec compares the candidate encodings of a 10,000-row
// roster, the reason views.go uses JSON (see TestGobLosesZeroAverage).
func BenchmarkRosterCodec(b *testing.B) {
	rows := roster(10_000)
	js, err := json.Marshal(rows)
	if err != nil {
		b.Fatal(err)
	}
	var gb bytes.Buffer
	if err := gob.NewEncoder(&gb).Encode(rows); err != nil {
		b.Fatal(err)
	}
	b.Run("json/encode", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		for b.Loop() {
			if _, err := json.Marshal(rows); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json/decode", func(b *testing.B) {
		b.SetBytes(int64(len(js)))
		for b.Loop() {
			var got []domain.RosterRow
			if err := json.Unmarshal(js, &got); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gob/encode", func(b *testing.B) {
		b.SetBytes(int64(gb.Len()))
		for b.Loop() {
			var buf bytes.Buffer
			if err := gob.NewEncoder(&buf).Encode(rows); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gob/decode", func(b *testing.B) {
		b.SetBytes(int64(gb.Len()))
		for b.Loop() {
			var got []domain.RosterRow
			if err := gob.NewDecoder(bytes.NewReader(gb.Bytes())).Decode(&got); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestGobLosesZeroAverage documents why views are not gob: gob drops a
// pointer to a zero value, so a 0/20 average would read back as none. If
// this ever fails, gob has changed and the choice can be revisited.
func TestGobLosesZeroAverage(t *testing.T) {
	t.Parallel()
	zero := 0.0
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode([]domain.RosterRow{{ID: "x", Average: &zero}}); err != nil {
		t.Fatal(err)
	}
	var got []domain.RosterRow
	if err := gob.NewDecoder(&buf).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got[0].Average != nil {
		t.Errorf("gob kept the zero average; JSON's reason to be chosen is weaker now")
	}
	// And the cache, which uses JSON, keeps it (checked on both servers by
	// TestViewsSaveLoadPerGeneration); here on miniredis for the contrast.
	e := backends()[0].open(t)
	if err := e.c.Views().Save(t.Context(), "roster", 0, []domain.RosterRow{{ID: "x", Average: &zero}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.Views().Load(t.Context(), "roster", 0, &got); err != nil || got[0].Average == nil {
		t.Errorf("cache lost the zero average: %v, %v", got[0].Average, err)
	}
}
