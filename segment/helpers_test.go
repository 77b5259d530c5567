package segment

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// june1 is the instant most fixtures are evaluated at; with the default
// 182-day window, the window starts exactly at 2025-12-01T00:00Z.
var june1 = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// readJSON decodes testdata/name into v.
func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

func loadConfig(t *testing.T) Config {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := ParseConfig(data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func population(t *testing.T) []parcours.Timeline {
	t.Helper()
	var tls []parcours.Timeline
	readJSON(t, "population.json", &tls)
	return tls
}

// golden compares got, as indented JSON, with testdata/name, or rewrites
// the file with -update.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(data)); d != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, d)
	}
}

// order builds an order event.
func order(id, at string, amount float64, channel string) parcours.Event {
	return parcours.Event{ID: id, Type: parcours.Order, Time: date(at), Channel: channel,
		Props: map[string]any{parcours.PropAmount: amount}}
}

func timeline(evs ...parcours.Event) parcours.Timeline {
	return parcours.Timeline{Profile: parcours.Profile{ID: "c"}, Events: evs}
}

// inf is the day count of something that never happened.
var inf = math.Inf(1)
