package abtest

import "math"

// SampleSizePlan describes a conversion experiment to size. Zero values of
// Alpha, Power and Ratio take their defaults.
type SampleSizePlan struct {
	// Baseline is the control's expected conversion rate, in (0, 1).
	Baseline float64 `json:"baseline"`
	// MDE is the minimum detectable effect: an absolute difference in rate
	// (0.01 = one point), or a relative one (0.1 = +10%) when Relative is
	// set. Negative values size the detection of a drop.
	MDE      float64 `json:"mde"`
	Relative bool    `json:"relative,omitempty"`
	// Alpha is the significance level (default 0.05), Power the
	// probability of detecting the MDE (default 0.8).
	Alpha float64 `json:"alpha,omitempty"`
	Power float64 `json:"power,omitempty"`
	// OneSided sizes a one-sided test (z_{1-alpha} instead of
	// z_{1-alpha/2}).
	OneSided bool `json:"one_sided,omitempty"`
	// Ratio is n_treatment / n_control (default 1); e.g. 9 for a 10%
	// holdout as control against a 90% treatment.
	Ratio float64 `json:"ratio,omitempty"`
	// DailyCustomers, if positive, is how many customers enter the
	// experiment (both arms together) per day; it yields Days.
	DailyCustomers float64 `json:"daily_customers,omitempty"`
}

// SampleSizeResult is the per-arm sample size of a [SampleSizePlan].
type SampleSizeResult struct {
	TreatmentRate float64 `json:"treatment_rate"` // baseline + delta
	Delta         float64 `json:"delta"`          // absolute difference
	ZAlpha        float64 `json:"z_alpha"`
	ZBeta         float64 `json:"z_beta"`
	// ControlNExact is the pooled-variance (Fleiss, no continuity
	// correction) control size before rounding up; ControlN and
	// TreatmentN are ceil(ControlNExact) and ceil(Ratio*ControlNExact).
	ControlNExact float64 `json:"control_n_exact"`
	ControlN      int64   `json:"control_n"`
	TreatmentN    int64   `json:"treatment_n"`
	// ControlNUnpooled is the unpooled-variance formula, rounded up.
	ControlNUnpooled int64 `json:"control_n_unpooled"`
	// EvanMillerN is Evan Miller's calculator's per-arm size (Ratio 1
	// only, 0 otherwise).
	EvanMillerN int64 `json:"evan_miller_n"`
	// Days is ceil((ControlN + TreatmentN) / DailyCustomers), 0 without
	// DailyCustomers. More than 1e18 days is [ErrUndefined], as is a
	// sample size above 1e18.
	Days int64 `json:"days"`
}

// SampleSize plans a two-proportion test. With p1 the baseline, p2 = p1 +
// delta, k = Ratio, qi = 1 - pi and z_a, z_b the normal quantiles:
//
//	pooled:   n_c = [z_a sqrt(pbar qbar (1+1/k)) + z_b sqrt(p1 q1 + p2 q2/k)]^2 / delta^2, pbar = (p1 + k p2)/(1+k)
//	unpooled: n_c = (z_a + z_b)^2 (p1 q1 + p2 q2/k) / delta^2
//
// A treatment rate outside (0, 1) or a zero effect is [ErrUndefined].
func SampleSize(plan SampleSizePlan) (SampleSizeResult, error) {
	const fn = "SampleSize"
	alpha, err := alphaOrDefault(fn, plan.Alpha)
	if err != nil {
		return SampleSizeResult{}, err
	}
	power := plan.Power
	if power == 0 {
		power = 0.8
	}
	ratio := plan.Ratio
	if ratio == 0 {
		ratio = 1
	}
	switch {
	case !(power > 0 && power < 1):
		return SampleSizeResult{}, &InputError{Func: fn, Field: "power", Reason: "must be in (0, 1)"}
	case !(ratio > 0) || !isFinite(ratio):
		return SampleSizeResult{}, &InputError{Func: fn, Field: "ratio", Reason: "must be positive and finite"}
	case !(plan.Baseline > 0 && plan.Baseline < 1):
		return SampleSizeResult{}, &InputError{Func: fn, Field: "baseline", Reason: "must be in (0, 1)"}
	case !isFinite(plan.MDE):
		return SampleSizeResult{}, &InputError{Func: fn, Field: "mde", Reason: "not finite"}
	case !(plan.DailyCustomers >= 0) || !isFinite(plan.DailyCustomers):
		return SampleSizeResult{}, &InputError{Func: fn, Field: "daily_customers", Reason: "must be >= 0 and finite"}
	}
	p1 := plan.Baseline
	delta := plan.MDE
	if plan.Relative {
		delta = plan.MDE * p1
	}
	p2 := p1 + delta
	if delta == 0 || !(p2 > 0 && p2 < 1) {
		return SampleSizeResult{}, &UndefinedError{Func: fn, Reason: "treatment rate outside (0, 1) or zero effect"}
	}
	r := SampleSizeResult{TreatmentRate: p2, Delta: delta, ZBeta: zQuantile(power)}
	if plan.OneSided {
		r.ZAlpha = zUpper(alpha)
	} else {
		r.ZAlpha = zUpper(alpha / 2)
	}
	q1, q2, k := 1-p1, 1-p2, ratio
	pbar := (p1 + k*p2) / (1 + k)
	d2 := delta * delta
	pooled := r.ZAlpha*math.Sqrt(pbar*(1-pbar)*(1+1/k)) + r.ZBeta*math.Sqrt(p1*q1+p2*q2/k)
	r.ControlNExact = pooled * pooled / d2
	unpooled := (r.ZAlpha + r.ZBeta) * (r.ZAlpha + r.ZBeta) * (p1*q1 + p2*q2/k) / d2
	treat := k * r.ControlNExact
	if !finiteAll(r.ControlNExact, unpooled, treat) || treat > 1e18 || unpooled > 1e18 {
		return SampleSizeResult{}, &UndefinedError{Func: fn, Reason: "required sample size exceeds 1e18"}
	}
	r.ControlN = int64(math.Ceil(r.ControlNExact))
	r.TreatmentN = int64(math.Ceil(treat))
	r.ControlNUnpooled = int64(math.Ceil(unpooled))
	if k == 1 {
		em := r.ZAlpha*math.Sqrt(2*p1*q1) + r.ZBeta*math.Sqrt(p1*q1+p2*q2)
		r.EvanMillerN = int64(math.Ceil(em * em / d2))
	}
	if plan.DailyCustomers > 0 {
		days := math.Ceil(float64(r.ControlN+r.TreatmentN) / plan.DailyCustomers)
		// Beyond 1e18 days (the bound of the sizes above) an int64 is no
		// longer a number of days anyone can plan with, and beyond 9.2e18
		// the conversion overflows.
		if !(days <= 1e18) {
			return SampleSizeResult{}, &UndefinedError{Func: fn, Reason: "the experiment would run more than 1e18 days at this daily traffic"}
		}
		r.Days = int64(days)
	}
	return r, nil
}
