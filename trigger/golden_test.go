package trigger

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenFiring is a Firing as written in the golden file.
type goldenFiring struct {
	At     string `json:"at"`
	Key    string `json:"key"`
	Event  string `json:"event,omitempty"`
	Reason string `json:"reason"`
}

type goldenResult struct {
	Firings []goldenFiring `json:"firings"`
	Next    string         `json:"next,omitempty"`
}

// TestGoldenCustomer evaluates every spec of testdata/customer.json on
// the customer's timeline and compares with testdata/customer.golden.json,
// reviewed by hand when written (run with -update to rewrite it).
func TestGoldenCustomer(t *testing.T) {
	raw, err := os.ReadFile("testdata/customer.json")
	if err != nil {
		t.Fatal(err)
	}
	var in struct {
		Timeline parcours.Timeline          `json:"timeline"`
		Now      time.Time                  `json:"now"`
		Specs    map[string]json.RawMessage `json:"specs"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	tl := in.Timeline.At(in.Now)
	got := map[string]goldenResult{}
	names := make([]string, 0, len(in.Specs))
	for name := range in.Specs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		s, err := Parse(in.Specs[name])
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		trg := compile(t, s)
		fs, next, ok := firings(t, trg, tl, in.Now)
		res := goldenResult{Firings: []goldenFiring{}}
		for _, f := range fs {
			res.Firings = append(res.Firings, goldenFiring{At: f.At.Format(time.RFC3339), Key: f.Key, Event: f.Event.ID, Reason: f.Reason})
		}
		if ok {
			res.Next = next.Format(time.RFC3339)
		}
		got[name] = res
	}
	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, '\n')
	const path = "testdata/customer.golden.json"
	if *update {
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(want, out) {
		var w map[string]goldenResult
		if err := json.Unmarshal(want, &w); err != nil {
			t.Fatal(err)
		}
		t.Errorf("golden mismatch (-want +got):\n%s", cmp.Diff(w, got))
	}
}
