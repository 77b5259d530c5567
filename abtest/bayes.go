package abtest

import (
	"math"
	"slices"
)

// BetaPrior is the Beta(Alpha, Beta) prior of a conversion rate. The zero
// value means the uniform prior Beta(1, 1).
type BetaPrior struct {
	Alpha float64 `json:"alpha"`
	Beta  float64 `json:"beta"`
}

// BayesResult is the Beta-Binomial comparison of a treatment's conversion
// rate with the control's.
type BayesResult struct {
	// PosteriorControl and PosteriorTreatment are the posterior Beta
	// parameters (alpha0 + conversions, beta0 + non-conversions).
	PosteriorControl   [2]float64 `json:"posterior_control"`
	PosteriorTreatment [2]float64 `json:"posterior_treatment"`
	MeanControl        float64    `json:"mean_control"`
	MeanTreatment      float64    `json:"mean_treatment"`
	// ProbTreatmentBeats is P(p_t > p_c); ProbControlBeats is P(p_c > p_t).
	// Both are computed directly (not as 1 minus the other), so a tiny one
	// keeps its relative precision.
	ProbTreatmentBeats float64 `json:"prob_treatment_beats"`
	ProbControlBeats   float64 `json:"prob_control_beats"`
	// ExpectedLossTreatment is E[max(p_c - p_t, 0)]: the conversion rate
	// lost in expectation by shipping the treatment. ExpectedLossControl
	// is E[max(p_t - p_c, 0)]. A common rule ships the treatment when its
	// expected loss is below a threshold of caring (e.g. 0.0005 = 0.05
	// points).
	ExpectedLossTreatment float64 `json:"expected_loss_treatment"`
	ExpectedLossControl   float64 `json:"expected_loss_control"`
}

// Bayes compares two conversion rates with independent Beta posteriors;
// with several variants, call it once per variant against the control.
// The probabilities and expected losses are double integrals over the two
// posteriors, computed by deterministic Gauss-Legendre quadrature (never
// by sampling), accurate to about 1e-12 relative for any counts up to
// ~1e12 and for probabilities down to ~1e-60; smaller tail probabilities
// are still tiny but lose relative precision, and below ~1e-65 may be 0.
//
// Method: in the logit variable u = log(p/(1-p)) a Beta(a, b) density is
// proportional to exp(a log sigma(u) + b log sigma(-u)), smooth and
// log-concave with no endpoint singularity even for a, b < 1. Both
// kernels are evaluated relative to their modes with expm1/log1p forms
// (no lgamma, whose rounding would cost 1e-8 at a ~ 1e7), normalised
// numerically on a common set of panels (each at most one posterior
// standard deviation wide, or where the log density changes by 2), and
// the inner integrals within a panel use the exact integrals of the
// Gauss-Legendre interpolant.
func Bayes(control, treatment Proportion, prior BetaPrior) (BayesResult, error) {
	const fn = "Bayes"
	if prior == (BetaPrior{}) {
		prior = BetaPrior{Alpha: 1, Beta: 1}
	}
	if !(prior.Alpha >= 1e-6 && prior.Alpha <= 1e12) || !(prior.Beta >= 1e-6 && prior.Beta <= 1e12) {
		return BayesResult{}, &InputError{Func: fn, Field: "prior", Reason: "alpha and beta must be in [1e-6, 1e12]"}
	}
	for _, arm := range []struct {
		name string
		p    Proportion
	}{{"control", control}, {"treatment", treatment}} {
		if arm.p.N < 0 || arm.p.Conversions < 0 || arm.p.Conversions > arm.p.N {
			return BayesResult{}, &InputError{Func: fn, Field: arm.name, Reason: "counts must satisfy 0 <= conversions <= n"}
		}
		if arm.p.N > 1e15 {
			return BayesResult{}, &InputError{Func: fn, Field: arm.name + ".N", Reason: "above 1e15"}
		}
	}
	ka := newBetaKernel(prior.Alpha+float64(control.Conversions), prior.Beta+float64(control.N-control.Conversions))
	kb := newBetaKernel(prior.Alpha+float64(treatment.Conversions), prior.Beta+float64(treatment.N-treatment.Conversions))
	r := BayesResult{
		PosteriorControl:   [2]float64{ka.a, ka.b},
		PosteriorTreatment: [2]float64{kb.a, kb.b},
		MeanControl:        ka.a / (ka.a + ka.b),
		MeanTreatment:      kb.a / (kb.a + kb.b),
	}
	g := newBetaGrid(ka, kb)
	r.ProbTreatmentBeats, r.ExpectedLossTreatment = g.compare(g.fa, g.fb)
	r.ProbControlBeats, r.ExpectedLossControl = g.compare(g.fb, g.fa)
	if !finiteAll(r.ProbTreatmentBeats, r.ProbControlBeats, r.ExpectedLossControl, r.ExpectedLossTreatment) {
		return BayesResult{}, &UndefinedError{Func: fn, Reason: "quadrature failed for these posteriors"}
	}
	return r, nil
}

