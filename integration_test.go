package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"scolarite/cache/cachetest"
	"scolarite/cli"
	"scolarite/domain"
	"scolarite/store/storetest"
)

var admin = domain.SystemActor("cli:test")

// openTestApp opens the real wiring on a fresh data dir.
func openTestApp(t testing.TB, cfg cli.Config) *cli.App {
	t.Helper()
	if cfg.DataDir == "" {
		cfg.DataDir = t.TempDir()
	}
	if cfg.Database == "" {
		cfg.Database = "scolarite"
	}
	app, err := openApp(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	t.Cleanup(func() {
		if err := app.Close(); err != nil {
			t.Errorf("close app: %v", err)
		}
	})
	return app
}

func newStudent(i int) domain.StudentInput {
	return domain.StudentInput{LastName: "Diop", FirstName: fmt.Sprintf("Élève %d", i), Phone: fmt.Sprintf("77 %07d", i),
		Class: "L3-INFO", Major: "Informatique", BirthDate: "2002-03-04"}
}

// Redis stops mid-run: reads fall back to MongoDB, a write made meanwhile
// is visible, and the cache is used again once Redis is back.
func TestRedisOutageFallsBackAndRecovers(t *testing.T) {
	srv := cachetest.StartRedisServer(t)
	app := openTestApp(t, cli.Config{MongoURI: storetest.URI(t), Database: storetest.DatabaseName(t), RedisURL: srv.URL()})
	ctx := context.Background()
	first, err := app.Students.Create(ctx, admin, newStudent(1))
	if err != nil {
		t.Fatal(err)
	}
	page, err := app.Students.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || !page.CacheOnline || page.Total != 1 {
		t.Fatalf("roster with redis up: %+v %v", page, err)
	}

	srv.Stop()
	page, err = app.Students.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || page.CacheOnline || page.Total != 1 {
		t.Fatalf("roster with redis down: online=%v total=%d err=%v; want the store's answer, offline", page.CacheOnline, page.Total, err)
	}
	if _, _, err := app.Students.AddGrade(ctx, admin, first.Number, 0, domain.GradeInput{Subject: "Maths", Value: "15"}); err != nil {
		t.Fatalf("add a grade while redis is down: %v", err)
	}

	srv.Restart()
	deadline := time.Now().Add(10 * time.Second)
	for {
		page, err = app.Students.Roster(ctx, admin, domain.RosterQuery{})
		if err == nil && page.CacheOnline {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("cache did not come back: %+v %v", page, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if page.Rows[0].Average == nil || *page.Rows[0].Average != 15 {
		t.Fatalf("after recovery the roster shows average %v; want 15 (the write made during the outage)", page.Rows[0].Average)
	}
}

// Many goroutines add grades to one student through the real stack: every
// successful write is present and the stored average is right.
func TestConcurrentGradesOnRealStore(t *testing.T) {
	app := openTestApp(t, cli.Config{})
	ctx := context.Background()
	st, err := app.Students.Create(ctx, admin, newStudent(7))
	if err != nil {
		t.Fatal(err)
	}
	const writers = 12
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		okIDs    []string
		conflict int
	)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Half pin the version they read (a person's edit), half do not.
			version := int64(0)
			if i%2 == 0 {
				version = st.Version
			}
			_, g, err := app.Students.AddGrade(ctx, admin, st.Number, version, domain.GradeInput{Subject: "Maths", Value: fmt.Sprint(i + 1)})
			mu.Lock()
			defer mu.Unlock()
			switch domain.ErrorCode(err) {
			case "":
				okIDs = append(okIDs, g.ID)
			case domain.ECONFLICT:
				conflict++
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	got, err := app.Students.Get(ctx, admin, st.Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Grades) != len(okIDs) || len(okIDs)+conflict != writers {
		t.Fatalf("%d grades stored, %d writes succeeded, %d conflicts", len(got.Grades), len(okIDs), conflict)
	}
	for _, id := range okIDs {
		if got.GradeByID(id) < 0 {
			t.Errorf("successful grade %s is missing", id)
		}
	}
	if want := domain.WeightedAverage(got.Grades); got.Average == nil || *got.Average != *want {
		t.Fatalf("stored average %v, want %v", got.Average, *want)
	}
	if conflict > writers/2 {
		t.Fatalf("%d conflicts: unpinned writers must retry, not fail", conflict)
	}
}

// The app holds the data dir (and its embedded servers); a CLI command in
// another process joins them, and each sees the other's writes.
func TestSecondProcessSharesEmbeddedServers(t *testing.T) {
	dir := t.TempDir()
	app := openTestApp(t, cli.Config{DataDir: dir})
	ctx := context.Background()
	mine, err := app.Students.Create(ctx, admin, newStudent(1))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "--data-dir", dir, "students", "add", "--last-name", "Sarr", "--first-name", "Coumba",
		"--phone", "70 111 22 33", "--class", "L2-GC", "--major", "Génie civil", "--birth-date", "2004-06-07")
	cmd.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("second process: %v\n%s", err, out)
	}
	theirs := strings.TrimSpace(string(out))
	if _, err := app.Students.Get(ctx, admin, theirs); err != nil {
		t.Fatalf("the app does not see the CLI's student %s: %v", theirs, err)
	}
	page, err := app.Students.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || page.Total != 2 {
		t.Fatalf("roster after the CLI's write: %d rows, %v (the change must invalidate the shared cache)", page.Total, err)
	}
	show := exec.Command(binary, "--data-dir", dir, "students", "show", mine.Number)
	show.Env = cmd.Env
	if out, err := show.CombinedOutput(); err != nil || !strings.Contains(string(out), "Élève 1") {
		t.Fatalf("the CLI does not see the app's student: %v\n%s", err, out)
	}
}
