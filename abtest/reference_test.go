package abtest

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"testing"
)

const abVectorsPath = "testdata/abtest-vectors.json"

// refCase is one case of abtest-vectors.json; inputs and outputs stay
// generic maps because every section has its own fields.
type refCase struct {
	ID      string         `json:"id"`
	Inputs  map[string]any `json:"inputs"`
	Defined *bool          `json:"defined"`
	Outputs map[string]any `json:"outputs"`
}

func loadAB(t testing.TB) map[string][]refCase {
	t.Helper()
	data, err := os.ReadFile(abVectorsPath)
	if err != nil {
		t.Fatalf("reference vectors missing: %v", err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string][]refCase{}
	var counts map[string]int
	if err := json.Unmarshal(raw["counts"], &counts); err != nil {
		t.Fatal(err)
	}
	for section, n := range counts {
		var cs []refCase
		if err := json.Unmarshal(raw[section], &cs); err != nil {
			t.Fatalf("%s: %v", section, err)
		}
		if len(cs) != n || n == 0 {
			t.Fatalf("%s: %d cases, counts says %d", section, len(cs), n)
		}
		out[section] = cs
	}
	return out
}

func (c refCase) defined() bool { return c.Defined == nil || *c.Defined }

func (c refCase) in(t *testing.T, key string) float64 {
	t.Helper()
	v, ok := c.Inputs[key].(float64)
	if !ok {
		t.Fatalf("%s: input %q missing", c.ID, key)
	}
	return v
}

func (c refCase) count(t *testing.T, key string) int64 { return int64(c.in(t, key)) }

// relTol is the agreement the issue demands.
const relTol = 1e-9

// near reports whether got agrees with want to 1e-9 relative; values below
// 1e-250 (subnormal or underflowed p-values) are compared absolutely to
// 1e-300 as the vectors' conventions allow.
func near(got, want float64) bool {
	if math.IsNaN(got) || math.IsInf(got, 0) {
		return false
	}
	if math.Abs(want) < 1e-250 {
		return math.Abs(got-want) <= 1e-300
	}
	return math.Abs(got-want) <= relTol*math.Abs(want)
}

// check compares got against outputs[key] of the case.
func check(t *testing.T, c refCase, outputs map[string]any, key string, got float64) {
	t.Helper()
	want, ok := outputs[key].(float64)
	if !ok {
		t.Fatalf("%s: output %q missing", c.ID, key)
	}
	if !near(got, want) {
		t.Errorf("%s: %s = %.17g, want %.17g (rel %.2g)", c.ID, key, got, want, math.Abs(got-want)/math.Abs(want))
	}
}

func wantUndefined(t *testing.T, c refCase, err error) {
	t.Helper()
	if !errors.Is(err, ErrUndefined) {
		t.Errorf("%s: err = %v, want ErrUndefined", c.ID, err)
	}
	var ue *UndefinedError
	if !errors.As(err, &ue) || ue.Reason == "" {
		t.Errorf("%s: err %v is not an *UndefinedError with a reason", c.ID, err)
	}
}

func TestReferenceZTest(t *testing.T) {
	for _, c := range loadAB(t)["two_proportion_ztest"] {
		r, err := ZTest(Proportion{c.count(t, "n_a"), c.count(t, "conversions_a")},
			Proportion{c.count(t, "n_b"), c.count(t, "conversions_b")}, c.in(t, "alpha"))
		if !c.defined() {
			wantUndefined(t, c, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "p_a", r.ControlRate)
		check(t, c, o, "p_b", r.TreatmentRate)
		check(t, c, o, "diff", r.Diff)
		check(t, c, o, "pooled_p", r.PooledRate)
		check(t, c, o, "se_pooled", r.SEPooled)
		check(t, c, o, "se_unpooled", r.SEUnpooled)
		check(t, c, o, "z_crit", r.ZCrit)
		check(t, c, o, "z", r.Z)
		check(t, c, o, "p_value_two_sided", r.PValue)
		check(t, c, o, "p_value_one_sided_b_greater", r.PValueOneSided)
		check(t, c, o, "log10_p_value_two_sided", r.Log10PValue)
		check(t, c, o, "ci_low", r.CILow)
		check(t, c, o, "ci_high", r.CIHigh)
	}
}

func TestReferenceWelch(t *testing.T) {
	for _, c := range loadAB(t)["welch_ttest"] {
		var a, b Sample
		if _, ok := c.Inputs["sum_a"]; ok {
			var err error
			if a, err = SampleFromSums(c.count(t, "n_a"), c.in(t, "sum_a"), c.in(t, "sum_sq_a")); err != nil {
				t.Fatal(err)
			}
			if b, err = SampleFromSums(c.count(t, "n_b"), c.in(t, "sum_b"), c.in(t, "sum_sq_b")); err != nil {
				t.Fatal(err)
			}
			check(t, c, c.Outputs, "mean_a", a.Mean)
			check(t, c, c.Outputs, "var_a", a.Variance)
			check(t, c, c.Outputs, "mean_b", b.Mean)
			check(t, c, c.Outputs, "var_b", b.Variance)
		} else {
			a = Sample{c.count(t, "n_a"), c.in(t, "mean_a"), c.in(t, "var_a")}
			b = Sample{c.count(t, "n_b"), c.in(t, "mean_b"), c.in(t, "var_b")}
		}
		r, err := Welch(a, b, c.in(t, "alpha"))
		if !c.defined() {
			wantUndefined(t, c, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "diff", r.Diff)
		check(t, c, o, "se", r.SE)
		check(t, c, o, "t", r.T)
		check(t, c, o, "df", r.DF)
		check(t, c, o, "p_value_two_sided", r.PValue)
		check(t, c, o, "log10_p_value_two_sided", r.Log10PValue)
		check(t, c, o, "t_crit", r.TCrit)
		check(t, c, o, "ci_low", r.CILow)
		check(t, c, o, "ci_high", r.CIHigh)
		rel, _ := o["relative"].(map[string]any)
		if rel == nil {
			if r.Relative != nil || r.RelativeT != nil {
				t.Errorf("%s: relative = %+v, want none (zero baseline)", c.ID, r.Relative)
			}
			continue
		}
		if r.Relative == nil || r.RelativeT == nil {
			t.Errorf("%s: relative missing", c.ID)
			continue
		}
		check(t, c, rel, "uplift", r.Relative.Uplift)
		check(t, c, rel, "se", r.Relative.SE)
		check(t, c, rel, "ci_low_z", r.Relative.CILow)
		check(t, c, rel, "ci_high_z", r.Relative.CIHigh)
		check(t, c, rel, "p_value_z", r.Relative.PValue)
		check(t, c, rel, "ci_low_t_growthbook", r.RelativeT.CILow)
		check(t, c, rel, "ci_high_t_growthbook", r.RelativeT.CIHigh)
		check(t, c, rel, "p_value_t_growthbook", r.RelativeT.PValue)
	}
}

func floats(t *testing.T, v any) []float64 {
	t.Helper()
	xs, ok := v.([]any)
	if !ok {
		t.Fatalf("not a list: %v", v)
	}
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x.(float64)
	}
	return out
}

func TestReferenceSRM(t *testing.T) {
	for _, c := range loadAB(t)["srm_chisquare"] {
		obsF := floats(t, c.Inputs["observed"])
		obs := make([]int64, len(obsF))
		for i, x := range obsF {
			obs[i] = int64(x)
		}
		w := floats(t, c.Inputs["weights"])
		r, err := SRM(obs, w)
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "chi2", r.ChiSquare)
		check(t, c, o, "p_value", r.PValue)
		if _, ok := o["log10_p_value"]; ok {
			check(t, c, o, "log10_p_value", r.Log10PValue)
		}
		if int64(o["total"].(float64)) != r.Total || int(o["df"].(float64)) != r.DF {
			t.Errorf("%s: total %d df %d, want %v %v", c.ID, r.Total, r.DF, o["total"], o["df"])
		}
		var active []float64
		for i, e := range r.Expected {
			if w[i] > 0 {
				active = append(active, e)
			}
		}
		wantE := floats(t, o["expected"])
		if len(active) != len(wantE) {
			t.Fatalf("%s: expected %v, want %v", c.ID, active, wantE)
		}
		for i := range wantE {
			if !near(active[i], wantE[i]) && !(wantE[i] == 0 && active[i] == 0) {
				t.Errorf("%s: expected[%d] = %v, want %v", c.ID, i, active[i], wantE[i])
			}
		}
		leak := floats(t, o["leaking_arms"])
		if len(leak) != len(r.LeakingArms) {
			t.Errorf("%s: leaking %v, want %v", c.ID, r.LeakingArms, leak)
		}
		for i := range leak {
			if int(leak[i]) != r.LeakingArms[i] {
				t.Errorf("%s: leaking %v, want %v", c.ID, r.LeakingArms, leak)
			}
		}
		if flag, ok := o["srm_at_0.001"].(bool); ok && flag != (r.PValue < 0.001) {
			t.Errorf("%s: p %v < 0.001 = %v, want %v", c.ID, r.PValue, !flag, flag)
		}
		if (r.Err() != nil) != r.Mismatch || r.Mismatch != (r.PValue < 0.001 || len(r.LeakingArms) > 0) {
			t.Errorf("%s: Mismatch %v, Err %v inconsistent", c.ID, r.Mismatch, r.Err())
		}
	}
}

func TestReferenceBayes(t *testing.T) {
	for _, c := range loadAB(t)["bayes_beta_binomial"] {
		r, err := Bayes(Proportion{c.count(t, "n_a"), c.count(t, "conversions_a")},
			Proportion{c.count(t, "n_b"), c.count(t, "conversions_b")},
			BetaPrior{c.in(t, "prior_alpha"), c.in(t, "prior_beta")})
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		pa, pb := floats(t, o["posterior_a"]), floats(t, o["posterior_b"])
		if pa[0] != r.PosteriorControl[0] || pa[1] != r.PosteriorControl[1] || pb[0] != r.PosteriorTreatment[0] || pb[1] != r.PosteriorTreatment[1] {
			t.Errorf("%s: posteriors %v %v, want %v %v", c.ID, r.PosteriorControl, r.PosteriorTreatment, pa, pb)
		}
		check(t, c, o, "prob_b_beats_a", r.ProbTreatmentBeats)
		check(t, c, o, "prob_a_beats_b", r.ProbControlBeats)
		check(t, c, o, "expected_loss_choose_b", r.ExpectedLossTreatment)
		check(t, c, o, "expected_loss_choose_a", r.ExpectedLossControl)
		check(t, c, o, "posterior_mean_a", r.MeanControl)
		check(t, c, o, "posterior_mean_b", r.MeanTreatment)
	}
}

func TestReferenceSampleSize(t *testing.T) {
	for _, c := range loadAB(t)["sample_size_two_proportions"] {
		plan := SampleSizePlan{Baseline: c.in(t, "baseline"), MDE: c.in(t, "mde"),
			Relative: c.Inputs["mde_type"] == "relative", Alpha: c.in(t, "alpha"), Power: c.in(t, "power"),
			Ratio: c.in(t, "ratio_n_b_over_n_a"), OneSided: c.Inputs["two_sided"] == false}
		r, err := SampleSize(plan)
		if !c.defined() {
			wantUndefined(t, c, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "p_b", r.TreatmentRate)
		check(t, c, o, "delta", r.Delta)
		check(t, c, o, "z_alpha", r.ZAlpha)
		check(t, c, o, "z_beta", r.ZBeta)
		check(t, c, o, "n_a_pooled", r.ControlNExact)
		for key, got := range map[string]int64{"n_a_pooled_ceil": r.ControlN, "n_b_pooled_ceil": r.TreatmentN,
			"n_a_unpooled_ceil": r.ControlNUnpooled, "n_per_arm_evan_miller_ceil": r.EvanMillerN} {
			want, ok := o[key].(float64)
			if !ok {
				if key == "n_per_arm_evan_miller_ceil" && got == 0 {
					continue // ratio != 1
				}
				t.Fatalf("%s: %s missing", c.ID, key)
			}
			if int64(want) != got {
				t.Errorf("%s: %s = %d, want %v", c.ID, key, got, want)
			}
		}
	}
}

func TestReferenceRelativeUplift(t *testing.T) {
	for _, c := range loadAB(t)["relative_uplift_proportions"] {
		r, err := RelativeUplift(Proportion{c.count(t, "n_a"), c.count(t, "conversions_a")},
			Proportion{c.count(t, "n_b"), c.count(t, "conversions_b")}, c.in(t, "alpha"))
		if !c.defined() {
			wantUndefined(t, c, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "uplift", r.Uplift)
		check(t, c, o, "se", r.SE)
		check(t, c, o, "ci_low", r.CILow)
		check(t, c, o, "ci_high", r.CIHigh)
		if o["p_value_z"] == nil { // se 0: flagged, limits reported
			if !r.Degenerate || r.PValue != 1 {
				t.Errorf("%s: want Degenerate with p = 1 for a zero uplift, got %+v", c.ID, r)
			}
			continue
		}
		if r.Degenerate {
			t.Errorf("%s: unexpectedly degenerate", c.ID)
		}
		check(t, c, o, "p_value_z", r.PValue)
		check(t, c, o, "gaussian_chance_to_win", r.ChanceToWin)
		check(t, c, o, "gaussian_expected_loss_choose_a", r.ExpectedLossControl)
		check(t, c, o, "gaussian_expected_loss_choose_b", r.ExpectedLossTreatment)
	}
}

func TestReferenceMSPRT(t *testing.T) {
	for _, c := range loadAB(t)["msprt"] {
		m := MSPRT{Tau2: c.in(t, "tau2"), Alpha: c.in(t, "alpha")}
		if th, ok := c.Inputs["theta0"].(float64); ok {
			m.Theta0 = th
		}
		if raw, ok := c.Inputs["looks_cumulative"].([]any); ok {
			looks := make([]ConversionLook, len(raw))
			for i, l := range raw {
				v := floats(t, l)
				looks[i] = ConversionLook{Proportion{int64(v[0]), int64(v[1])}, Proportion{int64(v[2]), int64(v[3])}}
			}
			res, err := m.Sequence(looks)
			if err != nil {
				t.Fatalf("%s: %v", c.ID, err)
			}
			seq := c.Outputs["sequence"].([]any)
			if len(seq) != len(res) {
				t.Fatalf("%s: %d looks, want %d", c.ID, len(res), len(seq))
			}
			for i, s := range seq {
				o := s.(map[string]any)
				check(t, c, o, "log_lambda", res[i].Look.LogLambda)
				check(t, c, o, "always_valid_p", res[i].PValue)
			}
			continue
		}
		r, err := m.Look(c.in(t, "diff"), c.in(t, "var_diff"))
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "log_lambda", r.LogLambda)
		check(t, c, o, "p_value_this_look", r.PValue)
		check(t, c, o, "ci_low", r.CILow)
		check(t, c, o, "ci_high", r.CIHigh)
		if r.Reject != o["reject_at_alpha"].(bool) {
			t.Errorf("%s: reject %v", c.ID, r.Reject)
		}
	}
}

func TestReferenceGrowthBookSequential(t *testing.T) {
	for _, c := range loadAB(t)["growthbook_sequential"] {
		r, err := NewGrowthBookSequential(c.in(t, "estimate"), c.in(t, "se"), c.count(t, "n_total"), c.in(t, "alpha"), c.in(t, "tuning_N_star"))
		if err != nil {
			t.Errorf("%s: %v", c.ID, err)
			continue
		}
		o := c.Outputs
		check(t, c, o, "rho", r.Rho)
		check(t, c, o, "halfwidth", r.HalfWidth)
		check(t, c, o, "ci_low", r.CILow)
		check(t, c, o, "ci_high", r.CIHigh)
		check(t, c, o, "p_value", r.PValue)
	}
}

func TestReferenceMultipleComparisons(t *testing.T) {
	for _, c := range loadAB(t)["multiple_comparisons"] {
		p := floats(t, c.Inputs["p_values"])
		for key, corr := range map[string]Correction{"bonferroni": Bonferroni, "holm": Holm,
			"benjamini_hochberg": BenjaminiHochberg, "sidak": Sidak} {
			got, err := AdjustPValues(p, corr)
			if err != nil {
				t.Fatalf("%s %s: %v", c.ID, key, err)
			}
			want := floats(t, c.Outputs[key])
			for i := range want {
				if !near(got[i], want[i]) {
					t.Errorf("%s %s[%d] = %v, want %v", c.ID, key, i, got[i], want[i])
				}
			}
		}
	}
}
