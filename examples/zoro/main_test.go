package main

import (
	"bytes"
	"testing"

	"github.com/parcours-dev/parcours/scenariotest"
)

// TestOutput pins the program's output: what the README promises a reader.
func TestOutput(t *testing.T) {
	var b bytes.Buffer
	if err := run(&b); err != nil {
		t.Fatal(err)
	}
	scenariotest.Golden(t, "testdata/output.golden", b.Bytes())
}

// TestFixture pins the engine's results for the program's customers
// (timelines.json, a scenariotest fixture) in timelines.golden.json.
func TestFixture(t *testing.T) {
	scenariotest.Run(t, "timelines.json")
}
