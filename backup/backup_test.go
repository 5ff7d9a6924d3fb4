package backup_test

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/backup"
	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func ctx(t *testing.T) context.Context {
	t.Helper()
	c, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	t.Cleanup(cancel)
	return c
}

var admin = domain.SystemActor("test")

func service(st *store.Store) *domain.StudentService {
	return domain.NewStudentService(domain.StudentDeps{
		Repo:   st.Students(),
		Phones: domain.PhoneParser{Region: domain.DefaultRegion},
	})
}

// seed creates n students through the domain, each with a grade, so that
// students, audit, events and counters all hold documents.
func seed(t *testing.T, svc *domain.StudentService, n int) []*domain.Student {
	t.Helper()
	var out []*domain.Student
	for i := range n {
		s, err := svc.Create(ctx(t), admin, domain.StudentInput{
			LastName: "Diop", FirstName: fmt.Sprintf("Awa %d", i), Phone: fmt.Sprintf("+22177%07d", i),
			Class: "L3-INFO", Major: "Informatique", BirthDate: "2004-05-17", Email: "awa@example.sn",
		})
		if err != nil {
			t.Fatalf("create student %d: %v", i, err)
		}
		if s, _, err = svc.AddGrade(ctx(t), admin, s.ID, 0, domain.GradeInput{Subject: "Maths", Value: "12,5"}); err != nil {
			t.Fatalf("grade student %d: %v", i, err)
		}
		out = append(out, s)
	}
	return out
}

// dumpDB returns every document of every collection as canonical
// Extended JSON, keyed by collection then _id.
func dumpDB(t *testing.T, db *mongo.Database) map[string]map[string]string {
	t.Helper()
	names, err := backup.Collections(ctx(t), db)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]string{}
	for _, name := range names {
		docs := map[string]string{}
		cur, err := db.Collection(name).Find(ctx(t), bson.D{})
		if err != nil {
			t.Fatalf("read %s: %v", name, err)
		}
		for cur.Next(ctx(t)) {
			j, err := bson.MarshalExtJSON(cur.Current, true, false)
			if err != nil {
				t.Fatal(err)
			}
			docs[cur.Current.Lookup("_id").String()] = string(j)
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		cur.Close(ctx(t))
		if len(docs) > 0 {
			out[name] = docs
		}
	}
	return out
}

// dumpArchive is dumpDB of what a backup file holds.
func dumpArchive(t *testing.T, file []byte) map[string]map[string]string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	out := map[string]map[string]string{}
	for {
		e, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		name, ok := strings.CutSuffix(e.Name, ".jsonl")
		if !ok {
			continue
		}
		docs := map[string]string{}
		sc := bufio.NewScanner(tr)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			var raw bson.Raw
			if err := bson.UnmarshalExtJSON(sc.Bytes(), true, &raw); err != nil {
				t.Fatalf("%s: %v", e.Name, err)
			}
			docs[raw.Lookup("_id").String()] = sc.Text()
		}
		if len(docs) > 0 {
			out[name] = docs
		}
	}
}

func compare(t *testing.T, got, want map[string]map[string]string) {
	t.Helper()
	for name, docs := range want {
		if len(got[name]) != len(docs) {
			t.Errorf("collection %s: %d documents restored, want %d", name, len(got[name]), len(docs))
		}
		for id, doc := range docs {
			if got[name][id] != doc {
				t.Errorf("collection %s, _id %s:\n got  %s\n want %s", name, id, got[name][id], doc)
			}
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("collection %s restored but not in the source", name)
		}
	}
}

