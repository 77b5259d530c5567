package scenario

import (
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parcours-dev/parcours"
)

var update = flag.Bool("update", false, "rewrite testdata golden files")

// fixture is one case under testdata/cases: scenarios (files under
// testdata/scenarios), a timeline and an instant. Inside the timeline,
// "@run(scenario,firing-key)" stands for that run's ID, so a fixture can
// record the host's message_sent events readably.
type fixture struct {
	About     string            `json:"about"`
	Scenarios []string          `json:"scenarios"`
	Timeline  parcours.Timeline `json:"timeline"`
	Now       time.Time         `json:"now"`
	Policy    *Policy           `json:"policy"`
}

var runRef = regexp.MustCompile(`@run\(([^,]+),([^)]+)\)`)

func loadFixture(t testing.TB, path string) (fixture, *Engine) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	raw = runRef.ReplaceAllFunc(raw, func(m []byte) []byte {
		sub := runRef.FindSubmatch(m)
		return []byte(RunID(string(sub[1]), string(sub[2])))
	})
	var fx fixture
	if err := decodeStrict(raw, &fx); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var ss []Scenario
	for _, name := range fx.Scenarios {
		b, err := os.ReadFile(filepath.Join("testdata", "scenarios", name))
		if err != nil {
			t.Fatal(err)
		}
		more, err := parseOneOrMany(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ss = append(ss, more...)
	}
	var opts []Option
	if fx.Policy != nil {
		opts = append(opts, WithPolicy(*fx.Policy))
	}
	eng, err := Compile(ss, opts...)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fx, eng
}

// parseOneOrMany reads a scenario file: one object or an array.
func parseOneOrMany(b []byte) ([]Scenario, error) {
	if s := strings.TrimSpace(string(b)); strings.HasPrefix(s, "[") {
		return ParseAll(b)
	}
	s, err := Parse(b)
	return []Scenario{s}, err
}

// golden is the comparable form of a Result: errors as their messages.
type golden struct {
	Fields
	Errors []string `json:"errors,omitempty"`
}

// Fields is Result without its JSON methods, exported for go-cmp.
type Fields = resultFields

func toGolden(r Result) golden {
	g := golden{Fields: resultFields(r)}
	g.Fields.Errors = nil
	for _, err := range r.Errors {
		g.Errors = append(g.Errors, err.Error())
	}
	return g
}

func readGolden(t *testing.T, path string, got golden) golden {
	t.Helper()
	if *update {
		b, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	var want golden
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	return want
}

// roundTrip passes a golden through JSON so both sides of the comparison
// have the types JSON gives (float64 numbers, UTC times).
func roundTrip(t *testing.T, g golden) golden {
	b, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	var out golden
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGolden(t *testing.T) {
	paths, _ := filepath.Glob("testdata/cases/*.json")
	var n int
	for _, path := range paths {
		if strings.HasSuffix(path, ".golden.json") {
			continue
		}
		n++
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		t.Run(name, func(t *testing.T) {
			fx, eng := loadFixture(t, path)
			got := roundTrip(t, toGolden(eng.Evaluate(fx.Timeline, fx.Now)))
			want := readGolden(t, strings.TrimSuffix(path, ".json")+".golden.json", got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nEvaluate mismatch (-want +got):\n%s", fx.About, diff)
			}
		})
	}
	if n < 20 {
		t.Fatalf("only %d fixtures found", n)
	}
}

// TestInvariance checks, on every fixture, the rules that make evaluation
// safe to repeat: evaluating twice gives the same result; shuffling the
// events and duplicating them changes nothing; events after now are
// ignored.
func TestInvariance(t *testing.T) {
	paths, _ := filepath.Glob("testdata/cases/*.json")
	rng := rand.New(rand.NewPCG(1, 2))
	for _, path := range paths {
		if strings.HasSuffix(path, ".golden.json") {
			continue
		}
		fx, eng := loadFixture(t, path)
		base := toGolden(eng.Evaluate(fx.Timeline, fx.Now))
		if diff := cmp.Diff(base, toGolden(eng.Evaluate(fx.Timeline, fx.Now))); diff != "" {
			t.Errorf("%s: second evaluation differs:\n%s", path, diff)
		}
		for trial := 0; trial < 5; trial++ {
			tl := fx.Timeline
			evs := append([]parcours.Event(nil), tl.Events...)
			evs = append(evs, evs[:rng.IntN(len(evs)+1)]...)
			evs = append(evs, parcours.Event{ID: "future", Type: parcours.Order, Time: fx.Now.Add(time.Hour)})
			rng.Shuffle(len(evs), func(i, j int) { evs[i], evs[j] = evs[j], evs[i] })
			tl.Events = evs
			if diff := cmp.Diff(base, toGolden(eng.Evaluate(tl, fx.Now))); diff != "" {
				t.Errorf("%s: shuffled/duplicated timeline differs:\n%s", path, diff)
			}
		}
	}
}
