package ui

import (
	"errors"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var formText = map[string]text{
	"form.new":      {"Nouvel étudiant", "New student"},
	"form.edit":     {"Modifier l'étudiant", "Edit student"},
	"form.save":     {"enregistrer", "save"},
	"form.next":     {"champ suivant", "next field"},
	"form.prev":     {"champ précédent", "previous field"},
	"form.submit":   {"champ suivant, ou enregistrer au dernier", "next field, or save on the last"},
	"form.saving":   {"Enregistrement…", "Saving…"},
	"form.fix":      {"Corrigez les champs signalés.", "Fix the fields marked."},
	"form.created":  {"Étudiant %s créé.", "Student %s created."},
	"form.updated":  {"Étudiant %s enregistré.", "Student %s saved."},
	"form.datefmt":  {"AAAA-MM-JJ", "YYYY-MM-DD"},
	"form.guardian": {"Tuteur (facultatif)", "Guardian (optional)"},
	"form.more":     {"▲▼ %d/%d", "▲▼ %d/%d"},
}

// formFields are the inputs in screen order, named as the domain names
// them in Problem.Field, with their length limits.
type formField struct {
	name  string
	limit int
}

var formFields = []formField{
	{"last_name", 80}, {"first_name", 80}, {"phone", 40}, {"email", 100},
	{"class", 60}, {"major", 60}, {"birth_date", 10},
	{"guardian_name", 80}, {"guardian_phone", 40}, {"guardian_email", 100},
}

// Indices into formFields that the form treats specially.
const (
	birthDateField = 6 // gets the date placeholder
	guardianField  = 7 // the optional guardian block starts here, under a heading
)

type formKeys struct {
	Next, Prev, Submit, Save, Cancel key.Binding
}

// form adds or edits a student (admin). It is built from plain text
// inputs rather than huh: huh's form wants to own submission, focus and
// its own theme, while we need server-side problems under each field,
// ctrl+s from anywhere and our Styles.
type form struct {
	c        *Common
	keys     formKeys
	st       *domain.Student // nil: a new student
	inputs   []textinput.Model
	original []string
	errs     map[string]string // field → reason, shown under it
	err      string            // what belongs to no field
	focus    int
	busy     bool
	done     bool // saved: nothing left to lose
	width    int
	height   int
}

type (
	formSavedMsg struct {
		st      *domain.Student
		created bool
		err     error
	}
	// formReloadedMsg is the record as it is now, after a conflict.
	formReloadedMsg struct {
		st  *domain.Student
		err error
	}
)

func newForm(c *Common, st *domain.Student) screen {
	t := c.T
	enter, esc := t.T("keyname.enter"), t.T("keyname.esc")
	f := &form{c: c, st: st, errs: map[string]string{}, keys: formKeys{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", t.T("form.next"))),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", t.T("form.prev"))),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp(enter, t.T("form.submit"))),
		Save:   key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", t.T("form.save"))),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp(esc, t.T("key.cancel"))),
	}}
	f.inputs = make([]textinput.Model, len(formFields))
	for i, fld := range formFields {
		f.inputs[i] = newInput(c.Styles, fld.limit)
	}
	f.inputs[birthDateField].Placeholder = t.T("form.datefmt")
	var in domain.StudentInput
	if st != nil {
		in = st.Input()
	}
	f.fill(in)
	f.setFocus(0)
	return f
}

// fill puts a student's identity in the inputs and takes it as the
// unchanged state. Phones are shown as the office writes them; they parse
// back to the stored E.164.
func (f *form) fill(in domain.StudentInput) {
	phones := f.c.phones()
	in.Phone, in.GuardianPhone = phones.Display(in.Phone), phones.Display(in.GuardianPhone)
	values := []string{in.LastName, in.FirstName, in.Phone, in.Email, in.Class, in.Major, in.BirthDate,
		in.GuardianName, in.GuardianPhone, in.GuardianEmail}
	for i, v := range values {
		f.inputs[i].SetValue(v)
		f.inputs[i].CursorEnd()
	}
	f.original = values
}

