package abtest

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

// edgeRef is testdata/edge/edge.json: mpmath values at 50 digits made by
// testdata/edge/gen.py (see its docstring).
type edgeRef struct {
	ZCrit []struct {
		Alpha    float64 `json:"alpha"`
		TwoSided float64 `json:"two_sided"`
		OneSided float64 `json:"one_sided"`
	} `json:"z_crit"`
	TCrit []struct {
		Alpha    float64 `json:"alpha"`
		DF       float64 `json:"df"`
		TwoSided float64 `json:"two_sided"`
	} `json:"t_crit"`
	ZTestTail []struct {
		NA        int64   `json:"n_a"`
		XA        int64   `json:"x_a"`
		NB        int64   `json:"n_b"`
		XB        int64   `json:"x_b"`
		Z         float64 `json:"z"`
		POneSided float64 `json:"p_one_sided"`
		PTwoSided float64 `json:"p_two_sided"`
	} `json:"ztest_tail"`
	NormSF []struct{ Z, SF float64 } `json:"norm_sf"`
	Bayes  []struct {
		Prior float64 `json:"prior"`
		NA    int64   `json:"n_a"`
		XA    int64   `json:"x_a"`
		NB    int64   `json:"n_b"`
		XB    int64   `json:"x_b"`
		PBA   float64 `json:"prob_b_beats_a"`
		PAB   float64 `json:"prob_a_beats_b"`
		LossB float64 `json:"expected_loss_choose_b"`
		LossA float64 `json:"expected_loss_choose_a"`
	} `json:"bayes_small_prior"`
}

