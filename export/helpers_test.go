package export

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"scolarite/demo"
	"scolarite/domain"
	"scolarite/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var (
	admin   = domain.SystemActor("cli:test")
	fixedAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
)

// newService is the real student service on a fresh database of the
// embedded FerretDB.
func newService(t testing.TB) *domain.StudentService {
	t.Helper()
	st := storetest.Open(t)
	return domain.NewStudentService(domain.StudentDeps{Repo: st.Students()})
}

// seed stores n demo students (with grades) and returns them.
func seed(t testing.TB, svc *domain.StudentService, n int) []*domain.Student {
	t.Helper()
	out, err := svc.CreateMany(context.Background(), admin, demo.Students(7, n, time.Now()), "seed")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// writeTemp writes content to a file named name in a temporary directory.
func writeTemp(t testing.TB, name string, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// exportTo exports what admin sees for q in format f to a temporary file.
func exportTo(t testing.TB, svc *domain.StudentService, q domain.RosterQuery, f Format, opt Options) (string, int) {
	t.Helper()
	opt.Format = f
	opt.Now = func() time.Time { return fixedAt }
	var b bytes.Buffer
	n, err := Export(context.Background(), svc, admin, q, &b, opt)
	if err != nil {
		t.Fatalf("export %s: %v", f, err)
	}
	return writeTemp(t, "export."+string(f), b.Bytes()), n
}

// snapshot is every student's JSON form, by phone: what an import may change.
func snapshot(t testing.TB, svc *domain.StudentService) map[string]StudentJSON {
	t.Helper()
	all, err := svc.Students(context.Background(), admin, domain.RosterQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]StudentJSON, len(all))
	for _, s := range all {
		out[s.Phone] = ToJSON(s)
	}
	return out
}
