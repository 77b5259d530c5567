package schemagen

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

var update = flag.Bool("update", false, "rewrite schema/*.schema.json from the Go types")

// TestDrift regenerates the schemas from the Go types and compares them
// with those shipped in schema/. When a type changes:
//
//	go test ./internal/schemagen -update
func TestDrift(t *testing.T) {
	for _, name := range Names() {
		got, err := Generate(name, "../..")
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "schema", name+".schema.json")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(string(want), string(got)); diff != "" {
			t.Errorf("schema/%s.schema.json drifted from the Go types (-shipped +generated):\n%s\nregenerate: go test ./internal/schemagen -update", name, diff)
		}
	}
}

// TestDurationPattern: the schema's pattern accepts what
// parcours.ParseDuration accepts.
func TestDurationPattern(t *testing.T) {
	re := regexp.MustCompile(DurationPattern)
	for _, s := range []string{
		"90d", "2w", "36h", "1d12h", "30m", "1.5h", ".5d", "1.d", "0", "-2h", "+3d", "10s", "250ms", "3us", "3µs", "7ns", "1w2d3h4m5s",
		"", "d", "2", "2x", "2 h", "h2", "1..5h", "2hh", "0d0", "1e3h", " 2h", "-", "+",
	} {
		_, err := parcours.ParseDuration(s)
		if got, want := re.MatchString(s), err == nil; got != want {
			t.Errorf("%q: pattern %v, ParseDuration %v (%v)", s, got, want, err)
		}
	}
}

func TestUnknown(t *testing.T) {
	if _, err := Generate("fixture", "../.."); err == nil {
		t.Error("unknown schema accepted")
	}
}

// Without the sources the schema is the same but for descriptions.
func TestNoSources(t *testing.T) {
	b, err := Generate("policy", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(`"description"`).Match(b) {
		t.Error("descriptions without sources")
	}
}
