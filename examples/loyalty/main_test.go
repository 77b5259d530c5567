package main

import (
	"bytes"
	"testing"

	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
	"github.com/parcours-dev/parcours/segment"
)

// TestOutput pins the program's output: what the README promises a reader.
func TestOutput(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	scenariotest.Golden(t, "testdata/output.golden", b.Bytes())
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

// TestFixture pins the engine's results for the program's customers
// (timelines.json, a scenariotest fixture) in timelines.golden.json.
func TestFixture(t *testing.T) {
	scenariotest.Run(t, "timelines.json")
}
