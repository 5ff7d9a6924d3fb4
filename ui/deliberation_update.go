package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

func (m *deliberation) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case delibChoicesMsg:
		if msg.from != m {
			return m, nil
		}
		if msg.err != nil {
			m.err = ErrorText(m.c.T, msg.err)
			return m, nil
		}
		m.choices = msg.choices
		m.pick = min(m.pick, max(len(m.choices)-1, 0))
		return m, nil
	case delibLoadedMsg:
		if msg.from != m || msg.seq != m.seq || m.choice == nil {
			return m, nil
		}
		if msg.err != nil {
			if m.res == nil {
				m.choice = nil // back to the picker
			} else {
				m.choice.session = m.res.Session // the session still shown
			}
			return m, func() tea.Msg { return failed(msg.err) }
		}
		selected := m.selectedID()
		m.res = msg.res
		m.enableJury()
		m.refilter(selected)
		return m, nil
	case delibJuryMsg:
		return m, m.decided(msg)
	case changeMsg:
		// A student of the results shown changed (a mark), or one was
		// added: the whole class is read again (ranks depend on all).
		if m.res != nil && msg.change.StudentID != "" && (msg.change.Type == domain.EventStudentCreated || m.holds(msg.change.StudentID)) {
			return m, m.load()
		}
		return m, nil
	case tea.KeyMsg:
		switch {
		case m.prompt != nil:
			return m, m.promptKey(msg)
		case m.choice == nil:
			return m, m.pickKey(msg)
		}
		return m, m.tableKey(msg)
	}
	if m.prompt != nil { // the inputs' own messages
		var cmd tea.Cmd
		in := &m.prompt.inputs[m.prompt.focus]
		*in, cmd = in.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m *deliberation) holds(studentID string) bool {
	return slices.ContainsFunc(m.res.Outcomes, func(o domain.SemesterOutcome) bool { return o.StudentID == studentID })
}

func (m *deliberation) pickKey(msg tea.KeyMsg) tea.Cmd {
	page := max(m.height-2, 1)
	switch {
	case key.Matches(msg, m.keys.list.Up):
		m.pick = max(m.pick-1, 0)
	case key.Matches(msg, m.keys.list.Down):
		m.pick = min(m.pick+1, max(len(m.choices)-1, 0))
	case key.Matches(msg, m.keys.list.PageUp):
		m.pick = max(m.pick-page, 0)
	case key.Matches(msg, m.keys.list.PageDown):
		m.pick = min(m.pick+page, max(len(m.choices)-1, 0))
	case key.Matches(msg, m.keys.list.Top):
		m.pick = 0
	case key.Matches(msg, m.keys.list.Bottom):
		m.pick = max(len(m.choices)-1, 0)
	case key.Matches(msg, m.keys.Session):
		m.session = 3 - m.session
	case key.Matches(msg, m.keys.Rules) && m.c.Actor.Role == domain.RoleAdmin:
		return openScreen(newRules(m.c))
	case key.Matches(msg, m.keys.Open) && len(m.choices) > 0:
		ch := m.choices[m.pick]
		ch.session = m.session
		m.choice, m.res, m.rows, m.cursor, m.top = &ch, nil, nil, 0, 0
		return m.load()
	}
	return nil
}

func (m *deliberation) tableKey(msg tea.KeyMsg) tea.Cmd {
	page := max(m.bodyHeight()-1, 1)
	switch {
	case key.Matches(msg, m.keys.Back):
		m.choice, m.res, m.rows = nil, nil, nil
		m.enableJury()
		m.seq++ // a load under way is for the table left
	case m.res == nil:
		// still loading: nothing to act on
	case key.Matches(msg, m.keys.list.Up):
		m.move(-1)
	case key.Matches(msg, m.keys.list.Down):
		m.move(1)
	case key.Matches(msg, m.keys.list.PageUp):
		m.move(-page)
	case key.Matches(msg, m.keys.list.PageDown):
		m.move(page)
	case key.Matches(msg, m.keys.list.Top):
		m.move(-len(m.rows))
	case key.Matches(msg, m.keys.list.Bottom):
		m.move(len(m.rows))
	case key.Matches(msg, m.keys.Detail):
		if o := m.selected(); o != nil {
			ref := o.Number
			return func() tea.Msg { return openStudentMsg{ref: ref} }
		}
	case key.Matches(msg, m.keys.Filter):
		m.filter = (m.filter + 1) % len(decisionFilters)
		m.refilter(m.selectedID())
	case key.Matches(msg, m.keys.Barrier):
		m.barrier = !m.barrier
		m.refilter(m.selectedID())
	case key.Matches(msg, m.keys.Sort):
		m.byRank = !m.byRank
		m.refilter(m.selectedID())
	case key.Matches(msg, m.keys.Session):
		m.choice.session = 3 - m.choice.session
		m.session = m.choice.session
		return m.load()
	case key.Matches(msg, m.keys.Override) && m.mayDecide():
		return m.ask(false)
	case key.Matches(msg, m.keys.Points) && m.mayDecide():
		return m.ask(true)
	}
	return nil
}

