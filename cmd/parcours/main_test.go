package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parcours-dev/parcours/scenariotest"
)

// cli runs the command with args from the repository root (so that
// paths in its output read as a user types them) and returns its
// standard output, standard error and exit code.
func cli(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	t.Chdir(root)
	var out, errw bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errw)
	return out.String(), errw.String(), code
}

// root is the repository's root; the tests start in cmd/parcours.
var root, _ = filepath.Abs("../..")

// golden compares out with cmd/parcours/testdata/golden/name (go test
// -update rewrites it).
func golden(t *testing.T, name, out string) {
	t.Helper()
	scenariotest.Golden(t, filepath.Join(root, "cmd", "parcours", "testdata", "golden", name), []byte(out))
}

const winback = "cmd/parcours/testdata/winback/"

var anchor = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// genPopulation is gen's rule for n customers, as JSON lines.
func genPopulation(t *testing.T, n int) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i := range n {
		if err := enc.Encode(synthetic(i, anchor)); err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

func TestVerbs(t *testing.T) {
	pop := genPopulation(t, 300)
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
	}{
		// Named examples, not all: other examples come and go.
		{"check-examples", "", []string{"check", "examples/quickstart", "examples/cigusto", "examples/loyalty", "examples/zoro"}, exitOK},
		{"check-bad", "", []string{"check", "cmd/parcours/testdata/bad"}, exitProblems},
		{"test-examples", "", []string{"test", "-v", "examples/quickstart", "examples/cigusto", "examples/loyalty"}, exitOK},
		{"test-failing", "", []string{"test", "cmd/parcours/testdata/failing"}, exitProblems},
		{"eval", "", []string{"eval", "-s", "examples/quickstart/scenarios.json", "-at", "2026-03-05T10:30:00Z", "cmd/parcours/testdata/eval/lea.json"}, exitOK},
		{"replay-text", pop, []string{"replay", "-s", winback + "scenarios.json", "-policy", winback + "policy.json", "-from", "2026-01-01", "-to", "2026-04-01", "-"}, exitOK},
		{"replay-csv", pop, []string{"replay", "-s", winback + "scenarios.json", "-policy", winback + "policy.json", "-from", "2026-01-01", "-to", "2026-04-01", "-format", "csv", "-"}, exitOK},
		{"replay-json", genPopulation(t, 20), []string{"replay", "-s", winback + "scenarios.json", "-policy", winback + "policy.json", "-from", "2026-01-01", "-to", "2026-02-01", "-format", "json", "-"}, exitOK},
		{"diff-text", pop, []string{"diff", "-old-s", winback + "scenarios.json", "-new-s", winback + "scenarios-120.json", "-from", "2026-01-01", "-to", "2026-04-01", "-"}, exitOK},
		{"diff-json", genPopulation(t, 40), []string{"diff", "-old-s", winback + "scenarios.json", "-new-s", winback + "scenarios-120.json", "-from", "2026-01-01", "-to", "2026-04-01", "-examples", "1", "-format", "json", "-"}, exitOK},
		{"graph-quickstart", "", []string{"graph", "examples/quickstart/scenarios.json"}, exitOK},
		{"graph-cigusto-lapsed", "", []string{"graph", "examples/cigusto/scenarios.json", "lapsed90"}, exitOK},
		{"graph-kinds", "", []string{"graph", "cmd/parcours/testdata/graph/kinds.json"}, exitOK},
		{"gen", "", []string{"gen", "-n", "4", "-at", "2026-01-01"}, exitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errw, code := cli(t, tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, errw)
			}
			golden(t, tc.name, out)
		})
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"check", "no/such/dir"},
		{"test", "cmd/parcours/testdata/bad"}, // no fixture there
		{"eval", "-s", "examples/quickstart/scenarios.json", "cmd/parcours/testdata/eval/lea.json"}, // no -at
		{"eval", "-s", "cmd/parcours/testdata/bad/syntax.json", "-at", "2026-01-01", "cmd/parcours/testdata/eval/lea.json"},
		{"replay", "-s", winback + "scenarios.json", "-from", "2026-04-01", "-to", "2026-01-01", "-"},
		{"replay", "-s", winback + "scenarios.json", "-from", "2026-01-01", "-to", "2026-02-01", "-format", "xml", "-"},
		{"diff", "-old-s", winback + "scenarios.json", "-from", "2026-01-01", "-to", "2026-02-01", "-"},
		{"graph", "examples/quickstart/scenarios.json", "nope"},
		{"gen", "-n", "3"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errw, code := cli(t, "", args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d\nstdout:\n%s", code, exitUsage, out)
			}
			if errw == "" {
				t.Error("nothing said on standard error")
			}
		})
	}
	if _, _, code := cli(t, "{\"profile\": {}}\n{\"profile\": {}, \"evnts\": []}\n", "replay", "-s", winback+"scenarios.json", "-from", "2026-01-01", "-to", "2026-02-01", "-"); code != exitUsage {
		t.Errorf("a population line with an unknown field: exit %d", code)
	}
}

// TestDeterministic: the output does not depend on the number of workers.
func TestDeterministic(t *testing.T) {
	pop := genPopulation(t, 500)
	for _, verb := range [][]string{
		{"replay", "-s", winback + "scenarios.json", "-policy", winback + "policy.json", "-from", "2026-01-01", "-to", "2026-04-01", "-format", "json"},
		{"diff", "-old-s", winback + "scenarios.json", "-new-s", winback + "scenarios-120.json", "-from", "2026-01-01", "-to", "2026-04-01", "-format", "json"},
	} {
		one, _, _ := cli(t, pop, append(verb, "-j", "1", "-")...)
		many, _, _ := cli(t, pop, append(verb, "-j", "7", "-")...)
		if one != many {
			t.Errorf("%s: -j 1 and -j 7 differ", verb[0])
		}
	}
}
