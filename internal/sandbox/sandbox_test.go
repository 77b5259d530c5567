package sandbox

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr/vm"
)

type hook = Hook

type env struct {
	hook
	N     int            `expr:"n"`
	S     string         `expr:"s"`
	L     []int          `expr:"l"`
	Attrs map[string]any `expr:"attrs"`
	Now   time.Time      `expr:"now"`
	Scan  func(string) bool
}

func newEnv() *env {
	l := make([]int, 200)
	return &env{N: 2, S: "abc", L: l, Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Attrs: map[string]any{"big": strings.Repeat("a", 1<<20), "pat": "^a+$", "name": "Léa"},
		Scan:  func(string) bool { return false }}
}

// Run runs p on env within the memory budget, on a fresh VM, with a fresh
// Meter attached to h (which env embeds): what a host does, for tests.
func Run(p *Program, env any, h *Hook) (any, error) {
	var m Meter
	Attach(h, &m)
	defer Attach(h, nil)
	var v vm.VM
	return m.Run(&v, p, env)
}

func run(t *testing.T, src string, predicate bool) (any, error) {
	t.Helper()
	p, err := Compile(src, &env{}, predicate, "Scan")
	if err != nil {
		return nil, err
	}
	e := newEnv()
	return Run(p, e, &e.hook)
}

func TestLimits(t *testing.T) {
	tests := []struct {
		src, compileErr, runErr string
	}{
		{`n > 1`, "", ""},
		{`now() > 0`, "now", ""},
		{`date("2026-01-01") != nil`, "date", ""},
		{`timezone("UTC") != nil`, "timezone", ""},
		{`repeat("x", 100) != ""`, "repeat", ""},
		{`n + 1`, "expected bool", ""},
		{strings.Repeat("n + ", MaxNodes) + "n > 0", "exceeds maximum allowed nodes", ""},
		{`len(1..100000000) > 0`, "", "memory budget exceeded"},
		{`"b" in ["a", s] && s contains "b"`, "", ""},
		// Source length and nesting are checked before parsing.
		{strings.Repeat(" ", MaxSource) + "true", "more than the limit", ""},
		{strings.Repeat("!", 800_000) + "true", "more than the limit", ""},
		{strings.Repeat("(", MaxDepth+1) + "true" + strings.Repeat(")", MaxDepth+1), "nests deeper", ""},
		{strings.Repeat("!", MaxDepth+1) + "true", "nests deeper", ""},
		{strings.Repeat("!(", MaxDepth/2+1) + "true" + strings.Repeat(")", MaxDepth/2+1), "nests deeper", ""},
		{strings.Repeat("(", 20) + "true" + strings.Repeat(")", 20), "", ""},
		{`"((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((" != ""`, "", ""},
		// The machine's zone stays out.
		{`now.Local().Hour() > 0`, "Local is not allowed", ""},
		{`now.In(now.Location()) == now`, "not allowed", ""},
		{`now.Zone() != nil`, "Zone is not allowed", ""},
		{`attrs.when.Local() != nil`, "Local is not allowed", ""},
		{`attrs.Zone == nil`, "", ""}, // a key named like a method is fine
		{`now.Hour() == 0`, "", ""},
		// Strings and loops are budgeted.
		{`reduce(1..40, #acc + #acc, s) != ""`, "", "budget"},
		{`replace(attrs.big, "a", attrs.big) != ""`, "", "budget"},
		{`replace(s, "b", "xx") == "axxc"`, "", ""},
		{`join(map(1..100, attrs.big), "") != ""`, "", "budget"},
		{`join(["a", "b"], "-") == "a-b" && join(["a"]) == "a"`, "", ""},
		{`len(reduce(1..40, concat(#acc, #acc), [1])) > 0`, "", "budget"},
		{`len(1..200000) > 0`, "", "budget"},
		{`len(toJSON(map(1..1000, attrs.big))) > 0`, "", "budget"},
		{`upper(attrs.name) == "LÉA" && lower(s + "D") == "abcd"`, "", ""},
		{`sum(l, sum(l, sum(l, sum(l, 1)))) > 0`, "", "budget"},
		{`sum(l, sum(l, 1)) == 40000`, "", ""},
		{`sum(l, Scan("x") ? 1 : 0) == 0`, "", ""},
		{`sum(1..99999, Scan("x") ? 1 : 0) == 0`, "", ""},
		{`all(l, "aaa" matches attrs.pat) && !("b" matches attrs.pat)`, "", ""},
		{`"a" matches attrs.name + "("`, "", "error parsing regexp"},
	}
	for _, tc := range tests {
		_, err := run(t, tc.src, true)
		want := tc.compileErr + tc.runErr
		if (want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), want)) {
			t.Errorf("%.60q: error %v, want %q", tc.src, err, want)
		}
		if tc.runErr == "budget" && !errors.Is(err, ErrBudget) {
			t.Errorf("%.60q: error %v is not ErrBudget", tc.src, err)
		}
	}
}

// TestTypesKept: the budget functions keep static types, so a typo in a
// loop still fails at compile time.
func TestTypesKept(t *testing.T) {
	for _, src := range []string{`all(l, # > "x")`, `sum(l, # + "x") > 0`, `lower(s) > 1`} {
		if _, err := Compile(src, &env{}, true); err == nil {
			t.Errorf("%s compiled", src)
		}
	}
}

func TestCallCost(t *testing.T) {
	p, err := Compile(`sum(l, Scan("x") ? 1 : 0) == 0`, &env{}, true, "Scan")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv()
	var m Meter
	Attach(&e.hook, &m)
	m.SetCallCost(1000)
	var v vm.VM
	if _, err := m.Run(&v, p, e); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Ops(), int64(1+200+200*1000); got != want {
		t.Errorf("ops = %d, want %d (one run, 200 iterations, 200 calls of cost 1000)", got, want)
	}
	m.SetCallCost(100_000)
	if _, err := m.Run(&v, p, e); !errors.Is(err, ErrBudget) {
		t.Errorf("err = %v, want ErrBudget", err)
	}
	m.Reset()
	m.SetCallCost(1)
	if _, err := m.Run(&v, p, e); err != nil {
		t.Errorf("after Reset: %v", err)
	}
}

func TestScansCharged(t *testing.T) {
	tests := []struct {
		src    string
		budget bool
	}{
		{`sum(1..10000, attrs.big contains "z" ? 1 : 0) == 0`, true},
		{`sum(1..10000, hasPrefix(attrs.big, "z") ? 1 : 0) == 0`, true},
		{`sum(1..10000, len(upper(attrs.big)) > 0 ? 1 : 0) == 0`, true},
		{`sum(1..3000, 5 in 1..3000 ? 1 : 0) == 0`, true},
		{`sum(1..3000, sum(1..3000) > 0 ? 1 : 0) == 0`, true},
		{`sum(1..3000, max(1..3000) > 0 ? 1 : 0) == 0`, true},
		{`len(string(map(1..2000, attrs.big))) > 0`, true},
		{`sum(1..10, attrs.big contains "z" ? 1 : 0) == 0`, false},
		{`s in ["abc", "d"] && "b" in [s, "c"]`, false},
	}
	for _, tc := range tests {
		_, err := run(t, tc.src, true)
		if got := errors.Is(err, ErrBudget); got != tc.budget || (!tc.budget && err != nil) {
			t.Errorf("%s: error %v, want budget spent %v", tc.src, err, tc.budget)
		}
	}
}
