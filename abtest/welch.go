package abtest

import "math"

// WelchResult is Welch's unequal-variance t-test of the treatment mean
// against the control mean. Differences are treatment minus control.
type WelchResult struct {
	ControlMean   float64 `json:"control_mean"`
	TreatmentMean float64 `json:"treatment_mean"`
	Diff          float64 `json:"diff"`
	SE            float64 `json:"se"` // sqrt(var_c/n_c + var_t/n_t)
	T             float64 `json:"t"`
	DF            float64 `json:"df"` // Welch-Satterthwaite degrees of freedom
	PValue        float64 `json:"p_value"`
	// Log10PValue is log10(PValue), exact even when PValue underflows to 0.
	Log10PValue float64 `json:"log10_p_value"`
	TCrit       float64 `json:"t_crit"` // t quantile 1 - alpha/2 at DF
	CILow       float64 `json:"ci_low"`
	CIHigh      float64 `json:"ci_high"`
	Significant bool    `json:"significant"` // PValue < alpha
	// Relative is the relative uplift (delta method, normal interval), nil
	// when the control mean is 0 (relative change undefined).
	Relative *RelativeResult `json:"relative,omitempty"`
	// RelativeT is GrowthBook's frequentist variant of Relative: the same
	// estimate and SE with a Student t interval and p-value at DF; nil
	// when Relative is nil or degenerate.
	RelativeT *TInterval `json:"relative_t,omitempty"`
}

// TInterval is an estimate's Student t confidence interval and two-sided
// p-value.
type TInterval struct {
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	PValue float64 `json:"p_value"`
}

// Welch compares two means (revenue or profit per customer) from each
// arm's N, mean and unbiased variance, at level 1 - alpha (0 means 0.05).
// Build the Samples with [SampleFromSums] when the host has sums and sums
// of squares. An arm with N < 2, or both variances 0, is [ErrUndefined].
//
// The p-value is 2 P(T_df > |t|), computed to about 1e-15 relative even
// for df ~ 1e7 (see the package's precision notes); the interval uses the
// t quantile at the Welch df.
func Welch(control, treatment Sample, alpha float64) (WelchResult, error) {
	const fn = "Welch"
	alpha, err := alphaOrDefault(fn, alpha)
	if err != nil {
		return WelchResult{}, err
	}
	if err := control.check(fn, "control"); err != nil {
		return WelchResult{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return WelchResult{}, err
	}
	na, nb := float64(control.N), float64(treatment.N)
	qa, qb := control.Variance/na, treatment.Variance/nb
	se2 := qa + qb
	if se2 == 0 {
		return WelchResult{}, &UndefinedError{Func: fn, Reason: "both variances are 0: standard error 0, t undefined"}
	}
	r := WelchResult{ControlMean: control.Mean, TreatmentMean: treatment.Mean, Diff: treatment.Mean - control.Mean}
	r.SE = math.Sqrt(se2)
	r.T = r.Diff / r.SE
	r.DF = se2 * se2 / (qa*qa/(na-1) + qb*qb/(nb-1))
	if !finiteAll(r.Diff, r.SE, r.T, r.DF) || r.SE == 0 || r.DF == 0 {
		return WelchResult{}, &UndefinedError{Func: fn, Reason: "means or variances overflow or underflow float64"}
	}
	var lp float64
	r.PValue, lp = studentTTwoSided(r.T, r.DF)
	r.Log10PValue = lp / ln10
	r.TCrit = tQuantileTwoSided(alpha, r.DF)
	r.CILow, r.CIHigh = r.Diff-r.TCrit*r.SE, r.Diff+r.TCrit*r.SE
	r.Significant = r.PValue < alpha
	rel, err := relativeUplift(fn, na, control.Mean, control.Variance, nb, treatment.Mean, treatment.Variance, alpha)
	if err == nil {
		r.Relative = &rel
		if !rel.Degenerate {
			p, _ := studentTTwoSided(rel.Uplift/rel.SE, r.DF)
			r.RelativeT = &TInterval{CILow: rel.Uplift - r.TCrit*rel.SE, CIHigh: rel.Uplift + r.TCrit*rel.SE, PValue: p}
		}
	}
	if !finiteAll(r.PValue, r.Log10PValue, r.TCrit, r.CILow, r.CIHigh) {
		return WelchResult{}, &UndefinedError{Func: fn, Reason: "t distribution evaluation failed for these inputs"}
	}
	return r, nil
}
