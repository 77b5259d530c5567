// Package golden pins the output of the example programs under examples/
// in their testdata/output.golden files. It is test plumbing for those
// programs, not part of parcours' API.
//
// Importing it registers the -update flag: `go test ./examples/... -update`
// rewrites the golden files from the programs' current output.
package golden

import (
	"bytes"
	"flag"
	"io"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// File is where an example keeps its expected output, relative to its
// directory (the working directory of its tests).
const File = "testdata/output.golden"

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// Check runs an example's run function and compares what it wrote with
// File, reporting the difference as (-want +got). With -update it first
// rewrites File with the output.
func Check(t *testing.T, run func(io.Writer) error) {
	t.Helper()
	var buf bytes.Buffer
	if err := run(&buf); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(File, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(File)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
}