func TestBackupRestoreQuietStore(t *testing.T) {
	src := storetest.Open(t)
	seed(t, service(src), 25)
	var buf bytes.Buffer
	h, err := backup.Write(ctx(t), src.Database(), &buf, backup.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !h.Quiet || h.Passes != 1 || h.SchemaVersion != store.SchemaVersion {
		t.Errorf("header quiet=%v passes=%d schema=%d, want a quiet single pass of schema %d", h.Quiet, h.Passes, h.SchemaVersion, store.SchemaVersion)
	}
	counts := map[string]int64{}
	for _, c := range h.Collections {
		counts[c.Name] = c.Count
	}
	// The counters: the matricule sequence and the roster's marker.
	if counts["students"] != 25 || counts["audit"] != 50 || counts["events"] != 50 || counts["counters"] != 2 {
		t.Errorf("header counts %v, want 25 students, 50 audit entries, 50 events, 2 counters", counts)
	}

	dst := storetest.Open(t)
	if _, err := backup.Restore(ctx(t), dst.Database(), bytes.NewReader(buf.Bytes()), backup.Options{}); err != nil {
		t.Fatal(err)
	}
	compare(t, dumpDB(t, dst.Database()), dumpDB(t, src.Database()))

	// The restored store works: indexes exist (a duplicate phone is
	// refused) and the matricule counter goes on.
	svc := service(dst)
	_, err = svc.Create(ctx(t), admin, domain.StudentInput{LastName: "Fall", FirstName: "Ali", Phone: "+221770000003",
		Class: "L3-INFO", Major: "Informatique", BirthDate: "2004-05-17"})
	if domain.ErrorCode(err) != domain.ECONFLICT {
		t.Errorf("a restored phone created again: %v, want a conflict (the unique index)", err)
	}
	s, err := svc.Create(ctx(t), admin, domain.StudentInput{LastName: "Fall", FirstName: "Ali", Phone: "+221781112233",
		Class: "L3-INFO", Major: "Informatique", BirthDate: "2004-05-17"})
	if err != nil || !strings.HasSuffix(s.Number, "00026") {
		t.Errorf("new student after restore: %v, %+v; want matricule …00026", err, s)
	}
}

func TestBackupDuringWrites(t *testing.T) {
	src := storetest.Open(t)
	svc := service(src)
	students := seed(t, svc, 20)

	// A teacher keeps adding grades while the backup runs.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var written atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			s := students[i%len(students)]
			if _, _, err := svc.AddGrade(context.Background(), admin, s.ID, 0, domain.GradeInput{Subject: "Physique", Value: fmt.Sprint(i % 21)}); err != nil {
				t.Errorf("add grade: %v", err)
				return
			}
			written.Add(1)
		}
	}()
	for written.Load() < 5 {
		time.Sleep(5 * time.Millisecond)
	}
	var buf bytes.Buffer
	before := written.Load()
	h, err := backup.Write(ctx(t), src.Database(), &buf, backup.Options{})
	during := written.Load() - before
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if during == 0 {
		t.Fatal("no grade was written during the backup: the test proves nothing")
	}
	t.Logf("%d grades written during the backup; %d pass(es), quiet %v", during, h.Passes, h.Quiet)

	dst := storetest.Open(t)
	if _, err := backup.Restore(ctx(t), dst.Database(), bytes.NewReader(buf.Bytes()), backup.Options{}); err != nil {
		t.Fatal(err)
	}
	compare(t, dumpDB(t, dst.Database()), dumpArchive(t, buf.Bytes()))

	// Every student is whole and valid, with its average of its grades.
	all, err := dst.Students().All(ctx(t))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(students) {
		t.Fatalf("%d students restored, want %d", len(all), len(students))
	}
	for _, s := range all {
		if _, err := s.Input().Validate(domain.PhoneParser{Region: domain.DefaultRegion}, domain.NewDate(2026, time.January, 1)); err != nil {
			t.Errorf("restored student %s is not valid: %v", s.Number, err)
		}
		want := domain.WeightedAverage(s.Grades)
		if s.Average == nil || want == nil || math.Abs(*s.Average-*want) > 1e-9 || len(s.Grades) < 1 {
			t.Errorf("restored student %s: average %v, grades %d; want the mean of its grades %v", s.Number, s.Average, len(s.Grades), want)
		}
	}
	// No event without its write: every grade.added event of the backup
	// names a grade its student holds.
	grades := map[string]bool{}
	for _, s := range all {
		for _, g := range s.Grades {
			grades[g.ID] = true
		}
	}
	cur, err := dst.Database().Collection("events").Find(ctx(t), bson.D{{Key: "type", Value: "grade.added"}})
	if err != nil {
		t.Fatal(err)
	}
	var events []struct {
		ID    bson.ObjectID `bson:"_id"`
		Grade struct {
			ID string `bson:"id"`
		} `bson:"grade"`
	}
	if err := cur.All(ctx(t), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) < len(students) {
		t.Fatalf("%d grade.added events restored, want at least the %d of the seed", len(events), len(students))
	}
	for _, ev := range events {
		if !grades[ev.Grade.ID] {
			t.Errorf("event %v names grade %q, which no restored student holds", ev.ID, ev.Grade.ID)
		}
	}
}

func TestRestoreRefusesDamagedFiles(t *testing.T) {
	src := storetest.Open(t)
	seed(t, service(src), 30)
	var buf bytes.Buffer
	if _, err := backup.Write(ctx(t), src.Database(), &buf, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	// A flipped byte inside a collection's data, recompressed with a valid
	// gzip CRC, so that only the header's checksum can catch it.
	recompressed := flipInside(t, good, "students.jsonl")
	flipped := bytes.Clone(good)
	flipped[len(flipped)/2] ^= 0x20
	for _, tc := range []struct {
		name string
		file []byte
	}{
		{"cut in the middle", good[:len(good)/2]},
		{"cut before the gzip trailer", good[:len(good)-4]},
		{"a byte flipped in the compressed stream", flipped},
		{"a byte flipped in students.jsonl", recompressed},
		{"not a backup", []byte("hello")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := storetest.Open(t)
			_, err := backup.Restore(ctx(t), dst.Database(), bytes.NewReader(tc.file), backup.Options{})
			if !errors.Is(err, backup.ErrDamaged) {
				t.Fatalf("restore: %v, want ErrDamaged", err)
			}
			if got := dumpDB(t, dst.Database()); len(got) != 0 {
				t.Errorf("the refused restore wrote %d collection(s) of documents", len(got))
			}
		})
	}
}

// flipInside returns file with one byte of entry changed, as a new tar.gz.
func flipInside(t *testing.T, file []byte, entry string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		if h.Name == entry {
			i := bytes.Index(data, []byte("Awa 1"))
			data[i+4] = '7' // still valid JSON: only the checksum tells
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	tw.Close()
	zw.Close()
	return out.Bytes()
}

func TestRestoreRefusesNonEmptyStore(t *testing.T) {
	src := storetest.Open(t)
	seed(t, service(src), 3)
	var buf bytes.Buffer
	if _, err := backup.Write(ctx(t), src.Database(), &buf, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	before := dumpDB(t, src.Database())
	_, err := backup.Restore(ctx(t), src.Database(), bytes.NewReader(buf.Bytes()), backup.Options{})
	if !errors.Is(err, backup.ErrNotEmpty) || !strings.Contains(err.Error(), "holds") {
		t.Fatalf("restore into a store with data: %v, want ErrNotEmpty naming what it holds", err)
	}
	compare(t, dumpDB(t, src.Database()), before)
}
