package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parcours-dev/parcours/internal/schemagen"
	"github.com/parcours-dev/parcours/scenario"
	"github.com/parcours-dev/parcours/scenariotest"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestSchemaVerb: parcours schema prints the schemas shipped in schema/
// (internal/schemagen's drift test keeps those in step with the types).
func TestSchemaVerb(t *testing.T) {
	for _, name := range schemagen.Names() {
		want, err := os.ReadFile(filepath.Join(root, "schema", name+".schema.json"))
		if err != nil {
			t.Fatal(err)
		}
		out, errw, code := cli(t, "", "schema", name)
		if code != exitOK || out != string(want) {
			t.Errorf("parcours schema %s: exit %d, %s; output differs from schema/%s.schema.json: %v", name, code, errw, name, out != string(want))
		}
	}
}

func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for _, name := range schemagen.Names() {
		s, err := c.Compile(filepath.Join(root, "schema", name+".schema.json"))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = s
	}
	return out
}

func validate(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

// TestSchemaAcceptsShippedFiles validates every scenario and policy file
// of the repository (examples and test data) against the schemas.
func TestSchemaAcceptsShippedFiles(t *testing.T) {
	ss := compileSchemas(t)
	var n int
	for _, dir := range []string{"examples", "scenario/testdata", "scenariotest/testdata", "cmd/parcours/testdata/winback", "cmd/parcours/testdata/failing", "cmd/parcours/testdata/graph"} {
		files, err := jsonFiles([]string{filepath.Join(root, dir)})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var schema string
			switch kindOf(data) {
			case kindScenarios:
				schema = "scenario"
			case kindPolicy:
				schema = "policy"
			default:
				continue
			}
			if _, err := scenariotest.ReadScenarios(f); schema == "scenario" && err != nil {
				continue // a test's deliberately bad file
			}
			if _, err := scenario.ParsePolicy(data); schema == "policy" && err != nil {
				continue
			}
			n++
			if err := validate(t, ss[schema], data); err != nil {
				rel, _ := filepath.Rel(root, f)
				t.Errorf("%s (%s): %v", rel, schema, err)
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d files validated", n)
	}
}

// TestSchemaRejectsBadFiles: each file of testdata/schema-bad is refused
// by the schema, naming what is wrong, and by the library's parser.
func TestSchemaRejectsBadFiles(t *testing.T) {
	ss := compileSchemas(t)
	want := map[string]string{
		"unknown-field.scenario.json": "varz",
		"bad-duration.scenario.json":  "does not match pattern",
		"bad-reentry.scenario.json":   "must be one of",
		"steps-object.scenario.json":  "want array",
		"number-duration.policy.json": "want string",
		"string-max.policy.json":      "want integer",
		"misspelt.policy.json":        "quiet_hour",
	}
	files, _ := filepath.Glob("testdata/schema-bad/*.json")
	if len(files) != len(want) {
		t.Errorf("%d files, %d expectations", len(files), len(want))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		schema, _, _ := strings.Cut(strings.TrimSuffix(name, ".json")[strings.IndexByte(name, '.')+1:], ".")
		err = validate(t, ss[schema], data)
		if err == nil || !strings.Contains(err.Error(), want[name]) {
			t.Errorf("%s: schema says %v, want an error mentioning %q", name, err, want[name])
		}
		if schema == "scenario" {
			var scs []scenario.Scenario
			if scs, err = scenariotest.ReadScenarios(f); err == nil {
				_, err = scenario.Compile(scs)
			}
		} else {
			_, err = scenario.ParsePolicy(data)
		}
		if err == nil {
			t.Errorf("%s: the library accepts it", name)
		}
	}
}
