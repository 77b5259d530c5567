package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/clv"
	"github.com/parcours-dev/parcours/internal/jsonx"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
	"github.com/parcours-dev/parcours/segment"
)

// A file's kind, told from its content.
const (
	kindScenarios = "scenarios"
	kindPolicy    = "policy"
	kindSegments  = "segments"
	kindFixture   = "fixture"
)

func runCheck(args []string, _ io.Reader, out, errw io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(errw)
	fs.Usage = func() {
		fmt.Fprint(errw, `usage: parcours check [file|dir ...]

Loads every scenario, policy, segment configuration and fixture file given
(directories are walked for *.json, goldens excepted), as the library
would: strict JSON, then compilation. Each problem is reported as
file:line:column: field path: what is wrong. The kind of a file is told
from its content: an array, or an object with a scenario's fields, is
scenarios; an object with a "timeline" or "customers" field is a fixture
(its scenario, policy and segment files are compiled together);
otherwise
the kind whose fields match its keys best (policy or segments).
Scenarios calling clv() are compiled with a stand-in model (the published
BG/NBD fit on CDNOW). Exit status 1 when any problem is found.
`)
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	names, err := jsonFiles(paths)
	if err != nil {
		fmt.Fprintln(errw, "parcours check:", err)
		return exitUsage
	}
	var problems, bad int
	for _, name := range names {
		kind, what, diags := checkFile(name)
		if len(diags) == 0 {
			fmt.Fprintf(out, "ok    %s (%s%s)\n", name, kind, what)
			continue
		}
		bad++
		problems += len(diags)
		for _, d := range diags {
			fmt.Fprintln(out, d)
		}
	}
	if problems > 0 {
		fmt.Fprintf(out, "%d problem(s) in %d of %d file(s)\n", problems, bad, len(names))
		return exitProblems
	}
	return exitOK
}

// jsonFiles expands directories into their *.json files, goldens left
// out, sorted.
func jsonFiles(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && (d.Name() == "fuzz" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".golden.json") {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// checkFile loads one file; it returns its kind, a few words on what it
// holds, and its problems.
func checkFile(name string) (kind, what string, diags []diag) {
	data, err := os.ReadFile(name)
	if err != nil {
		return "", "", []diag{{file: name, msg: err.Error()}}
	}
	kind = kindOf(data)
	switch kind {
	case kindScenarios:
		scs, err := scenariotest.ReadScenarios(name)
		if err == nil {
			_, err = scenario.Compile(scs, standInCLV)
		}
		if err != nil {
			return kind, "", diagnose(name, data, scs, err)
		}
		ids := make([]string, len(scs))
		for i, s := range scs {
			ids[i] = s.ID
		}
		return kind, ": " + strings.Join(ids, ", "), nil
	case kindPolicy:
		p, err := scenario.ParsePolicy(data)
		if err == nil {
			_, err = scenario.Compile(nil, scenario.WithPolicy(p))
		}
		if err != nil {
			return kind, "", diagnose(name, data, nil, err)
		}
		return kind, "", nil
	case kindSegments:
		cfg, err := segment.ParseConfig(data)
		if err == nil {
			_, err = scenario.Compile(nil, scenario.WithSegments(cfg))
		}
		if err != nil {
			return kind, "", diagnose(name, data, nil, err)
		}
		return kind, "", nil
	default: // fixture
		fx, err := scenariotest.ReadFixture(name)
		if err != nil {
			return kind, "", diagnose(name, data, nil, err)
		}
		if _, err := fx.Engine(standInCLV); err != nil {
			// The problem is in a file the fixture names; that file is
			// reported on its own when checked.
			return kind, "", []diag{{file: name, msg: err.Error()}}
		}
		return kind, fmt.Sprintf(": %d customer(s) at %d instant(s)", len(fx.Customers), len(fx.At)), nil
	}
}

// standInCLV lets check compile scenarios that call clv() without the
// host's fitted model: the published BG/NBD fit on CDNOW (Fader, Hardie
// and Lee 2005). Only the expressions' validity matters to check.
var standInCLV = scenario.WithCLV(clv.Model{Kind: clv.BGNBD, Params: []float64{0.243, 4.414, 0.793, 2.426}}, 365*24*time.Hour)

// kindOf tells a file's kind from its content.
func kindOf(data []byte) string {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return kindScenarios // an array, or not JSON: the scenario parser says what is wrong
	}
	if _, ok := top["timeline"]; ok {
		return kindFixture
	}
	if _, ok := top["customers"]; ok {
		return kindFixture
	}
	best, kind := 0, kindScenarios
	for _, k := range []struct {
		kind string
		t    reflect.Type
	}{
		{kindScenarios, reflect.TypeFor[scenario.Scenario]()},
		{kindPolicy, reflect.TypeFor[scenario.Policy]()},
		{kindSegments, reflect.TypeFor[segment.Config]()},
	} {
		fields := jsonFields(k.t)
		n := 0
		for key := range top {
			if fields[key] {
				n++
			}
		}
		if n > best {
			best, kind = n, k.kind
		}
	}
	return kind
}

// jsonFields lists the JSON names of t's fields, embedded structs' included.
func jsonFields(t reflect.Type) map[string]bool {
	out := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			for k := range jsonFields(f.Type) {
				out[k] = true
			}
		case !f.IsExported():
		case name == "":
			out[f.Name] = true
		default:
			out[name] = true
		}
	}
	return out
}

