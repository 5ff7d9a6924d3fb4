package store_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
)

// evalsFixture stores evaluations of several classes, semesters and years
// (some on the same day, one undated, one published) and the curricula
// they belong to.
func evalsFixture(t *testing.T, s *store.Store) {
	t.Helper()
	repo := s.Curricula()
	var es []*domain.Evaluation
	for _, k := range []struct{ class, semester, year string }{
		{"L1-INFO", "S1", "2026-2027"}, {"L1-INFO", "S2", "2026-2027"}, {"L2-INFO", "S3", "2026-2027"}, {"L1-INFO", "S1", "2025-2026"},
	} {
		c := curriculum()
		c.Class, c.Semester, c.Year = k.class, k.semester, k.year
		if err := repo.SaveCurriculum(ctx(t), c, 0, domain.Trail{}); err != nil {
			t.Fatal(err)
		}
		for i, day := range []string{"2026-11-03", "2026-10-20", "2026-11-03", ""} {
			e := &domain.Evaluation{Class: k.class, Semester: k.semester, Year: k.year, Subject: "Analyse", Kind: domain.KindCC,
				Title: fmt.Sprintf("CC%d « %s »", i+1, k.semester), Weight: 12.5 * float64(i+1), Session: 1, Version: 1}
			if day != "" {
				d, err := domain.ParseDate(day)
				if err != nil {
					t.Fatal(err)
				}
				e.Date = d
			}
			if i == 1 {
				e.Published, e.PublishedAt = true, at(4, 10)
			}
			es = append(es, e)
		}
	}
	if err := repo.InsertEvaluations(ctx(t), es, nil); err != nil {
		t.Fatal(err)
	}
}

// A class's evaluations of a semester read from the embedded store's
// SQLite file are the very ones FerretDB returns: the same documents byte
// for byte, the same evaluations in the same order, none for a semester
// without any; the read goes through the index on class, semester and
// year; and Evaluations answers the same. Curricula likewise.
func TestEvaluationsFromTheFile(t *testing.T) {
	c := ctx(t)
	s := storetest.Open(t)
	evalsFixture(t, s)
	server := s.CurriculaThroughServer()
	for _, k := range []struct {
		class, semester, year string
		n                     int
	}{
		{"L1-INFO", "S1", "2026-2027", 4}, {"L1-INFO", "S2", "2026-2027", 4}, {"L2-INFO", "S3", "2026-2027", 4},
		{"L1-INFO", "S1", "2025-2026", 4}, {"L2-INFO", "S4", "2026-2027", 0}, {"M1-INFO", "S1", "2026-2027", 0},
	} {
		name := k.class + " " + k.semester + " " + k.year
		want, err := server.Evaluations(c, k.class, k.semester, k.year)
		if err != nil {
			t.Fatal(err)
		}
		if len(want) != k.n {
			t.Fatalf("%s: %d evaluations through FerretDB, want %d", name, len(want), k.n)
		}
		got, err := s.EvaluationsFromFile(c, k.class, k.semester, k.year)
		if err != nil {
			t.Fatalf("%s from the file: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("%s from the file:\n%+v\nthrough FerretDB:\n%+v", name, got, want)
		}
		if all, err := s.Curricula().Evaluations(c, k.class, k.semester, k.year); err != nil || len(all) != len(want) || (len(all) > 0 && !reflect.DeepEqual(all, want)) {
			t.Errorf("%s: Evaluations %+v, %v; want %+v", name, all, err, want)
		}
		sameDocs(t, s, "evaluations", "class", k.class, "semester", k.semester, "year", k.year)
	}
	for _, k := range [][2]string{{"2026-2027", ""}, {"2026-2027", "L1-INFO"}, {"2025-2026", ""}, {"2024-2025", ""}, {"2026-2027", "M1-INFO"}} {
		want, err := server.Curricula(c, k[0], k[1])
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Curricula().Curricula(c, k[0], k[1])
		if err != nil || len(got) != len(want) || (len(got) > 0 && !reflect.DeepEqual(got, want)) {
			t.Errorf("curricula of %v: %+v, %v; through FerretDB %+v", k, got, err, want)
		}
		kv := []string{"year", k[0]}
		if k[1] != "" {
			kv = append(kv, "class", k[1])
		}
		sameDocs(t, s, "curricula", kv...)
	}
	for coll, kv := range map[string][]string{
		"evaluations": {"class", "L1-INFO", "semester", "S1", "year", "2026-2027"},
		"curricula":   {"year", "2026-2027"},
	} {
		plan, err := s.FilePlan(c, coll, kv...)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(plan, "USING INDEX") || !strings.Contains(plan, "_scolarite_fields_expr") {
			t.Errorf("%s where %v: plan %q, want a search using the fields' index", coll, kv, plan)
		}
	}
}

// sameDocs checks that the file read of coll where kv holds the documents
// FerretDB finds, byte for byte.
func sameDocs(t *testing.T, s *store.Store, coll string, kv ...string) {
	t.Helper()
	got, err := s.ReadWhereFromFile(ctx(t), coll, kv...)
	if err != nil {
		t.Fatalf("%s where %v from the file: %v", coll, kv, err)
	}
	filter := bson.D{}
	for i := 0; i+1 < len(kv); i += 2 {
		filter = append(filter, bson.E{Key: kv[i], Value: kv[i+1]})
	}
	cur, err := s.Database().Collection(coll).Find(ctx(t), filter)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]bson.Raw{}
	n := 0
	for cur.Next(ctx(t)) {
		byID[cur.Current.Lookup("_id").String()] = bytes.Clone(cur.Current)
		n++
	}
	if err := cur.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("%s where %v: %d documents from the file, %d through FerretDB", coll, kv, len(got), n)
	}
	for _, doc := range got {
		if want := byID[doc.Lookup("_id").String()]; !bytes.Equal(doc, want) {
			t.Errorf("%s where %v from the file:\n%s\nthrough FerretDB:\n%s", coll, kv, doc, want)
		}
	}
}

// BenchmarkEvaluations5k reads one class's semester (50 evaluations)
// among 5,000, from the file and through FerretDB.
func BenchmarkEvaluations5k(b *testing.B) {
	s := storetest.Open(b)
	es := make([]*domain.Evaluation, 0, 5000)
	for i := range 5000 {
		es = append(es, &domain.Evaluation{Class: fmt.Sprintf("C%03d", i%50), Semester: fmt.Sprintf("S%d", 1+i/50%2), Year: "2026-2027",
			Subject: "Analyse", Kind: domain.KindCC, Title: fmt.Sprintf("CC%d", i), Weight: 20, Session: 1, Version: 1})
	}
	bg := context.Background()
	if err := s.Curricula().InsertEvaluations(bg, es, nil); err != nil {
		b.Fatal(err)
	}
	for name, repo := range map[string]*store.CurriculumRepo{"file": s.Curricula(), "ferretdb": s.CurriculaThroughServer()} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				got, err := repo.Evaluations(bg, "C007", "S2", "2026-2027")
				if err != nil || len(got) != 50 {
					b.Fatalf("%d evaluations, %v", len(got), err)
				}
			}
		})
	}
}
