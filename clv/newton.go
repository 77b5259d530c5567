package clv

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// Fit's optimiser: a trust-region Newton iteration on the mean negative
// log-likelihood per customer in log-parameters,
//
//	f(θ) = -LL(e^θ)/n,
//
// with the exact Hessian every model computes in the same pass as its
// value and gradient. The models have 3 or 4 parameters, so each step
// solves the trust-region subproblem exactly from the eigendecomposition
// of a 4×4 matrix (Moré & Sorensen; see trScratch.step), and Newton's
// quadratic convergence needs a handful of likelihood passes where BFGS
// needs dozens. The radius doubles after a step that went to the
// boundary and did as well as its quadratic model predicted, and
// shrinks to a quarter of a step that did poorly; near the optimum
// every step is the pure Newton step. Unlike a damped Newton
// (Levenberg-Marquardt) iteration, which was tried first, steps along
// directions of negative or small curvature (the ridges these
// likelihoods have far from the optimum, such as a and b growing
// together) go to the boundary instead of being damped: on cohorts in
// days with thousands of cells that halved the number of passes.
//
// Everything runs in the caller's goroutine. When the iteration fails
// (newtonIterations, or a radius that shrinks to nothing, as where the
// likelihood is flat along a limit of the model and no maximum exists),
// Fit falls back to gonum/optimize's BFGS from the same start.

const (
	newtonIterations = 200
	// trRadius0 and trRadiusMax are the first and largest trust-region
	// radii, in log-parameters (a step of 3 is a factor e^3 on one
	// parameter, or e^1.5 on four at once). Chosen on CDNOW (weeks and
	// days) and 20 simulated cohorts of every model, 1,500 to 50,000
	// customers: fewest likelihood passes in total and in the worst case.
	trRadius0   = 3.0
	trRadiusMax = 6.0
)

// nstate is the iteration's view of one point.
type nstate struct {
	th []float64 // log-parameters
	p  []float64 // parameters, e^θ
	ll float64   // log-likelihood (total)
	f  float64   // -ll/n
	gp []float64 // gradient of ll in p
	hp []float64 // Hessian of ll in p (k×k, row-major)
	g  []float64 // gradient of f in θ
	h  []float64 // Hessian of f in θ (k×k, row-major)
}

func newState(k int) *nstate {
	return &nstate{
		th: make([]float64, k), p: make([]float64, k), gp: make([]float64, k),
		hp: make([]float64, k*k), g: make([]float64, k), h: make([]float64, k*k),
	}
}

