package clv

import (
	"math"
)

// ParetoNBDModel is the Pareto/NBD model (Schmittlein, Morrison & Colombo
// 1987): while active, a customer buys at a Poisson rate lambda ~
// Gamma(R, Alpha) and stays active for an exponential lifetime of rate
// mu ~ Gamma(S, Beta).
type ParetoNBDModel struct {
	R, Alpha, S, Beta float64
}

// Kind implements PurchaseModel.
func (m ParetoNBDModel) Kind() Kind { return ParetoNBD }

// Params implements PurchaseModel.
func (m ParetoNBDModel) Params() []float64 { return []float64{m.R, m.Alpha, m.S, m.Beta} }

func (m ParetoNBDModel) check(c Customer) error {
	if err := checkParams(ParetoNBD, m.Params()); err != nil {
		return err
	}
	return checkCustomer(&c)
}

// LogLikelihood implements PurchaseModel (Fader & Hardie 2005, "A note on
// deriving the Pareto/NBD model", eq. 17-19).
func (m ParetoNBDModel) LogLikelihood(c Customer) (float64, error) {
	if err := m.check(c); err != nil {
		return 0, err
	}
	alive, dead, err := m.terms(c.X, c.Tx, c.T)
	if err != nil {
		return 0, err
	}
	return finite(m.xPart(c.X)+logAddExp(alive, dead), "log-likelihood", c)
}

// PAlive implements PurchaseModel.
func (m ParetoNBDModel) PAlive(c Customer) (float64, error) {
	if err := m.check(c); err != nil {
		return 0, err
	}
	alive, dead, err := m.terms(c.X, c.Tx, c.T)
	if err != nil {
		return 0, err
	}
	return finite(sigmoid(alive-dead), "P(alive)", c)
}

// ConditionalExpected implements PurchaseModel.
func (m ParetoNBDModel) ConditionalExpected(c Customer, t float64) (float64, error) {
	p, err := m.PAlive(c)
	if err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	bT := m.Beta + c.T
	v := (m.R + float64(c.X)) * bT / (m.Alpha + c.T) * powRatio(m.S, t/bT) * p
	return finite(v, "conditional expectation", c)
}

// Expected is the expected number of repeat transactions of a customer
// in the first t time units after their first purchase.
func (m ParetoNBDModel) Expected(t float64) (float64, error) {
	if err := checkParams(ParetoNBD, m.Params()); err != nil {
		return 0, err
	}
	if err := checkHorizon(t); err != nil {
		return 0, err
	}
	return finite(m.R*m.Beta/m.Alpha*powRatio(m.S, t/m.Beta), "expected transactions", Customer{})
}

// DiscountedExpected is the discounted expected number of future
// transactions (DET) of c under continuous discounting at rate delta per
// time unit, over an infinite horizon (Fader, Hardie & Lee 2005, "RFM and
// CLV", eq. 2). For an annual rate d on weekly data, delta =
// ln(1+d)/52. CLV = margin * expected spend * DET.
//
// DET = P(alive) (r+x)/(α+T) E[1/(μ+δ)], μ ~ Gamma(s, β+T); the
// expectation is (β+T)^s δ^(s-1) U(s, s; δ(β+T)) in the paper, computed
// here as J/δ with J = ∫ e^-v (1+v/z)^-s dv = z^s e^z Γ(1-s, z).
func (m ParetoNBDModel) DiscountedExpected(c Customer, delta float64) (float64, error) {
	p, err := m.PAlive(c)
	if err != nil {
		return 0, err
	}
	if !(delta > 0) || math.IsInf(delta, 0) {
		return 0, inputErr("discount rate delta = %v, want a finite number > 0", delta)
	}
	j, err := laplaceGamma(m.S, delta*(m.Beta+c.T))
	if err != nil {
		return 0, err
	}
	v := p * (m.R + float64(c.X)) / (m.Alpha + c.T) * j / delta
	return finite(v, "discounted expected transactions", c)
}