func (f *form) input() domain.StudentInput {
	v := func(i int) string { return f.inputs[i].Value() }
	return domain.StudentInput{LastName: v(0), FirstName: v(1), Phone: v(2), Email: v(3),
		Class: v(4), Major: v(5), BirthDate: v(6), GuardianName: v(7), GuardianPhone: v(8), GuardianEmail: v(9)}
}

func (f *form) Init() tea.Cmd { return nil }

func (f *form) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case formSavedMsg:
		f.busy = false
		if msg.err != nil {
			return f, f.refused(msg.err)
		}
		return f, f.succeeded(msg)
	case formReloadedMsg:
		if msg.err != nil {
			f.err = ErrorText(f.c.T, msg.err)
			return f, func() tea.Msg { return failed(msg.err) }
		}
		f.st = msg.st
		f.fill(msg.st.Input())
		return f, nil
	case tea.KeyMsg:
		if f.busy {
			return f, nil
		}
		last := len(f.inputs) - 1
		switch {
		case key.Matches(msg, f.keys.Cancel):
			return f, func() tea.Msg { return backMsg{} }
		case key.Matches(msg, f.keys.Save), key.Matches(msg, f.keys.Submit) && f.focus == last:
			return f, f.save()
		case key.Matches(msg, f.keys.Submit), key.Matches(msg, f.keys.Next):
			return f, f.setFocus((f.focus + 1) % len(f.inputs))
		case key.Matches(msg, f.keys.Prev):
			return f, f.setFocus((f.focus + last) % len(f.inputs))
		}
	}
	var cmd tea.Cmd
	f.inputs[f.focus], cmd = f.inputs[f.focus].Update(msg)
	return f, cmd
}

func (f *form) setFocus(i int) tea.Cmd {
	f.inputs[f.focus].Blur()
	f.focus = i
	return f.inputs[i].Focus()
}

// save sends the form to the domain, which validates every field at once;
// an edit carries the version the form was filled from.
func (f *form) save() tea.Cmd {
	f.busy, f.err = true, ""
	c, in, st := f.c, f.input(), f.st
	if st == nil {
		return func() tea.Msg {
			out, err := c.Students.Create(c.Ctx, c.Actor, in)
			return formSavedMsg{st: out, created: true, err: err}
		}
	}
	ref, version := st.Number, st.Version
	return func() tea.Msg {
		out, err := c.Students.Update(c.Ctx, c.Actor, ref, version, in)
		return formSavedMsg{st: out, err: err}
	}
}

func (f *form) succeeded(msg formSavedMsg) tea.Cmd {
	f.done = true
	number := msg.st.Number
	back := func() tea.Msg { return backMsg{reload: true} }
	if !msg.created {
		return tea.Sequence(status(statusSuccess, f.c.T.T("form.updated", number)), back)
	}
	// The new student's detail opens over the reloaded roster.
	return tea.Sequence(status(statusSuccess, f.c.T.T("form.created", number)), back,
		func() tea.Msg { return openStudentMsg{ref: number} })
}

// refused puts each problem under its field; a stale edit reloads the
// record (never a silent overwrite), and anything else goes to the root
// too, which logs it and ends a session that expired.
func (f *form) refused(err error) tea.Cmd {
	t := f.c.T
	f.errs = map[string]string{}
	var e *domain.Error
	errors.As(err, &e)
	switch code := domain.ErrorCode(err); {
	case code == domain.EINVALID && f.known(e.Problems):
		for _, p := range e.Problems {
			if f.errs[p.Field] == "" {
				f.errs[p.Field] = Reason(t, p)
			}
		}
		f.err = t.T("form.fix")
		return f.focusFirstError()
	case code == domain.ECONFLICT && e.Existing != "":
		f.errs["phone"] = t.T("err.phone_taken", e.Existing)
		return f.focusFirstError()
	case code == domain.ECONFLICT && f.st != nil && e.Field() == "":
		f.err = ErrorText(t, err)
		c, ref := f.c, f.st.Number
		return func() tea.Msg {
			st, err := c.Students.Get(c.Ctx, c.Actor, ref)
			return formReloadedMsg{st: st, err: err}
		}
	}
	f.err = ErrorText(t, err)
	return func() tea.Msg { return failed(err) }
}

