package abtest

import "math"

// ZTestResult is a two-proportion z-test of treatment against control.
// Differences are treatment minus control.
type ZTestResult struct {
	ControlRate   float64 `json:"control_rate"`
	TreatmentRate float64 `json:"treatment_rate"`
	Diff          float64 `json:"diff"`        // TreatmentRate - ControlRate
	PooledRate    float64 `json:"pooled_rate"` // (x_a + x_b)/(n_a + n_b)
	SEPooled      float64 `json:"se_pooled"`   // standard error under H0, used by Z
	SEUnpooled    float64 `json:"se_unpooled"` // standard error used by the CI
	Z             float64 `json:"z"`
	// PValue is two-sided; PValueOneSided tests treatment > control.
	PValue         float64 `json:"p_value"`
	PValueOneSided float64 `json:"p_value_one_sided"`
	// Log10PValue is log10(PValue), exact even when PValue underflows to 0.
	Log10PValue float64 `json:"log10_p_value"`
	ZCrit       float64 `json:"z_crit"` // z quantile 1 - alpha/2
	// CILow and CIHigh bound the difference (Wald, unpooled).
	CILow       float64 `json:"ci_low"`
	CIHigh      float64 `json:"ci_high"`
	Significant bool    `json:"significant"` // PValue < alpha
}

// ZTest compares two conversion rates with the pooled two-proportion
// z-test (z^2 equals Pearson's chi-square without Yates' correction) and a
// Wald confidence interval of the difference at level 1 - alpha (alpha 0
// means 0.05).
//
// Degenerate data follow the reference conventions: when both arms are at
// 0% or both at 100% the pooled standard error is 0 and the result is
// z = 0, p = 1 (one-sided 0.5); when the unpooled standard error is 0 the
// interval is [diff, diff]. An arm with no customers is [ErrUndefined].
func ZTest(control, treatment Proportion, alpha float64) (ZTestResult, error) {
	const fn = "ZTest"
	alpha, err := alphaOrDefault(fn, alpha)
	if err != nil {
		return ZTestResult{}, err
	}
	if err := control.check(fn, "control"); err != nil {
		return ZTestResult{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return ZTestResult{}, err
	}
	na, nb := float64(control.N), float64(treatment.N)
	pa, pb := control.Rate(), treatment.Rate()
	r := ZTestResult{ControlRate: pa, TreatmentRate: pb, Diff: pb - pa}
	r.PooledRate = float64(control.Conversions+treatment.Conversions) / (na + nb)
	r.SEPooled = math.Sqrt(r.PooledRate * (1 - r.PooledRate) * (1/na + 1/nb))
	r.SEUnpooled = math.Sqrt(pa*(1-pa)/na + pb*(1-pb)/nb)
	r.ZCrit = zUpper(alpha / 2)
	if r.SEPooled > 0 {
		r.Z = r.Diff / r.SEPooled
	}
	r.PValue = erfcSqrt2(math.Abs(r.Z))
	r.PValueOneSided = normSF(r.Z)
	r.Log10PValue = log10TwoSidedNormal(r.Z)
	r.CILow = r.Diff - r.ZCrit*r.SEUnpooled
	r.CIHigh = r.Diff + r.ZCrit*r.SEUnpooled
	r.Significant = r.PValue < alpha
	return r, nil
}
