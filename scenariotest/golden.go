package scenariotest

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours/scenario"
)

var update = flag.Bool("update", false, "rewrite golden files from the current results (scenariotest)")

// Update reports whether the test binary was run with -update.
func Update() bool { return *update }

// Outcome is what an engine returned for one customer at one instant.
type Outcome struct {
	Customer string          `json:"customer"`
	At       time.Time       `json:"at"`
	Result   json.RawMessage `json:"result"` // ResultJSON of the Result
}

// Evaluate evaluates every customer of fx at every instant of fx.At with
// eng, customers in fixture order, then instants in order.
func (fx *Fixture) Evaluate(eng *scenario.Engine) ([]Outcome, error) {
	var outs []Outcome
	for _, tl := range fx.Customers {
		for _, at := range fx.At {
			r, err := ResultJSON(eng.Evaluate(tl, at))
			if err != nil {
				return nil, err
			}
			outs = append(outs, Outcome{Customer: tl.Profile.ID, At: at.UTC(), Result: r})
		}
	}
	return outs, nil
}

// ResultJSON returns r as JSON, adding the messages of r.Errors as an
// "errors" array when the Result's own JSON form leaves them out.
func ResultJSON(r scenario.Result) ([]byte, error) {
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	if len(r.Errors) == 0 || bytes.Contains(b, []byte(`"errors":`)) {
		return b, nil
	}
	msgs := make([]string, len(r.Errors))
	for i, e := range r.Errors {
		msgs[i] = e.Error()
	}
	m, err := json.Marshal(msgs)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSuffix(b, []byte("}"))
	if len(b) > 1 {
		b = append(b, ',')
	}
	return append(append(append(b, `"errors":`...), m...), '}'), nil
}

// MarshalGolden returns the golden form of outs: indented JSON ending
// with a newline.
func MarshalGolden(outs []Outcome) ([]byte, error) {
	if outs == nil {
		outs = []Outcome{}
	}
	b, err := json.MarshalIndent(outs, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// DiffJSON compares two JSON documents as values (numbers as float64,
// object keys in any order) and returns a cmp diff (-want +got), "" when
// they are equal. It fails when either is not JSON.
func DiffJSON(want, got []byte) (string, error) {
	var w, g any
	if err := json.Unmarshal(want, &w); err != nil {
		return "", fmt.Errorf("want: %w", err)
	}
	if err := json.Unmarshal(got, &g); err != nil {
		return "", fmt.Errorf("got: %w", err)
	}
	return cmp.Diff(w, g), nil
}

// Check runs the fixture at path and compares its outcomes with its golden
// file (GoldenPath). It returns the diff (-want +got), "" when they agree.
// With rewrite it first writes the golden file from the outcomes. Errors
// are about the fixture, its files or the golden, not the comparison.
func Check(path string, rewrite bool) (diff string, err error) {
	fx, err := ReadFixture(path)
	if err != nil {
		return "", err
	}
	eng, err := fx.Engine()
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	outs, err := fx.Evaluate(eng)
	if err != nil {
		return "", fmt.Errorf("%s: %w", path, err)
	}
	got, err := MarshalGolden(outs)
	if err != nil {
		return "", err
	}
	golden := GoldenPath(path)
	if rewrite {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			return "", err
		}
	}
	want, err := os.ReadFile(golden)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("%s: no golden file (rewrite it with -update)", golden)
	}
	if err != nil {
		return "", err
	}
	diff, err = DiffJSON(want, got)
	if err != nil {
		return "", fmt.Errorf("%s: %w", golden, err)
	}
	return diff, nil
}

// Find returns the fixtures at the given paths: a file is taken as it
// is; a directory is walked and every *.json file in it (not
// *.golden.json) whose top-level object has a "timeline" or a
// "customers" field is taken. The result is sorted and without
// duplicates.
func Find(paths ...string) ([]string, error) {
	var out []string
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".json") || strings.HasSuffix(path, ".golden.json") {
				return nil
			}
			ok, err := isFixture(path)
			if ok {
				out = append(out, path)
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// isFixture reports whether the JSON file at path is an object with a
// "timeline" or "customers" field. A file that is not a JSON object is
// not a fixture (it may be a scenario array); a file that is not JSON at
// all is left for the tools that own it to report.
func isFixture(path string) (bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return false, nil
	}
	_, tl := top["timeline"]
	_, cs := top["customers"]
	return tl || cs, nil
}

// Run runs every fixture found at paths (see Find) as a subtest named by
// its path, comparing its outcomes with its golden file; with -update it
// rewrites the goldens. It fails t when no fixture is found.
func Run(t *testing.T, paths ...string) {
	t.Helper()
	found, err := Find(paths...)
	if err != nil {
		t.Fatal(err)
	}
	if len(found) == 0 {
		t.Fatalf("no fixture in %v", paths)
	}
	for _, path := range found {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			diff, err := Check(path, *update)
			if err != nil {
				t.Fatal(err)
			}
			if diff != "" {
				t.Errorf("%s: results differ from %s (-want +got):\n%s", path, GoldenPath(path), diff)
			}
		})
	}
}

// Golden compares got with the contents of the file at path, as text,
// and fails t with a diff (-want +got) when they differ. With -update it
// first writes got to path. Use it to pin a program's output, as the
// examples do.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (rewrite it with -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
