package abtest

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInvalidInputs checks that every analysis rejects non-data with a
// typed *InputError naming the offending field.
func TestInvalidInputs(t *testing.T) {
	ok := Proportion{N: 100, Conversions: 10}
	okS := Sample{N: 100, Mean: 1, Variance: 1}
	tests := []struct {
		name  string
		run   func() error
		field string
	}{
		{"ztest negative n", func() error { _, err := ZTest(Proportion{N: -1}, ok, 0); return err }, "control.N"},
		{"ztest negative conversions", func() error { _, err := ZTest(ok, Proportion{N: 5, Conversions: -1}, 0); return err }, "treatment.Conversions"},
		{"ztest conversions above n", func() error { _, err := ZTest(ok, Proportion{N: 5, Conversions: 6}, 0); return err }, "treatment.Conversions"},
		{"ztest alpha", func() error { _, err := ZTest(ok, ok, 1); return err }, "alpha"},
		{"ztest alpha NaN", func() error { _, err := ZTest(ok, ok, math.NaN()); return err }, "alpha"},
		{"relative alpha", func() error { _, err := RelativeUplift(ok, ok, -0.1); return err }, "alpha"},
		{"welch variance", func() error { _, err := Welch(okS, Sample{N: 5, Variance: -1}, 0); return err }, "treatment.Variance"},
		{"welch mean", func() error { _, err := Welch(Sample{N: 5, Mean: math.Inf(1)}, okS, 0); return err }, "control.Mean"},
		{"sums n", func() error { _, err := SampleFromSums(0, 1, 1); return err }, "n"},
		{"sums not squares", func() error { _, err := SampleFromSums(2, 10, 1); return err }, "sumSq"},
		{"profit NaN", func() error {
			_, err := CompareProfit(ProfitArm{N: 5, Revenue: math.NaN()}, ProfitArm{N: 5}, 0)
			return err
		}, "Revenue/DiscountCost"},
		{"bayes prior", func() error { _, err := Bayes(ok, ok, BetaPrior{Alpha: -1, Beta: 1}); return err }, "prior"},
		{"bayes counts", func() error { _, err := Bayes(Proportion{N: 1, Conversions: 2}, ok, BetaPrior{}); return err }, "control"},
		{"srm lengths", func() error { _, err := SRM([]int64{1, 2}, []float64{1}); return err }, "weights"},
		{"srm negative weight", func() error { _, err := SRM([]int64{1, 2}, []float64{1, -1}); return err }, "weights"},
		{"srm negative count", func() error { _, err := SRM([]int64{1, -2}, []float64{1, 1}); return err }, "observed"},
		{"srm empty", func() error { _, err := SRM(nil, nil); return err }, "observed"},
		{"sample size baseline", func() error { _, err := SampleSize(SampleSizePlan{Baseline: 1, MDE: 0.1}); return err }, "baseline"},
		{"sample size power", func() error { _, err := SampleSize(SampleSizePlan{Baseline: 0.1, MDE: 0.1, Power: 1}); return err }, "power"},
		{"sample size ratio", func() error { _, err := SampleSize(SampleSizePlan{Baseline: 0.1, MDE: 0.1, Ratio: -1}); return err }, "ratio"},
		{"msprt tau2", func() error { _, err := MSPRT{}.Look(0, 1); return err }, "Tau2"},
		{"msprt variance", func() error { _, err := MSPRT{Tau2: 1}.Look(0, -1); return err }, "diff/varDiff"},
		{"msprt looks", func() error {
			_, err := MSPRT{Tau2: 1}.Sequence([]ConversionLook{{Control: Proportion{N: 1, Conversions: 2}}})
			return err
		}, "looks"},
		{"gb se", func() error { _, err := NewGrowthBookSequential(0.1, 0, 10, 0, 5000); return err }, "se"},
		{"gb n", func() error { _, err := NewGrowthBookSequential(0.1, 1, 0, 0, 5000); return err }, "nTotal"},
		{"adjust range", func() error { _, err := AdjustPValues([]float64{0.1, 1.5}, Holm); return err }, "p"},
		{"adjust method", func() error { _, err := AdjustPValues([]float64{0.1}, Correction(99)); return err }, "correction"},
	}
	for _, tt := range tests {
		err := tt.run()
		var ie *InputError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInvalidInput) || ie.Field != tt.field {
			t.Errorf("%s: err = %v, want InputError on %q", tt.name, err, tt.field)
		}
	}
}

