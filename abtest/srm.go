package abtest

import (
	"math"
	"slices"
)

// DefaultSRMThreshold is the p-value below which [SRM] flags a sample
// ratio mismatch (GrowthBook's and Eppo's default).
const DefaultSRMThreshold = 0.001

// SRMResult is a chi-square goodness-of-fit test of the observed traffic
// split against the configured weights. Check Mismatch (or Err) before
// reading any other result of the experiment.
type SRMResult struct {
	Total int64 `json:"total"` // customers in arms with positive weight
	DF    int   `json:"df"`    // arms with positive weight - 1
	// Expected is the expected count per arm (0 for zero-weight arms).
	Expected  []float64 `json:"expected"`
	ChiSquare float64   `json:"chi_square"`
	PValue    float64   `json:"p_value"`
	// Log10PValue is log10(PValue), exact even when PValue underflows.
	Log10PValue float64 `json:"log10_p_value"`
	// LeakingArms lists arms with weight 0 that nevertheless received
	// customers: a mismatch by itself.
	LeakingArms []int   `json:"leaking_arms"`
	Threshold   float64 `json:"threshold"`
	// Mismatch is PValue < Threshold or any leaking arm: the assignment or
	// the logging is broken and the experiment's results must not be used.
	Mismatch bool `json:"mismatch"`
}

// Err returns a [*SRMError] wrapping [ErrSampleRatioMismatch] when
// Mismatch is set, nil otherwise, so that callers can fail loudly:
//
//	if err := srm.Err(); err != nil { return err }
func (r SRMResult) Err() error {
	if !r.Mismatch {
		return nil
	}
	return &SRMError{PValue: r.PValue, Threshold: r.Threshold, LeakingArms: slices.Clone(r.LeakingArms)}
}

// SRM tests observed customer counts per arm against the configured
// weights (any non-negative scale; they are normalised over the arms with
// positive weight) with Pearson's chi-square: expected_i = w_i/sum(w) *
// total, df = (arms with w > 0) - 1, p = Q(df/2, chi2/2) computed in
// closed form (a finite sum of exponential and erfc terms, exact to
// rounding). Zero-weight arms are left out of the statistic; traffic in
// them is reported in LeakingArms. No traffic (or fewer than two active
// arms) gives chi2 = 0, p = 1. Include the holdout as an arm with weight
// Holdout when checking an experiment with a holdout.
func SRM(observed []int64, weights []float64) (SRMResult, error) {
	const fn = "SRM"
	if len(observed) != len(weights) {
		return SRMResult{}, &InputError{Func: fn, Field: "weights", Reason: "need one weight per arm"}
	}
	if len(observed) == 0 {
		return SRMResult{}, &InputError{Func: fn, Field: "observed", Reason: "no arms"}
	}
	wsum := 0.0
	active := 0
	var total int64
	r := SRMResult{Expected: make([]float64, len(observed)), LeakingArms: []int{}, Threshold: DefaultSRMThreshold, PValue: 1}
	for i, w := range weights {
		if !isFinite(w) || w < 0 {
			return SRMResult{}, &InputError{Func: fn, Field: "weights", Reason: "must be finite and >= 0"}
		}
		if observed[i] < 0 {
			return SRMResult{}, &InputError{Func: fn, Field: "observed", Reason: "negative count"}
		}
		if w > 0 {
			wsum += w
			active++
			if total > math.MaxInt64-observed[i] {
				return SRMResult{}, &InputError{Func: fn, Field: "observed", Reason: "total overflows int64"}
			}
			total += observed[i]
		} else if observed[i] > 0 {
			r.LeakingArms = append(r.LeakingArms, i)
		}
	}
	r.Total = total
	r.DF = max(active-1, 0)
	r.Mismatch = len(r.LeakingArms) > 0
	if total == 0 || active < 2 || !isFinite(wsum) {
		return r, nil
	}
	for i, w := range weights {
		if w > 0 {
			e := w / wsum * float64(total)
			r.Expected[i] = e
			d := float64(observed[i]) - e
			r.ChiSquare += d * d / e
		}
	}
	if !isFinite(r.ChiSquare) {
		return SRMResult{}, &InputError{Func: fn, Field: "weights", Reason: "a weight is too small relative to the others"}
	}
	lq := logChiSquareSF(r.ChiSquare, r.DF)
	r.PValue = math.Exp(lq)
	r.Log10PValue = lq / ln10
	r.Mismatch = r.Mismatch || r.PValue < r.Threshold
	return r, nil
}

// logChiSquareSF is log P(X > chi2) for X ~ chi-square(df), df >= 1, via
// the closed forms of the upper regularized gamma Q(df/2, chi2/2):
// even df = 2k: Q = e^-x sum_{i<k} x^i/i!; odd df = 2k+1:
// Q = erfc(sqrt x) + e^-x sum_{i=1..k} x^(i-1/2)/Gamma(i+1/2). All terms are
// positive, so the log-sum-exp is exact to rounding at any magnitude.
func logChiSquareSF(chi2 float64, df int) float64 {
	x := chi2 / 2
	if x == 0 {
		return 0
	}
	lx := math.Log(x)
	var terms []float64
	if df%2 == 0 {
		for i := 0; i < df/2; i++ {
			lg, _ := math.Lgamma(float64(i + 1))
			terms = append(terms, -x+float64(i)*lx-lg)
		}
	} else {
		terms = append(terms, logErfc(math.Sqrt(x)))
		for i := 1; i <= df/2; i++ {
			lg, _ := math.Lgamma(float64(i) + 0.5)
			terms = append(terms, -x+(float64(i)-0.5)*lx-lg)
		}
	}
	m := slices.Max(terms)
	s := 0.0
	for _, t := range terms {
		s += math.Exp(t - m)
	}
	return math.Min(m+math.Log(s), 0)
}
