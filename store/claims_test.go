package store_test

import (
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"scolarite/domain"
	"scolarite/store/storetest"
)

// startOf is field 22 of /proc/<pid>/stat, as the store records it.
func startOf(t *testing.T, pid int) string {
	t.Helper()
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[19]
}

// A claim left by a writer that died (a killed `grades add`) does not block
// the next writer; one held by a live writer is a real concurrent edit.
func TestClaimOfADeadWriter(t *testing.T) {
	host, _ := os.Hostname()
	child := exec.Command("sleep", "0.01")
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	deadPID, deadStart := child.Process.Pid, startOf(t, child.Process.Pid)
	if err := child.Wait(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		by   bson.D
		want domain.Code // "" = the write goes through
	}{
		{"writer killed", bson.D{{Key: "host", Value: host}, {Key: "pid", Value: deadPID}, {Key: "start", Value: deadStart}}, ""},
		{"writer alive", bson.D{{Key: "host", Value: host}, {Key: "pid", Value: os.Getpid()}, {Key: "start", Value: startOf(t, os.Getpid())}}, domain.ECONFLICT},
		{"writer on another host", bson.D{{Key: "host", Value: "elsewhere"}, {Key: "pid", Value: deadPID}, {Key: "start", Value: deadStart}}, domain.ECONFLICT},
		{"claim of an older version of the code", nil, domain.ECONFLICT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.Open(t)
			repo := s.Students()
			st := newStudent(40)
			if err := repo.Insert(ctx(t), st, domain.Trail{}); err != nil {
				t.Fatal(err)
			}
			claim := bson.D{{Key: "_id", Value: st.ID + ":2"}, {Key: "at", Value: time.Now().UTC()}}
			if tc.by != nil {
				claim = append(claim, bson.E{Key: "by", Value: tc.by})
			}
			if _, err := s.Database().Collection("claims").InsertOne(ctx(t), claim); err != nil {
				t.Fatal(err)
			}
			next := *st
			next.FirstName, next.Version = "Retried", 2
			start := time.Now()
			err := repo.Replace(ctx(t), &next, 1, domain.Trail{})
			if got := domain.ErrorCode(err); got != tc.want {
				t.Fatalf("Replace: code %q (%v), want %q", got, err, tc.want)
			}
			if tc.want == "" && time.Since(start) > time.Second {
				t.Errorf("the retry took %v", time.Since(start))
			}
		})
	}
}
