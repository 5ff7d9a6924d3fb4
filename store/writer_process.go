package store

import (
	"os"
	"strconv"
	"strings"
)

// writerProcess names the process that holds a claim: its host, pid and
// the kernel's start time of that pid. Another process on the same host
// can then tell for certain that the writer died (a reused pid has another
// start time) and take its claim at once, instead of waiting for the claim
// to grow stale; a person retrying after a killed command is not blocked.
type writerProcess struct {
	Host  string `bson:"host"`
	PID   int    `bson:"pid"`
	Start string `bson:"start"` // field 22 of /proc/<pid>/stat; "" where unknown
}

func thisProcess() writerProcess {
	host, _ := os.Hostname()
	pid := os.Getpid()
	return writerProcess{Host: host, PID: pid, Start: processStart(pid)}
}

// dead reports whether p certainly no longer runs, as seen from self:
// only a process of the same host, with a known start time, can be known
// dead.
func (p writerProcess) dead(self writerProcess) bool {
	if p.Host == "" || p.Host != self.Host || p.Start == "" || p.PID <= 0 {
		return false
	}
	return processStart(p.PID) != p.Start
}

// processStart is the start time of pid in clock ticks since boot ("" when
// the process does not exist or /proc is not there).
func processStart(pid int) string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return ""
	}
	// The command name (field 2) may hold spaces and parentheses: count
	// the fields after its closing parenthesis.
	s := string(b)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return ""
	}
	fields := strings.Fields(s[end+1:])
	const startField = 22 - 3 // fields 3.. follow the name
	if len(fields) <= startField {
		return ""
	}
	return fields[startField]
}
