package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
	"github.com/parcours-dev/parcours/scenariotest"
)

// TestGolden pins the JSON and the text of each model's attribution of
// testdata/customers.json (see testdata/SOURCE.md), so that a change of
// output shows in review. Correctness is checked elsewhere: by hand, and
// against the naive implementation.
func TestGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "customers.json"))
	if err != nil {
		t.Fatal(err)
	}
	var tls []parcours.Timeline
	if err := json.Unmarshal(data, &tls); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Model{LastTouch, FirstTouch, Linear} {
		att, err := Attribute(slices.Values(tls), at(10*day), at(70*day), Config{Model: m})
		if err != nil {
			t.Fatal(err)
		}
		js, err := json.MarshalIndent(att, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		scenariotest.Golden(t, filepath.Join("testdata", "attribution-"+string(m)+".golden.json"), append(js, '\n'))
		scenariotest.Golden(t, filepath.Join("testdata", "attribution-"+string(m)+".golden.txt"), []byte(att.Text()))
		var back Attribution
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(att, back); d != "" {
			t.Errorf("%s: JSON does not round-trip:\n%s", m, d)
		}
	}
}

// TestWriteCustomers regenerates testdata/customers.json with -update.
func TestWriteCustomers(t *testing.T) {
	if !scenariotest.Update() {
		t.Skip("only with -update")
	}
	tls := population(11, 40)
	for i := range tls {
		for j := range tls[i].Events {
			tls[i].Events[j].Time = tls[i].Events[j].Time.Truncate(time.Minute)
		}
	}
	js, err := json.MarshalIndent(tls, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join("testdata", "customers.json"), append(js, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}
