package export

import (
	"context"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"scolarite/demo"
	"scolarite/domain"
	"scolarite/store/storetest"
)

const benchRows = 20_000

// benchCSV is a 20,000-row CSV as the office would import it (French
// headers, semicolons, JJ/MM/AAAA, five grades a row), and the same
// students already built as documents.
func benchCSV(b *testing.B) (string, []*domain.Student) {
	b.Helper()
	items := demo.Students(11, benchRows, time.Now())
	var sb strings.Builder
	sb.WriteString("Nom;Prénom;Téléphone;E-mail;Classe;Filière;Date de naissance")
	subjects := map[string]int{}
	var order []string
	for _, it := range items {
		for _, g := range it.Grades {
			if _, ok := subjects[g.Subject]; !ok {
				subjects[g.Subject] = len(order)
				order = append(order, g.Subject)
			}
		}
	}
	for _, s := range order {
		sb.WriteString(";" + s)
	}
	sb.WriteString("\r\n")
	phones := domain.PhoneParser{}
	built := make([]*domain.Student, 0, len(items))
	now := time.Now()
	for i, it := range items {
		in := it.Input
		d, _ := domain.ParseDate(in.BirthDate)
		sb.WriteString(strings.Join([]string{in.LastName, in.FirstName, in.Phone, in.Email, in.Class, in.Major,
			d.Time().Format("02/01/2006")}, ";"))
		cells := make([]string, len(order))
		st := &domain.Student{Number: domain.FormatNumber(now.Year(), int64(i+1)), LastName: in.LastName, FirstName: in.FirstName,
			Email: in.Email, Class: in.Class, Major: in.Major, BirthDate: d, Version: 1, CreatedAt: now, UpdatedAt: now}
		st.Phone, _ = phones.Parse(in.Phone)
		for _, g := range it.Grades {
			cells[subjects[g.Subject]] = g.Value
			v, _ := domain.ParseGradeValue(g.Value)
			st.Grades = append(st.Grades, domain.Grade{ID: strconv.Itoa(i), Subject: g.Subject, Value: v, Coefficient: 1, Date: now, Teacher: "bench"})
		}
		st.Average = domain.WeightedAverage(st.Grades)
		built = append(built, st)
		sb.WriteString(";" + strings.Join(cells, ";") + "\r\n")
	}
	return writeTemp(b, "inscrits.csv", []byte(sb.String())), built
}

// BenchmarkImport20k compares, on the same embedded FerretDB, importing a
// 20,000-row CSV (read, check every row, insert in batches of 1,000 with
// their audit entries and outbox events) with inserting the same students,
// already built, straight through the repository in batches of the same
// size. Goal: the import runs at
// least half as fast as the direct insert.
func BenchmarkImport20k(b *testing.B) {
	ctx := context.Background()
	path, built := benchCSV(b)
	var importTime, insertTime time.Duration
	for b.Loop() {
		b.StopTimer()
		st := storetest.Open(b)
		svc := domain.NewStudentService(domain.StudentDeps{Repo: st.Students()})
		direct := storetest.Open(b)
		docs := make([]*domain.Student, len(built))
		for i, s := range built {
			c := *s
			docs[i] = &c
		}
		b.StartTimer()

		t0 := time.Now()
		res, err := ImportFile(ctx, svc, admin, path, ImportOptions{})
		importTime += time.Since(t0)
		if err != nil || res.Added != benchRows {
			b.Fatalf("import: %v, %v", res, err)
		}
		t0 = time.Now()
		// In the import's batches of 1,000: one InsertMany holds all its
		// students' claims until every batch is stored.
		for start := 0; start < len(docs); start += 1000 {
			if err := direct.Students().InsertMany(ctx, docs[start:min(start+1000, len(docs))], nil); err != nil {
				b.Fatal(err)
			}
		}
		insertTime += time.Since(t0)
	}
	n := float64(b.N)
	importRate := benchRows * n / importTime.Seconds()
	insertRate := benchRows * n / insertTime.Seconds()
	b.ReportMetric(importRate, "import-rows/s")
	b.ReportMetric(insertRate, "insert-rows/s")
	b.ReportMetric(importRate/insertRate, "ratio")
	if importRate/insertRate < 0.5 {
		b.Logf("import runs at %.2f of the direct insert rate (goal: 0.5)", importRate/insertRate)
	}
}

// BenchmarkExportXLSX100k exports 100,000 students (five grades each) to
// an Excel workbook through Export, as `scolarite export -o x.xlsx` does:
// the reader hands over 100,000 freshly built records (what the store's
// read returns) and the workbook is written. It reports the peak heap in
// use, sampled every 5 ms, records included. Goal: under 300 MB.
func BenchmarkExportXLSX100k(b *testing.B) {
	const n = 100_000
	var peak atomic.Uint64
	for b.Loop() {
		runtime.GC()
		stop := sampleHeap(&peak)
		got, err := Export(context.Background(), benchReader{n}, admin, domain.RosterQuery{}, io.Discard, Options{Format: XLSX})
		stop()
		if err != nil || got != n {
			b.Fatalf("exported %d: %v", got, err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MB")
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	if peak.Load() > 300<<20 {
		b.Errorf("peak heap %d MB, goal under 300 MB", peak.Load()>>20)
	}
}

// benchReader serves n fresh students, like a store read.
type benchReader struct{ n int }

func (r benchReader) Students(context.Context, domain.Actor, domain.RosterQuery) ([]*domain.Student, error) {
	return benchStudents(r.n), nil
}
func (benchReader) Stats(context.Context, domain.Actor, string) (*domain.Stats, error) {
	return nil, domain.Errorf(domain.EINTERNAL, "not in this benchmark")
}
func (benchReader) Get(context.Context, domain.Actor, string) (*domain.Student, error) {
	return nil, domain.Errorf(domain.EINTERNAL, "not in this benchmark")
}
func (benchReader) Standing(context.Context, domain.Actor, *domain.Student) (domain.Standing, error) {
	return domain.Standing{}, domain.Errorf(domain.EINTERNAL, "not in this benchmark")
}

// benchStudents builds n students in memory, as Students would return
// them (five grades each).
func benchStudents(n int) []*domain.Student {
	subjects := []string{"Algorithmique", "Bases de données", "Réseaux", "Programmation Go", "Anglais"}
	now := time.Now()
	out := make([]*domain.Student, n)
	for i := range out {
		st := &domain.Student{ID: strconv.Itoa(i), Number: domain.FormatNumber(2026, int64(i+1)), LastName: "Diop",
			FirstName: "Ndèye " + strconv.Itoa(i), Phone: "+2217" + strconv.Itoa(70000000+i), Class: "L3-INFO",
			Major: "Informatique", BirthDate: domain.NewDate(2003, 4, 5), Version: 1, CreatedAt: now, UpdatedAt: now}
		for j, s := range subjects {
			st.Grades = append(st.Grades, domain.Grade{ID: strconv.Itoa(j), Subject: s, Value: float64((i+j)%21) / 1.5,
				Coefficient: float64(1 + j%3), Date: now, Teacher: "bench"})
		}
		st.Average = domain.WeightedAverage(st.Grades)
		out[i] = st
	}
	return out
}

// sampleHeap records the largest HeapInuse seen until stop is called.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
