package ui

import (
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"scolarite/domain"
)

var notificationsText = map[string]text{
	"tab.notifications":   {"Notifications", "Notifications"},
	"notif.title":         {"Notifications · état : %s · %d affichée(s)", "Notifications · status: %s · %d shown"},
	"notif.counts":        {"%d en attente · %d envoyée(s) · %d en échec · %d ignorée(s)", "%d pending · %d sent · %d failed · %d skipped"},
	"notif.filter.all":    {"toutes", "all"},
	"notif.none":          {"Aucune notification.", "No notifications."},
	"notif.subject":       {"Message : %s", "Message: %s"},
	"notif.error":         {"Dernière erreur (%d essai(s)) : %s", "Last error (%d attempt(s)): %s"},
	"notif.next":          {"Prochain essai : %s", "Next attempt: %s"},
	"notif.retried":       {"Notification remise en file d'attente.", "Notification queued again."},
	"notif.notfailed":     {"Seule une notification en échec peut être renvoyée.", "Only a failed notification can be retried."},
	"notif.key.filter":    {"filtrer par état", "filter by status"},
	"notif.key.retry":     {"renvoyer", "retry"},
	"notif.key.reload":    {"actualiser", "reload"},
	"notif.when":          {"02/01 15:04", "01-02 15:04"},
	"notif.mine.title":    {"Messages qui vous ont été envoyés", "Messages sent to you"},
	"notif.mine.sent":     {"envoyé le %s", "sent %s"},
	"status.pending":      {"en attente", "pending"},
	"status.sent":         {"envoyée", "sent"},
	"status.failed":       {"échec", "failed"},
	"status.skipped":      {"ignorée", "skipped"},
	"channel.email":       {"e-mail", "e-mail"},
	"channel.sms":         {"SMS", "SMS"},
	"col.when":            {"Créée", "Created"},
	"col.channel":         {"Canal", "Channel"},
	"col.recipient":       {"Destinataire", "Recipient"},
	"col.student":         {"Étudiant", "Student"},
	"col.message":         {"Message", "Message"},
	"notif.skip.email":    {"pas d'adresse e-mail", "no e-mail address"},
	"notif.skip.sms":      {"pas de numéro de téléphone", "no phone number"},
	"notif.mine.pending":  {"en attente", "pending"},
	"notif.mine.failed":   {"non remis", "not delivered"},
	"notif.mine.skipped":  {"non envoyé", "not sent"},
	"notif.mine.subjsms":  {"SMS : %s", "SMS: %s"},
	"notif.mine.subjmail": {"e-mail : %s", "e-mail: %s"},
}

// NotificationRow is one notification as the screens show it; main fills
// it from the notifier (the screens import the domain only).
type NotificationRow struct {
	ID        string
	Channel   string // "email" or "sms"
	Recipient string
	Student   string // "2026-00042 DIOP Ndèye"
	Status    string // "pending", "sent", "failed" or "skipped"
	Subject   string // e-mail subject; for an SMS, its text
	LastError string
	Attempts  int
	CreatedAt time.Time
	SentAt    time.Time
	NextAt    time.Time
}

// notifFilters are the status filter's steps; "" shows every status.
var notifFilters = []string{"", "pending", "sent", "failed", "skipped"}

// notifLimit bounds the rows loaded at once: the newest.
const notifLimit = 500

// notifRefresh is how often the open log reloads by itself, so that
// deliveries show up as they happen.
const notifRefresh = 5 * time.Second

type notifKeys struct {
	list                  listKeys
	Filter, Retry, Reload key.Binding
}

// notifications is the admins' log of notifications: filter by status,
// retry a failed one.
type notifications struct {
	c       *Common
	keys    notifKeys
	table   *table
	list    []NotificationRow
	counts  map[string]int
	filter  int // index in notifFilters
	loaded  bool
	loading bool
	seq     int
	width   int
	height  int
}

type (
	notifLoadedMsg struct {
		from   *notifications
		seq    int
		rows   []NotificationRow
		counts map[string]int
		err    error
	}
	notifRetriedMsg struct {
		from *notifications
		err  error
	}
	notifTickMsg struct{ from *notifications }
)

