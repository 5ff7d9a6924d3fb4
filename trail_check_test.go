package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"scolarite/cli"
	"scolarite/domain"
)

// Raw documents as the check reads them.
type (
	checkedStudent struct {
		ID      bson.ObjectID `bson:"_id"`
		Number  string        `bson:"number"`
		Phone   string        `bson:"phone"`
		Version int64         `bson:"version"`
		Average *float64      `bson:"average"`
		Deleted bool          `bson:"deleted"`
		Grades  []struct {
			ID           string  `bson:"id"`
			Value        float64 `bson:"value"`
			Coefficient  float64 `bson:"coefficient"`
			EvaluationID string  `bson:"evaluation_id"`
		} `bson:"grades"`
	}
	checkedAudit struct {
		Action   string `bson:"action"`
		Entity   string `bson:"entity"`
		EntityID string `bson:"entity_id"`
		New      bson.M `bson:"new"`
		Old      bson.M `bson:"old"`
	}
	checkedEvaluation struct {
		Published bool `bson:"published"`
	}
	checkedCurriculum struct {
		Class, Semester, Year string
		Version               int64
	}
	checkedEvent struct {
		Type      string        `bson:"type"`
		StudentID bson.ObjectID `bson:"student_id"`
		Grade     *struct {
			ID string `bson:"id"`
		} `bson:"grade"`
	}
)

func readAll[T any](t *testing.T, db *mongo.Database, coll string) []T {
	t.Helper()
	cur, err := db.Collection(coll).Find(context.Background(), bson.D{})
	if err != nil {
		t.Fatalf("read %s: %v", coll, err)
	}
	var out []T
	if err := cur.All(context.Background(), &out); err != nil {
		t.Fatalf("read %s: %v", coll, err)
	}
	return out
}

// checkTrails starts the back-ends on dir as any command does (settling
// what a killed process left) and checks the store against what the
// children acknowledged.
func checkTrails(t *testing.T, dir string, acked *ackLog, kill int) {
	t.Helper()
	ctx := context.Background()
	app, err := openApp(ctx, cli.Config{DataDir: dir, Database: "scolarite", Region: "SN"})
	if err != nil {
		t.Fatalf("start after kill %d: %v", kill, err)
	}
	defer func() { _ = app.Close() }()
	db := app.Backups.(*backups).db

	students := readAll[checkedStudent](t, db, "students")
	audits := readAll[checkedAudit](t, db, "audit")
	events := readAll[checkedEvent](t, db, "events")
	if claims := readAll[bson.M](t, db, "claims"); len(claims) > 0 {
		t.Errorf("%d claim(s) left after the start: %v\n%s", len(claims), claims[0]["_id"], logLines(dir, "not settled"))
	}
	if imports := readAll[bson.M](t, db, "imports"); len(imports) > 0 {
		t.Errorf("%d import journal(s) left after the start", len(imports))
	}

	byNumber := map[string]*checkedStudent{}
	byID := map[bson.ObjectID]*checkedStudent{}
	phones := map[string]bool{}
	for i := range students {
		s := &students[i]
		if s.Deleted {
			t.Errorf("tombstone of %s left after the start", s.Number)
		}
		byNumber[s.Number], byID[s.ID], phones[s.Phone] = s, s, true
	}

	// Every acknowledged write is there.
	for number, ids := range acked.grades {
		s := byNumber[number]
		for _, id := range ids {
			if s == nil || !hasGrade(s, id) {
				t.Errorf("acknowledged grade %s of %s is missing", id, number)
			}
		}
	}
	for number, v := range acked.versions {
		if s := byNumber[number]; s == nil || s.Version < v {
			t.Errorf("acknowledged version %d of %s is missing", v, number)
		}
	}
	for _, p := range acked.phones {
		if !phones[p] {
			t.Errorf("acknowledged import of %s is missing", p)
		}
	}

	// One audit entry per write: the entries of a student's changes carry
	// the versions 2..current, each once; its creation is covered once.
	changes := map[string][]int64{}
	created := map[string]int{}
	deleted := map[string]int{}
	for _, e := range audits {
		if e.Entity != "student" {
			continue
		}
		switch e.Action {
		case "student.create":
			created[e.EntityID]++
		case "student.import":
			first, last, _ := strings.Cut(e.EntityID, "..")
			for n := range byNumber {
				if n >= first && n <= last {
					created[n]++
				}
			}
		case "student.delete":
			deleted[e.EntityID]++
		default:
			changes[e.EntityID] = append(changes[e.EntityID], asInt(e.New["version"]))
		}
	}
	for _, s := range students {
		if created[s.Number] != 1 {
			t.Errorf("%s: %d creation audit entries, want 1", s.Number, created[s.Number])
		}
		want := map[int64]bool{}
		for v := int64(2); v <= s.Version; v++ {
			want[v] = true
		}
		for _, v := range changes[s.Number] {
			if !want[v] {
				t.Errorf("%s (version %d): an audit entry for version %d, of no write or of one already audited", s.Number, s.Version, v)
			}
			delete(want, v)
		}
		if len(want) > 0 {
			t.Errorf("%s (version %d): %d write(s) without an audit entry", s.Number, s.Version, len(want))
		}
		if got := recomputedAverage(t, app, &s); !sameAverage(got, s.Average) {
			t.Errorf("%s: stored average %v, recomputed %v", s.Number, deref(s.Average), deref(got))
		}
	}
	for number, n := range deleted {
		if n != 1 || byNumber[number] != nil {
			t.Errorf("%s: %d delete entries, still stored: %v", number, n, byNumber[number] != nil)
		}
	}

	checkCurriculumTrails(t, db, audits)
	checkRoster(t, db, byID)
	checkQueues(t, db)

	// One event per write: a student.created each, a grade.added per grade,
	// one student.updated or grade.changed per other change, none about a
	// student that is neither stored nor deleted.
	type counts struct{ created, deleted, updated int }
	per := map[bson.ObjectID]*counts{}
	added := map[bson.ObjectID][]string{}
	for _, e := range events {
		c := per[e.StudentID]
		if c == nil {
			c = &counts{}
			per[e.StudentID] = c
		}
		switch e.Type {
		case domain.EventStudentCreated:
			c.created++
		case domain.EventStudentDeleted:
			c.deleted++
		case domain.EventGradeAdded:
			added[e.StudentID] = append(added[e.StudentID], e.Grade.ID)
		case domain.EventStudentUpdated, domain.EventGradeChanged:
			c.updated++
		}
	}
	for id, c := range per {
		s := byID[id]
		switch {
		case s == nil && c.deleted != 1:
			t.Errorf("events about student %s, neither stored nor deleted once (%d deletes)", id.Hex(), c.deleted)
		case c.created != 1:
			t.Errorf("student %s: %d student.created events", id.Hex(), c.created)
		case s != nil && c.deleted != 0:
			t.Errorf("student %s: a student.deleted event but still stored", s.Number)
		}
	}
	for _, s := range students {
		got := added[s.ID]
		var ids []string
		for _, g := range s.Grades {
			ids = append(ids, g.ID)
		}
		if !sameSet(got, ids) {
			t.Errorf("%s: grade.added events for %d grade(s), %d grade(s) stored", s.Number, len(got), len(ids))
		}
		var updates int
		for _, v := range changes[s.Number] {
			if v > 0 {
				updates++
			}
		}
		if c := per[s.ID]; c == nil || c.updated+len(got) != updates {
			t.Errorf("%s: events for %d change(s), %d audited", s.Number, c.updated+len(got), updates)
		}
	}
}

