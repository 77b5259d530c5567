package clv

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// newParetoEval returns the Pareto/NBD log-likelihood of a cohort with
// its analytic gradient: the x-only part once per distinct x, the logs
// of α+T and β+T once per distinct T, and the drop-out integral with its
// parameter derivatives from the same series or quadrature as the value
// (deathIntegralGrad).
func newParetoEval(co *cohort) func(p, grad []float64) (float64, error) {
	laT := make([]float64, len(co.Ts))
	lbT := make([]float64, len(co.Ts))
	return func(p, grad []float64) (float64, error) {
		m := ParetoNBDModel{p[0], p[1], p[2], p[3]}
		r, alpha, s, beta := p[0], p[1], p[2], p[3]
		for i, T := range co.Ts {
			laT[i], lbT[i] = math.Log(alpha+T), math.Log(beta+T)
		}
		var gr [4]float64 // (r, alpha, s, beta)
		ll := 0.0
		psiR := mathext.Digamma(r)
		for i, x := range co.xs {
			w := co.xw[i]
			ll += w * m.xPart(x)
			if grad != nil {
				gr[0] += w * (mathext.Digamma(r+float64(x)) - psiR + math.Log(alpha))
				gr[1] += w * r / alpha
				gr[2] += w * math.Log(beta)
				gr[3] += w * s / beta
			}
		}
		var dg [4]float64 // (k, s, alpha, beta) of the drop-out integral
		var dgp *[4]float64
		if grad != nil {
			dgp = &dg
		}
		ls := math.Log(s)
		for _, c := range co.cells {
			k := r + float64(c.x)
			alive := -k*laT[c.ti] - s*lbT[c.ti]
			li, err := deathIntegralGrad(k, alpha, s, beta, c.tx, c.T, dgp)
			if err != nil {
				return 0, err
			}
			dead := ls + li
			ll += c.w * logAddExp(alive, dead)
			if grad != nil {
				a := c.w * sigmoid(alive-dead) // weight of the alive term
				d := c.w - a
				if math.IsInf(li, -1) {
					d = 0
				}
				gr[0] += -a*laT[c.ti] + d*dg[0]
				gr[1] += -a*k/(alpha+c.T) + d*dg[2]
				gr[2] += -a*lbT[c.ti] + d*(1/s+dg[1])
				gr[3] += -a*s/(beta+c.T) + d*dg[3]
			}
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return 0, numericErr("%s log-likelihood at %v is %v", ParetoNBD, p, ll)
		}
		if grad != nil {
			copy(grad, gr[:])
		}
		return ll, nil
	}
}
