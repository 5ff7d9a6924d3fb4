package domain_test

import (
	"slices"
	"testing"
	"time"

	"scolarite/domain"
)

// rosterEnv: five students, three graded (Diop 15, Ndiaye 12, Fall 8).
func rosterEnv(t *testing.T, withCache bool) *env {
	t.Helper()
	e := newEnv(t, withCache)
	diop := e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))   // 2026-00001
	fall := e.create(t, studentIn("Fall", "Moussa", "78 234 56 78", "L3-INFO"))  // 00002
	e.create(t, studentIn("Sarr", "Ibrahima", "76 345 67 89", "L3-INFO"))        // 00003, no grade
	ndiaye := e.create(t, studentIn("Ndiaye", "Awa", "70 987 65 43", "M1-MATH")) // 00004
	e.create(t, studentIn("Diallo-Sow", "Fatou", "77 654 32 10", "M1-MATH"))     // 00005, no grade
	e.grade(t, diop.Number, "Maths", "15", "")
	e.grade(t, fall.Number, "Maths", "8", "")
	e.grade(t, ndiaye.Number, "Maths", "12", "")
	return e
}

func lastNames(rows []domain.RosterRow) []string {
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.LastName)
	}
	return out
}

func TestRosterSortAndFilter(t *testing.T) {
	e := rosterEnv(t, false)
	tests := []struct {
		name           string
		q              domain.RosterQuery
		want           []string
		matched, total int
	}{
		{"default: average best first, ungraded last", domain.RosterQuery{},
			[]string{"Diop", "Ndiaye", "Fall", "Sarr", "Diallo-Sow"}, 5, 5},
		{"average ascending, ungraded still last", domain.RosterQuery{Sort: domain.SortAverage, Order: domain.OrderAsc},
			[]string{"Fall", "Ndiaye", "Diop", "Sarr", "Diallo-Sow"}, 5, 5},
		{"last name natural is A to Z", domain.RosterQuery{Sort: domain.SortLastName},
			[]string{"Diallo-Sow", "Diop", "Fall", "Ndiaye", "Sarr"}, 5, 5},
		{"last name descending", domain.RosterQuery{Sort: domain.SortLastName, Order: domain.OrderDesc},
			[]string{"Sarr", "Ndiaye", "Fall", "Diop", "Diallo-Sow"}, 5, 5},
		{"first name", domain.RosterQuery{Sort: domain.SortFirstName},
			[]string{"Ndiaye", "Diallo-Sow", "Sarr", "Fall", "Diop"}, 5, 5},
		{"matricule", domain.RosterQuery{Sort: domain.SortNumber, Order: domain.OrderDesc},
			[]string{"Diallo-Sow", "Ndiaye", "Sarr", "Fall", "Diop"}, 5, 5},
		{"class descending, ties by matricule", domain.RosterQuery{Sort: domain.SortClass, Order: domain.OrderDesc},
			[]string{"Ndiaye", "Diallo-Sow", "Diop", "Fall", "Sarr"}, 5, 5},
		{"phone", domain.RosterQuery{Sort: domain.SortPhone},
			[]string{"Ndiaye", "Sarr", "Diop", "Diallo-Sow", "Fall"}, 5, 5},
		{"grade count best first, ties by matricule", domain.RosterQuery{Sort: domain.SortGrades},
			[]string{"Diop", "Fall", "Ndiaye", "Sarr", "Diallo-Sow"}, 5, 5},
		{"class filter, any case", domain.RosterQuery{Class: " l3-info "},
			[]string{"Diop", "Fall", "Sarr"}, 3, 5},
		{"limit", domain.RosterQuery{Limit: 2},
			[]string{"Diop", "Ndiaye"}, 5, 5},
		{"limit with class", domain.RosterQuery{Class: "M1-MATH", Limit: 1},
			[]string{"Ndiaye"}, 2, 5},
		{"limit above the count", domain.RosterQuery{Limit: 50},
			[]string{"Diop", "Ndiaye", "Fall", "Sarr", "Diallo-Sow"}, 5, 5},
		{"unknown class", domain.RosterQuery{Class: "D1-DROIT"}, []string{}, 0, 5},
	}
	for _, tt := range tests {
		page, err := e.svc.Roster(ctx, admin, tt.q)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got := lastNames(page.Rows); !slices.Equal(got, tt.want) || page.Matched != tt.matched || page.Total != tt.total {
			t.Errorf("%s: rows %v matched %d total %d; want %v, %d, %d", tt.name, got, page.Matched, page.Total, tt.want, tt.matched, tt.total)
		}
	}
}