// betaKernel is a Beta(a, b) density in the logit variable, relative to
// its value at the mode.
type betaKernel struct {
	a, b  float64
	mode  float64 // log(a/b)
	sigM  float64 // sigma(mode)
	sigMn float64 // sigma(-mode)
}

func newBetaKernel(a, b float64) betaKernel {
	m := math.Log(a / b)
	return betaKernel{a: a, b: b, mode: m, sigM: sigmoid(m), sigMn: sigmoid(-m)}
}

func sigmoid(u float64) float64 {
	if u >= 0 {
		return 1 / (1 + math.Exp(-u))
	}
	e := math.Exp(u)
	return e / (1 + e)
}

func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

// logRel is log k(u) - log k(mode) <= 0.
func (k betaKernel) logRel(u float64) float64 {
	d := u - k.mode
	if math.Abs(d) >= 30 {
		return k.a*(softplus(-k.mode)-softplus(-u)) + k.b*(softplus(k.mode)-softplus(u))
	}
	// log sigma(u) - log sigma(m) = log1p(sigma(-u) expm1(d)), and
	// symmetrically for sigma(-u): exact near the mode where the two
	// softplus terms are large and cancel. Where the ratio falls below
	// 1/2 the log1p argument is itself a cancellation (-1 + a tiny
	// remainder: 1e-5 relative at d = -25, which a parameter below 1
	// leaves in the bulk of the mass), and the softplus difference is
	// the exact one.
	lo := sigmoid(-u) * math.Expm1(d)
	if lo > -0.5 {
		lo = math.Log1p(lo)
	} else {
		lo = softplus(-k.mode) - softplus(-u)
	}
	hi := sigmoid(u) * math.Expm1(-d)
	if hi > -0.5 {
		hi = math.Log1p(hi)
	} else {
		hi = softplus(k.mode) - softplus(u)
	}
	return k.a*lo + k.b*hi
}

// derivs returns the first and second derivatives of log k at u.
func (k betaKernel) derivs(u float64) (float64, float64) {
	s, sn := sigmoid(u), sigmoid(-u)
	return k.a*sn - k.b*s, -(k.a + k.b) * s * sn
}

// breakpoints walks from the mode in both directions until log k has
// dropped by bayesDrop, with panels where log k changes by at most ~2
// and at most one local standard deviation wide.
func (k betaKernel) breakpoints() []float64 {
	pts := []float64{k.mode}
	for _, dir := range []float64{-1, 1} {
		u := k.mode
		for step := 0; step < 4000; step++ {
			d1, d2 := k.derivs(u)
			w := 1 / math.Sqrt(d1*d1/4+math.Abs(d2))
			if !isFinite(w) || w <= 0 {
				break
			}
			next := u + dir*w
			if next == u || !isFinite(next) {
				break
			}
			u = next
			pts = append(pts, u)
			if k.logRel(u) < -bayesDrop {
				break
			}
		}
	}
	return pts
}

// bayesDrop bounds the integration range: beyond it both kernels are below
// e^-150 of their peaks.
const bayesDrop = 150

// armGrid holds one arm's kernel on the common nodes.
type armGrid struct {
	// Per node (index panel*glOrder + node): the kernel value, the
	// integral from the panel start to the node, and the integral from the
	// node to the panel end of (sigma(u) - sigma(node)) k(u).
	k, lower, upperS []float64
	total            []float64 // integral over each panel
	startS           []float64 // integral over the panel of (sigma(u) - sigma(start)) k(u)
	z                float64   // normalising constant
	cumLess          []float64 // mass of panels before each panel
	cumMore          []float64 // mass of panels after each panel
	d                []float64 // sum over later panels of (sigma(u) - sigma(panel end)) k(u)
}

