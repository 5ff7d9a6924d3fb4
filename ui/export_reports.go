package ui

import (
	"context"
	"errors"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
	"scolarite/export"
)

var reportText = map[string]text{
	"report.key":       {"rapport PDF", "PDF report"},
	"report.card.key":  {"bulletin PDF", "PDF report card"},
	"report.title":     {"Rapport PDF", "PDF report"},
	"report.pv":        {"Procès-verbal de délibération — %s %s, session %d (%s)", "Minutes of the deliberation — %s %s, session %d (%s)"},
	"report.nopv":      {"%s n'a pas de curriculum cette année : pas de procès-verbal. Ses notes sont dans la synthèse et dans l'export de la liste (x).", "%s has no curriculum this year: no minutes. Its grades are in the school summary and the list's export (x)."},
	"report.nostudent": {"%s n'a aucun étudiant (ou n'est pas une de vos classes) : pas de procès-verbal.", "%s has no student (or is not one of your classes): no minutes."},
	"report.school":    {"Synthèse de l'établissement", "School summary"},
	"report.card":      {"Bulletin de %s (%s)", "Report card of %s (%s)"},
	"report.bulletin":  {"Bulletin de %s (%s) — semestre %s, %s", "Report card of %s (%s) — semester %s, %s"},
	"report.choose":    {"document suivant", "next document"},
	"report.pvdone":    {"Procès-verbal de %s %s, session %d, écrit : %s", "Minutes of %s %s, session %d, written: %s"},
	"report.done":      {"Rapport écrit : %s", "Report written: %s"},
}

// reportDialog offers, from the statistics screen, the procès-verbal of
// the class shown (if any), of its current semester (term) and that
// semester's current session, and the school summary. The file is of the
// semester and session current when it is written (minutesNow), which
// the dialog's result names. A class with no curriculum has no
// procès-verbal: the note says why (termErr).
func reportDialog(c *Common, class string, term *domain.Curriculum, termErr error) tea.Cmd {
	t := c.T
	reader, ok := stored(c.Students).(export.Reader)
	if !ok {
		return status(statusWarning, t.T("export.noservice"))
	}
	day := time.Now().Format("2006-01-02")
	var choices []fileChoice
	note := ""
	switch {
	case class == "":
	case term != nil && c.Results != nil:
		session := term.CurrentSession()
		choices = append(choices, fileChoice{label: t.T("report.pv", domain.Escape(term.Class), term.Semester, session, term.Year),
			name: export.MinutesFileName(term.Class, term.Semester, session)})
	case termErr != nil:
		note = noMinutes(t, class, termErr)
	}
	choices = append(choices, fileChoice{label: t.T("report.school"), name: "synthese-" + day + ".pdf"})
	opt := export.ReportOptions{Lang: exportLang(t)}
	pv := len(choices) == 2
	run := func(ctx context.Context, choice int, path string, progress func(int, int)) (string, error) {
		var res *domain.ClassResults
		if pv && choice == 0 {
			var err error
			if res, err = minutesNow(ctx, c, term.Class); err != nil {
				return "", err
			}
		}
		err := export.WriteFile(path, func(w io.Writer) error {
			if res != nil {
				return export.WriteMinutes(ctx, res, w, opt)
			}
			return export.SchoolReport(ctx, reader, c.Actor, w, opt)
		})
		progress(1, 1)
		if res != nil {
			cur := res.Curriculum
			return t.T("report.pvdone", domain.Escape(cur.Class), cur.Semester, res.Session, absPath(path)), err
		}
		return t.T("report.done", absPath(path)), err
	}
	return openScreen(newFileDialog(c, t.T("report.title"), note, t.T("report.choose"), choices, run))
}

// minutesNow reads the results of the class's current semester and
// session as they are when the file is written: the semester may have
// moved on (to the resit session) since the statistics loaded.
func minutesNow(ctx context.Context, c *Common, class string) (*domain.ClassResults, error) {
	r := storedResults(c.Results)
	cur, err := r.ClassSemester(ctx, c.Actor, class, "")
	if err != nil {
		return nil, err
	}
	return r.Results(ctx, c.Actor, cur.Class, cur.Semester, cur.Year, cur.CurrentSession())
}

// cardDialog writes a student's report card, from the detail screen and
// "Mes notes": the bulletin of sem, the semester shown (nil: the
// student's latest with an average), or the card of the free grades for
// a student who has none (the domain decides, export.ReportCard).
func cardDialog(c *Common, st *domain.Student, sem *domain.SemesterResult) tea.Cmd {
	t := c.T
	reader, ok := stored(c.Students).(export.Reader)
	if !ok {
		return status(statusWarning, t.T("export.noservice"))
	}
	var src export.BulletinSource
	if c.Results != nil {
		src = storedResults(c.Results)
	}
	q := export.CardQuery{Student: st.Number}
	choice := fileChoice{label: t.T("report.card", st.FullName(), st.Number), name: "bulletin-" + st.Number + ".pdf"}
	if sem != nil && src != nil {
		q.Semester, q.Year = sem.Semester, sem.Year
		choice = fileChoice{label: t.T("report.bulletin", st.FullName(), st.Number, sem.Semester, sem.Year),
			name: "bulletin-" + st.Number + "-" + sem.Semester + ".pdf"}
	}
	opt := export.ReportOptions{Lang: exportLang(t)}
	run := func(ctx context.Context, _ int, path string, progress func(int, int)) (string, error) {
		err := export.WriteFile(path, func(w io.Writer) error {
			_, err := export.ReportCard(ctx, reader, src, c.Actor, q, w, opt)
			return err
		})
		progress(1, 1)
		return t.T("report.done", absPath(path)), err
	}
	return openScreen(newFileDialog(c, t.T("report.title"), "", t.T("report.choose"), []fileChoice{choice}, run))
}

// noMinutes says why class has no procès-verbal, from ClassSemester's
// error: no curriculum that year (free grades only), or no student (that
// the actor reads). Any other error is shown as errors are.
func noMinutes(t *Translator, class string, err error) string {
	switch {
	case errors.Is(err, domain.ErrNoCurriculum):
		return t.T("report.nopv", class)
	case errors.Is(err, domain.ErrNoStudents):
		return t.T("report.nostudent", class)
	}
	return ErrorText(t, err)
}