// TestUndefinedInputs checks the typed ErrUndefined cases beyond the
// reference vectors.
func TestUndefinedInputs(t *testing.T) {
	tests := []struct {
		name string
		run  func() error
	}{
		{"ztest empty arm", func() error { _, err := ZTest(Proportion{}, Proportion{N: 3}, 0); return err }},
		{"welch n 1", func() error { _, err := Welch(Sample{N: 1}, Sample{N: 9, Variance: 1}, 0); return err }},
		{"msprt zero variance", func() error { _, err := MSPRT{Tau2: 1e-4}.Look(0.1, 0); return err }},
		{"sample size zero effect", func() error { _, err := SampleSize(SampleSizePlan{Baseline: 0.1}); return err }},
		{"relative zero baseline mean", func() error {
			_, err := RelativeUplift(Proportion{N: 10}, Proportion{N: 10, Conversions: 1}, 0)
			return err
		}},
	}
	for _, tt := range tests {
		if err := tt.run(); !errors.Is(err, ErrUndefined) {
			t.Errorf("%s: err = %v, want ErrUndefined", tt.name, err)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	errs := []error{
		&ConfigError{Field: "weights", Reason: "bad"},
		&ConfigError{Reason: "malformed JSON", Err: errors.New("eof")},
		&InputError{Func: "ZTest", Field: "alpha", Reason: "bad"},
		&UndefinedError{Func: "Welch", Reason: "n < 2"},
		&SRMError{PValue: 1e-9, Threshold: 0.001},
	}
	for _, err := range errs {
		if msg := err.Error(); len(msg) < 20 || msg[:7] != "abtest:" {
			t.Errorf("message %q", msg)
		}
	}
}

func TestRelativeDegenerateLimits(t *testing.T) {
	// Control 100%, treatment 0%: se 0, uplift -100%, certain loss.
	r, err := RelativeUplift(Proportion{N: 20, Conversions: 20}, Proportion{N: 20}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := RelativeResult{Uplift: -1, CILow: -1, CIHigh: -1, ExpectedLossTreatment: 1, Degenerate: true}
	if d := cmp.Diff(want, r); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestNormExcessTail(t *testing.T) {
	// E[max(Z - z, 0)] = npdf(z) - z ncdf(-z) by mpmath 1.3 at 40
	// digits (computed for this test, not by this package).
	for _, c := range []struct{ z, want float64 }{
		{0, 0.3989422804014326779399461},
		{2, 0.008490702616829637549998926},
		{8, 7.550262411946498913738848e-17},
		{10, 7.474560254589328036569033e-25},
		{30, 1.631956734091401189350489e-199},
		{-3, 3.000382154317047723595647},
	} {
		if got := normExcess(c.z); math.Abs(got-c.want) > 1e-12*c.want {
			t.Errorf("normExcess(%v) = %.17g, want %.17g", c.z, got, c.want)
		}
	}
}

// roundFloats rewrites every float in a decoded JSON value to 10
// significant digits, so goldens do not depend on last-bit differences
// between architectures (fused multiply-add on arm64).
func roundFloats(v any) any {
	switch x := v.(type) {
	case float64:
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 10, 64), 64)
		return r
	case []any:
		for i := range x {
			x[i] = roundFloats(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = roundFloats(x[k])
		}
	}
	return v
}

// TestAnalysisGolden runs the promo-vs-reminder analysis of
// testdata/promo_vs_reminder.json and compares the structured results with
// testdata/promo_vs_reminder.golden.json (go test -update rewrites it).
func TestAnalysisGolden(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "promo_vs_reminder.json"))
	if err != nil {
		t.Fatal(err)
	}
	var in struct {
		Weights  []float64  `json:"weights"`
		Reminder Proportion `json:"reminder"`
		Promo    Proportion `json:"promo"`
		Holdout  Proportion `json:"holdout"`
		Profit   struct {
			Reminder ProfitArm `json:"reminder"`
			Promo    ProfitArm `json:"promo"`
		} `json:"profit"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]any{}
	srm, err := SRM([]int64{in.Reminder.N, in.Promo.N, in.Holdout.N}, in.Weights)
	must(err)
	out["srm"] = srm
	z, err := ZTest(in.Reminder, in.Promo, 0.05)
	must(err)
	out["return_rate_ztest"] = z
	rel, err := RelativeUplift(in.Reminder, in.Promo, 0.05)
	must(err)
	out["return_rate_uplift"] = rel
	b, err := Bayes(in.Reminder, in.Promo, BetaPrior{})
	must(err)
	out["return_rate_bayes"] = b
	p, err := CompareProfit(in.Profit.Reminder, in.Profit.Promo, 0.05)
	must(err)
	out["profit"] = p
	zr, err := ZTest(in.Holdout, in.Reminder, 0.05)
	must(err)
	zp, err := ZTest(in.Holdout, in.Promo, 0.05)
	must(err)
	adj, err := AdjustPValues([]float64{zr.PValue, zp.PValue}, Holm)
	must(err)
	out["vs_holdout_holm"] = adj
	raw, err := json.Marshal(out)
	must(err)
	var generic any
	must(json.Unmarshal(raw, &generic))
	got, err := json.MarshalIndent(roundFloats(generic), "", "  ")
	must(err)
	golden := filepath.Join("testdata", "promo_vs_reminder.golden.json")
	if *update {
		must(os.WriteFile(golden, append(got, '\n'), 0o644))
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if d := cmp.Diff(string(want), string(got)+"\n"); d != "" {
		t.Errorf("analysis changed (-golden +got):\n%s", d)
	}
}