// powRatio returns [1 - (1+u)^-(s-1)]/(s-1), the lifetime integral of the
// Pareto/NBD expectations, and its limit log(1+u) at s = 1.
func powRatio(s, u float64) float64 {
	l := math.Log1p(u)
	if sm1 := s - 1; math.Abs(sm1*l) > 1e-8 {
		return -math.Expm1(-sm1*l) / sm1
	} else {
		return l * (1 - sm1*l/2)
	}
}

// xPart is the log of Γ(r+x) α^r β^s / Γ(r).
func (m ParetoNBDModel) xPart(x int) float64 {
	a, _ := math.Lgamma(m.R + float64(x))
	b, _ := math.Lgamma(m.R)
	return a - b + m.R*math.Log(m.Alpha) + m.S*math.Log(m.Beta)
}

// terms returns the logs of the two parts of the likelihood (without
// xPart): alive at T, and dropped out in (t_x, T]:
//
//	alive = -(r+x) log(α+T) - s log(β+T)
//	dead  = log s ∫_{t_x}^{T} (α+τ)^-(r+x) (β+τ)^-(s+1) dτ
//
// The integral is the difference of the 2F1 terms of the published
// likelihood (A0); see deathIntegral.
func (m ParetoNBDModel) terms(x int, tx, T float64) (alive, dead float64, err error) {
	fx := float64(x)
	alive = -(m.R+fx)*math.Log(m.Alpha+T) - m.S*math.Log(m.Beta+T)
	li, err := deathIntegral(m.R+fx, m.Alpha, m.S, m.Beta, tx, T)
	if err != nil {
		return 0, 0, err
	}
	return alive, math.Log(m.S) + li, nil
}

// deathIntegral returns log ∫_{t0}^{t1} (α+τ)^-k (β+τ)^-(s+1) dτ, -Inf
// when t0 = t1.
//
// Closed form: with a = k+s and m = max(α, β), the antiderivative tail
// I(t) = ∫_t^∞ is (m+t)^-a / a · 2F1(a, b; a+1; z(t)), where b = s+1 and
// z = (α-β)/(α+t) when α >= β, b = k and z = (β-α)/(β+t) otherwise. The
// 2F1 can overflow for large k (it grows like (1-z)^-b); Euler's
// transformation 2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z)
// leaves a series of positive terms bounded by 1/(1-z), so everything is
// done in logs. That series converges like z^n; when z(t0) > 0.95 it is
// too slow and the integral is computed by Gauss-Legendre quadrature in
// log(β+τ) instead (see quadDeath).
//
// deathIntegralGrad also gives the derivatives of that log with respect
// to (k, s, α, β), through the same series or quadrature (differentiated
// term by term, or under the integral sign on the same nodes).
func deathIntegral(k, alpha, s, beta, t0, t1 float64) (float64, error) {
	return deathIntegralGrad(k, alpha, s, beta, t0, t1, nil)
}

// deathIntegralGrad is deathIntegral with, when grad is not nil, the
// derivatives of the log with respect to (k, s, α, β).
func deathIntegralGrad(k, alpha, s, beta, t0, t1 float64, grad *[4]float64) (float64, error) {
	if grad != nil {
		*grad = [4]float64{}
	}
	if t1 <= t0 {
		return math.Inf(-1), nil
	}
	a := k + s
	m, b := alpha, s+1
	if alpha < beta {
		m, b = beta, k
	}
	z0 := math.Abs(alpha-beta) / (m + t0)
	if z0 > 0.95 {
		return quadDeathGrad(k, alpha, s, beta, t0, t1, grad), nil
	}
	var g0, g1 *[4]float64
	if grad != nil {
		g0, g1 = new([4]float64), new([4]float64)
	}
	l0, err := logTail(a, b, m, math.Abs(alpha-beta), t0, g0)
	if err != nil {
		return 0, err
	}
	l1, err := logTail(a, b, m, math.Abs(alpha-beta), t1, g1)
	if err != nil {
		return 0, err
	}
	return combineTails(alpha, beta, l0, l1, g0, g1, grad), nil
}

