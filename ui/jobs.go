package ui

import (
	"context"
	"math"
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// job is long work (an export, an import, a report) run off the UI loop:
// a tea.Cmd starts it and hands back its first message; the work reports
// progress through a channel that the screen reads one message at a time
// (Bubble Tea's pattern for outside events), and ends with jobDoneMsg.
type job struct {
	cancel context.CancelFunc
	ch     chan tea.Msg
	done   chan struct{} // closed when the work has returned
}

type (
	// jobProgressMsg is how far a job went: done of total (0: unknown).
	jobProgressMsg struct {
		job         *job
		phase       string
		done, total int64
	}
	// jobDoneMsg ends a job with its result or error.
	jobDoneMsg struct {
		job    *job
		result any
		err    error
	}
)

// jobFunc does the work, telling progress how far it went.
type jobFunc func(ctx context.Context, progress func(phase string, done, total int64)) (any, error)

// startJob returns the job and the command that runs it under c.Ctx;
// c.WaitJobs waits for it.
func startJob(c *Common, run jobFunc) (*job, tea.Cmd) {
	ctx, cancel := context.WithCancel(c.Ctx)
	j := &job{cancel: cancel, ch: make(chan tea.Msg, 1), done: make(chan struct{})}
	return j, func() tea.Msg {
		c.jobs.Add(1)
		go func() {
			defer cancel()
			defer c.jobs.Done()
			res, err := run(ctx, func(phase string, done, total int64) {
				select { // progress is dropped, never waited for, when the screen lags
				case j.ch <- jobProgressMsg{job: j, phase: phase, done: done, total: total}:
				default:
				}
			})
			close(j.done) // before the send, which waits for a reader
			j.ch <- jobDoneMsg{job: j, result: res, err: err}
		}()
		return <-j.ch
	}
}

// stop cancels the job and returns the command that waits until its
// work has returned.
func (j *job) stop() tea.Cmd {
	j.cancel()
	return func() tea.Msg {
		<-j.done
		return nil
	}
}

// next waits for the job's next message.
func (j *job) next() tea.Cmd {
	return func() tea.Msg { return <-j.ch }
}

// progressBar draws a bar of width cells for frac in [0, 1] and the
// percentage after it. (bubbles/progress would need the harmonica module,
// which this project does not require; the bar is static anyway.)
func progressBar(s Styles, width int, frac float64) string {
	frac = math.Max(0, math.Min(1, frac))
	pct := strconv.Itoa(int(frac*100)) + " %"
	w := max(4, width-len(pct)-1)
	full := int(math.Round(frac * float64(w)))
	bar := s.Bar.Render(strings.Repeat("█", full)) +
		s.Muted.Render(strings.Repeat("░", w-full))
	return bar + " " + pct
}

// fraction is done/total, or 0 when the total is unknown.
func fraction(done, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return float64(done) / float64(total)
}
