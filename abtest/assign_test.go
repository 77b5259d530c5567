package abtest

import (
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

func ptr(f float64) *float64 { return &f }

func TestValidate(t *testing.T) {
	ok := Experiment{Key: "k", Variants: []string{"a", "b"}}
	tests := []struct {
		name  string
		edit  func(*Experiment)
		field string // "" = valid
	}{
		{"valid", func(*Experiment) {}, ""},
		{"single variant with holdout", func(e *Experiment) { e.Variants = []string{"a"}; e.Holdout = 0.1 }, ""},
		{"empty key", func(e *Experiment) { e.Key = "" }, "key"},
		{"no variants", func(e *Experiment) { e.Variants = nil }, "variants"},
		{"empty name", func(e *Experiment) { e.Variants = []string{"a", ""} }, "variants"},
		{"duplicate name", func(e *Experiment) { e.Variants = []string{"a", "a"} }, "variants"},
		{"weights length", func(e *Experiment) { e.Weights = []float64{1} }, "weights"},
		{"negative weight", func(e *Experiment) { e.Weights = []float64{1.5, -0.5} }, "weights"},
		{"weights sum", func(e *Experiment) { e.Weights = []float64{0.4, 0.4} }, "weights"},
		{"weights within tolerance", func(e *Experiment) { e.Weights = []float64{0.4, 0.5999} }, ""},
		{"coverage above 1", func(e *Experiment) { e.Coverage = ptr(1.5) }, "coverage"},
		{"coverage negative", func(e *Experiment) { e.Coverage = ptr(-0.1) }, "coverage"},
		{"coverage zero", func(e *Experiment) { e.Coverage = ptr(0) }, ""},
		{"holdout one", func(e *Experiment) { e.Holdout = 1 }, "holdout"},
		{"holdout negative", func(e *Experiment) { e.Holdout = -0.1 }, "holdout"},
		{"namespace id", func(e *Experiment) { e.Namespace = &Namespace{Range: [2]float64{0, 1}} }, "namespace"},
		{"namespace range", func(e *Experiment) { e.Namespace = &Namespace{ID: "n", Range: [2]float64{0.6, 0.4}} }, "namespace"},
		{"hash version", func(e *Experiment) { e.HashVersion = 3 }, "hash_version"},
	}
	for _, tt := range tests {
		e := ok
		e.Variants = append([]string(nil), ok.Variants...)
		tt.edit(&e)
		err := e.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tt.name, err)
			}
			continue
		}
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tt.field || !errors.Is(err, ErrInvalidExperiment) {
			t.Errorf("%s: err = %v, want ConfigError on %q", tt.name, err, tt.field)
		}
		if _, aerr := e.Assign("c1"); !errors.Is(aerr, ErrInvalidExperiment) {
			t.Errorf("%s: Assign err = %v, want ErrInvalidExperiment", tt.name, aerr)
		}
	}
}

func TestParseExperiment(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Experiment
		err  bool
	}{
		{"full", `{"key":"reactivation-90d","variants":["promo","reminder"],"weights":[0.5,0.5],"coverage":0.8,"holdout":0.1,
			"namespace":{"id":"lapsed","range":[0,0.5]},"hash_version":1,"seed":"s"}`,
			Experiment{Key: "reactivation-90d", Variants: []string{"promo", "reminder"}, Weights: []float64{0.5, 0.5},
				Coverage: ptr(0.8), Holdout: 0.1, Namespace: &Namespace{ID: "lapsed", Range: [2]float64{0, 0.5}}, HashVersion: 1, Seed: "s"}, false},
		{"minimal", `{"key":"k","variants":["a","b"]}`, Experiment{Key: "k", Variants: []string{"a", "b"}}, false},
		{"unknown field", `{"key":"k","variants":["a","b"],"weight":[1]}`, Experiment{}, true},
		{"trailing data", `{"key":"k","variants":["a","b"]} {}`, Experiment{}, true},
		{"malformed", `{"key":`, Experiment{}, true},
		{"invalid", `{"key":"k","variants":[]}`, Experiment{}, true},
		{"wrong type", `{"key":"k","variants":"a"}`, Experiment{}, true},
	}
	for _, tt := range tests {
		got, err := ParseExperiment([]byte(tt.in))
		if tt.err {
			if !errors.Is(err, ErrInvalidExperiment) {
				t.Errorf("%s: err = %v, want ErrInvalidExperiment", tt.name, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, d)
		}
	}
}

func TestAssignEmptyID(t *testing.T) {
	e := Experiment{Key: "k", Variants: []string{"a", "b"}}
	if _, err := e.Assign(""); !errors.Is(err, ErrEmptyCustomerID) {
		t.Errorf("err = %v, want ErrEmptyCustomerID", err)
	}
}

