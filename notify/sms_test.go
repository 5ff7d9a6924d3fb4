package notify_test

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"scolarite/notify"
)

// smsAPI is an HTTP test server speaking the Twilio Messages API.
type smsAPI struct {
	*httptest.Server
	mu     sync.Mutex
	reqs   []smsRequest
	status int             // answer; 201 when 0
	answer string          // body of an error answer
	refuse map[string]bool // numbers answered 400 / 21211
}

type smsRequest struct {
	Method, Path, ContentType, Accept string
	User, Pass                        string
	AuthOK                            bool
	Form                              url.Values
	RawBody                           string
}

func newSMSAPI(t testing.TB) *smsAPI {
	a := &smsAPI{refuse: map[string]bool{}}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		user, pass, ok := r.BasicAuth()
		a.mu.Lock()
		a.reqs = append(a.reqs, smsRequest{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"),
			Accept: r.Header.Get("Accept"), User: user, Pass: pass, AuthOK: ok, Form: form, RawBody: string(body)})
		status, answer := a.status, a.answer
		if a.refuse[form.Get("To")] {
			status, answer = 400, `{"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400}`
		}
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if status == 0 {
			w.WriteHeader(http.StatusCreated)
			_, _ = io.WriteString(w, `{"sid":"SM0001","status":"queued"}`)
			return
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, answer)
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *smsAPI) requests() []smsRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]smsRequest(nil), a.reqs...)
}

func (a *smsAPI) answerWith(status int, body string) {
	a.mu.Lock()
	a.status, a.answer = status, body
	a.mu.Unlock()
}

func twilio(a *smsAPI) *notify.Twilio {
	return notify.NewTwilio(notify.TwilioConfig{BaseURL: a.URL, AccountSID: "AC0123456789", AuthToken: "tok-Secret-42"}, "+15005550006", nil)
}

func TestTwilioRequest(t *testing.T) {
	api := newSMSAPI(t)
	body := "ÉSP 221 : nouvelle note en Mathématiques : 12,5/20 (coef. 2). Votre moyenne : 11,25/20."
	if err := twilio(api).SendSMS(t.Context(), "+221771234567", body); err != nil {
		t.Fatal(err)
	}
	reqs := api.requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Method != "POST" || r.Path != "/2010-04-01/Accounts/AC0123456789/Messages.json" {
		t.Errorf("%s %s", r.Method, r.Path)
	}
	if !r.AuthOK || r.User != "AC0123456789" || r.Pass != "tok-Secret-42" {
		t.Errorf("basic auth %v %q %q", r.AuthOK, r.User, r.Pass)
	}
	if r.ContentType != "application/x-www-form-urlencoded" || r.Accept != "application/json" {
		t.Errorf("content type %q, accept %q", r.ContentType, r.Accept)
	}
	want := url.Values{"To": {"+221771234567"}, "From": {"+15005550006"}, "Body": {body}}
	if r.Form.Encode() != want.Encode() || len(r.Form) != 3 {
		t.Errorf("form %v, want %v (raw %q)", r.Form, want, r.RawBody)
	}
}

func TestTwilioErrors(t *testing.T) {
	api := newSMSAPI(t)
	tw := twilio(api)
	api.answerWith(400, `{"code": 21211, "message": "The 'To' number +22100 is not a valid phone number.", "status": 400}`)
	err := tw.SendSMS(t.Context(), "+22100", "x")
	if !notify.IsPermanent(err) || !strings.Contains(err.Error(), "21211") || !strings.Contains(err.Error(), "not a valid phone number") {
		t.Errorf("invalid number: %v (permanent %v)", err, notify.IsPermanent(err))
	}
	for _, status := range []int{401, 429, 500, 503} {
		api.answerWith(status, `{"code": 20003, "message": "nope"}`)
		err := tw.SendSMS(t.Context(), "+221771234567", "x")
		if err == nil || notify.IsPermanent(err) {
			t.Errorf("HTTP %d: want a temporary error, got %v", status, err)
		}
		if strings.Contains(err.Error(), "tok-Secret-42") {
			t.Errorf("the token leaks: %v", err)
		}
	}
	api.Close()
	if err := tw.SendSMS(t.Context(), "+221771234567", "x"); err == nil || notify.IsPermanent(err) {
		t.Errorf("provider down: want a temporary error, got %v", err)
	}
}

func TestSMSSenderAndLogProvider(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notifications", "sms.log")
	s := notify.SMSSender{Provider: notify.NewSMSLog(path, "ESP221")}
	errs := s.Send(t.Context(), []*notify.Notification{
		{ID: "a", Channel: notify.SMS, Recipient: "+221771234567", Body: "Bonjour Ndèye"},
		{ID: "b", Channel: notify.SMS, Recipient: "77 123", Body: "x"},
	})
	if errs[0] != nil || !notify.IsPermanent(errs[1]) {
		t.Fatalf("errors %v", errs)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if fi, _ := f.Stat(); fi.Mode().Perm() != 0o600 {
		t.Errorf("log mode %v", fi.Mode().Perm())
	}
	sc := bufio.NewScanner(f)
	var lines []map[string]string
	for sc.Scan() {
		var m map[string]string
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 1 || lines[0]["to"] != "+221771234567" || lines[0]["body"] != "Bonjour Ndèye" || lines[0]["from"] != "ESP221" {
		t.Errorf("log lines %v", lines)
	}
}
