package analytics

import (
	"bytes"
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// A JSON message is one flat object. encoding/json spent more time on it
// than storing the record in SQLite, so the job scans objects itself:
// members are found in one pass; strings without escapes are taken as
// they are, the rest (and nested values) go through encoding/json. The
// fuzz test checks it against encoding/json.

var errBadJSON = errors.New("invalid JSON")

// scanObject gives w the key and raw value of each member of the object
// b (surrounding white space allowed); keys are raw strings. (A wire, not
// a func: w stays on the caller's stack.)
func scanObject(b []byte, w *wire) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return errBadJSON
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return trailing(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return errBadJSON
		}
		end, err := stringEnd(b, i)
		if err != nil {
			return err
		}
		key := b[i:end]
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return errBadJSON
		}
		i = skipSpace(b, i+1)
		vend, err := valueEnd(b, i)
		if err != nil {
			return err
		}
		w.set(key, b[i:vend])
		i = skipSpace(b, vend)
		if i >= len(b) {
			return errBadJSON
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return trailing(b, i+1)
		default:
			return errBadJSON
		}
	}
}

func trailing(b []byte, i int) error {
	if skipSpace(b, i) != len(b) {
		return errBadJSON
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index after the string starting at b[i] == '"'.
func stringEnd(b []byte, i int) (int, error) {
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '\\':
			j++
		case c == '"':
			return j + 1, nil
		case c < 0x20:
			return 0, errBadJSON
		}
	}
	return 0, errBadJSON
}

// valueEnd returns the index after the value starting at b[i]. Literals
// and numbers are checked by whoever reads them; nested objects and
// arrays are checked by encoding/json.
func valueEnd(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, errBadJSON
	}
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				end, err := stringEnd(b, j)
				if err != nil {
					return 0, err
				}
				j = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					if !json.Valid(b[i : j+1]) {
						return 0, errBadJSON
					}
					return j + 1, nil
				}
			}
		}
		return 0, errBadJSON
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\t' && b[j] != '\n' && b[j] != '\r' {
		j++
	}
	if j == i || !json.Valid(b[i:j]) {
		return 0, errBadJSON
	}
	return j, nil
}

// keyIs compares a raw key with name the way encoding/json matches field
// names (ASCII case folded).
func keyIs(raw []byte, name string) bool {
	if len(raw) != len(name)+2 {
		if bytes.IndexByte(raw, '\\') < 0 {
			return false
		}
		var k string
		if json.Unmarshal(raw, &k) != nil {
			return false
		}
		return equalFoldASCII(k, name)
	}
	return equalFoldASCII(string(raw[1:len(raw)-1]), name)
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// jsonString decodes a raw JSON string; ok is false for other values
// (null included).
func jsonString(raw []byte) (string, bool, error) {
	if len(raw) < 2 || raw[0] != '"' {
		if string(raw) == "null" {
			return "", false, nil
		}
		return "", false, errors.New("not a string")
	}
	inner := raw[1 : len(raw)-1]
	if bytes.IndexByte(inner, '\\') < 0 && utf8.Valid(inner) {
		return string(inner), true, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, err
	}
	return s, true, nil
}
