package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The disk of the embedded store fills up: a write is refused with a
// sentence that says so, reads go on, and once space is freed every write
// works again (FerretDB used to keep a half-created collection and refuse
// every later write to it). Needs a small tmpfs, which takes root.
func TestDiskFullRefusesWritesAndRecovers(t *testing.T) {
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=3m"); err != nil {
		if os.Getenv("SCOLARITE_REQUIRE_TMPFS") == "1" {
			t.Fatalf("mount a tmpfs: %v", err)
		}
		t.Skipf("cannot mount a tmpfs here (%v); run as root", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) })
	dir := filepath.Join(mnt, "data")
	number := addStudent(t, dir, "Diop", "Awa", "77 100 00 01", "L1-INFO")

	// A running process keeps the embedded servers up, as the application
	// or serve would.
	startNotifier(t, dir)

	filler := filepath.Join(mnt, "filler")
	fill := func() {
		var st syscall.Statfs_t
		if err := syscall.Statfs(mnt, &st); err != nil {
			t.Fatal(err)
		}
		free := int64(st.Bavail) * st.Bsize
		f, err := os.Create(filler)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		_, _ = f.Write(make([]byte, max(0, free-4<<10))) // leave 4 KB: less than a write needs
	}
	fill()
	r := scolarite(t, dir, "", "grades", "add", number, "--subject", "Maths", "--value", "12")
	if r.code != 1 || !strings.Contains(r.stderr, "disk of the database server is full") {
		t.Fatalf("grade on a full disk: exit %d, stderr %q", r.code, r.stderr)
	}
	if out := mustRun(t, dir, "", "students", "show", number); !strings.Contains(out, "Diop Awa") {
		t.Fatalf("reading on a full disk: %q", out)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, dir, "", "grades", "add", number, "--subject", "Maths", "--value", "12")
	if !strings.Contains(out, "12.00") {
		t.Fatalf("the grade once space is freed: %q", out)
	}
	if out := mustRun(t, dir, "", "students", "show", number); strings.Count(out, "Maths") != 1 {
		t.Fatalf("after the full disk, want exactly the one grade written:\n%s", out)
	}
}