func customers(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "cust-" + itoa(i)
	}
	return ids
}

func mustAssign(t *testing.T, e Experiment, id string) Assignment {
	t.Helper()
	a, err := e.Assign(id)
	if err != nil {
		t.Fatalf("Assign(%q): %v", id, err)
	}
	return a
}

// TestHoldoutStable checks the documented holdout guarantees: independent
// of weights and coverage, monotone in its share, and near its share.
func TestHoldoutStable(t *testing.T) {
	base := Experiment{Key: "reactivation", Variants: []string{"promo", "reminder"}, Holdout: 0.1}
	reweighted := base
	reweighted.Weights = []float64{0.8, 0.2}
	reweighted.Coverage = ptr(0.3)
	bigger := base
	bigger.Holdout = 0.2
	held, heldLow := 0, 0
	for _, id := range customers(20000) {
		a, b, c := mustAssign(t, base, id), mustAssign(t, reweighted, id), mustAssign(t, bigger, id)
		if a.HeldOut != b.HeldOut {
			t.Fatalf("%s: held out %v, after weight/coverage change %v", id, a.HeldOut, b.HeldOut)
		}
		if a.HeldOut && !c.HeldOut {
			t.Fatalf("%s: left the holdout when it grew", id)
		}
		if a.HeldOut {
			held++
			if a.Bucket < 0.5 {
				heldLow++
			}
			if a.Index != -1 || a.Variant != "" || !a.InExperiment {
				t.Fatalf("%s: held-out assignment %+v", id, a)
			}
		} else if !a.InExperiment || a.Variant != base.Variants[a.Index] {
			t.Fatalf("%s: assignment %+v", id, a)
		}
	}
	// Binomial(20000, 0.1): sd = 42.4; 5 sd.
	if held < 2000-212 || held > 2000+212 {
		t.Errorf("holdout holds %d of 20000, want about 2000", held)
	}
	// The holdout hash must be independent of the variant bucket: held-out
	// customers' buckets are uniform (half below 0.5, sd 0.011; 5 sd).
	if f := float64(heldLow) / float64(held); f < 0.444 || f > 0.556 {
		t.Errorf("%.3f of held-out customers have a bucket below 0.5: holdout and variant hashes are correlated", f)
	}
}

// boundaries are the cumulative weights C_1..C_{k-1}.
func boundaries(w []float64) []float64 {
	var c []float64
	cum := 0.0
	for _, x := range w[:len(w)-1] {
		cum += x
		c = append(c, cum)
	}
	return c
}

// TestWeightChangeMovesMinimum checks the documented guarantee exactly: a
// customer changes variant iff their bucket lies between an old and a new
// boundary.
func TestWeightChangeMovesMinimum(t *testing.T) {
	tests := []struct {
		name     string
		from, to []float64
		share    float64 // sum |C'_i - C_i|
	}{
		{"adjacent shift", []float64{0.5, 0.3, 0.2}, []float64{0.5, 0.2, 0.3}, 0.1},
		{"distant shift", []float64{0.5, 0.3, 0.2}, []float64{0.4, 0.3, 0.3}, 0.2},
		{"ramp up", []float64{0.9, 0.1}, []float64{0.5, 0.5}, 0.4},
	}
	for _, tt := range tests {
		from := Experiment{Key: "exp", Variants: []string{"a", "b", "c"}[:len(tt.from)], Weights: tt.from}
		to := from
		to.Weights = tt.to
		cf, ct := boundaries(tt.from), boundaries(tt.to)
		moved := 0
		ids := customers(20000)
		for _, id := range ids {
			a, b := mustAssign(t, from, id), mustAssign(t, to, id)
			between := false
			for i := range cf {
				lo, hi := min(cf[i], ct[i]), max(cf[i], ct[i])
				between = between || (a.Bucket >= lo && a.Bucket < hi)
			}
			if (a.Index != b.Index) != between {
				t.Fatalf("%s: %s bucket %v moved %d->%d, between boundaries %v", tt.name, id, a.Bucket, a.Index, b.Index, between)
			}
			if a.Index != b.Index {
				moved++
			}
		}
		// sd of the moved share: sqrt(share(1-share)/n) <= 0.0036; 5 sd.
		if got := float64(moved) / float64(len(ids)); got < tt.share-0.018 || got > tt.share+0.018 {
			t.Errorf("%s: moved %.4f of customers, want about %.2f", tt.name, got, tt.share)
		}
	}
}