// diag is one problem, located when possible.
type diag struct {
	file      string
	line, col int
	msg       string
}

func (d diag) String() string {
	if d.line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", d.file, d.line, d.col, d.msg)
	}
	return fmt.Sprintf("%s: %s", d.file, d.msg)
}

// diagnose turns err, about the document data of file name, into located
// problems, one per error in err's tree. scs are the scenarios parsed
// from data, to find the one a compile error names.
func diagnose(name string, data []byte, scs []scenario.Scenario, err error) []diag {
	var out []diag
	for _, e := range leaves(err) {
		d := diag{file: name, msg: e.Error()}
		var de *parcours.DecodeError
		var se *scenario.Error
		var ple *scenario.PolicyError
		var ce *segment.ConfigError
		switch {
		case errors.As(e, &de):
			d.line, d.col = de.Line, de.Column
			if d.line == 0 && de.Path != "" {
				if off, ok := jsonx.Locate(data, de.Path); ok {
					d.line, d.col = jsonx.Position(data, off)
				}
			}
			d.msg = de.Err.Error()
			if de.Path != "" {
				d.msg = de.Path + ": " + d.msg
			}
		case errors.As(e, &se):
			path := se.Field
			if i := slices.IndexFunc(scs, func(s scenario.Scenario) bool { return s.ID == se.Scenario }); i >= 0 && isArray(data) {
				path = fmt.Sprintf("[%d].%s", i, path)
			}
			if off, ok := jsonx.Locate(data, path); ok {
				if se.Line == 1 && se.Column > 0 {
					off = inString(data, off, se.Column)
				}
				d.line, d.col = jsonx.Position(data, off)
			}
		case errors.As(e, &ple):
			if off, ok := jsonx.Locate(data, ple.Field); ok {
				d.line, d.col = jsonx.Position(data, off)
			}
		case errors.As(e, &ce):
			if off, ok := jsonx.Locate(data, ce.Field); ok {
				d.line, d.col = jsonx.Position(data, off)
			}
		}
		d.msg = strings.TrimPrefix(d.msg, name+": ")
		out = append(out, d)
	}
	return out
}

// leaves lists the errors joined in err (errors.Join), recursively.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

func isArray(data []byte) bool {
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '['
	}
	return false
}

// inString returns the offset in data of the col-th character (1-based)
// of the JSON string literal at off, escapes read as one character; off
// itself when there is no string there.
func inString(data []byte, off int64, col int) int64 {
	if off >= int64(len(data)) || data[off] != '"' {
		return off
	}
	i := off + 1
	for n := 1; n < col && i < int64(len(data)) && data[i] != '"'; n++ {
		switch {
		case data[i] == '\\' && i+1 < int64(len(data)) && data[i+1] == 'u':
			i += 6
		case data[i] == '\\':
			i += 2
		default:
			_, size := utf8.DecodeRune(data[i:])
			i += int64(size)
		}
	}
	return min(i, int64(len(data)))
}