func newNotifications(c *Common) screen {
	t := c.T
	m := &notifications{c: c, keys: notifKeys{
		list:   newListKeys(t),
		Filter: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", t.T("notif.key.filter"))),
		Retry:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", t.T("notif.key.retry"))),
		Reload: key.NewBinding(key.WithKeys("ctrl+r"), key.WithHelp("ctrl+r", t.T("notif.key.reload"))),
	}}
	m.table = newTable([]column{
		{title: t.T("col.when"), width: 11},
		{title: t.T("col.channel"), width: 6},
		{title: t.T("col.status"), width: 10},
		{title: t.T("col.recipient"), width: 10, grow: 2},
		{title: t.T("col.student"), width: 8, grow: 2},
		{title: t.T("col.message"), width: 8, grow: 3},
	}, m.cell)
	return m
}

func (m *notifications) Init() tea.Cmd { return tea.Batch(m.load(), m.tick()) }

func (m *notifications) tick() tea.Cmd {
	return tea.Tick(notifRefresh, func(time.Time) tea.Msg { return notifTickMsg{from: m} })
}

func (m *notifications) load() tea.Cmd {
	if m.c.Notifications == nil {
		return nil
	}
	m.seq++
	m.loading = true
	c, seq, status := m.c, m.seq, notifFilters[m.filter]
	return func() tea.Msg {
		rows, err := c.Notifications.Log(c.Ctx, c.Actor, status, notifLimit)
		if err != nil {
			return notifLoadedMsg{from: m, seq: seq, err: err}
		}
		counts, err := c.Notifications.Counts(c.Ctx, c.Actor)
		return notifLoadedMsg{from: m, seq: seq, rows: rows, counts: counts, err: err}
	}
}

func (m *notifications) Update(msg tea.Msg) (screen, tea.Cmd) {
	switch msg := msg.(type) {
	case notifLoadedMsg:
		if msg.from != m || msg.seq != m.seq {
			return m, nil
		}
		m.loading = false
		if msg.err != nil {
			return m, func() tea.Msg { return failed(msg.err) }
		}
		keep := ""
		if sel := m.selected(); sel != nil {
			keep = sel.ID
		}
		m.list, m.counts, m.loaded = msg.rows, msg.counts, true
		m.table.SetRows(len(m.list))
		if i := slices.IndexFunc(m.list, func(r NotificationRow) bool { return r.ID == keep }); i >= 0 {
			m.table.Move(i - m.table.Cursor())
		}
		return m, nil
	case notifRetriedMsg:
		if msg.from != m {
			return m, nil
		}
		if msg.err != nil {
			if domain.ErrorCode(msg.err) == domain.ECONFLICT {
				return m, status(statusWarning, m.c.T.T("notif.notfailed"))
			}
			return m, func() tea.Msg { return failed(msg.err) }
		}
		return m, tea.Batch(status(statusSuccess, m.c.T.T("notif.retried")), m.load())
	case notifTickMsg:
		if msg.from != m {
			return m, nil // an older instance of this screen
		}
		cmds := []tea.Cmd{m.tick()}
		if !m.loading {
			cmds = append(cmds, m.load())
		}
		return m, tea.Batch(cmds...)
	case changeMsg:
		return m, m.load()
	case tea.MouseMsg:
		m.table.HandleWheel(msg)
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *notifications) key(msg tea.KeyMsg) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Filter):
		m.filter = (m.filter + 1) % len(notifFilters)
		m.table.Move(-m.table.Cursor())
		return m.load()
	case key.Matches(msg, m.keys.Reload):
		return m.load()
	case key.Matches(msg, m.keys.Retry):
		sel := m.selected()
		if sel == nil {
			return nil
		}
		if sel.Status != "failed" {
			return status(statusWarning, m.c.T.T("notif.notfailed"))
		}
		c, id := m.c, sel.ID
		return func() tea.Msg {
			return notifRetriedMsg{from: m, err: c.Notifications.Retry(c.Ctx, c.Actor, id)}
		}
	}
	m.table.HandleKey(msg, m.keys.list)
	return nil
}

func (m *notifications) selected() *NotificationRow {
	if i := m.table.Cursor(); i >= 0 && i < len(m.list) {
		return &m.list[i]
	}
	return nil
}
