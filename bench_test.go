package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"scolarite/cache"
	"scolarite/cache/cachetest"
	"scolarite/cli"
	"scolarite/demo"
	"scolarite/domain"
	"scolarite/store"
	"scolarite/store/storetest"
	"scolarite/ui"
)

const benchStudents = 10_000

// benchStore fills a fresh database of the embedded FerretDB with 10,000
// demo students and returns its repository.
func benchStore(b *testing.B) *store.Store {
	b.Helper()
	st := storetest.Open(b)
	svc := domain.NewStudentService(domain.StudentDeps{Repo: st.Students()})
	items := demo.Students(42, benchStudents, time.Now())
	if _, err := svc.CreateMany(context.Background(), admin, items, "bench"); err != nil {
		b.Fatal(err)
	}
	return st
}

func benchService(st *store.Store, views domain.ViewCache) *domain.StudentService {
	return domain.NewStudentService(domain.StudentDeps{Repo: st.Students(), Views: views})
}

// BenchmarkRoster10k compares a cold roster load (from the embedded store,
// no cache) with a warm one (the Redis view), in one run: the warm load must
// be at least 15× faster. Warm runs against the embedded miniredis and, when
// present, a real redis-server.
func BenchmarkRoster10k(b *testing.B) {
	st := benchStore(b)
	ctx := context.Background()
	run := func(b *testing.B, svc *domain.StudentService, wantOnline bool) {
		if _, err := svc.Roster(ctx, admin, domain.RosterQuery{}); err != nil { // fills the view
			b.Fatal(err)
		}
		for b.Loop() {
			page, err := svc.Roster(ctx, admin, domain.RosterQuery{})
			if err != nil || page.Total != benchStudents || page.CacheOnline != wantOnline {
				b.Fatalf("roster: %d rows, online %v, %v", page.Total, page.CacheOnline, err)
			}
		}
	}
	b.Run("cold-store", func(b *testing.B) { run(b, benchService(st, nil), false) })
	b.Run("warm-miniredis", func(b *testing.B) {
		_, client := cachetest.NewMiniredis(b)
		run(b, benchService(st, cache.New(client).Views()), true)
	})
	b.Run("warm-redis-server", func(b *testing.B) {
		srv := cachetest.StartRedisServer(b)
		client, err := cache.Connect(ctx, srv.URL())
		if err != nil {
			b.Fatal(err)
		}
		defer client.Close()
		run(b, benchService(st, cache.New(client).Views()), true)
	})
}

// BenchmarkSearch10k is `students list --search` over 10,000 students with a
// warm cache: the goal is under 100 ms per search.
func BenchmarkSearch10k(b *testing.B) {
	st := benchStore(b)
	_, client := cachetest.NewMiniredis(b)
	svc := benchService(st, cache.New(client).Views())
	ctx := context.Background()
	if _, err := svc.Roster(ctx, admin, domain.RosterQuery{}); err != nil { // fills the view
		b.Fatal(err)
	}
	for _, search := range []string{"ndeye", "77 000", "L3-INFO"} {
		b.Run(search, func(b *testing.B) {
			for b.Loop() {
				page, err := svc.Roster(ctx, admin, domain.RosterQuery{Search: search})
				if err != nil || page.Matched == 0 {
					b.Fatalf("search %q: %d matches, %v", search, page.Matched, err)
				}
			}
		})
	}
}

// BenchmarkLogin and BenchmarkResume show that log-in costs one bcrypt
// check (cost 12) and resuming a session none.
func BenchmarkLogin(b *testing.B) {
	auth, token := benchAuth(b)
	ctx := context.Background()
	b.Run("login", func(b *testing.B) {
		for b.Loop() {
			if _, err := auth.Login(ctx, "prof", "correct horse"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("resume", func(b *testing.B) {
		for b.Loop() {
			if _, err := auth.Resume(ctx, token); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func benchAuth(b *testing.B) (*domain.AuthService, string) {
	b.Helper()
	st := storetest.Open(b)
	_, client := cachetest.NewMiniredis(b)
	c := cache.New(client)
	auth := domain.NewAuthService(domain.AuthDeps{Users: st.Users(), Students: st.Students(),
		Sessions: c.Sessions(), Limiter: c.Limiter(), Audit: st.Audit()})
	ctx := context.Background()
	if _, err := auth.CreateUser(ctx, admin, domain.UserInput{Username: "prof", Password: "correct horse", Role: "teacher", Classes: []string{"L3-INFO"}}); err != nil {
		b.Fatal(err)
	}
	login, err := auth.Login(ctx, "prof", "correct horse")
	if err != nil {
		b.Fatal(err)
	}
	return auth, login.Token
}

// BenchmarkColdStart is opening the application on an existing data dir
// with the embedded default, up to the first screen drawn (log-in, after
// the saved-session check): the goal is under 1 s.
func BenchmarkColdStart(b *testing.B) {
	dir := b.TempDir()
	cfg := cli.Config{DataDir: dir, Database: "scolarite"}
	app, err := openApp(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := app.Students.CreateMany(context.Background(), admin, demo.Students(1, 300, time.Now()), "bench"); err != nil {
		b.Fatal(err)
	}
	if err := app.Close(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		app, err := openApp(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		m := ui.New(&ui.Common{Ctx: context.Background(), Students: app.Students, Auth: app.Auth,
			Tokens: cli.TokenFile{Path: filepath.Join(dir, "no-session")}, Log: app.Log, Styles: ui.NewStyles(lipgloss.NewRenderer(io.Discard)), T: ui.NewTranslator(ui.French)})
		m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
		if msg := m.Init()(); msg != nil {
			m.Update(msg)
		}
		if !strings.Contains(m.View(), "Connexion") {
			b.Fatal("the log-in screen is not drawn")
		}
		b.StopTimer()
		if err := app.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
