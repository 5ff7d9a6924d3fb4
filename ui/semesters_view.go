package ui

// The semesters view's drawing (the model is in semesters.go).

import (
	"strings"

	"scolarite/domain"
)

func (v *semesters) View() string {
	s, t := v.c.Styles, v.c.T
	switch {
	case v.err != "":
		return s.Error.Render(fit(v.err, v.width, false))
	case !v.loaded:
		return s.Muted.Render(t.T("loading"))
	case len(v.list) == 0:
		return s.Muted.Render(fit(t.T("sem.none", v.class), v.width, false))
	}
	r := v.shown()
	tabs := make([]string, len(v.list))
	for i, x := range v.list {
		style := s.Tab
		if i == v.pick {
			style = s.ActiveTab
		}
		tabs[i] = style.Render(x.Semester)
	}
	credits := 0
	for _, ue := range r.UEs {
		credits += ue.Credits
	}
	head := strings.Join(tabs, "") + " " + s.Muted.Render(r.Year+" · "+semesterStatus(t, r.Status)+" · "+t.T("sem.credits", credits))
	var avg string
	if v.hidden(r) {
		avg = s.Bold.Render(t.T("sem.average", t.T("sem.unpublished")))
	} else {
		avg = s.Bold.Render(t.T("sem.average", t.T("value.out_of_20", t.Average(r.Average))))
		if belowPass(r.Average) {
			avg = s.Warning.Render(t.T("sem.average", t.T("value.out_of_20", t.Average(r.Average))))
		}
	}
	if o := r.Outcome; o != nil {
		avg += s.Muted.Render(" · ") + v.outcomeText(o, credits)
	}
	return strings.Join([]string{fit(head, v.width, false), fit(avg, v.width, false), v.table.View(s)}, "\n")
}

// outcomeText is a published semester's result on one line: the
// decision (the jury's said so), credits, mention and rank.
func (v *semesters) outcomeText(o *domain.SemesterOutcome, total int) string {
	s, t := v.c.Styles, v.c.T
	decision := string(o.Decision)
	if o.Overridden() || len(o.Jury) > 0 {
		decision += t.T("sem.outcome.jury")
	}
	text := t.T("sem.outcome", o.Session, decision, o.Credits, total)
	if o.Mention != "" {
		text += " · " + string(o.Mention)
	}
	if o.Rank > 0 {
		text += " · " + t.T("sem.outcome.rank", o.Rank)
	}
	if o.Decision.Validated() {
		return s.Success.Render(text)
	}
	return s.Warning.Render(text)
}

// semesterStatus is a semester's lifecycle in words (no status: open).
func semesterStatus(t *Translator, st domain.SemesterStatus) string {
	switch st {
	case domain.SemesterClosed:
		return t.T("sem.status.closed")
	case domain.SemesterPublished:
		return t.T("sem.status.pub")
	}
	return t.T("sem.status.open")
}

func belowPass(avg *float64) bool { return avg != nil && *avg < domain.PassMark }

// cell is one cell of a row. The selected row is drawn whole in the
// selection's style, so its cells carry no style of their own.
func (v *semesters) cell(row, col int) string {
	s, t, x := v.c.Styles, v.c.T, v.rows[row]
	styled := row != v.table.Cursor()
	average := func(avg *float64) string {
		if styled && belowPass(avg) {
			return s.Warning.Render(t.Average(avg))
		}
		return t.Average(avg)
	}
	switch {
	case x.mark != nil:
		return v.markCell(x.mark, col)
	case x.sub != nil:
		switch col {
		case 0:
			return "  " + x.sub.Subject
		case 1:
			return t.T("sem.coef", t.Number(x.sub.Coefficient, -1))
		case 3:
			return average(x.sub.Average)
		case 4:
			return x.sub.Remark // the teacher's
		}
		return ""
	}
	switch col {
	case 0:
		if styled {
			return s.Bold.Render(x.ue.Code + " " + x.ue.Title)
		}
		return x.ue.Code + " " + x.ue.Title
	case 2:
		return t.Number(float64(x.ue.Credits), 0)
	case 3:
		return average(x.ue.Average)
	case 4:
		if r := v.shown(); r != nil && v.hidden(r) {
			return t.T("sem.ue.unpublished")
		}
	}
	return ""
}

// markCell is an evaluation's line: its title, kind and weight, the mark
// (ABJ, ABI, or – when not marked), and whether it is published.
func (v *semesters) markCell(m *domain.EvaluationMark, col int) string {
	t, e := v.c.T, m.Evaluation
	switch col {
	case 0:
		return "    " + e.Title
	case 1:
		return string(e.Kind) + " " + t.Number(e.Weight, -1) + "%"
	case 3:
		switch {
		case m.Absent == domain.AbsentJustified:
			return "ABJ"
		case m.Absent == domain.AbsentUnjustified:
			return "ABI"
		case m.Value != nil:
			return t.Number(*m.Value, -1)
		}
		return "–"
	case 4:
		var parts []string
		// The evaluations of a session whose results are published all
		// count (official): none of them is flagged.
		pub := 0
		if r := v.shown(); r != nil {
			pub = r.PublishedSession
		}
		if !domain.MarkShown(e, pub) {
			parts = append(parts, t.T("sem.eval.hidden"))
		}
		if m.Comment != "" {
			parts = append(parts, m.Comment)
		}
		return strings.Join(parts, " · ")
	}
	return ""
}

// viewSwitch names the two views of a student's grades, the one shown
// highlighted: the semesters, and the free grades (free of them).
func viewSwitch(c *Common, semestersShown bool, free int) string {
	s, t := c.Styles, c.T
	sem, other := s.Tab, s.ActiveTab
	if semestersShown {
		sem, other = s.ActiveTab, s.Tab
	}
	return sem.Render(t.T("sem.view.semesters")) + other.Render(t.T("sem.view.free", free))
}
