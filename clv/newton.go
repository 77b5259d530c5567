package clv

import "math"

// Fit's optimiser: a damped Newton iteration (Levenberg-Marquardt) on
// the mean negative log-likelihood per customer in log-parameters,
//
//	f(θ) = -LL(e^θ)/n,
//
// with the exact Hessian every model computes in the same pass as its
// value and gradient. The models have 3 or 4 parameters, so a
// step is a 4×4 Cholesky solve of (H + λI) p = -g, and Newton's
// quadratic convergence needs a handful of likelihood passes where
// BFGS needs dozens. λ is a trust-region control: it grows when a step
// does not reduce f as its quadratic model predicts (or when H + λI is
// not positive definite, away from the optimum), and shrinks when the
// model is good, so far from the optimum the steps turn towards
// gradient descent and near it they are pure Newton steps. Steps are
// also capped at maxLogStep in each log-parameter (a factor e^1.5), so a
// bad start cannot throw a parameter to an extreme in one step.
//
// Everything runs in the caller's goroutine. When the iteration fails
// (a maximum of newtonIterations, or λ growing without bound, as where
// the likelihood is flat along a limit of the model and no maximum
// exists), Fit falls back to gonum/optimize's BFGS from the same start.

const (
	newtonIterations = 200
	maxLogStep       = 1.5
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

// newton minimises f from th0 until the gradient norm is at most tol.
func (o *objective) newton(th0 []float64, tol float64) newtonResult {
	k := len(th0)
	cur, trial := newState(k), newState(k)
	res := newtonResult{best: cur}
	res.evaluations++
	if !o.at(cur, th0) {
		return res
	}
	a := make([]float64, k*k)
	step := make([]float64, k)
	next := make([]float64, k)
	lam := 0.0
	for res.iterations < newtonIterations {
		gn := norm(cur.g)
		if gn <= tol {
			res.converged = true
			return res
		}
		res.iterations++
		diag := 0.0
		for i := range k {
			diag = math.Max(diag, math.Abs(cur.h[i*k+i]))
		}
		lam0 := 1e-3 * math.Max(diag, 1e-12)
		// Find λ with H + λI positive definite and solve for the step.
		for {
			copy(a, cur.h)
			for i := range k {
				a[i*k+i] += lam
				step[i] = -cur.g[i]
			}
			if cholSolve(a, k, step) {
				break
			}
			lam = math.Max(4*lam, lam0)
			if lam > 1e12*math.Max(diag, 1) {
				return res
			}
		}
		if m := maxAbs(step); m > maxLogStep {
			for i := range step {
				step[i] *= maxLogStep / m
			}
		}
		// Decrease predicted by the damped quadratic model (> 0).
		pred := 0.0
		for i := range k {
			q := 0.0
			for j := range k {
				q += cur.h[i*k+j] * step[j]
			}
			q += lam * step[i]
			pred -= step[i] * (cur.g[i] + q/2)
		}
		for i := range k {
			next[i] = cur.th[i] + step[i]
		}
		res.evaluations++
		ok := o.at(trial, next)
		var rho float64
		if ok {
			rho = (cur.f - trial.f) / pred
		}
		// Near the optimum the decrease is at the rounding of f: take
		// the step if it lowers the gradient.
		noise := ok && math.Abs(cur.f-trial.f) <= 1e-13*math.Max(1, math.Abs(cur.f)) && norm(trial.g) < gn
		switch {
		case ok && (rho > 1e-4 || noise):
			cur, trial = trial, cur
			res.best = cur
			if rho > 0.75 || noise {
				lam /= 8
				if lam < 1e-10*lam0 {
					lam = 0
				}
			} else if rho < 0.25 {
				lam = math.Max(4*lam, lam0)
			}
		default:
			lam = math.Max(8*lam, lam0)
			if lam > 1e12*math.Max(diag, 1) {
				return res
			}
		}
	}
	res.converged = norm(cur.g) <= tol
	return res
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

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}
