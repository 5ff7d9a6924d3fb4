package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"scolarite/cache/cachetest"
	"scolarite/cli"
	"scolarite/serve"
	"scolarite/store/storetest"
)

// SIGTERM while 20 people type grades: every screen is told, the server
// exits 0, and after a restart every grade a screen showed as saved is in
// the store.
func TestServeSIGTERMLosesNoAcknowledgedWrite(t *testing.T) {
	const people = 20
	dir := t.TempDir()
	mustRun(t, dir, "", "seed-demo", "--students", fmt.Sprint(people))
	mustRun(t, dir, "chef-secret-1\n", "users", "add", "--username", "chef", "--role", "admin", "--password-stdin")
	var roster []struct {
		Number string `json:"number"`
		Phone  string `json:"phone"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "list", "--json")), &roster); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	srv := exec.Command(binary, "--data-dir", dir, "serve", "--listen", addr)
	srv.Env = append(os.Environ(), "MONGODB_URI=", "REDIS_URL=", "HOME="+dir)
	var srvOut strings.Builder
	srv.Stdout, srv.Stderr = &srvOut, &srvOut
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	waitListening(t, addr)

	screens := make([]*sshScreen, people)
	for i := range screens {
		screens[i] = openScreen(t, addr, noKey(), 120, 35, "fr_SN.UTF-8")
		screens[i].login("chef", "chef-secret-1")
	}
	var (
		mu    sync.Mutex
		acked = map[string][]string{} // matricule -> subjects shown as saved
		wg    sync.WaitGroup
		ready sync.WaitGroup // every screen on its student's detail
		start = make(chan struct{})
	)
	ready.Add(people)
	for i, scr := range screens {
		wg.Go(func() {
			st := roster[i]
			readied := false
			defer func() {
				if !readied {
					ready.Done()
				}
			}()
			if !scr.shows(30*time.Second, "Étudiants") {
				t.Errorf("screen %d: no table", i)
				return
			}
			scr.send("/" + strings.TrimPrefix(st.Phone, "+221"))
			if !scr.shows(10*time.Second, "lignes 1–1 sur 1") {
				t.Errorf("screen %d: filter on %s found no single row:\n%s", i, st.Phone, scr.text())
				return
			}
			scr.send("\r\r")
			if !scr.shows(10*time.Second, "Date de naissance") { // the detail is open
				t.Errorf("screen %d: detail of %s not shown", i, st.Number)
				return
			}
			scr.send("s") // a demo class opens on its semesters: s shows the free grades
			if !scr.shows(10*time.Second, "Enseignant") {
				t.Errorf("screen %d: the free grades of %s not shown:\n%s", i, st.Number, scr.text())
				return
			}
			readied = true
			ready.Done()
			<-start
			for n := 0; ; n++ {
				subject := fmt.Sprintf("Sujet%02d", n)
				scr.send("a" + subject + "\t12\t1\r")
				if !scr.shows(5*time.Second, "Note ajoutée : "+subject) {
					return // the server went away mid-write: not acknowledged
				}
				mu.Lock()
				acked[st.Number] = append(acked[st.Number], subject)
				mu.Unlock()
			}
		})
	}
	ready.Wait()
	close(start)
	// Everyone typing: SIGTERM once the grades shown as saved are at least
	// one per person (a loaded machine takes longer to get there), so that
	// the test always has something to prove.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(100 * time.Millisecond) {
		mu.Lock()
		n := 0
		for _, subjects := range acked {
			n += len(subjects)
		}
		mu.Unlock()
		if n >= people || time.Now().After(deadline) {
			break
		}
	}
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, srvOut.String())
		}
	case <-time.After(time.Minute):
		t.Fatalf("serve did not stop within a minute of SIGTERM\n%s", srvOut.String())
	}
	wg.Wait()
	for i, scr := range screens {
		if !scr.ended(10*time.Second) || !strings.Contains(scr.received(), "Le serveur s'arrête") {
			t.Errorf("screen %d was not told the server stops", i)
		}
	}
	total := 0
	for number, subjects := range acked {
		var st struct {
			Grades []struct {
				Subject string `json:"subject"`
			} `json:"grades"`
		}
		if err := json.Unmarshal([]byte(mustRun(t, dir, "", "students", "show", number, "--json")), &st); err != nil {
			t.Fatal(err)
		}
		stored := map[string]bool{}
		for _, g := range st.Grades {
			stored[g.Subject] = true
		}
		for _, s := range subjects {
			total++
			if !stored[s] {
				t.Errorf("%s: the grade %s was shown as saved and is lost", number, s)
			}
		}
	}
	if total < people {
		t.Fatalf("only %d grades were acknowledged before SIGTERM; the test proves little", total)
	}
	t.Logf("%d acknowledged grades, all kept", total)
}

// Redis stops while people are connected: the screens say the cache is
// offline and keep working on MongoDB; it comes back by itself.
func TestServeRedisOutage(t *testing.T) {
	redisSrv := cachetest.StartRedisServer(t)
	school := startServedSchool(t, serve.Config{}, cli.Config{MongoURI: storetest.URI(t), Database: storetest.DatabaseName(t), RedisURL: redisSrv.URL()})
	chef := school.loggedIn(t, "chef", 120, 35)
	chef.waitFor(20*time.Second, "cache en ligne", "Awa")
	redisSrv.Stop()
	// Still working on MongoDB: open Awa and add a grade.
	chef.send("/Awa")
	chef.waitFor(10*time.Second, "lignes 1–1 sur 1")
	chef.send("\r\r")
	chef.waitFor(10*time.Second, "Ndiaye Awa", "Matricule")
	chef.send("aChimie\t9\t1\r")
	chef.waitFor(10*time.Second, "Note ajoutée : Chimie")
	st, err := school.app.Students.Get(context.Background(), admin, school.students["Awa"].Number)
	if err != nil || len(st.Grades) != 1 {
		t.Fatalf("grade during the outage: %+v %v", st, err)
	}
	chef.send("\x1b") // back to the table, which reloads
	chef.waitFor(20*time.Second, "cache hors ligne", "9,00")
	// This redis-server keeps nothing across a restart, sessions
	// included: the screen says the session ended, and logging in again
	// finds the cache back.
	redisSrv.Restart()
	chef.waitFor(30*time.Second, "La session a expiré", "Mot de passe")
	chef.send("chef\t" + password("chef") + "\r")
	chef.waitFor(30*time.Second, "Awa", "9,00")
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(chef.text(), "cache en ligne") { // each visit to a detail reloads the table
		if time.Now().After(deadline) {
			t.Fatalf("the cache never came back on the screen:\n%s", chef.text())
		}
		chef.send("\r")
		chef.waitFor(10*time.Second, "Date de naissance") // the detail, not the table's header
		chef.send("\x1b")
		chef.waitFor(10*time.Second, "lignes 1–3 sur 3")
	}
}

// Two servers on two "hosts" share one MongoDB and one Redis: a grade typed
// through one appears on the other's screens.
func TestServeTwoServersOneStore(t *testing.T) {
	redisSrv := cachetest.StartRedisServer(t)
	shared := cli.Config{MongoURI: storetest.URI(t), Database: storetest.DatabaseName(t), RedisURL: redisSrv.URL()}
	one := startServedSchool(t, serve.Config{}, shared)
	two := startServedSchool(t, serve.Config{}, shared) // finds the school already there
	if one.students["Awa"].ID != two.students["Awa"].ID {
		t.Fatal("the two servers do not share the store")
	}
	awa := two.loggedIn(t, "awa", 120, 35)
	awa.waitFor(20*time.Second, "Mes notes", "Ndiaye Awa")
	chef := two.loggedIn(t, "chef", 120, 35)
	chef.waitFor(20*time.Second, "Awa")
	profa := one.loggedIn(t, "profa", 120, 35)
	profa.waitFor(20*time.Second, "Awa")
	profa.send("/Awa")
	profa.waitFor(10*time.Second, "lignes 1–1 sur 1")
	profa.send("\r\r")
	profa.waitFor(10*time.Second, "Ndiaye Awa", "Matricule")
	typed := time.Now()
	profa.send("aHistoire\t14\t1\r")
	profa.waitFor(5*time.Second, "Note ajoutée : Histoire")
	awa.waitFor(5*time.Second, "Histoire")
	chef.waitFor(5*time.Second, "14,00")
	t.Logf("grade typed on server one shown on server two after %v", time.Since(typed))
}