func loadEdge(t *testing.T) edgeRef {
	t.Helper()
	data, err := os.ReadFile("testdata/edge/edge.json")
	if err != nil {
		t.Fatal(err)
	}
	var r edgeRef
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestOneSidedTail: the one-sided p-value keeps full relative precision
// for z from 6 to 37 (upper-tail function, never 1 - CDF).
func TestOneSidedTail(t *testing.T) {
	ref := loadEdge(t)
	for _, c := range ref.NormSF {
		if got := normSF(c.Z); !(relErr(got, c.SF) <= 1e-15) {
			t.Errorf("normSF(%v) = %v, want %v (rel %.2g)", c.Z, got, c.SF, relErr(got, c.SF))
		}
		if got := normCDF(-c.Z); !(relErr(got, c.SF) <= 1e-15) {
			t.Errorf("normCDF(-%v) = %v, want %v", c.Z, got, c.SF)
		}
	}
	for _, c := range ref.ZTestTail {
		r, err := ZTest(Proportion{c.NA, c.XA}, Proportion{c.NB, c.XB}, 0)
		if err != nil {
			t.Fatal(err)
		}
		// z itself carries a few ulps from the data; p inherits z^2 times
		// that relative error, 1e-12 at z = 37.
		tol := 1e-14 * math.Max(1, c.Z*c.Z)
		if e := relErr(r.Z, c.Z); !(e <= 1e-14) {
			t.Errorf("%+v: z %v, want %v", c, r.Z, c.Z)
		}
		if e := relErr(r.PValueOneSided, c.POneSided); !(e <= tol) {
			t.Errorf("%+v: one-sided p %v, want %v (rel %.2g)", c, r.PValueOneSided, c.POneSided, e)
		}
		if e := relErr(r.PValue, c.PTwoSided); !(e <= tol) {
			t.Errorf("%+v: two-sided p %v, want %v (rel %.2g)", c, r.PValue, c.PTwoSided, e)
		}
	}
}

// TestSampleSizeDaysOverflow: a trickle of daily traffic gives a typed
// error, never an overflowed (negative) number of days.
func TestSampleSizeDaysOverflow(t *testing.T) {
	for _, daily := range []float64{1e-300, 1e-15, 5e-324} {
		r, err := SampleSize(SampleSizePlan{Baseline: 0.1, MDE: 0.001, DailyCustomers: daily})
		if !errors.Is(err, ErrUndefined) {
			t.Errorf("daily %g: Days %d, err %v; want ErrUndefined", daily, r.Days, err)
		}
	}
	r, err := SampleSize(SampleSizePlan{Baseline: 0.1, MDE: 0.001, DailyCustomers: 1e-9})
	if err != nil || r.Days <= 0 {
		t.Errorf("daily 1e-9: %+v, %v", r, err)
	}
}

// TestExpectedSharesInvalid: an invalid experiment has no shares (nil),
// never NaN.
func TestExpectedSharesInvalid(t *testing.T) {
	nan := math.NaN()
	for _, e := range []Experiment{
		{},
		{Key: "k", Variants: []string{"a", "b"}, Weights: []float64{nan, nan}},
		{Key: "k", Variants: []string{"a", "b"}, Holdout: nan},
		{Key: "k", Variants: []string{"a", "b"}, Coverage: &nan},
		{Key: "k", Variants: []string{"a", "b"}, Weights: []float64{0.5}},
	} {
		if s := e.ExpectedShares(); s != nil {
			t.Errorf("%+v: shares %v, want nil", e, s)
		}
	}
	good := Experiment{Key: "k", Variants: []string{"a", "b"}, Holdout: 0.1}
	s := good.ExpectedShares()
	if len(s) != 3 || math.Abs(s[0]-0.45) > 1e-15 || math.Abs(s[2]-0.1) > 1e-15 {
		t.Errorf("valid experiment: %v", s)
	}
}

// TestSequenceRefusesNonCumulative: daily (non-cumulative) counts are an
// input error naming the look.
func TestSequenceRefusesNonCumulative(t *testing.T) {
	m := MSPRT{Tau2: 1e-4}
	bad := [][]ConversionLook{
		{{Proportion{100, 10}, Proportion{100, 12}}, {Proportion{90, 10}, Proportion{200, 20}}},
		{{Proportion{100, 10}, Proportion{100, 12}}, {Proportion{200, 9}, Proportion{200, 20}}},
		{{Proportion{100, 10}, Proportion{100, 12}}, {Proportion{200, 20}, Proportion{100, 13}}}, // a non-conversion became a conversion
	}
	for _, looks := range bad {
		if _, err := m.Sequence(looks); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%v: err %v, want ErrInvalidInput", looks, err)
		}
	}
	good := []ConversionLook{{Proportion{0, 0}, Proportion{0, 0}}, {Proportion{100, 10}, Proportion{100, 12}}, {Proportion{100, 10}, Proportion{100, 12}}, {Proportion{250, 30}, Proportion{240, 41}}}
	if _, err := m.Sequence(good); err != nil {
		t.Errorf("cumulative looks: %v", err)
	}
}

// TestBayesSmallPriors: priors below 1 (posterior parameters below 1)
// against mpmath.
func TestBayesSmallPriors(t *testing.T) {
	for _, c := range loadEdge(t).Bayes {
		p := BetaPrior{c.Prior, c.Prior}
		r, err := Bayes(Proportion{c.NA, c.XA}, Proportion{c.NB, c.XB}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct {
			name      string
			got, want float64
		}{
			{"P(B>A)", r.ProbTreatmentBeats, c.PBA}, {"P(A>B)", r.ProbControlBeats, c.PAB},
			{"loss B", r.ExpectedLossTreatment, c.LossB}, {"loss A", r.ExpectedLossControl, c.LossA},
		} {
			if e := relErr(v.got, v.want); !(e <= bayesRelTol) {
				t.Errorf("prior %v, %d/%d vs %d/%d: %s = %.17g, want %.17g (rel %.2g)", c.Prior, c.XA, c.NA, c.XB, c.NB, v.name, v.got, v.want, e)
			}
		}
	}
}

// bayesRelTol is Bayes's documented accuracy.
const bayesRelTol = 1e-12
