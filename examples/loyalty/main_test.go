package main

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/segment"
)

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// TestOutput pins the demo's output: what the README promises a reader.
func TestOutput(t *testing.T) {
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("testdata/output.golden", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/output.golden")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}

// TestCheckTiers shows that a tier left without its announcement, or a
// threshold at the wrong rate, is refused at load.
func TestCheckTiers(t *testing.T) {
	scs, err := scenario.ParseAll(scenariosJSON)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := segment.ParseConfig(loyaltyJSON)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkTiers(scs, cfg); err != nil {
		t.Fatalf("shipped data: %v", err)
	}
	if err := checkTiers(scs[:1], cfg); err == nil {
		t.Error("gold without a scenario accepted")
	}
	bad := *cfg.Loyalty
	bad.PointsPerUnit = 2
	cfg.Loyalty = &bad
	if err := checkTiers(scs, cfg); err == nil {
		t.Error("threshold rate differing from points per unit accepted")
	}
}
