package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Code classifies an error for callers: the CLI maps it to an exit status,
// the UI to a status-line style. Anything without a code is internal.
type Code string

const (
	EINVALID      Code = "invalid"      // bad input; Field says which
	ENOTFOUND     Code = "not_found"    // no such student, grade or user
	ECONFLICT     Code = "conflict"     // duplicate key or stale version
	EFORBIDDEN    Code = "forbidden"    // the actor's role may not do this
	EUNAUTHORIZED Code = "unauthorized" // bad credentials or expired session
	ELOCKED       Code = "locked"       // too many failed log-ins
	EDISABLED     Code = "disabled"     // the account was disabled
	EUNAVAILABLE  Code = "unavailable"  // a back-end needed for this is down
	EINTERNAL     Code = "internal"     // everything else; details are logged
)

// Problem is one rejected field with the reason, in words for people.
type Problem struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Error is the domain's error: a code, and for validation the fields at
// fault. Message is written for the school's staff, never a driver dump.
type Error struct {
	Code     Code
	Message  string
	Problems []Problem
	// Existing names the student that already holds a unique value
	// (duplicate phone), so the message can point at it.
	Existing string
	// RetryAfter is set with ELOCKED: how long the account stays locked.
	RetryAfter time.Duration
	// Err is the underlying cause, kept for logs, never shown.
	Err error
}

func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		parts = append(parts, p.Field+": "+p.Reason)
	}
	msg := strings.Join(parts, "; ")
	if e.Message != "" {
		msg = e.Message + ": " + msg
	}
	return msg
}

// Field returns the first field at fault, or "".
func (e *Error) Field() string {
	if len(e.Problems) == 0 {
		return ""
	}
	return e.Problems[0].Field
}

// Errorf builds a coded error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid builds an EINVALID error for one field.
func Invalid(field, reason string) *Error {
	return &Error{Code: EINVALID, Problems: []Problem{{Field: field, Reason: reason}}}
}

// ErrorCode returns the code of the first *Error in err's chain; EINTERNAL
// for any other non-nil error; "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message fit for people: the domain error's text,
// or a generic sentence for internal errors (whose details go to the log).
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Error()
	}
	return "internal error (see the log file for details)"
}

// problems accumulates field problems during validation.
type problems []Problem

func (p *problems) add(field, reason string) { *p = append(*p, Problem{Field: field, Reason: reason}) }

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Problems: p}
}
