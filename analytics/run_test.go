package analytics

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRunMixedFormats(t *testing.T) {
	c := newCluster(t)
	cfg := testConfig(c)
	produce(t, cfg,
		rec("2026-00001", event("student.created", "Ndèye", "Diop", 22, "Informatique")),
		rec("2026-00002", event("student.created", "Moussa", "Fall", 19, "Informatique")),
		rec("2026-00003", event("student.created", "Awa", "Ba", 25, "Gestion")),
		rec("2026-00003", event("grade.added", "Awa", "Ba", 25, "Gestion")),
		rec("2026-00002", event("student.updated", "Moussa", "Fall", 21, "Gestion")),
		rec("", `{"first_name":"Fatou","last_name":"Sow","age":23,"major":"Informatique"}`),
		rec("", ` Ibou , Ndiaye , 30 , Gestion `),
		rec("", `not,a,student`),
		rec("", `{"first_name":"X"`),
		rec("", `Jean,Gomis,18,Gestion`),
	)
	dir := t.TempDir()
	o := runOpts(t, cfg, dir)
	o.OutDir = filepath.Join(dir, "out")
	if d := os.Getenv("ANALYTICS_KEEP_OUT"); d != "" {
		o.OutDir = d
	}
	res := mustRun(t, o)
	r := res.Report
	if r.Read != 10 || r.Rejected != 2 || r.Filtered != 2 || r.Kept != 6 {
		t.Fatalf("counts: read %d rejected %d filtered %d kept %d", r.Read, r.Rejected, r.Filtered, r.Kept)
	}
	if r.Students != 5 || len(r.Majors) != 2 {
		t.Fatalf("students %d majors %+v", r.Students, r.Majors)
	}
	for _, f := range res.Files {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Fatalf("%s: %v", f, err)
		}
	}
	t.Logf("%+v", r)
	md, _ := os.ReadFile(filepath.Join(o.OutDir, ReportMarkdown))
	t.Log(string(md))
}