// betaGrid is the common panel structure of two kernels.
type betaGrid struct {
	edges  []float64 // panel boundaries
	sig    []float64 // sigma at the nodes (panel*glOrder + node)
	fa, fb *armGrid
}

func newBetaGrid(ka, kb betaKernel) *betaGrid {
	edges := append(ka.breakpoints(), kb.breakpoints()...)
	slices.Sort(edges)
	edges = slices.Compact(edges)
	g := &betaGrid{edges: edges}
	np := len(edges) - 1
	g.sig = make([]float64, np*glOrder)
	for j := range np {
		h := edges[j+1] - edges[j]
		for i, x := range glNodes {
			g.sig[j*glOrder+i] = sigmoid(edges[j] + h*x)
		}
	}
	g.fa, g.fb = g.arm(ka), g.arm(kb)
	return g
}

func (g *betaGrid) arm(k betaKernel) *armGrid {
	np := len(g.edges) - 1
	f := &armGrid{
		k: make([]float64, np*glOrder), lower: make([]float64, np*glOrder), upperS: make([]float64, np*glOrder),
		total: make([]float64, np), startS: make([]float64, np),
		cumLess: make([]float64, np), cumMore: make([]float64, np), d: make([]float64, np),
	}
	for j := range np {
		s, h := g.edges[j], g.edges[j+1]-g.edges[j]
		base := j * glOrder
		kv, sig := f.k[base:base+glOrder], g.sig[base:base+glOrder]
		for i, x := range glNodes {
			kv[i] = math.Exp(k.logRel(s + h*x))
		}
		sigS := sigmoid(s)
		var tot, ss float64
		for i := range kv {
			tot += glWeights[i] * kv[i]
			ss += glWeights[i] * (sig[i] - sigS) * kv[i]
		}
		f.total[j], f.startS[j] = h*tot, h*ss
		for n := range glOrder {
			var lo, ups float64
			for m := range glOrder {
				lo += glLower[n][m] * kv[m]
				ups += glUpper[n][m] * (sig[m] - sig[n]) * kv[m]
			}
			// The interpolant's partial integrals of a positive function
			// can dip below 0 by rounding where the kernel is ~0.
			f.lower[base+n], f.upperS[base+n] = math.Max(h*lo, 0), math.Max(h*ups, 0)
		}
	}
	acc := 0.0
	for j := range np {
		f.cumLess[j] = acc
		acc += f.total[j]
	}
	f.z = acc
	acc = 0
	for j := np - 1; j >= 0; j-- {
		f.cumMore[j] = acc
		acc += f.total[j]
	}
	// d[j] = sum_{i>j} int_i (sigma(u) - sigma(e_j)) k(u) du, by the
	// recurrence d[j-1] = d[j] + (sigma(e_j) - sigma(s_j)) cumMore[j] +
	// startS[j], all terms non-negative.
	for j := np - 1; j > 0; j-- {
		f.d[j-1] = f.d[j] + (sigmoid(g.edges[j+1])-sigmoid(g.edges[j]))*f.cumMore[j] + f.startS[j]
	}
	return f
}

// compare returns P(Y > X) and E[max(X - Y, 0)] for X ~ x, Y ~ y, both
// as integrals over y's nodes of x's partial masses.
func (g *betaGrid) compare(x, y *armGrid) (prob, loss float64) {
	for j := range len(g.edges) - 1 {
		h := g.edges[j+1] - g.edges[j]
		sigE := sigmoid(g.edges[j+1])
		var p, l float64
		for n := range glOrder {
			i := j*glOrder + n
			wy := glWeights[n] * y.k[i]
			if wy == 0 {
				continue
			}
			p += wy * (x.cumLess[j] + x.lower[i])
			l += wy * (x.d[j] + (sigE-g.sig[i])*x.cumMore[j] + x.upperS[i])
		}
		prob += h * p
		loss += h * l
	}
	zz := x.z * y.z
	return math.Min(math.Max(prob/zz, 0), 1), math.Max(loss/zz, 0)
}
