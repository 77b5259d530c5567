// Command parcours checks, tests, evaluates, replays, compares and draws
// parcours scenarios, so that they can be handled like code: checked in
// CI, tested against fixtures, replayed over a population before release
// and reviewed as a diff.
//
//	parcours check  [file|dir ...]                  load scenario, policy, segment and fixture files; report every error
//	parcours test   [-update] [-v] [file|dir ...]   run fixtures against their goldens (package scenariotest)
//	parcours eval   -s scenarios.json -at TIME timeline.json
//	parcours replay -s scenarios.json -from T -to T [-format text|csv|json] population.jsonl
//	parcours diff   -old-s a.json -new-s b.json -from T -to T population.jsonl
//	parcours graph  scenarios.json [scenario-id]
//	parcours gen    -n 10000 -at T                  a synthetic population, to try replay and diff
//	parcours schema scenario|policy                 the JSON Schema of scenario or policy files
//
// Every verb exits 0 on success, 1 when it found problems (check, test)
// and 2 on a usage or input error. Output is deterministic: the same
// inputs give the same bytes, whatever the number of cores.
//
// Choices, recorded in each verb's -h: a file's kind (scenarios, policy,
// segments, fixture) is told from its content; check compiles scenarios
// calling clv() with a stand-in model; replay counts days in UTC and each
// deferred or skipped action once per reason, on the day first seen; diff
// matches a customer's actions by scenario and step in sending order. The
// progress line is drawn only on a terminal; -v prints the throughput on
// standard error. It lives in its own module (replace to the library), so
// install it from a clone: (cd cmd/parcours && go install .).
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// verb is one subcommand: it returns the exit code.
type verb struct {
	name, summary string
	run           func(args []string, in io.Reader, out, errw io.Writer) int
}

var verbs []verb

func init() {
	verbs = []verb{
		{"check", "load scenario, policy, segment and fixture files; report every error", runCheck},
		{"test", "run fixtures against their goldens", runTest},
		{"eval", "evaluate one timeline at one instant; print the Result as JSON", runEval},
		{"replay", "replay a population over a period with an ideal scheduler; volumes per scenario, step and day", runReplay},
		{"diff", "compare two versions of a scenario set over the same population", runDiff},
		{"graph", "draw a scenario as a Mermaid flowchart", runGraph},
		{"gen", "generate a synthetic population (JSON lines)", runGen},
		{"schema", "print the JSON Schema of scenario or policy files", runSchema},
	}
}

// Exit codes.
const (
	exitOK       = 0
	exitProblems = 1 // check found errors, test found failures
	exitUsage    = 2 // bad arguments or unreadable input
)

func run(args []string, in io.Reader, out, errw io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "help" || args[0] == "--help" {
		usage(errw)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	for _, v := range verbs {
		if v.name == args[0] {
			return v.run(args[1:], in, out, errw)
		}
	}
	fmt.Fprintf(errw, "parcours: unknown command %q\n", args[0])
	usage(errw)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: parcours <command> [flags] [args]\n\ncommands:")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %-7s %s\n", v.name, v.summary)
	}
	fmt.Fprintln(w, "\nrun parcours <command> -h for its flags")
}