func hasGrade(s *checkedStudent, id string) bool {
	for _, g := range s.Grades {
		if g.ID == id {
			return true
		}
	}
	return false
}

// recomputedAverage is a student's average computed again from its
// grades: its semester's, from the curriculum and evaluations, once that
// has one; else the mean of its free grades.
func recomputedAverage(t *testing.T, app *cli.App, s *checkedStudent) *float64 {
	t.Helper()
	var free []domain.Grade
	marked := false
	for _, g := range s.Grades {
		if g.EvaluationID != "" {
			marked = true
		} else {
			free = append(free, domain.Grade{ID: g.ID, Value: g.Value, Coefficient: g.Coefficient})
		}
	}
	if !marked {
		return domain.WeightedAverage(free)
	}
	admin := domain.SystemActor("check")
	st, err := app.Students.Get(context.Background(), admin, s.Number)
	if err != nil {
		t.Fatal(err)
	}
	semesters, err := app.Curricula.Semesters(context.Background(), admin, st)
	if err != nil || len(semesters) != 1 {
		t.Fatalf("semesters of %s: %v, %v", s.Number, semesters, err)
	}
	if semesters[0].Average == nil { // only justified absences so far
		return domain.WeightedAverage(free)
	}
	return semesters[0].Average
}

func sameAverage(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	d := *a - *b
	return d < 1e-9 && d > -1e-9
}

func deref(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// sameSet reports whether a and b hold the same strings, each once.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, x := range a {
		seen[x]++
	}
	for _, x := range b {
		if seen[x] != 1 {
			return false
		}
		seen[x] = 0
	}
	return true
}

// asInt reads a stored integer, int32 or int64 (0 for anything else).
func asInt(v any) int64 {
	switch n := v.(type) {
	case int32:
		return int64(n)
	case int64:
		return n
	}
	return 0
}

