package jsonx

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

type send struct {
	Channels []string          `json:"channels"`
	Vars     map[string]string `json:"vars,omitempty"`
}

type step struct {
	ID   string             `json:"id"`
	Send *send              `json:"send,omitempty"`
	Wait *parcours.Duration `json:"wait,omitempty"`
}

type base struct {
	Version int `json:"version"`
}

type doc struct {
	base
	ID    string    `json:"id"`
	Steps []step    `json:"steps"`
	Rate  float64   `json:"rate"`
	Small int8      `json:"small"`
	At    time.Time `json:"at"`
	Any   any       `json:"any"`
	Skip  func()    `json:"-"`
}

var docOpts = []cmp.Option{cmp.AllowUnexported(doc{}), cmp.Comparer(func(a, b func()) bool { return a == nil && b == nil })}

// problem is a DecodeError without its Err, plus the Err's text.
type problem struct {
	Path         string
	Line, Column int
	Msg          string
}

func problems(err error) []problem {
	var out []problem
	for _, de := range parcours.ErrorsOf[*parcours.DecodeError](err) {
		out = append(out, problem{de.Path, de.Line, de.Column, de.Err.Error()})
	}
	return out
}

func TestDecodeProblems(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []problem
	}{
		{"empty", ``, []problem{{"", 1, 1, "unexpected end of JSON input"}}},
		{"syntax", "{\n  \"id\": \"a\",,\n}", []problem{{"", 2, 13, `invalid character ',' looking for beginning of object key string`}}},
		{"trailing data", `{"id": "a"} {"id": "b"}`, []problem{{"", 1, 13, "data after the JSON value"}}},
		{"wrong root", `[1]`, []problem{{"", 1, 1, "want an object, got an array"}}},
		{
			name: "every problem, with its path",
			in: `{
  "id": 7,
  "steps": [
    {"id": "a", "send": {"channels": ["email"], "vars": {"first name": 1}}},
    {"id": "b", "wait": "3 days", "sned": {}}
  ],
  "small": 300,
  "versoin": 2,
  "at": "yesterday"
}`,
			want: []problem{
				{"id", 2, 9, "want a string, got a number"},
				{`steps[0].send.vars["first name"]`, 4, 72, "want a string, got a number"},
				{"steps[1].wait", 5, 25, `parcours: invalid duration "3 days": unknown unit " days" (use w, d, h, m, s, ms, us, ns)`},
				{"steps[1].sned", 5, 35, `unknown field "sned"`},
				{"small", 7, 12, "300 is not an integer in the range of int8"},
				{"versoin", 8, 3, `unknown field "versoin"`},
				{"at", 9, 9, `parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"`},
			},
		},
		{"embedded fields and case folding are known", `{"version": 1, "ID": "x", "Any": [1, {"k": null}]}`, nil},
		{"null leaves the zero value", `{"steps": null, "rate": null}`, nil},
		{"characters, not bytes, in columns", `{"id": "é", "x": 1}`, []problem{{"x", 1, 13, `unknown field "x"`}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v doc
			err := Decode([]byte(tc.in), &v)
			if d := cmp.Diff(tc.want, problems(err)); d != "" {
				t.Errorf("problems (-want +got):\n%s\nerror: %v", d, err)
			}
			if err != nil && !errors.Is(err, parcours.ErrInvalid) {
				t.Errorf("%v does not wrap parcours.ErrInvalid", err)
			}
			if err != nil && !cmp.Equal(v, doc{}, docOpts...) {
				t.Errorf("v was changed on error: %+v", v)
			}
		})
	}
}

func TestDecodeLimitsProblems(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`{`)
	for i := range 30 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"x` + string(rune('a'+i%26)) + `": 1`)
	}
	b.WriteString(`}`)
	got := problems(Decode(b.Bytes(), &doc{}))
	if len(got) != maxProblems+1 || got[maxProblems].Msg != "10 more problems" {
		t.Errorf("got %d problems, last %+v; want %d and a count of the rest", len(got), got[len(got)-1], maxProblems+1)
	}
}

func TestDecodeMatchesEncodingJSON(t *testing.T) {
	in := `{"version": 3, "id": "s", "steps": [{"id": "a", "wait": "2d", "send": {"channels": ["sms"], "vars": {"k": "v"}}}], "rate": 0.5, "small": -7, "at": "2026-01-02T03:04:05Z", "any": {"n": 1.5}}`
	var got, want doc
	if err := Decode([]byte(in), &got); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(in), &want); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got, docOpts...); d != "" {
		t.Errorf("(-encoding/json +jsonx):\n%s", d)
	}
}

func TestDecodeNeedsPointer(t *testing.T) {
	if err := Decode([]byte(`{}`), doc{}); err == nil {
		t.Error("Decode into a non-pointer: no error")
	}
}

// FuzzDecode: whatever the input, Decode does not panic, and what it
// accepts encoding/json's strict decoder accepts with the same result.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"id":"a","steps":[{"id":"b","wait":"1d"}]}`, `{"small": 1e3}`, `[`, `{"any": [[[]]]}`, `{"ID": 1} x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Locate and Position read any input without failing.
		for _, p := range []string{"", "id", "steps[0].wait", "[0]", `any["x y"]`} {
			if off, ok := Locate(data, p); ok && (off < 0 || off > int64(len(data))) {
				t.Fatalf("Locate(%q) = %d outside the %d bytes", p, off, len(data))
			}
		}
		Position(data, int64(len(data))+5)
		var got doc
		err := Decode(data, &got)
		if err != nil {
			if len(problems(err)) == 0 {
				t.Fatalf("error without a DecodeError: %v", err)
			}
			return
		}
		var want doc
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("jsonx accepted what encoding/json refuses: %v", err)
		}
		if d := cmp.Diff(want, got, docOpts...); d != "" {
			t.Fatalf("(-encoding/json +jsonx):\n%s", d)
		}
	})
}

// TestLocate finds values by the paths decode errors write, and the
// deepest part of a path that is not there in full.
func TestLocate(t *testing.T) {
	doc := []byte(`[
  {"id": "welcome",
   "steps": [{"id": "a"}, {"send": {"vars": {"first name": "x", "n": 1}}}]},
  {"id": "cart", "trigger": {"on": ["cart_abandoned"]}}
]`)
	tests := []struct {
		path      string
		line, col int
		ok        bool
	}{
		{"", 1, 1, true},
		{"[0]", 2, 3, true},
		{"[0].id", 2, 10, true},
		{"[0].steps[1].send.vars.n", 3, 70, true},
		{`[0].steps[1].send.vars["first name"]`, 3, 60, true},
		{"[1].trigger.on[0]", 4, 37, true},
		{"[0].steps[1].send.vars.missing", 3, 45, true}, // where vars starts
		{"[0].steps[7]", 3, 13, true},                   // where steps starts
		{"[1].triggerX", 4, 3, true},                    // not a prefix of "trigger"
		{"[5]", 1, 1, false},
		{"nope", 1, 1, false},
	}
	for _, tc := range tests {
		off, ok := Locate(doc, tc.path)
		line, col := Position(doc, off)
		if ok != tc.ok || ok && (line != tc.line || col != tc.col) {
			t.Errorf("Locate(%q) = %d:%d %v, want %d:%d %v", tc.path, line, col, ok, tc.line, tc.col, tc.ok)
		}
	}
	if _, ok := Locate([]byte(`{"a": `), "a"); ok {
		t.Error("a broken document located something")
	}
}
