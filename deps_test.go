package parcours_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNoGonumOutsideCLV: only package clv uses gonum. A host that
// evaluates scenarios without fitting CLV models (the quickstart) links
// none of it: scenario reaches clv through the scenario.Predictor
// interface, and abtest has its own quantiles.
func TestNoGonumOutsideCLV(t *testing.T) {
	gobin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to list dependencies")
		}
	}
	for _, pkg := range []string{".", "./scenario", "./trigger", "./segment", "./abtest", "./examples/quickstart"} {
		out, err := exec.Command(gobin, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasPrefix(dep, "gonum.org/") || dep == "github.com/parcours-dev/parcours/clv" {
				t.Errorf("%s depends on %s", pkg, dep)
			}
		}
	}
}
