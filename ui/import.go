package ui

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scolarite/domain"
	"scolarite/export"
)

var importText = map[string]text{
	"import.key":       {"importer", "import"},
	"import.title":     {"Importer des étudiants (CSV ou Excel)", "Import students (CSV or Excel)"},
	"import.file":      {"Fichier", "File"},
	"import.hint":      {"Fichier .csv ou .xlsx ; chaque ligne est vérifiée avant toute écriture.", "A .csv or .xlsx file; every row is checked before anything is written."},
	"import.check":     {"vérifier", "check"},
	"import.apply":     {"importer", "import"},
	"import.update":    {"mettre à jour les existants", "update existing"},
	"import.skip":      {"ignorer les lignes refusées", "skip refused rows"},
	"import.yes":       {"oui", "yes"},
	"import.no":        {"non", "no"},
	"import.checking":  {"Vérification du fichier…", "Checking the file…"},
	"import.applying":  {"Écriture…", "Writing…"},
	"import.undoing":   {"Échec : annulation de ce qui a été écrit…", "Failed: undoing what was written…"},
	"import.preview":   {"%d ligne(s) : %d à ajouter, %d à mettre à jour, %d inchangée(s), %d refusée(s)", "%d row(s): %d to add, %d to update, %d unchanged, %d refused"},
	"import.problems":  {"Problèmes (%d) :", "Problems (%d):"},
	"import.more":      {"… et %d autre(s)", "… and %d more"},
	"import.refused":   {"Rien ne sera écrit tant qu'une ligne est refusée : corrigez le fichier, ou « s » pour importer les lignes valides.", "Nothing is written while a row is refused: fix the file, or press s to import the valid rows."},
	"import.nothing":   {"Rien à écrire.", "Nothing to write."},
	"import.confirm":   {"Entrée pour importer.", "Enter to import."},
	"import.done":      {"Import terminé : %d ajouté(s), %d mis à jour, %d inchangé(s), %d refusé(s).", "Import done: %d added, %d updated, %d unchanged, %d refused."},
	"import.failed":    {"L'import a échoué ; rien n'a été gardé : %s", "The import failed; nothing was kept: %s"},
	"import.cancelled": {"Import annulé ; rien n'a été gardé.", "Import cancelled; nothing was kept."},
	"import.back":      {"retour", "back"},
	"import.noservice": {"L'import n'est pas disponible ici.", "Importing is not available here."},
	"import.line":      {"ligne %d", "line %d"},
	"import.linecol":   {"ligne %d, colonne %s", "line %d, column %s"},
	// Reasons of the import, matched in English, with what they quote.
	"imp.samephone":  {"est le même numéro qu'à la ligne %s (%s)", "is the same phone as line %s (%s)"},
	"imp.held":       {"est déjà celui de l'étudiant %s (%s)", "is already used by student %s (%s)"},
	"imp.realday":    {"n'est pas un jour qui existe (saisi : %s)", "is not a real day (got %s)"},
	"imp.twodigits":  {"a une année sur deux chiffres : écrivez-la en entier, ex. 05/04/2003 (saisi : %s)", "has a two-digit year: write the year in full, e.g. 05/04/2003 (got %s)"},
	"imp.notdate":    {"n'est pas une date : écrivez JJ/MM/AAAA ou AAAA-MM-JJ (saisi : %s)", "is not a date: write JJ/MM/AAAA or AAAA-MM-JJ (got %s)"},
	"imp.noheader":   {"contient une valeur mais la colonne n'a pas d'en-tête", "holds a value but the column has no header"},
	"imp.several":    {"l'étudiant %s a %s notes en %s (moyenne %s) : un fichier ne peut pas les remplacer par une seule ; modifiez-les dans l'application", "student %s has %s grades in %s (mean %s): a file cannot set them to one value; change them in the application"},
	"imp.empty":      {"%s est vide", "%s is empty"},
	"imp.emptyfile":  {"Le fichier est vide : il doit commencer par une ligne d'en-têtes (Nom, Prénom, Téléphone, …)", "The file is empty: it should start with a header row (Nom, Prénom, Téléphone, …)"},
	"imp.binary":     {"Le fichier contient des données binaires, pas du texte : importez un .csv ou un .xlsx", "The file holds binary data, not text: import a .csv or .xlsx file"},
	"imp.noneknown":  {"ligne %s : aucune colonne attendue (Nom, Prénom, Téléphone, Classe, Filière, Date de naissance) ; trouvé : %s", "line %s: none of the expected columns (Nom, Prénom, Téléphone, Classe, Filière, Date de naissance); found: %s"},
	"imp.missing":    {"ligne %s : colonne(s) manquante(s) : %s", "line %s: missing column(s): %s"},
	"imp.longline":   {"la ligne %s dépasse %s Ko : ce n'est pas une liste d'étudiants", "line %s is longer than %s KB: this is not a list of students"},
	"imp.nofile":     {"%s : fichier introuvable", "%s: no such file"},
	"imp.xls":        {"%s est un ancien fichier Excel 97–2003 (.xls) : enregistrez-le en .xlsx ou en .csv", "%s is an old Excel 97–2003 (.xls) file: save it as .xlsx or .csv"},
	"imp.unreadable": {"%s n'est pas un classeur Excel lisible", "%s is not a readable Excel workbook"},
}

