package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenariotest"
)

func runEval(args []string, in io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(errw)
	var s setup
	s.flags(fs, "")
	var at instant
	fs.Var(&at, "at", "the `instant` to evaluate at (RFC 3339, or a date for midnight UTC); required")
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours eval -s scenarios.json [-policy file] [-segments file] -at TIME timeline.json

Evaluates one customer's timeline (a JSON object {"profile", "events"};
"-" reads standard input) at one instant and prints the Result as JSON,
with evaluation errors as their messages under "errors".
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() != 1 || at.t.IsZero() {
		fs.Usage()
		return exitUsage
	}
	eng, err := s.engine()
	if err != nil {
		fmt.Fprintln(errw, "parcours eval:", err)
		return exitUsage
	}
	f, err := openArg(fs.Arg(0), in)
	if err != nil {
		fmt.Fprintln(errw, "parcours eval:", err)
		return exitUsage
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		fmt.Fprintln(errw, "parcours eval:", err)
		return exitUsage
	}
	var tl parcours.Timeline
	if err := decodeStrict(scenariotest.ExpandRunRefs(data), &tl); err != nil {
		fmt.Fprintf(errw, "parcours eval: %s: %v\n", fs.Arg(0), err)
		return exitUsage
	}
	b, err := scenariotest.ResultJSON(eng.Evaluate(tl, at.t))
	if err != nil {
		fmt.Fprintln(errw, "parcours eval:", err)
		return exitUsage
	}
	var buf bytes.Buffer
	json.Indent(&buf, b, "", "  ")
	buf.WriteByte('\n')
	out.Write(buf.Bytes())
	return exitOK
}
