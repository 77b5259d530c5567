package main

import (
	"testing"

	"github.com/parcours-dev/parcours/examples/internal/golden"
)

// TestOutput pins the demo's output: what the README promises a reader.
func TestOutput(t *testing.T) {
	golden.Check(t, run)
}