func TestRosterRowFields(t *testing.T) {
	e := rosterEnv(t, false)
	page, _ := e.svc.Roster(ctx, admin, domain.RosterQuery{Limit: 1})
	r := page.Rows[0]
	if r.Number != "2026-00001" || r.FirstName != "Ndèye" || r.Phone != "+221771234567" || r.Class != "L3-INFO" ||
		r.Major != "Informatique" || r.GradeCount != 1 || r.Average == nil || *r.Average != 15 || r.ID == "" {
		t.Errorf("row = %+v", r)
	}
}

func TestRosterSearch(t *testing.T) {
	e := rosterEnv(t, false)
	tests := []struct {
		search string
		want   []string
	}{
		{"", []string{"Diop", "Ndiaye", "Fall", "Sarr", "Diallo-Sow"}},
		{"ndeye", []string{"Diop"}},
		{"NDÈYE", []string{"Diop"}},
		{"Ndèye", []string{"Diop"}},
		{"  diop ndeye ", []string{"Diop"}},
		{"ndeye diop", []string{"Diop"}},
		{"diallo-sow", []string{"Diallo-Sow"}},
		{"m1-math", []string{"Ndiaye", "Diallo-Sow"}},
		{"77 123", []string{"Diop"}},
		{"+221 77 123 45 67", []string{"Diop"}},
		{"00221771234567", []string{"Diop"}},
		{"00221 77 123 45 67", []string{"Diop"}},
		{"77-123-45-67", []string{"Diop"}},
		{"٧٧ ١٢٣", []string{"Diop"}},    // Arabic-Indic digits, as the phone parser takes them
		{"７７１２３４５６７", []string{"Diop"}}, // full-width
		{"123 45", []string{"Diop"}},
		{"77", []string{"Diop", "Diallo-Sow"}}, // both 77 numbers (and no other contains 77)
		{"ndiayediop", []string{}},             // no search spans two names
		{"fall moussa l3", []string{}},         // nor a name and the class
		{"xyz", []string{}},
	}
	for _, tt := range tests {
		page, err := e.svc.Roster(ctx, admin, domain.RosterQuery{Search: tt.search})
		if err != nil {
			t.Errorf("search %q: %v", tt.search, err)
			continue
		}
		if got := lastNames(page.Rows); !slices.Equal(got, tt.want) || page.Matched != len(tt.want) {
			t.Errorf("search %q = %v (matched %d), want %v", tt.search, got, page.Matched, tt.want)
		}
	}
}

func TestRosterSearchIsNeverAPattern(t *testing.T) {
	e := rosterEnv(t, false)
	for _, s := range []string{".*", "$where", `{"$gt":""}`, "[", "(", ")", "\\", "^", "$", "*", "?", "+",
		"%", "_", "' OR 1=1 --", "\x00", "a\x00b", "/.*/", "$regex", "\xff\xfe"} {
		page, err := e.svc.Roster(ctx, admin, domain.RosterQuery{Search: s})
		if err != nil {
			t.Errorf("search %q: %v", s, err)
			continue
		}
		if len(page.Rows) != 0 || page.Matched != 0 {
			t.Errorf("search %q found %v", s, lastNames(page.Rows))
		}
	}
}

func TestMatcherUnit(t *testing.T) {
	row := domain.RosterRow{LastName: "Diop", FirstName: "Ndèye", Phone: "+221771234567", Class: "L3-INFO"}
	for search, want := range map[string]bool{
		"":           true,
		"NDEYE":      true,
		"l3":         true,
		"771234":     true,
		"(77) 123":   true,
		"221 77":     true,
		"0022177":    true,
		"Ndèyé":      true, // accents never matter
		"diop\x00l3": false,
		"33 77":      false,
	} {
		m := domain.NewMatcher(search, domain.PhoneParser{})
		if got := m.Match(&row); got != want {
			t.Errorf("NewMatcher(%q).Match = %v, want %v", search, got, want)
		}
		if m.Empty() != (search == "") {
			t.Errorf("NewMatcher(%q).Empty() = %v", search, m.Empty())
		}
	}
	if got := domain.Fold("NDÈYE Sène"); got != "ndeye sene" {
		t.Errorf("Fold = %q", got)
	}
}

func TestParseSortKeyAndOrder(t *testing.T) {
	for _, k := range domain.SortKeys {
		if got, err := domain.ParseSortKey(string(k)); err != nil || got != k {
			t.Errorf("ParseSortKey(%q) = %q, %v", k, got, err)
		}
	}
	_, err := domain.ParseSortKey("password_hash")
	wantInvalid(t, err, "sort")
	if !domain.OrderNatural.Ascending(domain.SortLastName) || domain.OrderNatural.Ascending(domain.SortAverage) ||
		domain.OrderNatural.Ascending("") || !domain.OrderAsc.Ascending(domain.SortAverage) || domain.OrderDesc.Ascending(domain.SortLastName) {
		t.Error("Order.Ascending does not follow the documented defaults")
	}
}

