package main

import (
	"encoding/json"
	"fmt"
	"testing"
)

// checkDemoMarks: after seed-demo, every subject of every class's two
// semesters has a CC and an exam; in the current semester of each class
// (S1, S3, S5) the CC is published and marks every student (a value or an
// absence), the exam is neither published nor marked; nothing else is
// published. Seeding queued no message, and the notifier does work: a
// grade added afterwards is sent.
func checkDemoMarks(t *testing.T, dir string, students []map[string]any) {
	t.Helper()
	type evaluation struct {
		ID, Class, Semester, Subject, Kind, Date string
		Published                                bool
	}
	byClass := map[string][]map[string]any{}
	for _, s := range students {
		byClass[s["class"].(string)] = append(byClass[s["class"].(string)], s)
	}
	current := map[string]string{"L1": "S1", "L2": "S3", "L3": "S5"}
	for _, level := range []string{"L1", "L2", "L3"} {
		for _, major := range []string{"INFO", "GC", "GE", "GEST", "GCH"} {
			class := level + "-" + major
			var evals []evaluation
			if err := json.Unmarshal([]byte(mustRun(t, dir, "", "evaluations", "list", "--class", class, "--json")), &evals); err != nil {
				t.Fatal(err)
			}
			kinds := map[string]string{} // semester+subject -> kinds
			cc := map[string]bool{}      // the CC marked in this class
			for _, e := range evals {
				kinds[e.Semester+" "+e.Subject] += e.Kind + " "
				wantPublished := e.Kind == "cc" && e.Semester == current[level]
				if e.Published != wantPublished {
					t.Errorf("%s %s %s %s: published %v", class, e.Semester, e.Subject, e.Kind, e.Published)
				}
				if wantPublished {
					cc[e.ID] = true
				}
			}
			semesters := map[string]bool{}
			for k, v := range kinds {
				semesters[k[:2]] = true
				if v != "cc exam " {
					t.Errorf("%s %s: evaluations %q, want a CC and an exam", class, k, v)
				}
			}
			if len(semesters) != 2 {
				t.Errorf("%s: evaluations in %d semesters, want 2", class, len(semesters))
			}
			for _, s := range byClass[class] {
				marked := 0
				for _, g := range s["grades"].([]any) {
					id, _ := g.(map[string]any)["evaluation_id"].(string)
					switch {
					case cc[id]:
						marked++
					case id != "":
						t.Errorf("student %s is marked in %s, not a published CC", s["number"], id)
					}
				}
				if marked != len(cc) {
					t.Errorf("student %s is marked in %d of the %d CCs of %s", s["number"], marked, len(cc), class)
				}
			}
		}
	}

	status := func() (n struct{ Pending, Sent, Skipped, Failed int }) {
		mustRun(t, dir, "", "notify", "run", "--once")
		if err := json.Unmarshal([]byte(mustRun(t, dir, "", "notify", "status", "--json")), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := status(); n.Pending+n.Sent+n.Skipped+n.Failed != 0 {
		t.Fatalf("the demo queued messages: %+v", n)
	}
	mustRun(t, dir, "", "grades", "add", fmt.Sprint(students[0]["number"]), "--subject", "Physique", "--value", "11")
	if n := status(); n.Sent+n.Skipped == 0 {
		t.Errorf("a grade added after the seed was not notified: %+v", n)
	}
}
