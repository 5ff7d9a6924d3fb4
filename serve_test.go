package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"scolarite/cli"
	"scolarite/domain"
	"scolarite/serve"
)

// servedSchool is a store with accounts of every role, served over SSH on
// a loopback port by the real wiring (openApp, serveDeps).
type servedSchool struct {
	app      *cli.App
	addr     string
	srv      *serve.Server
	stop     func() // SIGTERM: cancel, and wait for Serve to return
	students map[string]*domain.Student
}

type account struct{ user, role, student, class string }

// The school of these tests: two classes, a teacher each, students in both.
var (
	schoolStudents = []struct{ last, first, phone, class string }{
		{"Ndiaye", "Awa", "77 100 00 01", "L1-INFO"},
		{"Sarr", "Binta", "77 100 00 02", "L1-INFO"},
		{"Diallo", "Cheikh", "77 100 00 03", "L2-GC"},
	}
	schoolAccounts = []account{
		{user: "chef", role: "admin"},
		{user: "profa", role: "teacher", class: "L1-INFO"},
		{user: "profb", role: "teacher", class: "L2-GC"},
		{user: "awa", role: "student", student: "Awa"},
		{user: "binta", role: "student", student: "Binta"},
		{user: "cheikh", role: "student", student: "Cheikh"},
	}
)

func password(user string) string { return user + "-secret-1" }

func startServedSchool(t *testing.T, cfg serve.Config, appCfg cli.Config) *servedSchool {
	t.Helper()
	return startServedSchoolWith(t, cfg, appCfg, nil)
}

// startServedSchoolWith lets a test change the services the screens call.
func startServedSchoolWith(t *testing.T, cfg serve.Config, appCfg cli.Config, change func(*serve.Deps)) *servedSchool {
	t.Helper()
	app := openTestApp(t, appCfg)
	s := &servedSchool{app: app, students: map[string]*domain.Student{}}
	ctx := context.Background()
	if n, _ := app.Students.Roster(ctx, admin, domain.RosterQuery{}); n.Total == 0 {
		seedSchool(t, app)
	}
	page, err := app.Students.Roster(ctx, admin, domain.RosterQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Rows {
		st, err := app.Students.Get(ctx, admin, r.Number)
		if err != nil {
			t.Fatal(err)
		}
		s.students[st.FirstName] = st
	}
	s.serve(t, cfg, appCfg, change)
	return s
}

func seedSchool(t *testing.T, app *cli.App) {
	t.Helper()
	ctx := context.Background()
	byFirst := map[string]string{}
	for _, st := range schoolStudents {
		created, err := app.Students.Create(ctx, admin, domain.StudentInput{LastName: st.last, FirstName: st.first,
			Phone: st.phone, Class: st.class, Major: "Informatique", BirthDate: "2004-05-06"})
		if err != nil {
			t.Fatal(err)
		}
		byFirst[st.first] = created.Number
	}
	for _, a := range schoolAccounts {
		in := domain.UserInput{Username: a.user, Password: password(a.user), Role: a.role, Student: byFirst[a.student]}
		if a.class != "" {
			in.Classes = []string{a.class}
		}
		if _, err := app.Auth.CreateUser(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
	}
}

// serve starts (or restarts) the SSH server on the school's store.
func (s *servedSchool) serve(t *testing.T, cfg serve.Config, appCfg cli.Config, change func(*serve.Deps)) {
	t.Helper()
	if cfg.Listen == "" {
		cfg.Listen = freeAddr(t)
	}
	if cfg.HostKeyPath == "" {
		cfg.HostKeyPath = filepath.Join(t.TempDir(), "host_key")
	}
	if cfg.Recheck == 0 {
		cfg.Recheck = 200 * time.Millisecond
	}
	deps := serveDeps(appCfg, s.app, nil, nil)
	if change != nil {
		change(&deps)
	}
	srv, err := serve.New(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe(ctx) }()
	s.srv, s.addr = srv, cfg.Listen
	waitListening(t, cfg.Listen)
	stopped := false
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve: %v", err)
			}
		case <-time.After(time.Minute):
			t.Error("serve did not stop within a minute")
		}
	}
	t.Cleanup(s.stop)
}

