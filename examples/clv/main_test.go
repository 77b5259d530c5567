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
