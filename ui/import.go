package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scolarite/export"
)

type importStage int

const (
	importPath importStage = iota
	importChecking
	importPreview
	importApplying
	importDone
)

// importScreen: a path, a check of every row with a progress bar, the
// report of what would happen, then (enter) the import with its progress,
// and the result. Nothing is written before enter on the report.
type importScreen struct {
	c       *Common
	w       export.Writer
	keys    importKeys
	path    textinput.Model
	stage   importStage
	update  bool
	skip    bool
	job     *job
	frac    float64
	phase   string
	plan    *export.Plan
	preview *export.ImportResult
	result  *export.ImportResult
	err     string
	offset  int // first problem shown
	width   int
	height  int
}

type importKeys struct {
	Check, Apply, Update, Skip, Up, Down, Back key.Binding
}

// importDialog opens the import screen (administrators: the domain
// refuses anyone else anyway).
func importDialog(c *Common) tea.Cmd {
	w, ok := stored(c.Students).(export.Writer)
	if !ok {
		return status(statusWarning, c.T.T("import.noservice"))
	}
	t := c.T
	in := newInput(c.Styles, 500)
	in.Placeholder = "inscrits.xlsx"
	in.Focus()
	return openScreen(&importScreen{c: c, w: w, path: in, keys: importKeys{
		Check:  key.NewBinding(key.WithKeys("enter"), key.WithHelp(t.T("keyname.enter"), t.T("import.check"))),
		Apply:  key.NewBinding(key.WithKeys("enter"), key.WithHelp(t.T("keyname.enter"), t.T("import.apply"))),
		Update: key.NewBinding(key.WithKeys("u"), key.WithHelp("u", t.T("import.update"))),
		Skip:   key.NewBinding(key.WithKeys("s"), key.WithHelp("s", t.T("import.skip"))),
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑", t.T("key.up"))),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓", t.T("key.down"))),
		Back:   key.NewBinding(key.WithKeys("esc"), key.WithHelp(t.T("keyname.esc"), t.T("import.back"))),
	}})
}

func (m *importScreen) Init() tea.Cmd { return nil }

func (m *importScreen) options() export.ImportOptions {
	return export.ImportOptions{Update: m.update, SkipInvalid: m.skip, Journal: m.c.Imports}
}

// check runs the first phase: read and validate, write nothing.
func (m *importScreen) check() tea.Cmd {
	path := expandHome(strings.TrimSpace(m.path.Value()))
	if path == "" {
		return nil
	}
	c, w, opt := m.c, m.w, m.options()
	m.stage, m.frac, m.err, m.offset = importChecking, 0, "", 0
	j, cmd := startJob(c, func(ctx context.Context, progress func(string, int64, int64)) (any, error) {
		opt.Progress = func(p export.ImportProgress) { progress(string(p.Phase), p.Done, p.Total) }
		return export.Check(ctx, w, c.Actor, path, opt)
	})
	m.job = j
	return cmd
}

// apply runs the second phase on the checked plan.
func (m *importScreen) apply() tea.Cmd {
	plan := m.plan
	m.stage, m.frac = importApplying, 0
	j, cmd := startJob(m.c, func(ctx context.Context, progress func(string, int64, int64)) (any, error) {
		plan.OnProgress(func(p export.ImportProgress) { progress(string(p.Phase), p.Done, p.Total) })
		return plan.Apply(ctx)
	})
	m.job = j
	return cmd
}

func (m *importScreen) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case jobProgressMsg:
		if msg.job != m.job {
			return m, nil
		}
		m.frac, m.phase = fraction(msg.done, msg.total), msg.phase
		return m, m.job.next()
	case jobDoneMsg:
		if msg.job != m.job {
			return m, nil
		}
		return m, m.finished(msg)
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	if m.stage == importPath {
		var cmd tea.Cmd
		m.path, cmd = m.path.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *importScreen) finished(msg jobDoneMsg) tea.Cmd {
	t := m.c.T
	m.job = nil
	if msg.err != nil {
		m.c.Log.Error("import", "err", msg.err)
		switch {
		case errors.Is(msg.err, context.Canceled):
			m.err = t.T("import.cancelled")
		case m.stage == importApplying:
			cause := errors.Unwrap(msg.err) // past "import failed, nothing was kept"
			if cause == nil {
				cause = msg.err
			}
			m.err = t.T("import.failed", importErrorText(t, cause))
		default:
			m.err = importErrorText(t, msg.err)
		}
		if m.stage == importApplying {
			m.stage = importDone
		} else {
			m.stage = importPath
		}
		return nil
	}
	if m.stage == importChecking {
		m.plan = msg.result.(*export.Plan)
		m.preview, m.stage = m.plan.Result(), importPreview
		return nil
	}
	r := msg.result.(*export.ImportResult)
	m.result, m.stage = r, importDone
	return status(statusSuccess, t.T("import.done", r.Added, r.Updated, r.Unchanged, r.Rejected))
}

