package ui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
	"scolarite/export"
)

var exportText = map[string]text{
	"export.key":       {"exporter", "export"},
	"export.title":     {"Exporter la liste", "Export the list"},
	"export.what":      {"%d étudiant(s), comme le tableau les montre (%s)", "%d student(s), as the table shows them (%s)"},
	"export.file":      {"Fichier", "File"},
	"export.csv":       {"CSV (; et BOM, pour Excel)", "CSV"},
	"export.xlsx":      {"Excel (.xlsx)", "Excel (.xlsx)"},
	"export.json":      {"JSON", "JSON"},
	"export.pdf":       {"PDF (liste imprimable)", "PDF (printable list)"},
	"export.choose":    {"format suivant", "next format"},
	"export.run":       {"écrire le fichier", "write the file"},
	"export.close":     {"fermer", "close"},
	"export.running":   {"Écriture de %s…", "Writing %s…"},
	"export.exists":    {"%s existe déjà : entrée pour le remplacer, échap pour changer de nom.", "%s already exists: enter to replace it, esc to pick another name."},
	"export.nopath":    {"Indiquez un nom de fichier.", "Give a file name."},
	"export.done":      {"%d étudiant(s) exporté(s) vers %s", "%d student(s) exported to %s"},
	"export.failed":    {"Échec : %s", "Failed: %s"},
	"export.cancelled": {"Annulé : aucun fichier écrit.", "Cancelled: no file written."},
	"export.noservice": {"L'export n'est pas disponible ici.", "Exporting is not available here."},
	"export.sorted":    {"tri %s %s", "sort %s %s"},
	"export.filter":    {"filtre « %s »", "filter “%s”"},
}

// openScreenMsg asks the root to open a sub-screen (a dialog).
type openScreenMsg struct{ screen screen }

func openScreen(s screen) tea.Cmd { return func() tea.Msg { return openScreenMsg{screen: s} } }

// fileChoice is one thing a file dialog can write: a format or a report.
type fileChoice struct {
	label string
	name  string // default file name, extension included
}

// fileRun writes choice to path and says what it did.
type fileRun func(ctx context.Context, choice int, path string, progress func(done, total int)) (string, error)

// fileDialog picks what to write and where, then writes it in a job with a
// progress bar; the export dialog and the report dialogs are both one.
type fileDialog struct {
	c        *Common
	keys     fileKeys
	title    string
	note     string
	choices  []fileChoice
	choice   int
	path     textinput.Model
	run      fileRun
	job      *job
	frac     float64
	confirm  string // a path that exists, awaiting "replace?"
	result   string
	err      string
	finished bool
	width    int
}

type fileKeys struct{ Choose, Run, Close key.Binding }

func newFileDialog(c *Common, title, note, chooseHelp string, choices []fileChoice, run fileRun) *fileDialog {
	t := c.T
	in := newInput(c.Styles, 500)
	in.SetValue(choices[0].name)
	in.CursorEnd()
	in.Focus()
	return &fileDialog{c: c, title: title, note: note, choices: choices, path: in, run: run, keys: fileKeys{
		Choose: key.NewBinding(key.WithKeys("tab", "shift+tab"), key.WithHelp("tab", chooseHelp)),
		Run:    key.NewBinding(key.WithKeys("enter"), key.WithHelp(t.T("keyname.enter"), t.T("export.run"))),
		Close:  key.NewBinding(key.WithKeys("esc"), key.WithHelp(t.T("keyname.esc"), t.T("export.close"))),
	}}
}

func (d *fileDialog) Init() tea.Cmd { return nil }

func (d *fileDialog) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case fileExistsMsg:
		if msg.dialog == d {
			d.confirm = msg.path
		}
		return d, nil
	case jobProgressMsg:
		if msg.job != d.job {
			return d, nil
		}
		d.frac = fraction(msg.done, msg.total)
		return d, d.job.next()
	case jobDoneMsg:
		if msg.job != d.job {
			return d, nil
		}
		d.job, d.finished = nil, true
		switch {
		case errors.Is(msg.err, context.Canceled):
			d.err = d.c.T.T("export.cancelled")
		case msg.err != nil:
			d.c.Log.Error("file dialog", "err", msg.err)
			d.err = d.c.T.T("export.failed", ErrorText(d.c.T, msg.err))
		default:
			d.frac, d.result = 1, msg.result.(string)
			return d, status(statusSuccess, d.result)
		}
		return d, nil
	case tea.KeyMsg:
		return d, d.key(msg)
	}
	var cmd tea.Cmd
	d.path, cmd = d.path.Update(msg)
	return d, cmd
}

func (d *fileDialog) key(msg tea.KeyMsg) tea.Cmd {
	k := d.keys
	switch {
	case key.Matches(msg, k.Close):
		if d.job != nil {
			d.job.cancel() // the job ends with context.Canceled
			return nil
		}
		if d.confirm != "" {
			d.confirm = ""
			return nil
		}
		return func() tea.Msg { return backMsg{} }
	case d.job != nil:
		return nil
	case d.finished:
		if key.Matches(msg, k.Run) {
			return func() tea.Msg { return backMsg{} }
		}
		d.finished, d.result, d.err = false, "", ""
	case key.Matches(msg, k.Choose):
		step := 1
		if msg.String() == "shift+tab" {
			step = len(d.choices) - 1
		}
		d.pick((d.choice + step) % len(d.choices))
		return nil
	case key.Matches(msg, k.Run):
		return d.start()
	}
	d.confirm = ""
	var cmd tea.Cmd
	d.path, cmd = d.path.Update(msg)
	return cmd
}