func waitListening(t testing.TB, addr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := dialSSH(t, addr, noKey())
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s not answering: %v", addr, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// loggedIn opens a screen and logs in with a password.
func (s *servedSchool) loggedIn(t *testing.T, user string, w, h int) *sshScreen {
	t.Helper()
	scr := openScreen(t, s.addr, noKey(), w, h, "fr_SN.UTF-8")
	scr.login(user, password(user))
	return scr
}

// Six people at once: each screen shows what their role may see, a
// student's keys reach nothing but their own record, a teacher's grade
// typed on their screen appears on the student's and the admin's screens
// without a key press, a resize redraws at the new size, and a client
// that disconnects mid-edit leaves nothing written.
func TestServeEveryRoleAtOnce(t *testing.T) {
	school := startServedSchool(t, serve.Config{}, cli.Config{})
	screens := map[string]*sshScreen{}
	for _, a := range schoolAccounts {
		screens[a.user] = openScreen(t, school.addr, noKey(), 120, 35, "fr_SN.UTF-8")
	}
	for _, a := range schoolAccounts { // every password typed before any screen is checked
		screens[a.user].waitFor(20*time.Second, "Mot de passe")
		screens[a.user].send(a.user + "\t" + password(a.user) + "\r")
	}
	const wait = 30 * time.Second
	for _, tc := range []struct {
		user      string
		see, miss []string
	}{
		{"chef", []string{"Étudiants", "Utilisateurs", "Awa", "Binta", "Cheikh"}, nil},
		{"profa", []string{"Étudiants", "Awa", "Binta"}, []string{"Cheikh", "Utilisateurs"}},
		{"profb", []string{"Étudiants", "Cheikh"}, []string{"Awa", "Binta", "Utilisateurs"}},
		{"awa", []string{"Mes notes", "Ndiaye Awa"}, []string{"Binta", "Cheikh", "Étudiants"}},
		{"binta", []string{"Mes notes", "Sarr Binta"}, []string{"Awa", "Cheikh"}},
		{"cheikh", []string{"Mes notes", "Diallo Cheikh"}, []string{"Awa", "Binta"}},
	} {
		screen := screens[tc.user].waitFor(wait, tc.see...)
		for _, m := range tc.miss {
			if strings.Contains(screen, m) {
				t.Errorf("%s's screen shows %q:\n%s", tc.user, m, screen)
			}
		}
	}

	// A student tries every way out of their own record.
	awa := screens["awa"]
	awa.send("\t/Binta\r\x1b[Z\x1bs\rj\r")
	time.Sleep(500 * time.Millisecond)
	if screen := awa.waitFor(wait, "Ndiaye Awa"); strings.Contains(screen, "Binta") || strings.Contains(screen, "Sarr") {
		t.Fatalf("a student's keys reached another student:\n%s", screen)
	}

	// The teacher of L1-INFO types a grade for Awa on their screen.
	profa := screens["profa"]
	profa.send("/")
	profa.waitFor(wait, "/ ")
	profa.send("Awa")
	profa.waitFor(wait, "/ Awa")
	profa.send("\r\r")
	profa.waitFor(wait, "Ndiaye Awa", "Matricule")
	typed := time.Now()
	profa.send("a")
	profa.send("Physique\t16,5\t2\r")
	profa.waitFor(wait, "Physique")
	awa.waitFor(5*time.Second, "Physique", "16,5")
	if d := time.Since(typed); d > 5*time.Second {
		t.Errorf("the grade took %v to reach the student's screen", d)
	}
	screens["chef"].waitFor(5*time.Second, "16,50")
	for _, other := range []string{"binta", "cheikh"} {
		if strings.Contains(screens[other].text(), "Physique") {
			t.Errorf("%s sees Awa's grade", other)
		}
	}

	// A resize redraws at the new size.
	chef := screens["chef"]
	chef.resize(110, 30)
	deadline := time.Now().Add(wait)
	for {
		first := strings.TrimRight(strings.SplitN(chef.text(), "\n", 2)[0], " ")
		// At 110 columns the admin's tabs leave room for the user's name
		// only (their role shows on wider screens).
		if strings.HasSuffix(first, "chef") && len([]rune(first)) <= 110 && len([]rune(first)) > 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after a resize to 110 columns the header is %q", first)
		}
		time.Sleep(20 * time.Millisecond)
	}

	// profb starts a grade for Cheikh and goes away before saving it.
	profb := screens["profb"]
	profb.send("\r")
	profb.waitFor(wait, "Diallo Cheikh", "Matricule")
	profb.send("aPhysique\t12")
	time.Sleep(300 * time.Millisecond)
	profb.close()
	waitOpen(t, school.srv, len(schoolAccounts)-1)
	cheikh, err := school.app.Students.Get(context.Background(), admin, school.students["Cheikh"].Number)
	if err != nil {
		t.Fatal(err)
	}
	if len(cheikh.Grades) != 0 {
		t.Fatalf("a client that left mid-edit wrote %+v", cheikh.Grades)
	}
	awaNow, _ := school.app.Students.Get(context.Background(), admin, school.students["Awa"].Number)
	if len(awaNow.Grades) != 1 || awaNow.Grades[0].Teacher != "profa" {
		t.Fatalf("Awa's grades: %+v, want the one profa typed", awaNow.Grades)
	}
}

func waitOpen(t *testing.T, srv *serve.Server, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for srv.Open() != want {
		if time.Now().After(deadline) {
			t.Fatalf("%d screens open, want %d", srv.Open(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