// importReasons translate the import's own reasons and file errors; the
// domain's reasons go through Reason.
var importReasons = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^is the same phone as line (\d+) \((.*)\)$`), "imp.samephone"},
	{regexp.MustCompile(`^is already used by student (\S+) \((.*)\)$`), "imp.held"},
	{regexp.MustCompile(`^is not a real day \(got (.*)\)$`), "imp.realday"},
	{regexp.MustCompile(`^has a two-digit year: .*\(got (.*)\)$`), "imp.twodigits"},
	{regexp.MustCompile(`^is not a date: .*\(got (.*)\)$`), "imp.notdate"},
	{regexp.MustCompile(`^holds a value but the column has no header$`), "imp.noheader"},
	{regexp.MustCompile(`^student (\S+) has (\d+) grades in (.*) \(mean (.*)\): .*$`), "imp.several"},
	{regexp.MustCompile(`^(.+) is empty$`), "imp.empty"},
	{regexp.MustCompile(`^the file is empty`), "imp.emptyfile"},
	{regexp.MustCompile(`^the file holds binary data`), "imp.binary"},
	{regexp.MustCompile(`^line (\d+): the header row names none of the expected columns .*; found: (.*)$`), "imp.noneknown"},
	{regexp.MustCompile(`^line (\d+): missing column\(s\): (.*)$`), "imp.missing"},
	{regexp.MustCompile(`^line (\d+) is longer than (\d+) KB`), "imp.longline"},
	{regexp.MustCompile(`^(.+): no such file$`), "imp.nofile"},
	{regexp.MustCompile(`^(.+) is an old Excel 97–2003`), "imp.xls"},
	{regexp.MustCompile(`^(.+) is not a readable Excel workbook`), "imp.unreadable"},
}

// importReason puts an import reason in the screen's language.
func importReason(t *Translator, field, reason string) string {
	for _, r := range importReasons {
		if m := r.re.FindStringSubmatch(reason); m != nil {
			args := make([]any, len(m)-1)
			for i, a := range m[1:] {
				args[i] = a
			}
			return t.T(r.key, args...)
		}
	}
	return Reason(t, domain.Problem{Field: field, Reason: reason})
}

// problemText is "ligne N, colonne X : raison".
func problemText(t *Translator, p export.Problem) string {
	where := t.T("import.line", p.Line)
	if p.Column != "" {
		where = t.T("import.linecol", p.Line, p.Column)
	}
	sep := " : "
	if t.Lang() == English {
		sep = ": "
	}
	return where + sep + importReason(t, p.Field, p.Reason)
}

// importErrorText explains an import that could not even start.
func importErrorText(t *Translator, err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Code == domain.EINVALID && len(de.Problems) == 0 {
		return importReason(t, "", de.Message)
	}
	return ErrorText(t, err)
}

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
	w, ok := c.Students.(export.Writer)
	if !ok {
		return status(statusWarning, c.T.T("import.noservice"))
	}
	t := c.T
	in := textinput.New()
	in.Prompt = ""
	in.CharLimit = 500
	in.TextStyle = c.Styles.Input
	in.Cursor.SetMode(cursor.CursorStatic) // no timer redrawing the screen
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
	return export.ImportOptions{Update: m.update, SkipInvalid: m.skip}
}

// check runs the first phase: read and validate, write nothing.
func (m *importScreen) check() tea.Cmd {
	path := expandHome(strings.TrimSpace(m.path.Value()))
	if path == "" {
		return nil
	}
	c, w, opt := m.c, m.w, m.options()
	m.stage, m.frac, m.err, m.offset = importChecking, 0, "", 0
	j, cmd := startJob(c.Ctx, func(ctx context.Context, progress func(string, int64, int64)) (any, error) {
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
	j, cmd := startJob(m.c.Ctx, func(ctx context.Context, progress func(string, int64, int64)) (any, error) {
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
			m.err = t.T("import.failed", importErrorText(t, errors.Unwrap(msg.err)))
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
		for _, l := range strings.Split(lipgloss.NewStyle().Width(max(10, m.width-indent)).Render(str), "\n") {
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