// combineTails returns log(I(t0) - I(t1)) from the logs of the two
// tails, and with grad not nil its derivatives in (k, s, α, β) from the
// tails' derivatives in (a, b, m, d) (see logTail).
func combineTails(alpha, beta, l0, l1 float64, g0, g1, grad *[4]float64) float64 {
	// I(t0) - I(t1) = I(t0) (1 - I(t1)/I(t0)), with I decreasing.
	em := -math.Expm1(l1 - l0)
	if grad != nil {
		combineTailsGrad(alpha, beta, em, g0, g1, grad)
	}
	return l0 + math.Log(em)
}

// addTailsHess adds wgt times the Hessian of log(I(t0) - I(t1)) in
// (a, b, m, d) to acc (upper triangle, row-major 4×4), from the tails'
// gradients g and Hessians h in (a, b, m, d):
//
//	∇²L = [(h0 + g0 g0ᵀ) - w (h1 + g1 g1ᵀ)]/em - ∇L ∇Lᵀ,  w = 1 - em.
//
// The change of variables to (k, s, α, β) is linear and the same for
// every cell of one evaluation (it depends only on the sign of α-β), so
// the cells' Hessians are summed in (a, b, m, d) and mapped once
// (mapTailsHess).
func addTailsHess(acc *[16]float64, wgt, em float64, g0, g1 *[4]float64, h0, h1 *[16]float64) {
	w := 1 - em
	var d [4]float64
	for i := range d {
		d[i] = (g0[i] - w*g1[i]) / em
	}
	ie := wgt / em
	for i := range 4 {
		for j := i; j < 4; j++ {
			acc[i*4+j] += ie*(h0[i*4+j]+g0[i]*g0[j]-w*(h1[i*4+j]+g1[i]*g1[j])) - wgt*d[i]*d[j]
		}
	}
}

// mapTailsHess returns J^T H J for a Hessian h in (a, b, m, d) (upper
// triangle) and the branch's Jacobian J of (a, b, m, d) with respect to
// (k, s, α, β) (see combineTailsGrad), full 4×4 in (k, s, α, β).
func mapTailsHess(alpha, beta float64, h *[16]float64) [16]float64 {
	var hl [16]float64
	for i := range 4 {
		for j := i; j < 4; j++ {
			hl[i*4+j], hl[j*4+i] = h[i*4+j], h[i*4+j]
		}
	}
	// Each of (k, s, α, β) moves at most two of (a, b, m, d), by ±1:
	// column i of J is sign0 e_i0 + sign1 e_i1 (sign1 = 0: one only).
	type col struct {
		i0, i1       int
		sign0, sign1 float64
	}
	const a, b, m, dd = 0, 1, 2, 3
	cols := [4]col{{a, 0, 1, 0}, {a, b, 1, 1}, {m, dd, 1, 1}, {dd, 0, -1, 0}}
	if alpha < beta {
		cols = [4]col{{a, b, 1, 1}, {a, 0, 1, 0}, {dd, 0, -1, 0}, {m, dd, 1, 1}}
	}
	var hj [4][4]float64 // hl J
	for p := range 4 {
		for j, c := range cols {
			hj[p][j] = c.sign0*hl[p*4+c.i0] + c.sign1*hl[p*4+c.i1]
		}
	}
	var out [16]float64
	for i, c := range cols {
		for j := i; j < 4; j++ {
			v := c.sign0*hj[c.i0][j] + c.sign1*hj[c.i1][j]
			out[i*4+j], out[j*4+i] = v, v
		}
	}
	return out
}

