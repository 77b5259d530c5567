package abtest

import (
	"fmt"
	"math"
)

// MSPRT is a mixture sequential probability ratio test (Johari, Pekelis
// and Walsh, "Always valid inference", the test behind Optimizely's stats
// engine) on a difference d with estimated variance V. Mixing the effect
// over N(Theta0, Tau2), the likelihood ratio is
//
//	Lambda = sqrt(V/(V+Tau2)) exp(Tau2 (d-Theta0)^2 / (2 V (V+Tau2)))
//
// and the always-valid p-value is p_n = min(p_{n-1}, 1/Lambda_n), p_0 = 1.
// Its guarantee: P(p_n <= Alpha at ANY look n) <= Alpha under the null, so
// a marketer may look at the results every day and stop as soon as
// p <= Alpha. (A fixed-horizon z-test checked daily would reject a true
// null far more often than Alpha.) The price is power: the always-valid
// interval is wider than the fixed-horizon one.
//
// Tau2 is the prior variance of the effect: set it to the square of the
// effect size you expect or care about (for conversion differences of
// about one point, Tau2 = 1e-4). The test is valid for any Tau2 > 0; a
// good Tau2 only makes it faster.
type MSPRT struct {
	Tau2   float64 `json:"tau2"`
	Alpha  float64 `json:"alpha,omitempty"`  // 0 means 0.05
	Theta0 float64 `json:"theta0,omitempty"` // null effect, usually 0
}

// MSPRTLook is the test evaluated at one look.
type MSPRTLook struct {
	LogLambda float64 `json:"log_lambda"`
	// PValue is min(1, 1/Lambda) at this look; in a sequence, the
	// always-valid p-value is the running minimum (see [MSPRT.Sequence]).
	PValue float64 `json:"p_value"`
	// CILow and CIHigh bound the effect at this look:
	// d -+ sqrt(V (V+Tau2)/Tau2 * (2 ln(1/Alpha) + ln((V+Tau2)/V))).
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	Reject bool    `json:"reject"` // PValue <= Alpha
}

func (m MSPRT) check(fn string) (float64, error) {
	alpha, err := alphaOrDefault(fn, m.Alpha)
	if err != nil {
		return 0, err
	}
	if !(m.Tau2 > 0) || !isFinite(m.Tau2) {
		return 0, &InputError{Func: fn, Field: "Tau2", Reason: "must be positive and finite"}
	}
	if !isFinite(m.Theta0) {
		return 0, &InputError{Func: fn, Field: "Theta0", Reason: "not finite"}
	}
	return alpha, nil
}

// Look evaluates the test for the difference diff (treatment - control)
// with variance varDiff > 0. A zero variance carries no information and is
// [ErrUndefined].
func (m MSPRT) Look(diff, varDiff float64) (MSPRTLook, error) {
	const fn = "MSPRT.Look"
	alpha, err := m.check(fn)
	if err != nil {
		return MSPRTLook{}, err
	}
	if !isFinite(diff) || !isFinite(varDiff) || varDiff < 0 {
		return MSPRTLook{}, &InputError{Func: fn, Field: "diff/varDiff", Reason: "must be finite, variance >= 0"}
	}
	if varDiff == 0 {
		return MSPRTLook{}, &UndefinedError{Func: fn, Reason: "variance 0: the look carries no information"}
	}
	v, t2 := varDiff, m.Tau2
	d := diff - m.Theta0
	// log(V/(V+t2)) = -log1p(t2/V) keeps precision when t2 << V.
	l := -0.5*math.Log1p(t2/v) + t2*d*d/(2*v*(v+t2))
	half := math.Sqrt(v * (v + t2) / t2 * (2*math.Log(1/alpha) + math.Log1p(t2/v)))
	r := MSPRTLook{LogLambda: l, PValue: math.Exp(math.Min(0, -l)), CILow: diff - half, CIHigh: diff + half}
	r.Reject = r.PValue <= alpha
	if !finiteAll(r.LogLambda, r.CILow, r.CIHigh) {
		return MSPRTLook{}, &UndefinedError{Func: fn, Reason: "overflow: variance or Tau2 out of float64 range"}
	}
	return r, nil
}

// ConversionLook is the cumulative state of a conversion experiment at one
// look (e.g. one day).
type ConversionLook struct {
	Control   Proportion `json:"control"`
	Treatment Proportion `json:"treatment"`
}

// SequentialResult is one look of [MSPRT.Sequence].
type SequentialResult struct {
	Diff    float64 `json:"diff"`     // treatment rate - control rate
	VarDiff float64 `json:"var_diff"` // pc(1-pc)/nc + pt(1-pt)/nt
	// Look is the test at this look alone (zero when Skipped).
	Look MSPRTLook `json:"look"`
	// PValue is the always-valid p-value: the running minimum of the
	// looks' p-values.
	PValue float64 `json:"p_value"`
	// CILow and CIHigh are the always-valid interval: the running
	// intersection of the looks' intervals.
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	// Reject is PValue <= Alpha: stop and ship (or kill) the treatment.
	Reject bool `json:"reject"`
	// Skipped is set for a look without information (an empty arm, or
	// both rates at 0% or 100%); the running values carry over.
	Skipped bool `json:"skipped"`
}