// checkCurriculumTrails: one audit entry per write of a curriculum (its
// version counts them) and per evaluation added or published.
func checkCurriculumTrails(t *testing.T, db *mongo.Database, audits []checkedAudit) {
	t.Helper()
	actions := map[string]int{}
	perCurriculum := map[string]int64{}
	for _, e := range audits {
		if e.Entity != "curriculum" {
			continue
		}
		actions[e.Action]++
		if !strings.HasPrefix(e.Action, "evaluation.") {
			perCurriculum[e.EntityID]++
		}
	}
	for _, c := range readAll[checkedCurriculum](t, db, "curricula") {
		key := c.Class + " " + c.Semester + " " + c.Year
		if perCurriculum[key] != c.Version {
			t.Errorf("curriculum %s at version %d has %d audit entries", key, c.Version, perCurriculum[key])
		}
	}
	evals := readAll[checkedEvaluation](t, db, "evaluations")
	published := 0
	for _, e := range evals {
		if e.Published {
			published++
		}
	}
	if actions["evaluation.add"] != len(evals) || actions["evaluation.publish"] != published {
		t.Errorf("%d evaluations (%d published), %d and %d audit entries", len(evals), published, actions["evaluation.add"], actions["evaluation.publish"])
	}
	jury := 0
	for _, e := range audits {
		if e.Action == "jury.decide" {
			jury++
		}
	}
	n, err := db.Collection("jury").CountDocuments(context.Background(), bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	if int64(jury) != n {
		t.Errorf("%d jury decisions, %d audit entries", n, jury)
	}
}

// checkRoster: the table rows are exactly the students', at their version.
func checkRoster(t *testing.T, db *mongo.Database, byID map[bson.ObjectID]*checkedStudent) {
	t.Helper()
	type row struct {
		ID         bson.ObjectID `bson:"_id"`
		Number     string        `bson:"number"`
		Version    int64         `bson:"version"`
		Average    *float64      `bson:"average"`
		GradeCount int           `bson:"grade_count"`
	}
	rows := readAll[row](t, db, "roster")
	seen := map[bson.ObjectID]bool{}
	for _, r := range rows {
		s := byID[r.ID]
		switch {
		case s == nil:
			t.Errorf("a table row of no student: %s %s", r.ID.Hex(), r.Number)
		case seen[r.ID]:
			t.Errorf("%s has two table rows", s.Number)
		case r.Version != s.Version || r.GradeCount != len(s.Grades) || !sameAverage(r.Average, s.Average):
			t.Errorf("%s: table row at version %d (%d grades, average %v), student at %d (%d, %v)",
				s.Number, r.Version, r.GradeCount, deref(r.Average), s.Version, len(s.Grades), deref(s.Average))
		}
		seen[r.ID] = true
	}
	if len(seen) != len(byID) {
		t.Errorf("%d table rows for %d students", len(seen), len(byID))
	}
}

// checkQueues: every event a consumer has not marked has its entry in that
// consumer's queue (nothing here marks events: every event needs both).
func checkQueues(t *testing.T, db *mongo.Database) {
	t.Helper()
	type doc struct {
		ID          bson.ObjectID `bson:"_id"`
		NotifiedAt  *time.Time    `bson:"notified_at"`
		PublishedAt *time.Time    `bson:"published_at"`
	}
	queued := map[string]map[bson.ObjectID]bool{}
	for _, q := range []string{"outbox_notified", "outbox_published"} {
		queued[q] = map[bson.ObjectID]bool{}
		for _, e := range readAll[doc](t, db, q) {
			queued[q][e.ID] = true
		}
	}
	for _, e := range readAll[doc](t, db, "events") {
		if e.NotifiedAt == nil && !queued["outbox_notified"][e.ID] {
			t.Errorf("event %s is not in the notifier's queue", e.ID.Hex())
		}
		if e.PublishedAt == nil && !queued["outbox_published"][e.ID] {
			t.Errorf("event %s is not in the relay's queue", e.ID.Hex())
		}
	}
}

// logLines returns the lines of the data dir's logs holding any of words,
// to say why a check failed.
func logLines(dir string, words ...string) string {
	var b strings.Builder
	_ = filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if info, err := e.Info(); err == nil && !e.IsDir() {
			fmt.Fprintf(&b, "%s: %d bytes\n", path, info.Size())
		}
		return nil
	})
	var st syscall.Statfs_t
	if syscall.Statfs(dir, &st) == nil {
		fmt.Fprintf(&b, "free: %d bytes\n", int64(st.Bavail)*st.Bsize)
	}
	for _, name := range []string{"scolarite.log", "ferretdb.log"} {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		for line := range strings.Lines(string(data)) {
			for _, w := range words {
				if strings.Contains(strings.ToLower(line), w) {
					b.WriteString(name + ": " + line)
					break
				}
			}
		}
	}
	return b.String()
}