// combineTailsGrad is the gradient part of combineTails, given
// em = 1 - I(t1)/I(t0).
func combineTailsGrad(alpha, beta, em float64, g0, g1, grad *[4]float64) {
	{
		// The logTail derivatives are in (a, b, m, d); map them to
		// (k, s, α, β) for the branch taken.
		w := 1 - em // e^(l1-l0); its rounding only scales g1
		var d [4]float64
		for i := range d {
			d[i] = (g0[i] - w*g1[i]) / em
		}
		// a = k+s; dm and dd by the sign of α-β.
		grad[0], grad[1] = d[0], d[0]
		if alpha >= beta {
			grad[1] += d[1] // b = s+1
			grad[2] = d[2] + d[3]
			grad[3] = -d[3]
		} else {
			grad[0] += d[1] // b = k
			grad[3] = d[2] + d[3]
			grad[2] = -d[3]
		}
	}
}

// logTail returns log[(m+t)^-a / a · 2F1(a, b; a+1; d/(m+t))]; with grad
// not nil, its derivatives with respect to (a, b, m, d).
func logTail(a, b, m, d, t float64, grad *[4]float64) (float64, error) {
	z := d / (m + t)
	f, fa, fb, fz, err := hyp2f1EulerDeriv(a, b, z, grad != nil)
	if err != nil {
		return 0, err
	}
	// log(1-z) = log((m+t-d)/(m+t)), exact for small 1-z.
	lmt := math.Log(m + t)
	l1z := math.Log(m+t-d) - lmt
	if grad != nil {
		// z = d/(m+t): dz/dm = -z/(m+t), dz/dd = 1/(m+t); log(1-z) =
		// log(m+t-d) - log(m+t).
		mt, mtd := m+t, m+t-d
		grad[0] = -lmt - 1/a + fa/f
		grad[1] = -l1z + fb/f
		grad[2] = -a/mt + (1-b)*(1/mtd-1/mt) - fz/f*z/mt
		grad[3] = -(1-b)/mtd + fz/f/mt
	}
	return -a*lmt - math.Log(a) + (1-b)*l1z + math.Log(f), nil
}

// hyp2f1Euler returns F = 2F1(1, a+1-b; a+1; z) for 0 <= z < 1, a > 0,
// b > 0: a series of positive terms whose ratio is below z. With deriv
// it also returns the partial derivatives of F in a, b and z, summed
// term by term: d log T_n/da = Σ_{j<n} 1/(c+j) - 1/(a+1+j) and d log
// T_n/db = -Σ_{j<n} 1/(c+j) with c = a+1-b, and dT_n/dz = n T_n/z (kept
// as n U_n with U_n = T_n/z, defined at z = 0).
func hyp2f1Euler(a, b, z float64) (float64, error) {
	f, _, _, _, err := hyp2f1EulerDeriv(a, b, z, false)
	return f, err
}

func hyp2f1EulerDeriv(a, b, z float64, deriv bool) (f, fa, fb, fz float64, err error) {
	sum, term := 1.0, 1.0
	c := a + 1 - b
	var da, db float64
	u := 1 / (a + 1) // U_1 / c
	for n := 0; ; n++ {
		if n > maxSeriesTerms {
			return 0, 0, 0, 0, numericErr("Pareto/NBD hypergeometric series did not converge (z = %v)", z)
		}
		fn := float64(n)
		if !deriv {
			term *= (c + fn) / (a + 1 + fn) * z
			sum += term
		} else {
			ic, ia := 1/(c+fn), 1/(a+1+fn)
			ratio := (c + fn) * ia
			term *= ratio * z
			sum += term
			da += ic - ia
			db -= ic
			fa += term * da
			fb += term * db
			if n == 0 {
				u *= c
			} else {
				u *= ratio * z
			}
			fz += (fn + 1) * u
		}
		// The remaining terms are below term z/(1-z) in total; the
		// derivative sums carry an extra factor n (and log n).
		if term*z <= 1e-17*sum*(1-z) && (!deriv || (fn+2)*(u*z+term)*z <= 1e-17*sum*(1-z)*(1-z)) {
			return sum, fa, fb, fz, nil
		}
	}
}