func TestRosterCache(t *testing.T) {
	e := rosterEnv(t, true)
	base := e.repo.RosterCalls()

	p1, err := e.svc.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || !p1.CacheOnline {
		t.Fatalf("first Roster: online %v, %v", p1.CacheOnline, err)
	}
	p2, err := e.svc.Roster(ctx, teacherL3, domain.RosterQuery{Search: "diop"})
	if err != nil || !p2.CacheOnline || !e.svc.CacheOnline() {
		t.Fatalf("second Roster: online %v, %v", p2.CacheOnline, err)
	}
	if got := e.repo.RosterCalls() - base; got != 1 {
		t.Errorf("repo Roster called %d times for two reads, want 1", got)
	}
	if e.views.Hits() != 1 || len(p2.Rows) != 1 || p2.Rows[0].LastName != "Diop" {
		t.Errorf("second read: %d cache hits, rows %v", e.views.Hits(), lastNames(p2.Rows))
	}

	// A write bumps the generation: the next read reloads and sees it.
	e.grade(t, "2026-00003", "Maths", "19", "") // Sarr
	p3, _ := e.svc.Roster(ctx, admin, domain.RosterQuery{Limit: 1})
	if got := e.repo.RosterCalls() - base; got != 2 {
		t.Errorf("repo Roster called %d times after a write, want 2", got)
	}
	if lastNames(p3.Rows)[0] != "Sarr" {
		t.Errorf("after the write the best is %v, want Sarr (stale view?)", lastNames(p3.Rows))
	}
	e.svc.Roster(ctx, admin, domain.RosterQuery{})
	if got := e.repo.RosterCalls() - base; got != 2 {
		t.Errorf("repo Roster called %d times, want the reload cached", got)
	}
}

func TestRosterCacheDown(t *testing.T) {
	e := rosterEnv(t, true)
	if _, err := e.svc.Roster(ctx, admin, domain.RosterQuery{}); err != nil { // cached at this generation
		t.Fatal(err)
	}
	calls := e.repo.RosterCalls()

	e.views.SetDown(true)
	p, err := e.svc.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || p.CacheOnline || e.svc.CacheOnline() || len(p.Rows) != 5 {
		t.Fatalf("cache down: online %v/%v, %d rows, %v", p.CacheOnline, e.svc.CacheOnline(), len(p.Rows), err)
	}
	// A write while the cache is down cannot bump the generation.
	e.grade(t, "2026-00003", "Maths", "19", "")
	p, err = e.svc.Roster(ctx, admin, domain.RosterQuery{Limit: 1})
	if err != nil || p.CacheOnline || lastNames(p.Rows)[0] != "Sarr" {
		t.Fatalf("cache down after a write: online %v, rows %v, %v", p.CacheOnline, lastNames(p.Rows), err)
	}
	if got := e.repo.RosterCalls() - calls; got != 2 {
		t.Errorf("repo Roster called %d times while down, want 2", got)
	}

	// Back up, but within the 1 s pause after a failure: still the store.
	e.views.SetDown(false)
	if p, _ = e.svc.Roster(ctx, admin, domain.RosterQuery{}); p.CacheOnline {
		t.Error("cache used again within the retry pause")
	}
	e.clock.Advance(1100 * time.Millisecond)
	p, err = e.svc.Roster(ctx, admin, domain.RosterQuery{Limit: 1})
	if err != nil || !p.CacheOnline || !e.svc.CacheOnline() {
		t.Fatalf("cache back: online %v/%v, %v", p.CacheOnline, e.svc.CacheOnline(), err)
	}
	// The view stored before the outage is stale: it must not be served.
	if lastNames(p.Rows)[0] != "Sarr" {
		t.Errorf("cache back served a stale view: %v", lastNames(p.Rows))
	}
	calls = e.repo.RosterCalls()
	if p, _ = e.svc.Roster(ctx, admin, domain.RosterQuery{}); !p.CacheOnline || e.repo.RosterCalls() != calls {
		t.Errorf("cache back: the next read did not come from the cache (online %v)", p.CacheOnline)
	}
}

func TestRosterWithoutCache(t *testing.T) {
	// Without any cache the service still answers, and says so.
	e := newEnv(t, false)
	e.create(t, studentIn("Diop", "Ndèye", "77 123 45 67", "L3-INFO"))
	p, err := e.svc.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil || p.CacheOnline || e.svc.CacheOnline() || len(p.Rows) != 1 {
		t.Errorf("no cache: online %v, %d rows, %v", p.CacheOnline, len(p.Rows), err)
	}
}