// at evaluates s at th: value, gradient and Hessian. It reports false
// when the likelihood or its derivatives are not finite there.
func (o *objective) at(s *nstate, th []float64) bool {
	k := len(th)
	copy(s.th, th)
	for i, v := range th {
		s.p[i] = math.Exp(v)
	}
	ll, err := o.evalH(s.p, s.gp, s.hp)
	if err != nil || math.IsNaN(ll) || math.IsInf(ll, 0) {
		return false
	}
	s.ll, s.f = ll, -ll/o.n
	for i := range k {
		s.g[i] = -s.gp[i] * s.p[i] / o.n
		for j := range k {
			v := s.p[i] * s.p[j] * s.hp[i*k+j]
			if i == j {
				v += s.p[i] * s.gp[i]
			}
			s.h[i*k+j] = -v / o.n
		}
	}
	for _, v := range s.h {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	for _, v := range s.g {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}

// newtonResult is the outcome of newton.
type newtonResult struct {
	best        *nstate // the last accepted point
	converged   bool
	iterations  int
	evaluations int
}

// newton minimises f from th0 until the gradient norm is at most tol,
// by trust-region Newton steps (see trScratch.step).
func (o *objective) newton(th0 []float64, tol float64) newtonResult {
	k := len(th0)
	cur, trial := newState(k), newState(k)
	res := newtonResult{best: cur}
	res.evaluations++
	if !o.at(cur, th0) {
		return res
	}
	var tr trScratch
	step := make([]float64, k)
	next := make([]float64, k)
	delta := trRadius0
	for res.iterations < newtonIterations {
		gn := norm(cur.g)
		if gn <= tol {
			res.converged = true
			return res
		}
		res.iterations++
		pred, ok := tr.step(cur.h, cur.g, k, delta, step)
		if !ok || !(pred > 0) {
			return res
		}
		for i := range k {
			next[i] = cur.th[i] + step[i]
		}
		res.evaluations++
		ok = o.at(trial, next)
		var rho float64
		if ok {
			rho = (cur.f - trial.f) / pred
		}
		// Near the optimum the decrease is at the rounding of f: take
		// the step if it lowers the gradient.
		noise := ok && math.Abs(cur.f-trial.f) <= 1e-13*math.Max(1, math.Abs(cur.f)) && norm(trial.g) < gn
		sn := norm(step)
		switch {
		case !ok || rho < 0.25 && !noise:
			delta = sn / 4
		case rho > 0.75 && sn >= 0.99*delta:
			delta = math.Min(2*delta, trRadiusMax)
		}
		if ok && (rho > 1e-4 || noise) {
			cur, trial = trial, cur
			res.best = cur
		}
		if delta < 1e-12 {
			return res
		}
	}
	res.converged = norm(cur.g) <= tol
	return res
}

// trScratch holds the factorisations of the trust-region step.
type trScratch struct {
	a    []float64 // Cholesky factor
	es   mat.EigenSym
	h    *mat.SymDense
	vecs mat.Dense
	mu   []float64
}

// step sets p to the minimiser of the quadratic model g·p + ½ pᵀHp
// within ||p|| <= delta (Moré & Sorensen): with H = Σ μ_i v_i v_iᵀ,
// p(λ) = -Σ (v_i·g)/(μ_i+λ) v_i for the smallest λ >= max(0, -μ_min)
// with ||p(λ)|| <= delta, found by bisection (H is 4×4: this costs
// nothing next to a likelihood pass). λ = 0 is the Newton step, taken
// whenever H is positive definite and the step fits; along negative
// curvature the step goes to the boundary. It returns the model's
// predicted decrease.
func (t *trScratch) step(h, g []float64, k int, delta float64, p []float64) (float64, bool) {
	// Near the optimum H is positive definite and the Newton step fits:
	// a Cholesky solve, no eigendecomposition.
	t.a = append(t.a[:0], h...)
	for i := range k {
		p[i] = -g[i]
	}
	if cholSolve(t.a, k, p) && norm(p) <= delta {
		return predicted(h, g, k, p)
	}
	if t.h == nil || t.h.SymmetricDim() != k {
		t.h = mat.NewSymDense(k, nil)
	}
	for i := range k {
		for j := i; j < k; j++ {
			t.h.SetSym(i, j, (h[i*k+j]+h[j*k+i])/2)
		}
	}
	if !t.es.Factorize(t.h, true) {
		return 0, false
	}
	if len(t.mu) != k {
		t.mu = make([]float64, k)
	}
	t.es.Values(t.mu)
	t.es.VectorsTo(&t.vecs)
	var gt [4]float64 // g in the eigenbasis
	for i := range k {
		for r := range k {
			gt[i] += t.vecs.At(r, i) * g[r]
		}
	}
	mu := t.mu
	pnorm := func(lam float64) float64 {
		s := 0.0
		for i := range k {
			v := gt[i] / (mu[i] + lam)
			s += v * v
		}
		return math.Sqrt(s)
	}
	scale := math.Max(math.Abs(mu[0]), math.Abs(mu[k-1]))
	lam := 0.0
	var hard float64 // step along v_0 in the hard case
	if !(mu[0] > 0 && pnorm(0) <= delta) {
		lo := math.Max(0, -mu[0]) + 1e-12*math.Max(scale, 1e-300)
		if pn := pnorm(lo); pn <= delta {
			// Hard case: g has (almost) no component along the most
			// negative curvature; go to the boundary along it.
			lam = lo
			hard = math.Sqrt(math.Max(delta*delta-pn*pn, 0))
		} else {
			hi := lo + norm(g)/delta
			for range 200 {
				mid := (lo + hi) / 2
				if mid == lo || mid == hi {
					break
				}
				if pnorm(mid) > delta {
					lo = mid
				} else {
					hi = mid
				}
			}
			lam = hi
		}
	}
	for r := range k {
		v := 0.0
		for i := range k {
			v -= t.vecs.At(r, i) * gt[i] / (mu[i] + lam)
		}
		p[r] = v + hard*t.vecs.At(r, 0)
	}
	return predicted(h, g, k, p)
}

// predicted is the decrease -(g·p + ½ pᵀHp) of the quadratic model, and
// whether p is finite.
func predicted(h, g []float64, k int, p []float64) (float64, bool) {
	pred := 0.0
	for i := range k {
		q := 0.0
		for j := range k {
			q += h[i*k+j] * p[j]
		}
		pred -= p[i] * (g[i] + q/2)
	}
	for _, v := range p {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, false
		}
	}
	return pred, true
}

// cholSolve solves a x = b in place (b becomes x) for a symmetric k×k
// row-major a, by Cholesky factorisation (a is overwritten). It reports
// false when a is not positive definite.
func cholSolve(a []float64, k int, b []float64) bool {
	for j := range k {
		d := a[j*k+j]
		for m := range j {
			d -= a[j*k+m] * a[j*k+m]
		}
		if !(d > 0) || math.IsInf(d, 0) {
			return false
		}
		d = math.Sqrt(d)
		a[j*k+j] = d
		for i := j + 1; i < k; i++ {
			v := a[i*k+j]
			for m := range j {
				v -= a[i*k+m] * a[j*k+m]
			}
			a[i*k+j] = v / d
		}
	}
	// L y = b, then Lᵀ x = y.
	for i := range k {
		v := b[i]
		for m := range i {
			v -= a[i*k+m] * b[m]
		}
		b[i] = v / a[i*k+i]
	}
	for i := k - 1; i >= 0; i-- {
		v := b[i]
		for m := i + 1; m < k; m++ {
			v -= a[m*k+i] * b[m]
		}
		b[i] = v / a[i*k+i]
	}
	return true
}

func norm(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}