func (m *importScreen) key(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	back := key.Matches(msg, k.Back)
	switch m.stage {
	case importChecking, importApplying:
		if back {
			m.job.cancel()
		}
		return nil
	case importDone:
		if back || key.Matches(msg, k.Check) {
			return func() tea.Msg { return backMsg{} }
		}
		return nil
	case importPreview:
		switch {
		case back:
			m.stage, m.plan, m.preview = importPath, nil, nil
		case key.Matches(msg, k.Update):
			m.update = !m.update
			return m.check()
		case key.Matches(msg, k.Skip):
			m.skip = !m.skip
			return m.check()
		case key.Matches(msg, k.Up):
			m.offset = max(0, m.offset-1)
		case key.Matches(msg, k.Down):
			m.offset = min(max(0, len(m.preview.Problems)-1), m.offset+1)
		case key.Matches(msg, k.Apply) && m.canApply():
			return m.apply()
		}
		return nil
	}
	switch {
	case back:
		return func() tea.Msg { return backMsg{} }
	case key.Matches(msg, k.Check):
		return m.check()
	}
	var cmd tea.Cmd
	m.path, cmd = m.path.Update(msg)
	return cmd
}

// canApply: the check passed (or refused rows are skipped) and something
// would be written.
func (m *importScreen) canApply() bool {
	p := m.preview
	return p != nil && !p.Refused && p.Added+p.Updated > 0
}

func (m *importScreen) SetSize(w, h int) {
	m.width, m.height = w, h
	m.path.Width = max(10, min(70, w-16))
}

// Stop cancels a running check or import; a cancelled import undoes
// what it wrote before the command returns.
func (m *importScreen) Stop() tea.Cmd {
	if m.job == nil {
		return nil
	}
	return m.job.stop()
}

func (m *importScreen) Capturing() bool { return true }
func (m *importScreen) Dirty() bool     { return m.stage == importApplying }

func (m *importScreen) ShortHelp() []key.Binding {
	k := m.keys
	switch m.stage {
	case importPreview:
		return []key.Binding{k.Apply, k.Update, k.Skip, k.Down, k.Back}
	case importPath:
		return []key.Binding{k.Check, k.Back}
	}
	return []key.Binding{k.Back}
}

func (m *importScreen) FullHelp() [][]key.Binding { return [][]key.Binding{m.ShortHelp()} }

// yesNo writes a toggle's state.
func (m *importScreen) yesNo(on bool) string {
	if on {
		return m.c.T.T("import.yes")
	}
	return m.c.T.T("import.no")
}

func (m *importScreen) View() string {
	s, t := m.c.Styles, m.c.T
	var b strings.Builder
	line := func(str string) { b.WriteString(fit(str, m.width, false) + "\n") }
	wrapped := func(style lipgloss.Style, indent int, str string) {
		pad := strings.Repeat(" ", indent)
		for _, l := range strings.Split(s.Plain.Width(max(10, m.width-indent)).Render(str), "\n") {
			line(pad + style.Render(l))
		}
	}
	line(s.Title.Render(t.T("import.title")))
	line(s.Muted.Render(t.T("import.hint")))
	b.WriteString("\n")
	line("  " + s.Label.Render(fit(t.T("import.file"), 9, false)) + " " + m.path.View())
	line(fmt.Sprintf("  [u] %s : %s   [s] %s : %s", t.T("import.update"), s.Bold.Render(m.yesNo(m.update)),
		t.T("import.skip"), s.Bold.Render(m.yesNo(m.skip))))
	b.WriteString("\n")
	switch m.stage {
	case importChecking, importApplying:
		label := t.T("import.checking")
		if m.stage == importApplying {
			label = t.T("import.applying")
			if m.phase == string(export.PhaseUndo) {
				label = t.T("import.undoing")
			}
		}
		line("  " + progressBar(s, min(60, m.width-4), m.frac))
		line(s.Muted.Render(label))
	case importPreview:
		m.viewReport(&b, m.preview, line, wrapped)
		switch {
		case m.preview.Refused:
			wrapped(s.Warning, 0, t.T("import.refused"))
		case m.canApply():
			line(s.Success.Render(t.T("import.confirm")))
		default:
			line(s.Muted.Render(t.T("import.nothing")))
		}
	case importDone:
		if m.result != nil {
			line("  " + progressBar(s, min(60, m.width-4), 1))
			line(s.Success.Render(t.T("import.done", m.result.Added, m.result.Updated, m.result.Unchanged, m.result.Rejected)))
		}
	}
	if m.err != "" {
		wrapped(s.Error, 0, m.err)
	}
	return b.String()
}

// viewReport writes the counts and as many problems as fit, each wrapped
// to the width (a cut reason would hide what the cell held).
func (m *importScreen) viewReport(b *strings.Builder, r *export.ImportResult, line func(string), wrapped func(lipgloss.Style, int, string)) {
	s, t := m.c.Styles, m.c.T
	line("  " + s.Bold.Render(t.T("import.preview", r.Rows, r.Added, r.Updated, r.Unchanged, r.Rejected)))
	if len(r.Problems) == 0 {
		return
	}
	b.WriteString("\n")
	line("  " + s.Warning.Render(t.T("import.problems", len(r.Problems)+r.Dropped)))
	room := max(1, m.height-14)
	end := min(len(r.Problems), m.offset+room/2+1)
	for _, p := range r.Problems[m.offset:end] {
		wrapped(s.FieldError, 4, problemText(t, p))
	}
	if rest := len(r.Problems) - end + r.Dropped; rest > 0 {
		line("    " + s.Muted.Render(t.T("import.more", rest)))
	}
	b.WriteString("\n")
}
