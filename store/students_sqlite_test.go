package store

import "testing"

// withoutSchema cuts the leading "$s" of a FerretDB document and only
// that; anything else is left as it is.
func TestWithoutSchema(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"$s":{"p":{"a":{"t":"string"}},"$k":["a"]},"a":"x"}`, `{"a":"x"}`},
		{`{"$s":{"p":{"a}\"[":{"t":"string"}}},"a}\"[":"{"}`, `{"a}\"[":"{"}`},
		{`{"$s":{"p":{"g":{"t":"array","i":[{"t":"object"}]}}},"g":[{"v":1}],"n":2}`, `{"g":[{"v":1}],"n":2}`},
		{`{"$s":{}}`, `{}`},
		{`{"a":1,"$s":{}}`, `{"a":1,"$s":{}}`},
		{`{"$s":{"p":{"a":1}`, `{"$s":{"p":{"a":1}`}, // cut short: decoding says so
		{`{"$s":"x","a":1}`, `{"$s":"x","a":1}`},
		{``, ``},
	} {
		if got := string(withoutSchema([]byte(tc.in))); got != tc.want {
			t.Errorf("withoutSchema(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
