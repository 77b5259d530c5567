package scenariotest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
)

func TestRunTestdata(t *testing.T) {
	scenariotest.Run(t, "testdata")
}

func TestExpandRunRefs(t *testing.T) {
	id := scenario.RunID("welcome", "s1")
	for _, tc := range []struct{ name, in, want string }{
		{"none", `{"run": "r1"}`, `{"run": "r1"}`},
		{"one", `{"run": "@run(welcome,s1)"}`, `{"run": "` + id + `"}`},
		{"two", `@run(welcome,s1) @run(cart,k1)`, id + " " + scenario.RunID("cart", "k1")},
		{"spaces kept", `@run(welcome, s1)`, scenario.RunID("welcome", " s1")},
		{"incomplete", `@run(welcome) @run(,s1)`, `@run(welcome) @run(,s1)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, string(scenariotest.ExpandRunRefs([]byte(tc.in)))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestExpandAnchor(t *testing.T) {
	anchor := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CET", 3600))
	for _, tc := range []struct{ name, in, want, err string }{
		{"anchor", `["@anchor"]`, `["2026-03-02T09:00:00Z"]`, ""},
		{"plus", `["@anchor+90d"]`, `["2026-05-31T09:00:00Z"]`, ""},
		{"minus", `["@anchor-2h30m"]`, `["2026-03-02T06:30:00Z"]`, ""},
		{"weeks", `{"t": "@anchor+1w1d"}`, `{"t": "2026-03-10T09:00:00Z"}`, ""},
		{"not whole string", `["at @anchor", "@anchorage"]`, `["at @anchor", "@anchorage"]`, ""},
		{"bad duration", `["@anchor+9q"]`, "", "@anchor+9q"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := scenariotest.ExpandAnchor([]byte(tc.in), anchor)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one naming %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseFixture(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		ids      []string // nil when an error is expected
		at       []string
		err      string
	}{
		{"customers now", `{"scenarios": ["s.json"], "now": "2026-11-23T09:00:00Z", "customers": [{"profile": {"id": "a"}}, {"profile": {"id": "b"}}]}`,
			[]string{"a", "b"}, []string{"2026-11-23T09:00:00Z"}, ""},
		{"timeline at", `{"scenarios": ["s.json"], "anchor": "2026-11-23T09:00:00Z", "at": ["@anchor", "@anchor+1d"], "timeline": {"profile": {"id": "a"}}}`,
			[]string{"a"}, []string{"2026-11-23T09:00:00Z", "2026-11-24T09:00:00Z"}, ""},
		{"unknown field", `{"scenarios": ["s.json"], "now": "2026-11-23T09:00:00Z", "clients": []}`, nil, nil, "clients"},
		{"no instant", `{"scenarios": ["s.json"], "customers": [{"profile": {"id": "a"}}]}`, nil, nil, `"now" and "at"`},
		{"both instants", `{"scenarios": ["s.json"], "now": "2026-11-23T09:00:00Z", "at": ["2026-11-23T09:00:00Z"], "customers": [{}]}`, nil, nil, `"now" and "at"`},
		{"no customer", `{"scenarios": ["s.json"], "now": "2026-11-23T09:00:00Z"}`, nil, nil, `"timeline" and "customers"`},
		{"both customers", `{"scenarios": ["s.json"], "now": "2026-11-23T09:00:00Z", "timeline": {}, "customers": [{}]}`, nil, nil, `"timeline" and "customers"`},
		{"no scenarios", `{"now": "2026-11-23T09:00:00Z", "customers": [{}]}`, nil, nil, `"scenarios"`},
		{"anchor missing", `{"scenarios": ["s.json"], "now": "@anchor", "customers": [{}]}`, nil, nil, `no "anchor"`},
		{"trailing data", `{"scenarios": ["s.json"], "now": "2026-11-23T09:00:00Z", "customers": [{}]} {}`, nil, nil, "after"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx, err := scenariotest.ParseFixture([]byte(tc.in))
			if tc.ids == nil {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var ids, at []string
			for _, tl := range fx.Customers {
				ids = append(ids, tl.Profile.ID)
			}
			for _, a := range fx.At {
				at = append(at, a.UTC().Format(time.RFC3339))
			}
			if diff := cmp.Diff(tc.ids, ids); diff != "" {
				t.Errorf("customers (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.at, at); diff != "" {
				t.Errorf("instants (-want +got):\n%s", diff)
			}
			if fx.Timeline != nil || !fx.Now.IsZero() {
				t.Error("Timeline or Now left set")
			}
		})
	}
}

// TestCheckReportsDiff changes a golden and checks that Check names the
// field that differs, and that a missing golden is an error that says how
// to create it.
func TestCheckReportsDiff(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"scenarios.json", "cart.json", "cart.golden.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "cart.golden.json" {
			b = []byte(strings.Replace(string(b), `"cart-reminder"`, `"cart-reminder-v0"`, 1))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "cart.json")
	diff, err := scenariotest.Check(path, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"template"`, `"cart-reminder-v0"`, `"cart-reminder"`} {
		if !strings.Contains(diff, want) {
			t.Errorf("diff lacks %q:\n%s", want, diff)
		}
	}
	if diff, err := scenariotest.Check(path, true); err != nil || diff != "" {
		t.Errorf("after rewrite: diff %q, err %v", diff, err)
	}
	os.Remove(scenariotest.GoldenPath(path))
	if _, err := scenariotest.Check(path, false); err == nil || !strings.Contains(err.Error(), "-update") {
		t.Errorf("missing golden: %v", err)
	}
}

func TestFind(t *testing.T) {
	got, err := scenariotest.Find("testdata", "testdata/cart.json")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"testdata/capped.json", "testdata/cart.json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := scenariotest.Find("testdata/none"); err == nil {
		t.Error("missing path accepted")
	}
}

func TestResultJSONErrors(t *testing.T) {
	r := scenario.Result{Due: []scenario.Action{}, Errors: []error{&scenario.Error{Scenario: "x", Field: "trigger.if", Err: os.ErrInvalid}}}
	b, err := scenariotest.ResultJSON(r)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"due":[],"errors":[{"kind":"scenario","scenario":"x","field":"trigger.if","message":"invalid argument"}]}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