// known reports whether every problem names a field of this form.
func (f *form) known(ps []domain.Problem) bool {
	for _, p := range ps {
		if !slices.ContainsFunc(formFields, func(fld formField) bool { return fld.name == p.Field }) {
			return false
		}
	}
	return len(ps) > 0
}

func (f *form) focusFirstError() tea.Cmd {
	for i, fld := range formFields {
		if f.errs[fld.name] != "" {
			return f.setFocus(i)
		}
	}
	return nil
}

// labelWidth fits the longest label ("Date de naissance").
const labelWidth = 19

func (f *form) SetSize(w, h int) {
	f.width, f.height = w, h
	for i := range f.inputs {
		f.inputs[i].Width = max(10, min(50, w-labelWidth-4))
	}
}

func (f *form) View() string {
	s, t := f.c.Styles, f.c.T
	var b strings.Builder
	title := t.T("form.new")
	if f.st != nil {
		title = t.T("form.edit")
	}
	b.WriteString(s.Title.Render(title) + "\n\n")
	top := 2
	if f.st != nil {
		// The matricule is the student's for life: shown, never editable.
		b.WriteString("  " + s.Label.Render(fit(t.T("col.number"), labelWidth, false)) + " " + s.Bold.Render(f.st.Number) + "\n")
		top++
	}
	indent := strings.Repeat(" ", labelWidth+3)
	var lines []string
	focusFirst, focusLast := 0, 0 // the focused field's lines, with its error
	for i, fld := range formFields {
		if i == guardianField {
			lines = append(lines, fit("  "+s.Muted.Render(t.T("form.guardian")), f.width, false))
		}
		marker := "  "
		if i == f.focus {
			marker = s.Input.Render("› ")
			focusFirst = len(lines)
		}
		lines = append(lines, fit(marker+s.Label.Render(fit(t.T("field."+fld.name), labelWidth, false))+" "+f.inputs[i].View(), f.width, false))
		if e := f.errs[fld.name]; e != "" {
			lines = append(lines, fit(indent+s.FieldError.Render(e), f.width, false))
		}
		if i == f.focus {
			focusLast = len(lines) - 1
		}
	}
	// On a short terminal (80×24 with every field in error) the fields
	// scroll so that the focused one stays in view, and the title and the
	// status line below stay put: the root clips what is too tall.
	b.WriteString(strings.Join(f.window(lines, focusFirst, focusLast, f.height-top-2), "\n") + "\n")
	b.WriteString("\n")
	switch {
	case f.busy:
		b.WriteString(s.Muted.Render(t.T("form.saving")))
	case f.err != "":
		b.WriteString(s.Error.Render(fit(f.err, f.width, false)))
	}
	return b.String()
}

// window returns the lines that fit in room, showing lines first..last;
// when some are left out, the last line shown says where the view is.
func (f *form) window(lines []string, first, last, room int) []string {
	if room <= 0 || len(lines) <= room {
		return lines
	}
	room-- // for the position line
	start := 0
	if last >= room {
		start = last - room + 1
	}
	if first < start {
		start = first
	}
	start = min(start, len(lines)-room)
	end := min(len(lines), start+room)
	pos := fit("  "+f.c.Styles.Muted.Render(f.c.T.T("form.more", f.focus+1, len(formFields))), f.width, false)
	return append(slices.Clone(lines[start:end]), pos)
}

func (f *form) Capturing() bool { return true }

// Dirty: any field differs from what the form opened with.
func (f *form) Dirty() bool {
	if f.done {
		return false
	}
	for i := range f.inputs {
		if f.inputs[i].Value() != f.original[i] {
			return true
		}
	}
	return false
}

func (f *form) ShortHelp() []key.Binding {
	return []key.Binding{f.keys.Save, f.keys.Next, f.keys.Cancel}
}

func (f *form) FullHelp() [][]key.Binding {
	k := f.keys
	return [][]key.Binding{{k.Next, k.Prev, k.Submit}, {k.Save, k.Cancel}}
}