// Sequence runs the test over cumulative conversion counts, one entry per
// look, and returns the always-valid p-value and interval after each. The
// counts must be cumulative: each look includes the previous ones, so
// from one look to the next no arm's customers, conversions or
// non-conversions may decrease; a sequence that breaks this is
// [ErrInvalidInput] naming the first offending look (daily counts passed
// by mistake would otherwise give a valid-looking but wrong p-value).
func (m MSPRT) Sequence(looks []ConversionLook) ([]SequentialResult, error) {
	const fn = "MSPRT.Sequence"
	alpha, err := m.check(fn)
	if err != nil {
		return nil, err
	}
	out := make([]SequentialResult, len(looks))
	p, lo, hi := 1.0, math.Inf(-1), math.Inf(1)
	for i, lk := range looks {
		for _, arm := range []Proportion{lk.Control, lk.Treatment} {
			if arm.N < 0 || arm.Conversions < 0 || arm.Conversions > arm.N {
				return nil, &InputError{Func: fn, Field: "looks", Reason: "counts must satisfy 0 <= conversions <= n"}
			}
		}
		if i > 0 {
			prev := looks[i-1]
			for _, pair := range [][2]Proportion{{prev.Control, lk.Control}, {prev.Treatment, lk.Treatment}} {
				a, b := pair[0], pair[1]
				if b.N < a.N || b.Conversions < a.Conversions || b.N-b.Conversions < a.N-a.Conversions {
					return nil, &InputError{Func: fn, Field: "looks", Reason: fmt.Sprintf(
						"look %d has fewer customers, conversions or non-conversions than look %d: counts must be cumulative", i, i-1)}
				}
			}
		}
		r := SequentialResult{PValue: p, CILow: lo, CIHigh: hi}
		if lk.Control.N > 0 && lk.Treatment.N > 0 {
			pa, pb := lk.Control.Rate(), lk.Treatment.Rate()
			r.Diff = pb - pa
			r.VarDiff = pa*(1-pa)/float64(lk.Control.N) + pb*(1-pb)/float64(lk.Treatment.N)
		}
		look, err := m.Look(r.Diff, r.VarDiff)
		if err != nil {
			r.Skipped = true
		} else {
			r.Look = look
			p = math.Min(p, look.PValue)
			lo, hi = math.Max(lo, look.CILow), math.Min(hi, look.CIHigh)
			r.PValue, r.CILow, r.CIHigh = p, lo, hi
		}
		r.Reject = r.PValue <= alpha
		out[i] = r
	}
	// Before the first informative look there is no interval: report the
	// point estimate rather than infinities.
	for i := range out {
		if math.IsInf(out[i].CILow, 0) || math.IsInf(out[i].CIHigh, 0) {
			out[i].CILow, out[i].CIHigh = out[i].Diff, out[i].Diff
		}
	}
	return out, nil
}

// GrowthBookSequential is GrowthBook's sequential confidence interval
// (gbstats frequentist engine, after Waudby-Smith et al.'s asymptotic
// confidence sequences) for an estimate with standard error se after
// nTotal units (both arms), tuned for nStar units (GrowthBook's default
// is 5000).
type GrowthBookSequential struct {
	Rho       float64 `json:"rho"`
	HalfWidth float64 `json:"half_width"`
	CILow     float64 `json:"ci_low"`
	CIHigh    float64 `json:"ci_high"`
	PValue    float64 `json:"p_value"`
}

// NewGrowthBookSequential computes, with a = alpha (0 means 0.05):
//
//	rho = sqrt((-2 ln a + ln(-2 ln a + 1)) / nStar)
//	halfwidth = se sqrt(n) sqrt(2 (n rho^2 + 1) ln(sqrt(n rho^2 + 1)/a) / (n rho)^2)
//	p = min(1, sqrt(n rho^2 + 1) exp(-rho^2 (est^2 n/se^2) / (2 (n rho^2 + 1))))
func NewGrowthBookSequential(estimate, se float64, nTotal int64, alpha, nStar float64) (GrowthBookSequential, error) {
	const fn = "NewGrowthBookSequential"
	alpha, err := alphaOrDefault(fn, alpha)
	if err != nil {
		return GrowthBookSequential{}, err
	}
	switch {
	case !isFinite(estimate):
		return GrowthBookSequential{}, &InputError{Func: fn, Field: "estimate", Reason: "not finite"}
	case !(se > 0) || !isFinite(se):
		return GrowthBookSequential{}, &InputError{Func: fn, Field: "se", Reason: "must be positive and finite"}
	case nTotal <= 0:
		return GrowthBookSequential{}, &InputError{Func: fn, Field: "nTotal", Reason: "must be positive"}
	case !(nStar > 0) || !isFinite(nStar):
		return GrowthBookSequential{}, &InputError{Func: fn, Field: "nStar", Reason: "must be positive and finite"}
	}
	n := float64(nTotal)
	la := -2 * math.Log(alpha)
	rho := math.Sqrt((la + math.Log(la+1)) / nStar)
	k := n*rho*rho + 1
	half := se * math.Sqrt(n) * math.Sqrt(2*k*math.Log(math.Sqrt(k)/alpha)/((n*rho)*(n*rho)))
	st2 := estimate * estimate * n / (se * se)
	logE := rho*rho*st2/(2*k) - 0.5*math.Log(k)
	r := GrowthBookSequential{Rho: rho, HalfWidth: half, CILow: estimate - half, CIHigh: estimate + half, PValue: math.Exp(math.Min(0, -logE))}
	if !finiteAll(r.HalfWidth, r.CILow, r.CIHigh, r.PValue) {
		return GrowthBookSequential{}, &UndefinedError{Func: fn, Reason: "overflow for these inputs"}
	}
	return r, nil
}
