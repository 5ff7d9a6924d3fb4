package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// The demo sinks: with no SMTP server and no SMS provider configured,
// messages are "delivered" to files under the data directory, so the demo
// shows what real recipients would get. Each Send appends under a mutex;
// the files are created 0600 in a 0700 directory (they hold addresses).

// MailFile writes e-mail to an mbox file, exactly as it would be sent.
type MailFile struct {
	path string
	from string
	mu   sync.Mutex
	now  func() time.Time
}

// NewMailFile appends to path.
func NewMailFile(path, from string) *MailFile {
	return &MailFile{path: path, from: from, now: time.Now}
}

// Send appends each message to the mbox.
func (m *MailFile) Send(ctx context.Context, ns []*Notification) []error {
	errs := make([]error, len(ns))
	var buf bytes.Buffer
	for i, n := range ns {
		if ctx.Err() != nil {
			errs[i] = errNotAttempted
			continue
		}
		msg, err := buildMessage(m.from, n, m.now())
		if err != nil {
			errs[i] = err
			continue
		}
		var one bytes.Buffer
		if _, err := msg.WriteTo(&one); err != nil {
			errs[i] = fmt.Errorf("write message: %w", err)
			continue
		}
		fmt.Fprintf(&buf, "From scolarite %s\n", m.now().UTC().Format(time.ANSIC))
		for _, line := range strings.SplitAfter(strings.ReplaceAll(one.String(), "\r\n", "\n"), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
				buf.WriteByte('>') // mboxrd quoting
			}
			buf.WriteString(line)
		}
		buf.WriteString("\n\n")
	}
	if err := m.append(buf.Bytes()); err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	return errs
}

func (m *MailFile) append(b []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return appendFile(m.path, b)
}

// SMSLog is the `log` SMS provider: one JSON line per message.
type SMSLog struct {
	path string
	from string
	mu   sync.Mutex
	now  func() time.Time
}

// NewSMSLog appends to path.
func NewSMSLog(path, from string) *SMSLog {
	return &SMSLog{path: path, from: from, now: time.Now}
}

// SendSMS appends the message.
func (l *SMSLog) SendSMS(_ context.Context, to, body string) error {
	line, err := json.Marshal(struct {
		At   time.Time `json:"at"`
		From string    `json:"from,omitempty"`
		To   string    `json:"to"`
		Body string    `json:"body"`
	}{l.now().UTC(), l.from, to, body})
	if err != nil {
		return fmt.Errorf("encode SMS: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return appendFile(l.path, append(line, '\n'))
}

func appendFile(path string, b []byte) error {
	if len(b) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
