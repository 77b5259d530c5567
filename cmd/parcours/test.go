package main

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/parcours-dev/parcours/scenariotest"
)

func runTest(args []string, _ io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(errw)
	update := fs.Bool("update", false, "rewrite the golden files from the current results")
	verbose := fs.Bool("v", false, "print every fixture, not only failures")
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours test [-update] [-v] [file|dir ...]

Runs every fixture (package scenariotest: a JSON object with "timeline" or
"customers"; directories are walked) and compares its results with its
golden file NAME.golden.json, as values: a difference is printed as a diff
(-want +got). -update rewrites the goldens instead, for review with git
diff. Exit status 1 when a fixture fails.
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	found, err := scenariotest.Find(paths...)
	if err != nil {
		fmt.Fprintln(errw, "parcours test:", err)
		return exitUsage
	}
	if len(found) == 0 {
		fmt.Fprintf(errw, "parcours test: no fixture in %s\n", strings.Join(paths, " "))
		return exitUsage
	}
	failed := 0
	for _, path := range found {
		diff, err := scenariotest.Check(path, *update)
		switch {
		case err != nil:
			failed++
			fmt.Fprintf(out, "--- FAIL: %s\n    %s\n", path, indent(err.Error()))
		case diff != "":
			failed++
			// cmp marks its output unstable with non-breaking spaces;
			// plain ones keep this output the same from run to run.
			diff = strings.ReplaceAll(diff, "\u00a0", " ")
			fmt.Fprintf(out, "--- FAIL: %s\n    results differ from %s (-want +got):\n    %s\n", path, scenariotest.GoldenPath(path), indent(strings.TrimRight(diff, "\n")))
		case *verbose || *update:
			fmt.Fprintf(out, "--- PASS: %s\n", path)
		}
	}
	if failed > 0 {
		fmt.Fprintf(out, "FAIL\t%d of %d fixture(s) failed\n", failed, len(found))
		return exitProblems
	}
	verb := "passed"
	if *update {
		verb = "rewritten"
	}
	fmt.Fprintf(out, "ok\t%d fixture(s) %s\n", len(found), verb)
	return exitOK
}

func indent(s string) string { return strings.ReplaceAll(s, "\n", "\n    ") }