// pick switches choice, changing the file's extension (and its name while
// it is still the default one).
func (d *fileDialog) pick(i int) {
	old, cur := d.choices[d.choice], d.path.Value()
	d.choice, d.confirm = i, ""
	next := d.choices[i]
	switch {
	case cur == old.name:
		cur = next.name
	default:
		cur = strings.TrimSuffix(cur, filepath.Ext(cur)) + filepath.Ext(next.name)
	}
	d.path.SetValue(cur)
	d.path.CursorEnd()
}

// fileExistsMsg: the path names a file already; the dialog asks first.
type fileExistsMsg struct {
	dialog *fileDialog
	path   string
}

func (d *fileDialog) start() tea.Cmd {
	path := expandHome(strings.TrimSpace(d.path.Value()))
	if path == "" {
		d.err = d.c.T.T("export.nopath")
		return nil
	}
	d.err = ""
	confirmed := d.confirm == path
	d.confirm = ""
	if !confirmed {
		if _, err := os.Stat(path); err == nil { // one stat of a local path
			return func() tea.Msg { return fileExistsMsg{dialog: d, path: path} }
		}
	}
	choice, run := d.choice, d.run
	j, cmd := startJob(d.c, func(ctx context.Context, progress func(string, int64, int64)) (any, error) {
		return run(ctx, choice, path, func(done, total int) { progress("", int64(done), int64(total)) })
	})
	d.job, d.frac = j, 0
	return cmd
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

func (d *fileDialog) SetSize(w, _ int) {
	d.width = w
	d.path.Width = max(10, min(70, w-16))
}

func (d *fileDialog) View() string {
	s, t := d.c.Styles, d.c.T
	var b strings.Builder
	b.WriteString(s.Title.Render(d.title) + "\n")
	if d.note != "" {
		b.WriteString(s.Muted.Render(fit(d.note, d.width, false)) + "\n")
	}
	b.WriteString("\n")
	for i, ch := range d.choices {
		mark := "( ) "
		if i == d.choice {
			mark = s.Input.Render("(•) ")
		}
		b.WriteString(fit("  "+mark+ch.label, d.width, false) + "\n")
	}
	b.WriteString("\n" + fit("  "+s.Label.Render(fit(t.T("export.file"), 9, false))+" "+d.path.View(), d.width, false) + "\n\n")
	switch {
	case d.confirm != "":
		b.WriteString(s.Warning.Render(fit(t.T("export.exists", d.confirm), d.width, false)))
	case d.job != nil || d.result != "":
		b.WriteString("  " + progressBar(s, min(60, d.width-4), d.frac) + "\n\n")
		if d.result != "" {
			b.WriteString(s.Success.Render(fit(d.result, d.width, false)))
		} else {
			b.WriteString(s.Muted.Render(fit(t.T("export.running", d.path.Value()), d.width, false)))
		}
	case d.err != "":
		b.WriteString(s.Error.Render(fit(d.err, d.width, false)))
	}
	return b.String()
}

func (d *fileDialog) Capturing() bool { return true }
func (d *fileDialog) Dirty() bool     { return d.job != nil }

func (d *fileDialog) ShortHelp() []key.Binding {
	return []key.Binding{d.keys.Choose, d.keys.Run, d.keys.Close}
}

func (d *fileDialog) FullHelp() [][]key.Binding { return [][]key.Binding{d.ShortHelp()} }

// exportLang is the language of files for the screen's language.
func exportLang(t *Translator) export.Lang {
	if t.Lang() == English {
		return export.English
	}
	return export.French
}

// exportDialog opens the export of what the students table shows: its
// filter and sort, in the actor's scope (the domain applies it again).
func exportDialog(s *students) tea.Cmd {
	c, t := s.c, s.c.T
	reader, ok := stored(c.Students).(export.Reader)
	if !ok {
		return status(statusWarning, t.T("export.noservice"))
	}
	col := rosterColumns[s.sortCol].key
	q := domain.RosterQuery{Search: s.filter.Value(), Sort: col, Order: domain.OrderDesc}
	if s.sortAsc {
		q.Order = domain.OrderAsc
	}
	arrow := "↓"
	if s.sortAsc {
		arrow = "↑"
	}
	what := []string{t.T("export.sorted", strings.ToLower(t.T("col."+string(col))), arrow)}
	if v := s.filter.Value(); v != "" {
		what = append([]string{t.T("export.filter", v)}, what...)
	}
	base := "etudiants-" + time.Now().Format("2006-01-02")
	if t.Lang() == English {
		base = "students-" + time.Now().Format("2006-01-02")
	}
	formats := export.Formats
	choices := make([]fileChoice, len(formats))
	for i, f := range formats {
		choices[i] = fileChoice{label: t.T("export." + string(f)), name: base + "." + string(f)}
	}
	lang := exportLang(t)
	run := func(ctx context.Context, choice int, path string, progress func(int, int)) (string, error) {
		opt := export.Options{Format: formats[choice], Lang: lang, Progress: progress}
		if formats[choice] == export.CSV && lang == export.French {
			opt.Separator, opt.BOM = ';', true // what Excel in a French locale opens right
		}
		n, err := export.ExportFile(ctx, reader, c.Actor, q, path, opt)
		if err != nil {
			return "", err
		}
		return t.T("export.done", n, absPath(path)), nil
	}
	note := t.T("export.what", len(s.view), strings.Join(what, " · "))
	return openScreen(newFileDialog(c, t.T("export.title"), note, t.T("export.choose"), choices, run))
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