func (m *deliberation) move(delta int) {
	m.cursor = min(max(m.cursor+delta, 0), max(len(m.rows)-1, 0))
}

// selected is the outcome under the cursor, or nil.
func (m *deliberation) selected() *domain.SemesterOutcome {
	if m.res == nil || m.cursor >= len(m.rows) {
		return nil
	}
	return &m.res.Outcomes[m.rows[m.cursor]]
}

func (m *deliberation) selectedID() string {
	if o := m.selected(); o != nil {
		return o.StudentID
	}
	return ""
}

// refilter lists the outcomes the filters keep, in the order chosen, and
// puts the cursor back on the student it was on when still listed.
func (m *deliberation) refilter(selected string) {
	m.rows = m.rows[:0]
	want := decisionFilters[m.filter]
	for i, o := range m.res.Outcomes {
		if want != "" && o.Decision != want {
			continue
		}
		if m.barrier && !belowBarrier(o) {
			continue
		}
		m.rows = append(m.rows, i)
	}
	if m.byRank {
		out := m.res.Outcomes
		slices.SortStableFunc(m.rows, func(a, b int) int {
			ra, rb := out[a].Rank, out[b].Rank
			switch {
			case ra == rb:
				return 0
			case ra == 0: // no rank last
				return 1
			case rb == 0:
				return -1
			}
			return ra - rb
		})
	}
	m.cursor = min(m.cursor, max(len(m.rows)-1, 0))
	for i, r := range m.rows {
		if m.res.Outcomes[r].StudentID == selected {
			m.cursor = i
		}
	}
}

// belowBarrier reports whether a UE of the outcome is below the barrier.
func belowBarrier(o domain.SemesterOutcome) bool {
	return slices.ContainsFunc(o.UEs, func(u domain.UEOutcome) bool { return u.BelowBarrier })
}

// ask opens the prompt of o (a decision) or p (points) on the student
// under the cursor.
func (m *deliberation) ask(points bool) tea.Cmd {
	o := m.selected()
	if o == nil {
		return nil
	}
	t := m.c.T
	p := &juryPrompt{points: points, studentID: o.StudentID, number: o.Number, name: o.LastName + " " + o.FirstName, current: o.Decision}
	field := func(label, placeholder string, limit int) {
		in := newInput(m.c.Styles, limit)
		in.Placeholder = placeholder
		p.labels, p.inputs = append(p.labels, label), append(p.inputs, in)
	}
	if points {
		field(t.T("field.points"), t.Number(0.25, -1), 6)
		field(t.T("field.ue"), t.T("delib.ue.hint"), 20)
	} else {
		field(t.T("field.decision"), "ADM", 4)
	}
	field(t.T("field.reason"), "", 300)
	m.prompt = p
	return p.inputs[0].Focus()
}

func (m *deliberation) promptKey(msg tea.KeyMsg) tea.Cmd {
	p := m.prompt
	if p.saving {
		return nil
	}
	switch {
	case key.Matches(msg, m.keys.Cancel):
		m.prompt = nil
		return nil
	case key.Matches(msg, m.keys.Submit) && p.focus == len(p.inputs)-1:
		return m.save()
	case key.Matches(msg, m.keys.Submit), key.Matches(msg, m.keys.NextField):
		return p.focusOn((p.focus + 1) % len(p.inputs))
	case key.Matches(msg, m.keys.PrevField):
		return p.focusOn((p.focus + len(p.inputs) - 1) % len(p.inputs))
	}
	var cmd tea.Cmd
	in := &p.inputs[p.focus]
	*in, cmd = in.Update(msg)
	return cmd
}

func (p *juryPrompt) focusOn(i int) tea.Cmd {
	p.inputs[p.focus].Blur()
	p.focus = i
	return p.inputs[i].Focus()
}

// decided shows what the domain said of the prompt: a refusal stays in
// the prompt, with what was typed, for correcting; a recorded decision
// closes it and reads the results again.
func (m *deliberation) decided(msg delibJuryMsg) tea.Cmd {
	if msg.from != m || m.prompt == nil {
		return nil
	}
	p, t := m.prompt, m.c.T
	p.saving = false
	if msg.err != nil {
		p.err = ErrorText(t, msg.err)
		if domain.ErrorCode(msg.err) != domain.EINVALID {
			return func() tea.Msg { return failed(msg.err) }
		}
		return nil
	}
	m.prompt = nil
	e := msg.entry
	text := t.T("delib.decided", msg.name, e.Decision)
	if e.Decision == "" {
		where := e.UE
		if where == "" {
			where = t.T("delib.semester")
		}
		text = t.T("delib.pointed", msg.name, t.Number(e.Points, -1), where)
	}
	return tea.Batch(m.load(), status(statusSuccess, text))
}
