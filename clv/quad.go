package clv

import (
	"math"

	"gonum.org/v1/gonum/integrate/quad"
)

// gaussNodes are the 24-point Gauss-Legendre nodes and weights on [0, 1].
var gaussNodes, gaussWeights = func() ([]float64, []float64) {
	x := make([]float64, 24)
	w := make([]float64, 24)
	quad.Legendre{}.FixedLocations(x, w, 0, 1)
	return x, w
}()

// quadDeath returns log ∫_{t0}^{t1} (α+τ)^-k (β+τ)^-(s+1) dτ by
// composite Gauss-Legendre quadrature in v = log(c+τ), c = min(α, β),
// where the integrand (with the Jacobian e^v) is smooth with a log-slope
// of at most k+s+1 and decreasing. Panels start at width 1/(k+s+1) and
// double, so the sharp decay near t0 for large k is resolved; the sum is
// kept relative to the integrand's value at t0 (its maximum), so nothing
// overflows.
//
// quadDeathGrad, with grad not nil, also returns the derivatives of that log with
// respect to (k, s, α, β): the limits do not depend on the parameters,
// so each is the integrand's weighted mean of the derivative of its log
// (-log(α+τ), -log(β+τ), -k/(α+τ), -(s+1)/(β+τ)) on the same nodes.
func quadDeath(k, alpha, s, beta, t0, t1 float64) float64 {
	return quadDeathGrad(k, alpha, s, beta, t0, t1, nil)
}

func quadDeathGrad(k, alpha, s, beta, t0, t1 float64, grad *[4]float64) float64 {
	return quadDeathHess(k, alpha, s, beta, t0, t1, grad, nil)
}

// quadDeathHess is quadDeathGrad with, when hess is not nil, the
// Hessian of the log in (k, s, α, β) (4×4, row-major): the integrand's
// weighted mean of the Hessian of its log (entries -1/(α+τ) in (k, α),
// k/(α+τ)² in (α, α), -1/(β+τ) in (s, β), (s+1)/(β+τ)² in (β, β)) plus
// the weighted covariance of the gradient of its log. grad must not be
// nil when hess is not.
func quadDeathHess(k, alpha, s, beta, t0, t1 float64, grad *[4]float64, hess *[16]float64) float64 {
	c, ec, bigC, eC := alpha, k, beta, s+1
	if beta < alpha {
		c, ec, bigC, eC = beta, s+1, alpha, k
	}
	v0, v1 := math.Log(c+t0), math.Log(c+t1)
	logf := func(v float64) float64 {
		return (1-ec)*v - eC*math.Log(bigC-c+math.Exp(v))
	}
	ref := logf(v0)
	// At least a 1e-12 share of the range, so that lo always moves.
	h := math.Max(1/(k+s+1), (v1-v0)*1e-12)
	total := 0.0
	var gs [4]float64
	var hs [16]float64 // Σ f (∇∇ᵀ + ∇²) of the log integrand
	for lo := v0; lo < v1; h *= 2 {
		hi := math.Min(lo+h, v1)
		part := 0.0
		var gp [4]float64
		var hp [16]float64
		for i, x := range gaussNodes {
			v := lo + x*(hi-lo)
			f := gaussWeights[i] * math.Exp(logf(v)-ref)
			part += f
			if grad != nil && f != 0 {
				// log(c+τ) = v; log(C+τ) = log(C-c+e^v).
				lc, lC := v, math.Log(bigC-c+math.Exp(v))
				la, lb := lc, lC
				if beta < alpha {
					la, lb = lC, lc
				}
				ia, ib := math.Exp(-la), math.Exp(-lb)
				g := [4]float64{-la, -lb, -k * ia, -(s + 1) * ib}
				for j := range gp {
					gp[j] += f * g[j]
				}
				if hess != nil {
					for r := range 4 {
						for q := r; q < 4; q++ {
							hp[r*4+q] += f * g[r] * g[q]
						}
					}
					hp[0*4+2] -= f * ia
					hp[2*4+2] += f * k * ia * ia
					hp[1*4+3] -= f * ib
					hp[3*4+3] += f * (s + 1) * ib * ib
				}
			}
		}
		part *= hi - lo
		total += part
		for j := range gs {
			gs[j] += gp[j] * (hi - lo)
		}
		if hess != nil {
			for j := range hs {
				hs[j] += hp[j] * (hi - lo)
			}
		}
		// The integrand decreases: stop once the rest cannot matter.
		if math.Exp(logf(hi)-ref)*(v1-hi) <= 1e-17*total {
			break
		}
		lo = hi
	}
	if grad != nil {
		for j := range gs {
			grad[j] = gs[j] / total
		}
	}
	if hess != nil {
		for r := range 4 {
			for q := r; q < 4; q++ {
				v := hs[r*4+q]/total - grad[r]*grad[q]
				hess[r*4+q], hess[q*4+r] = v, v
			}
		}
	}
	return ref + math.Log(total)
}
