package main

import (
	"fmt"
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
	mnt := smallDisk(t)
	dir := filepath.Join(mnt, "data")
	number := addStudent(t, dir, "Diop", "Awa", "77 100 00 01", "L1-INFO")

	// A running process keeps the embedded servers up, as the application
	// or serve would.
	startNotifier(t, dir)

	filler := fillDisk(t, mnt, 4<<10) // leave 4 KB: less than a write needs
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

// A disk that fills up at any point of a write (the claim, the student,
// the delivery of its trail) loses nothing acknowledged: with less and
// less room, students and grades are added until they are refused; once
// space is freed and the store restarted, every acknowledged write is
// there with exactly one audit entry and its events, and nothing else is.
func TestDiskFillingKeepsEveryTrail(t *testing.T) {
	mnt := smallDisk(t)
	dir := filepath.Join(mnt, "data")
	number := addStudent(t, dir, "Diop", "Awa", "77 100 00 01", "L1-INFO")
	acked := &ackLog{grades: map[string][]string{}, versions: map[string]int64{}}
	added, refused := 0, 0
	for leave := int64(128 << 10); leave > 0; leave -= 3 << 10 {
		filler := fillDisk(t, mnt, leave)
		for i := range 2 {
			r := scolarite(t, dir, "", "grades", "add", number, "--subject", "Maths", "--value", "12")
			if r.code == 0 {
				added++
			} else {
				refused++
			}
			r = scolarite(t, dir, "", "students", "add", "--last-name", "Sow", "--first-name", "Élève",
				"--phone", fmt.Sprintf("78 %03d %02d %02d", leave>>10, i, 1), "--class", "L1-INFO", "--major", "Informatique", "--birth-date", "2003-04-05")
			if r.code == 0 {
				acked.phones = append(acked.phones, fmt.Sprintf("+22178%03d%02d%02d", leave>>10, i, 1))
			} else if !strings.Contains(r.stderr, "disk") && !strings.Contains(r.stderr, "no space left") {
				t.Errorf("students add refused for another reason than the full disk: %q", r.stderr)
			}
		}
		if err := os.Remove(filler); err != nil {
			t.Fatal(err)
		}
	}
	if refused == 0 || added == 0 {
		t.Fatalf("%d grades added, %d refused: the disk never filled up, or never let a write through", added, refused)
	}
	checkTrails(t, dir, acked, 0)
	out := mustRun(t, dir, "", "students", "show", number)
	if got := strings.Count(out, "Maths"); got != added {
		t.Errorf("%d grades stored, %d acknowledged", got, added)
	}
}

// smallDisk mounts a 16 MB tmpfs for the test, which takes root. Not
// smaller: SQLite checkpoints its write-ahead log at 4 MB, and on a smaller
// disk the log alone grew until it took all the space, the filler's
// removal included, so the store was rightly still full at the end.
func smallDisk(t *testing.T) string {
	t.Helper()
	mnt := t.TempDir()
	if err := syscall.Mount("tmpfs", mnt, "tmpfs", 0, "size=16m"); err != nil {
		if os.Getenv("SCOLARITE_REQUIRE_TMPFS") == "1" {
			t.Fatalf("mount a tmpfs: %v", err)
		}
		t.Skipf("cannot mount a tmpfs here (%v); run as root", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(mnt, syscall.MNT_DETACH) })
	return mnt
}

// fillDisk fills mnt but for leave bytes and returns the filler's path.
func fillDisk(t *testing.T, mnt string, leave int64) string {
	t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	free := int64(st.Bavail) * st.Bsize
	filler := filepath.Join(mnt, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, _ = f.Write(make([]byte, max(0, free-leave)))
	return filler
}
