package abtest

import "math"

// RelativeResult is the relative uplift (treatment - control)/|control| of
// a mean or a rate, with a normal (delta-method) standard error.
type RelativeResult struct {
	Uplift float64 `json:"uplift"`
	SE     float64 `json:"se"`
	// CILow, CIHigh: uplift -+ z_{1-alpha/2} SE.
	CILow  float64 `json:"ci_low"`
	CIHigh float64 `json:"ci_high"`
	// PValue is two-sided: erfc(|uplift| / (SE sqrt 2)).
	PValue float64 `json:"p_value"`
	// ChanceToWin is the Gaussian probability that the true uplift is
	// positive, Phi(uplift/SE) (GrowthBook's frequentist "chance to win").
	ChanceToWin float64 `json:"chance_to_win"`
	// ExpectedLossControl is E[max(U, 0)]: what keeping the control costs
	// in expectation, U ~ N(uplift, SE^2); ExpectedLossTreatment is
	// E[max(-U, 0)], the expected cost of shipping the treatment.
	ExpectedLossControl   float64 `json:"expected_loss_control"`
	ExpectedLossTreatment float64 `json:"expected_loss_treatment"`
	// Degenerate is set when SE is 0 (both rates at 0% or 100%, or both
	// variances 0): the statistics above are then the SE -> 0 limits
	// (p = 1 and chance 1/2 for a zero uplift, p = 0 and chance 0 or 1
	// otherwise) and carry no evidence.
	Degenerate bool `json:"degenerate"`
}

// relativeUplift implements the delta method for independent arms with
// per-unit variances va, vb and means ma, mb:
// var = vb/(nb ma^2) + va mb^2/(na ma^4).
func relativeUplift(fn string, na, ma, va, nb, mb, vb, alpha float64) (RelativeResult, error) {
	if ma == 0 {
		return RelativeResult{}, &UndefinedError{Func: fn, Reason: "control mean is 0: relative uplift undefined"}
	}
	u := (mb - ma) / math.Abs(ma)
	v := vb/(nb*ma*ma) + va*mb*mb/(na*ma*ma*ma*ma)
	se := math.Sqrt(v)
	z := zUpper(alpha / 2)
	r := RelativeResult{Uplift: u, SE: se, CILow: u - z*se, CIHigh: u + z*se}
	if se == 0 {
		r.Degenerate = true
		switch {
		case u > 0:
			r.ChanceToWin, r.ExpectedLossControl = 1, u
		case u < 0:
			r.ExpectedLossTreatment = -u
		default:
			r.PValue, r.ChanceToWin = 1, 0.5
		}
	} else {
		r.PValue = erfcSqrt2(math.Abs(u) / se)
		r.ChanceToWin = normCDF(u / se)
		r.ExpectedLossControl = se * normExcess(-u/se)
		r.ExpectedLossTreatment = se * normExcess(u/se)
	}
	if !finiteAll(r.Uplift, r.SE, r.CILow, r.CIHigh, r.ExpectedLossControl, r.ExpectedLossTreatment) {
		return RelativeResult{}, &UndefinedError{Func: fn, Reason: "relative uplift overflows (control mean too close to 0)"}
	}
	return r, nil
}

// normExcess is E[max(Z - z, 0)] = phi(z) - z Phi(-z) for standard normal
// Z, without the cancellation of that formula for large z.
func normExcess(z float64) float64 {
	if z < 8 {
		return math.Max(normPDF(z)-z*normSF(z), 0)
	}
	// phi(z)/z^2 * sum_k (-1)^k (2k+1)!!/z^(2k); stop at the smallest term.
	s, term, u := 1.0, 1.0, 1/(z*z)
	for k := 1; k < 40; k++ {
		next := -term * float64(2*k+1) * u
		if math.Abs(next) >= math.Abs(term) {
			break
		}
		term = next
		s += term
	}
	return normPDF(z) * u * s
}

// RelativeUplift is the relative uplift of the treatment's conversion rate
// over the control's, (p_t - p_c)/p_c, with the delta-method standard
// error (per-customer variance p(1-p), as GrowthBook's proportion metric)
// and a normal interval at level 1 - alpha (0 means 0.05). A control rate
// of 0 is [ErrUndefined].
func RelativeUplift(control, treatment Proportion, alpha float64) (RelativeResult, error) {
	const fn = "RelativeUplift"
	alpha, err := alphaOrDefault(fn, alpha)
	if err != nil {
		return RelativeResult{}, err
	}
	if err := control.check(fn, "control"); err != nil {
		return RelativeResult{}, err
	}
	if err := treatment.check(fn, "treatment"); err != nil {
		return RelativeResult{}, err
	}
	pa, pb := control.Rate(), treatment.Rate()
	return relativeUplift(fn, float64(control.N), pa, pa*(1-pa), float64(treatment.N), pb, pb*(1-pb), alpha)
}