// TestCoverageOnlyAdds checks that raising coverage never moves an enrolled
// customer.
func TestCoverageOnlyAdds(t *testing.T) {
	low := Experiment{Key: "exp", Variants: []string{"a", "b"}, Weights: []float64{0.3, 0.7}, Coverage: ptr(0.2), HashVersion: 1}
	high := low
	high.Coverage = ptr(0.9)
	added := 0
	for _, id := range customers(5000) {
		a, b := mustAssign(t, low, id), mustAssign(t, high, id)
		if a.InExperiment && (!b.InExperiment || a.Index != b.Index) {
			t.Fatalf("%s: %+v became %+v when coverage grew", id, a, b)
		}
		if !a.InExperiment && b.InExperiment {
			added++
		}
		if !a.InExperiment && (a.Index != 0 || a.Variant != "a") {
			t.Fatalf("%s: not enrolled must report the control, got %+v", id, a)
		}
	}
	if added == 0 {
		t.Error("raising coverage added nobody")
	}
}

func TestNamespaceExclusive(t *testing.T) {
	e1 := Experiment{Key: "promo-a", Variants: []string{"a", "b"}, Namespace: &Namespace{ID: "lapsed", Range: [2]float64{0, 0.5}}}
	e2 := Experiment{Key: "promo-b", Variants: []string{"a", "b"}, Namespace: &Namespace{ID: "lapsed", Range: [2]float64{0.5, 1}}}
	in1 := 0
	for _, id := range customers(5000) {
		a, b := mustAssign(t, e1, id), mustAssign(t, e2, id)
		if a.InExperiment == b.InExperiment {
			t.Fatalf("%s: in both or neither of two complementary namespace ranges", id)
		}
		if a.InExperiment {
			in1++
		}
	}
	if in1 < 2300 || in1 > 2700 {
		t.Errorf("namespace half holds %d of 5000", in1)
	}
}

// TestAssignGolden pins the assignments of the experiments in
// testdata/experiments.json, so that any change to hashing shows up in
// review (go test -update rewrites the golden file).
func TestAssignGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "experiments.json"))
	if err != nil {
		t.Fatal(err)
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Experiment string                `json:"experiment"`
		Assigned   map[string]Assignment `json:"assigned"`
	}
	var got []row
	for _, raw := range raws {
		e, err := ParseExperiment(raw)
		if err != nil {
			t.Fatal(err)
		}
		r := row{Experiment: e.Key, Assigned: map[string]Assignment{}}
		for _, id := range customers(12) {
			r.Assigned[id] = mustAssign(t, e, id)
		}
		got = append(got, r)
	}
	out, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "assignments.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(out, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(string(want), string(out)+"\n"); d != "" {
		t.Errorf("assignments changed (-golden +got):\n%s", d)
	}
}

// TestExperimentJSONRoundTrip checks that a marshalled experiment parses
// back strictly to the same value.
func TestExperimentJSONRoundTrip(t *testing.T) {
	e := Experiment{Key: "k", Variants: []string{"a", "b"}, Weights: []float64{0.25, 0.75}, Coverage: ptr(0.5),
		Holdout: 0.05, Namespace: &Namespace{ID: "n", Range: [2]float64{0.1, 0.6}}, HashVersion: 1, Seed: "s"}
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseExperiment(data)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(e, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
}

// TestExpectedSharesMatchAssign assigns 20000 customers and checks with SRM
// that the observed split matches ExpectedShares (a correct assignment
// passes the check; p >= 0.001 fails by chance once in a thousand seeds,
// and this input is fixed).
func TestExpectedSharesMatchAssign(t *testing.T) {
	e := Experiment{Key: "reactivation", Variants: []string{"reminder", "promo", "sms"}, Weights: []float64{0.5, 0.3, 0.2},
		Coverage: ptr(0.6), Holdout: 0.1, Namespace: &Namespace{ID: "lapsed", Range: [2]float64{0, 0.7}}}
	obs := make([]int64, 4)
	for _, id := range customers(20000) {
		a := mustAssign(t, e, id)
		switch {
		case a.HeldOut:
			obs[3]++
		case a.InExperiment:
			obs[a.Index]++
		}
	}
	shares := e.ExpectedShares()
	r, err := SRM(obs, shares)
	if err != nil {
		t.Fatal(err)
	}
	if r.Mismatch {
		t.Errorf("observed %v against shares %v: %v", obs, shares, r.Err())
	}
	// And a broken split is caught: drop a fifth of the promo arm.
	obs[1] -= obs[1] / 5
	if r, _ := SRM(obs, shares); !r.Mismatch {
		t.Errorf("SRM missed a 20%% loss in one arm (p = %v)", r.PValue)
	}
}
